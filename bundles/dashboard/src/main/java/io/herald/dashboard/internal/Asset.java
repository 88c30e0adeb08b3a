package io.herald.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of the page: its bytes, its content type and an ETag (the bytes' SHA-256), so a browser revalidates it with
 * {@code If-None-Match} and gets 304 until a new version of the bundle serves other bytes.
 */
record Asset(byte[] bytes, String contentType, String etag) {

    static Asset of(byte[] bytes, String contentType) {
        return new Asset(bytes.clone(), contentType, "\"" + sha256(bytes) + "\"");
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
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
