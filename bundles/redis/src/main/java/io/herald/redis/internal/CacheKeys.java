package io.herald.redis.internal;

/**
 * The Redis keys of the cache. The caller's key is wrapped in a hash tag, so a value and its lock live in one Cluster
 * slot and one Lua script may touch both:
 * <pre>
 * herald:cache:{key}   the value (JSON), with its expiry as the key's TTL
 * herald:lock:{key}    the lock of that key: the owner's id, with the lock's expiry as TTL
 * herald:list:{list}   a list: a Redis list of JSON items, RPUSH to append, LPOP to take the head
 * </pre>
 */
final class CacheKeys {

    static final String VALUE_PREFIX = "herald:cache:{";
    static final String LOCK_PREFIX = "herald:lock:{";
    static final String LIST_PREFIX = "herald:list:{";

    private CacheKeys() {
    }

    static String value(String key) {
        return VALUE_PREFIX + checked(key, "key") + "}";
    }

    static String lock(String key) {
        return LOCK_PREFIX + checked(key, "key") + "}";
    }

    static String list(String list) {
        return LIST_PREFIX + checked(list, "list") + "}";
    }

    /** The SCAN pattern of the values whose key starts with {@code prefix} (glob characters escaped). */
    static String valuePattern(String prefix) {
        StringBuilder pattern = new StringBuilder(VALUE_PREFIX.replace("{", "\\{"));
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '{' || c == '}') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('*').toString();
    }

    /** The caller's key of a value key, or null for a Redis key that is not one of the cache's values. */
    static String keyOfValue(String redisKey) {
        if (redisKey.startsWith(VALUE_PREFIX) && redisKey.endsWith("}") && redisKey.length() > VALUE_PREFIX.length()) {
            return redisKey.substring(VALUE_PREFIX.length(), redisKey.length() - 1);
        }
        return null;
    }

    /**
     * Redis hashes the text between the first '{' and the next '}'. A key that is empty or starts with '}' would make
     * that empty, so Redis would hash the whole key and a value and its lock could land in different Cluster slots.
     */
    private static String checked(String key, String what) {
        if (key == null || key.isEmpty() || key.charAt(0) == '}') {
            throw new IllegalArgumentException("a cache " + what + " must not be empty nor start with '}': " + key);
        }
        return key;
    }
}
