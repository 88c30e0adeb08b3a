package io.herald.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Strong ETags for bytes a bundle serves from memory (the WebSocket client script, the dashboard's page): the bytes'
 * SHA-256, so a browser revalidates with {@code If-None-Match} and gets 304 until a new version of the bundle serves
 * other bytes. The one helper for this, so the two answer conditional requests alike.
 *
 * @since 1.4
 */
public final class EntityTags {

    private EntityTags() {
    }

    /** A quoted strong ETag for {@code bytes}: the first 128 bits of their SHA-256, in hex. */
    public static String of(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} header names {@code etag}: {@code *}, or one of its comma-separated tags, weak
     * ({@code W/}) or not (RFC 9110 13.1.2 compares weakly).
     */
    public static boolean matches(String ifNoneMatch, String etag) {
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
}
