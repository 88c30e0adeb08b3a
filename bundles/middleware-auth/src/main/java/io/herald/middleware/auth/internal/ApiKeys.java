package io.herald.middleware.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.herald.api.Caller;

/**
 * The configured API keys: entries {@code name:secret:role1;role2}, the secret given in clear or as
 * {@code sha256:<64 hex digits>}. Only SHA-256 digests are kept, and a presented secret is compared with every key in
 * constant time (its digest against each digest, with no early exit), so neither the timing nor a heap dump gives a
 * secret away.
 */
final class ApiKeys {

    /** Shorter secrets are refused: a key is all that stands between a client and the admin actions. */
    static final int MIN_SECRET_LENGTH = 16;

    private record Key(String name, byte[] digest, Set<String> roles) {
    }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = keys;
    }

    static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * @param entries one entry per key
     * @throws IllegalArgumentException naming the entry (by position and name, never by secret) that is malformed
     */
    static ApiKeys parse(List<String> entries) {
        List<Key> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            String where = "apiKeys entry " + (i + 1);
            String[] parts = entry.split(":", -1);
            if (parts.length < 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(where + " must be name:secret:role1;role2 (roles optional)");
            }
            String name = parts[0].trim();
            where += " (" + name + ")";
            byte[] digest;
            String roles;
            if (parts[1].equals("sha256")) {
                if (parts.length < 3 || parts.length > 4 || !parts[2].matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException(where + ": a sha256: secret must be 64 hex digits, then :roles");
                }
                digest = HexFormat.of().parseHex(parts[2]);
                roles = parts.length == 4 ? parts[3] : "";
            } else {
                if (parts.length > 3) {
                    throw new IllegalArgumentException(where + ": a secret may not contain ':'");
                }
                if (parts[1].length() < MIN_SECRET_LENGTH) {
                    throw new IllegalArgumentException(where + ": the secret must have at least " + MIN_SECRET_LENGTH
                            + " characters");
                }
                if (!parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException(where + ": the secret must be printable ASCII without spaces");
                }
                digest = sha256(parts[1]);
                roles = parts.length == 3 ? parts[2] : "";
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": the name is given twice");
            }
            Set<String> roleSet = new LinkedHashSet<>();
            for (String role : roles.split(";")) {
                if (!role.isBlank()) {
                    roleSet.add(role.trim());
                }
            }
            keys.add(new Key(name, digest, Set.copyOf(roleSet)));
        }
        return new ApiKeys(List.copyOf(keys));
    }

    int size() {
        return keys.size();
    }

    /** The key's caller (scheme {@code apiKey}), or {@code null} when {@code secret} is no key's. */
    Caller match(String secret) {
        byte[] presented = sha256(secret);
        Key found = null;
        for (Key key : keys) {
            // Every key is compared, whatever matched before: the time taken does not say which key (or none) matched.
            if (MessageDigest.isEqual(presented, key.digest()) && found == null) {
                found = key;
            }
        }
        return found == null ? null : new Caller(found.name(), found.roles(), "apiKey");
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
