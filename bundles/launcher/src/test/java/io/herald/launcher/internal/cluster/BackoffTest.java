package io.herald.launcher.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void a_node_that_had_served_is_replaced_at_once() {
        Backoff backoff = new Backoff();
        assertEquals(0, backoff.next(true));
        assertEquals(0, backoff.next(true));
    }

    @Test
    void failed_starts_wait_longer_each_time_up_to_thirty_seconds() {
        Backoff backoff = new Backoff();
        long[] expected = { 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000 };
        for (long delay : expected) {
            assertEquals(delay, backoff.next(false));
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(30_000, backoff.next(false), "no overflow however many failures");
        }
    }

    @Test
    void a_node_that_serves_resets_the_count() {
        Backoff backoff = new Backoff();
        backoff.next(false);
        backoff.next(false);
        backoff.started();
        assertEquals(1_000, backoff.next(false));
        backoff.next(false);
        assertEquals(0, backoff.next(true));
        assertEquals(1_000, backoff.next(false));
    }
}
