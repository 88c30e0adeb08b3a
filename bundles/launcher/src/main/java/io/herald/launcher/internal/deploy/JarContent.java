package io.herald.launcher.internal.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * Reads a jar's bytes far enough to tell a whole jar from one still being written: every entry must read, and the zip
 * end-of-central-directory record (the last thing a zip writer writes) must be there.
 *
 * @param complete whether the bytes are a whole jar (a zip file)
 * @param manifest its manifest, or null when it has none (or is not complete)
 */
record JarContent(boolean complete, Manifest manifest) {

    /** "PK\5\6", the signature of the end-of-central-directory record, little-endian. */
    private static final int END_SIGNATURE = 0x06054b50;
    /** The record is 22 bytes plus a comment of at most 65535 bytes. */
    private static final int END_MIN = 22;
    private static final int END_MAX = END_MIN + 0xFFFF;

    static JarContent of(byte[] bytes) {
        if (!hasEnd(bytes)) {
            return new JarContent(false, null);
        }
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(bytes))) {
            Manifest manifest = jar.getManifest();
            while (jar.getNextJarEntry() != null) {
                jar.closeEntry();
            }
            return new JarContent(true, manifest);
        } catch (IOException | RuntimeException e) {
            return new JarContent(false, null);
        }
    }

    private static boolean hasEnd(byte[] bytes) {
        int lowest = Math.max(0, bytes.length - END_MAX);
        for (int i = bytes.length - END_MIN; i >= lowest; i--) {
            int signature = (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16
                    | (bytes[i + 3] & 0xFF) << 24;
            if (signature == END_SIGNATURE) {
                return true;
            }
        }
        return false;
    }
}
