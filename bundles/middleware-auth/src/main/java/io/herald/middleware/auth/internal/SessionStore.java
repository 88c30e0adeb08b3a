package io.herald.middleware.auth.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.herald.api.ActionContext;
import io.herald.api.Caller;
import io.herald.api.ResponseCookie;
import io.herald.api.cache.Cache;
import io.herald.api.cache.CacheUnavailableException;
import io.herald.middleware.auth.Sessions;

/**
 * Sessions in the cache, under {@code herald:session:<SHA-256 of the token>}: the cache (a Redis dump, say) never
 * holds a token that could be replayed. Every use reloads the session and pushes its expiry back (sliding TTL, one
 * cache call), and nothing is kept on the node, so a logout on one node ends the session on all of them at once.
 */
final class SessionStore implements Sessions {

    static final String KEY_PREFIX = "herald:session:";

    /** 32 random bytes, base64url without padding. */
    private static final int TOKEN_LENGTH = 43;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Cache> cache;
    private volatile Duration ttl;

    SessionStore(Supplier<Cache> cache, Duration ttl) {
        this.cache = cache;
        this.ttl = ttl;
    }

    void ttl(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(ActionContext context, String userId, Set<String> roles) {
        Objects.requireNonNull(userId, "userId");
        String previous = context.request().cookie(COOKIE);
        if (wellFormed(previous)) {
            cache().destroy(key(previous));
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("userId", userId);
        session.put("roles", List.copyOf(roles));
        session.put("createdAt", System.currentTimeMillis());
        cache().save(key(token), session, ttl);
        context.setCookie(ResponseCookie.of(COOKIE, token).withSecure(context.request().secure()));
    }

    @Override
    public boolean close(ActionContext context) {
        String token = context.request().cookie(COOKIE);
        boolean open = wellFormed(token) && cache().destroy(key(token));
        context.setCookie(ResponseCookie.expired(COOKIE, context.request().secure()));
        return open;
    }

    /**
     * The caller of a session cookie's token, with its expiry pushed back; {@code null} for a token that is malformed,
     * unknown or expired (the caller is then anonymous: a browser with a stale cookie still reaches public actions).
     */
    Caller find(String token) {
        if (!wellFormed(token)) {
            return null;
        }
        @SuppressWarnings("rawtypes")
        Optional<Map> session = cache().load(key(token), Map.class, ttl);
        if (session.isEmpty() || !(session.get().get("userId") instanceof String userId)) {
            return null;
        }
        List<String> roles = new ArrayList<>();
        if (session.get().get("roles") instanceof List<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        }
        return new Caller(userId, Set.copyOf(roles), "session");
    }

    static boolean wellFormed(String token) {
        if (token == null || token.length() != TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String key(String token) {
        return KEY_PREFIX + HexFormat.of().formatHex(ApiKeys.sha256(token));
    }

    private Cache cache() {
        Cache current = cache.get();
        if (current == null) {
            throw new CacheUnavailableException("no cache runs on this node: sessions cannot be stored", null);
        }
        return current;
    }
}
