package io.herald.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.herald.core.EntityTags;

/**
 * One file of the page: its bytes, its content type and an ETag (the bytes' SHA-256), so a browser revalidates it with
 * {@code If-None-Match} and gets 304 until a new version of the bundle serves other bytes.
 */
record Asset(byte[] bytes, String contentType, String etag) {

    static Asset of(byte[] bytes, String contentType) {
        return new Asset(bytes.clone(), contentType, EntityTags.of(bytes));
    }

    static Asset text(String text, String contentType) {
        return of(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** A resource of this bundle, next to this class; a missing one is a broken build, said so. */
    static String resource(String name) {
        try (InputStream in = Asset.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the dashboard bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the dashboard bundle", e);
        }
    }

    /** Whether an {@code If-None-Match} header names this version. */
    boolean matches(String ifNoneMatch) {
        return EntityTags.matches(ifNoneMatch, etag);
    }
}
