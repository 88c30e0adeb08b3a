package io.herald.launcher.internal.deploy;

/** A file's size and modification time: what the deploy poll compares to notice a change without reading the file. */
record FileStamp(long size, long modifiedMillis) {
}
