package io.herald.middleware.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailedAttemptsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailedAttempts failures = new FailedAttempts(3, 60_000, now::get);

    @Test
    void an_address_is_refused_after_the_limit_until_its_window_ends() {
        assertFalse(failures.fail("10.0.0.1"));
        assertFalse(failures.fail("10.0.0.1"));
        assertEquals(0, failures.blockedSeconds("10.0.0.1"), "under the limit");
        assertTrue(failures.fail("10.0.0.1"), "the third failure reaches it");
        assertEquals(60, failures.blockedSeconds("10.0.0.1"));
        assertEquals(0, failures.blockedSeconds("10.0.0.2"), "other addresses are not affected");
        now.addAndGet(59_001);
        assertEquals(1, failures.blockedSeconds("10.0.0.1"));
        now.addAndGet(1_000);
        assertEquals(0, failures.blockedSeconds("10.0.0.1"), "a new window");
        assertFalse(failures.fail("10.0.0.1"), "counting starts again");
    }

    @Test
    void expired_windows_are_swept_once_the_table_is_large() {
        for (int i = 0; i <= FailedAttempts.SWEEP_ABOVE; i++) {
            failures.fail("10.1." + (i / 256) + "." + (i % 256));
        }
        assertEquals(FailedAttempts.SWEEP_ABOVE + 1, failures.addresses());
        now.addAndGet(60_000);
        failures.fail("192.0.2.1");
        assertEquals(1, failures.addresses(), "only the fresh window is left");
    }
}
