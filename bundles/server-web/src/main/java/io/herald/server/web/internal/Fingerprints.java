package io.herald.server.web.internal;

import java.security.SecureRandom;
import java.util.List;

import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * Identifies a client across requests, as Actionhero's {@code browser_fingerprint} does: the fingerprint comes from
 * the cookie (default {@code sessionID}), else from a header of that name or {@code X-} that name; a client that sent
 * none gets a new random fingerprint and a {@code Set-Cookie} to send it back next time (path {@code /}, expiring
 * after an hour, Actionhero's {@code fingerprintOptions.settings}).
 */
final class Fingerprints {

    /** Actionhero's default {@code expires} of the fingerprint cookie. */
    static final long COOKIE_LIFETIME_MILLIS = 3_600_000L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String cookieName;
    private final String headerName;
    private final String prefixedHeaderName;
    // The fingerprint identifies a session: it must not be guessable, so it comes from a DRBG. Not one per thread: on
    // Java 21+ requests run on short-lived virtual threads, where a generator per thread was a new, freshly seeded DRBG
    // per request (7% of the echo action's CPU, issue 15). Nor one for all: the default NativePRNG and a lone DRBG lock
    // on every call. A few shared generators, picked by thread id, keep each lock all but uncontended.
    private static final SecureRandom[] GENERATORS = newGenerators(
            Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1));

    private static SecureRandom[] newGenerators(int count) {
        SecureRandom[] generators = new SecureRandom[count];
        for (int i = 0; i < count; i++) {
            try {
                generators[i] = SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
                generators[i] = new SecureRandom();
            }
        }
        return generators;
    }

    // Expires changes once a second; formatting it per request showed up in profiles.
    private volatile CachedExpiry expiry = new CachedExpiry(-1, "");

    private record CachedExpiry(long second, String text) {
    }

    Fingerprints(String cookieName) {
        this.cookieName = cookieName;
        this.headerName = cookieName;
        this.prefixedHeaderName = "X-" + cookieName;
    }

    String cookieName() {
        return cookieName;
    }

    /** The fingerprint the client sent, or {@code null}. */
    String fromRequest(Request request) {
        HttpFields headers = request.getHeaders();
        if (headers.contains(org.eclipse.jetty.http.HttpHeader.COOKIE)) {
            List<HttpCookie> cookies = Request.getCookies(request);
            for (HttpCookie cookie : cookies) {
                if (cookie.getName().equals(cookieName) && !cookie.getValue().isEmpty()) {
                    return cookie.getValue();
                }
            }
        }
        String header = headers.get(headerName);
        if (header == null || header.isBlank()) {
            header = headers.get(prefixedHeaderName);
        }
        return header == null || header.isBlank() ? null : header.trim();
    }

    /** A new fingerprint: 40 hex digits, the length of Actionhero's SHA-1 fingerprints. */
    String newFingerprint() {
        byte[] bytes = new byte[20];
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
        int stripe = (int) Thread.currentThread().getId() & (GENERATORS.length - 1);
        GENERATORS[stripe].nextBytes(bytes);
        char[] hex = new char[40];
        for (int i = 0; i < bytes.length; i++) {
            hex[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(hex);
    }

    /**
     * The {@code Set-Cookie} value that hands {@code fingerprint} to the client: {@code HttpOnly}, so a script injected
     * into a page cannot read it, {@code SameSite=Lax}, so another site's form cannot send it, and {@code Secure} when
     * the request came over TLS. (Actionhero sets none of these by default; its client never reads the cookie.)
     */
    String setCookie(String fingerprint, long nowMillis, boolean secure) {
        long second = nowMillis / 1000;
        CachedExpiry cached = expiry;
        if (cached.second() != second) {
            cached = new CachedExpiry(second, DateGenerator.formatDate(second * 1000 + COOKIE_LIFETIME_MILLIS));
            expiry = cached;
        }
        return cookieName + "=" + fingerprint + "; Path=/; Expires=" + cached.text() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
