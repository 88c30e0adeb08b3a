package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

class FingerprintsTest {

    private final Fingerprints fingerprints = new Fingerprints("sessionID");

    @Test
    void threads_sharing_the_generators_never_get_the_same_fingerprint() throws Exception {
        // More threads than generators, each one short-lived, as requests on virtual threads are.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> malformed = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    String fingerprint = fingerprints.newFingerprint();
                    if (!fingerprint.matches("[0-9a-f]{40}")) {
                        synchronized (malformed) {
                            malformed.add(fingerprint);
                        }
                    }
                    seen.add(fingerprint);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(malformed.isEmpty(), malformed::toString);
        assertEquals(64 * 200, seen.size());
    }

    @Test
    void the_cookie_hands_the_fingerprint_back_for_an_hour() {
        String cookie = fingerprints.setCookie("abc", 1_765_000_000_000L, true);
        assertEquals("sessionID=abc; Path=/; Expires=Sat, 06 Dec 2025 06:46:40 GMT; HttpOnly; SameSite=Lax; Secure",
                cookie);
    }
}
