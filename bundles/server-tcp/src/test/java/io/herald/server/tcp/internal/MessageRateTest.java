package io.herald.server.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The rate is counted on the clock it is given: no timing in the test. */
class MessageRateTest {

    @Test
    void within_a_second_the_limit_passes_then_one_is_told_then_twice_the_limit_closes() {
        MessageRate rate = new MessageRate(3);
        long t = 1_000;

        for (int i = 0; i < 3; i++) {
            assertEquals(MessageRate.Verdict.ACCEPT, rate.count(t + i));
        }
        assertEquals(MessageRate.Verdict.REFUSE_AND_TELL, rate.count(t + 3));
        assertEquals(MessageRate.Verdict.REFUSE, rate.count(t + 4));
        assertEquals(MessageRate.Verdict.REFUSE, rate.count(t + 5));
        assertEquals(MessageRate.Verdict.CLOSE, rate.count(t + 6));
    }

    @Test
    void a_new_second_starts_a_new_count() {
        MessageRate rate = new MessageRate(1);
        long t = 5_000;

        assertEquals(MessageRate.Verdict.ACCEPT, rate.count(t));
        assertEquals(MessageRate.Verdict.REFUSE_AND_TELL, rate.count(t + 1));
        assertEquals(MessageRate.Verdict.ACCEPT, rate.count(t + TimeUnit.SECONDS.toNanos(1)));
    }
}
