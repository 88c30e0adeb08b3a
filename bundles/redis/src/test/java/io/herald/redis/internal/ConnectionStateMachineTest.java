package io.herald.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.herald.redis.RedisConnection.State;
import io.herald.redis.internal.ConnectionStateMachine.Change;

/**
 * The connection's states, event by event, with the time of each event given: no clock, no waiting. The window is
 * 5000 ms, as shipped; the supervisor probes every 250 ms.
 */
class ConnectionStateMachineTest {

    private static final long WINDOW_MILLIS = 5000;
    private static final String REFUSED = "Failed to connect to 127.0.0.1:6390. (Connection refused)";
    private static final String TIMEOUT = "java.net.SocketTimeoutException: Read timed out";

    private final List<Change> changes = new ArrayList<>();
    private final ConnectionStateMachine machine = new ConnectionStateMachine(WINDOW_MILLIS, changes::add);

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void connect() {
        machine.probeSucceeded(ms(0));
        changes.clear();
    }

    @Test
    void before_the_first_attempt_ends_it_is_down_but_callers_wait() {
        assertEquals(State.DOWN, machine.state());
        assertFalse(machine.settled());
        assertFalse(machine.failFast(), "not known to be down yet");

        assertEquals(new Change(State.DOWN, State.CONNECTED, null, false), machine.probeSucceeded(ms(0)));
        assertEquals(State.CONNECTED, machine.state());
        assertTrue(machine.settled());
        assertEquals(List.of(new Change(State.DOWN, State.CONNECTED, null, false)), changes);
    }

    @Test
    void a_failed_first_attempt_is_down_at_once_with_one_line_until_the_cause_changes() {
        machine.probeFailed(ms(0), REFUSED, false);
        assertEquals(State.DOWN, machine.state());
        assertTrue(machine.failFast(), "a node started against a wrong host says so at once");
        assertEquals(REFUSED, machine.lastError());

        machine.probeFailed(ms(250), REFUSED, false);
        machine.probeFailed(ms(500), REFUSED, false);
        machine.probeFailed(ms(750), "Unknown host redis.invalid", false);
        assertEquals(List.of(new Change(State.DOWN, State.DOWN, REFUSED, false),
                new Change(State.DOWN, State.DOWN, "Unknown host redis.invalid", true)), changes);

        machine.probeSucceeded(ms(1000));
        assertEquals(State.CONNECTED, machine.state());
        assertFalse(machine.failFast());
    }

    @Test
    void refused_credentials_are_down_at_once_even_when_connected() {
        connect();
        machine.probeFailed(ms(250), "WRONGPASS invalid username-password pair", true);
        assertEquals(State.DOWN, machine.state());
        assertTrue(machine.failFast());
        assertEquals(List.of(new Change(State.CONNECTED, State.DOWN, "WRONGPASS invalid username-password pair",
                false)), changes);
    }

    @Test
    void one_failed_probe_is_failing_over_never_down_however_long_ago_the_last_one_was() {
        connect();
        machine.probeFailed(ms(1000), TIMEOUT, false);
        assertEquals(State.FAILING_OVER, machine.state());
        assertFalse(machine.failFast(), "commands are retried, not refused");
        machine.probeSucceeded(ms(1250));
        assertEquals(State.FAILING_OVER, machine.state(), "a probe right after a failure does not end it");
        assertEquals(0, machine.consecutiveFailures());

        // the next single failure comes long after the first: no streak, so no DOWN (the old rule measured from the
        // first failure of the episode and went DOWN here)
        machine.probeFailed(ms(60_000), TIMEOUT, false);
        assertEquals(State.FAILING_OVER, machine.state());
        machine.probeSucceeded(ms(61_500));
        assertEquals(State.CONNECTED, machine.state(), "a quiet second later it is back");
    }

    @Test
    void a_flapping_probe_never_confirms_down() {
        connect();
        for (long t = 250; t < 120_000; t += 500) {
            machine.probeFailed(ms(t), TIMEOUT, false);
            machine.probeSucceeded(ms(t + 250));
            assertFalse(machine.failFast(), "at " + t + " ms");
        }
        assertEquals(State.FAILING_OVER, machine.state());
        assertTrue(changes.stream().noneMatch(c -> c.next() == State.DOWN), String.valueOf(changes));
    }

    @Test
    void down_needs_consecutive_failures_spanning_more_than_the_window() {
        connect();
        // a probe every 250 ms fails, and commands in between: still within the window
        for (long t = 250; t < 250 + WINDOW_MILLIS; t += 250) {
            machine.probeFailed(ms(t), REFUSED, false);
            machine.commandFailed(ms(t + 100), REFUSED);
            assertEquals(State.FAILING_OVER, machine.state(), "at " + t + " ms");
        }
        machine.probeFailed(ms(250 + WINDOW_MILLIS + 1), REFUSED, false);
        assertEquals(State.DOWN, machine.state());
        assertTrue(machine.failFast());
        assertEquals(List.of(new Change(State.CONNECTED, State.FAILING_OVER, REFUSED, false),
                new Change(State.FAILING_OVER, State.DOWN, REFUSED, false)), changes);
    }

    @Test
    void two_slow_failures_spanning_the_window_are_not_enough() {
        connect();
        machine.probeFailed(ms(0), TIMEOUT, false);
        machine.probeFailed(ms(WINDOW_MILLIS + 2000), TIMEOUT, false);
        assertEquals(State.FAILING_OVER, machine.state(), "two failures are not a pattern");
        machine.probeFailed(ms(WINDOW_MILLIS + 4000), TIMEOUT, false);
        assertEquals(State.DOWN, machine.state(), "the third, still without a success, is");
    }

    @Test
    void a_success_anywhere_in_the_streak_starts_it_again() {
        connect();
        machine.probeFailed(ms(0), TIMEOUT, false);
        machine.probeFailed(ms(3000), TIMEOUT, false);
        machine.commandSucceeded(ms(3100));
        assertEquals(State.CONNECTED, machine.state(), "a command that succeeds ends FAILING_OVER at once");
        machine.probeFailed(ms(4000), TIMEOUT, false);
        machine.probeFailed(ms(6000), TIMEOUT, false);
        machine.probeFailed(ms(8000), TIMEOUT, false);
        assertEquals(State.FAILING_OVER, machine.state(), "three failures, but over 4 s from the streak's start");
        machine.probeFailed(ms(9100), TIMEOUT, false);
        assertEquals(State.DOWN, machine.state());
    }

    @Test
    void a_confirmed_down_recovers_on_the_next_success_and_starts_afresh() {
        connect();
        for (long t = 0; t <= WINDOW_MILLIS + 250; t += 250) {
            machine.probeFailed(ms(t), REFUSED, false);
        }
        assertTrue(machine.failFast());
        changes.clear();

        assertEquals(new Change(State.DOWN, State.CONNECTED, null, false), machine.probeSucceeded(ms(20_000)));
        assertFalse(machine.failFast());
        machine.probeFailed(ms(20_250), REFUSED, false);
        assertEquals(State.FAILING_OVER, machine.state(), "one failure after a recovery is no DOWN");
        assertEquals(List.of(new Change(State.DOWN, State.CONNECTED, null, false),
                new Change(State.CONNECTED, State.FAILING_OVER, REFUSED, false)), changes);
    }

    @Test
    void with_no_window_three_consecutive_failures_are_down() {
        ConnectionStateMachine noWindow = new ConnectionStateMachine(0, change -> { });
        noWindow.probeSucceeded(ms(0));
        noWindow.probeFailed(ms(250), REFUSED, false);
        noWindow.probeFailed(ms(500), REFUSED, false);
        assertEquals(State.FAILING_OVER, noWindow.state());
        noWindow.probeFailed(ms(750), REFUSED, false);
        assertEquals(State.DOWN, noWindow.state());
    }

    @Test
    void commands_that_keep_succeeding_change_nothing() {
        connect();
        for (long t = 0; t < 1000; t += 10) {
            assertNull(machine.commandSucceeded(ms(t)));
        }
        assertEquals(List.of(), changes);
        assertNull(machine.lastError());
    }
}
