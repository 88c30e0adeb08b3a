package io.herald.metrics.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.herald.api.Connection;
import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts and times every call the core runs, as one Prometheus histogram {@value #NAME} ({@code herald_actions_seconds}:
 * {@code _count} is the number of calls, {@code _sum} their time, {@code _bucket} the latency histogram) by
 * {@code action}, {@code transport}, {@code outcome} (Actionhero's action status) and HTTP {@code status}.
 *
 * <p>Per call this is one map lookup and one histogram update: the timers are built once per combination and cached.
 * A call to no registered action (an unknown name, a refusal before the lookup) is labelled {@value #NO_ACTION}: the
 * names clients make up would otherwise grow the series without bound.
 */
final class ActionMetrics implements ActionObserver {

    static final String NAME = "herald.actions";
    static final String NO_ACTION = "(none)";

    /** Latency buckets from a fast in-memory action to a slow one; the time a call took in the core. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private record Key(String action, String transport, Outcome outcome, int status) {
    }

    private static final String[] OUTCOMES = new String[Outcome.values().length];

    static {
        for (Outcome outcome : Outcome.values()) {
            OUTCOMES[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    ActionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void completed(ActionResult result, Connection connection) {
        String action = result.version() > 0 && result.action() != null ? result.action() : NO_ACTION;
        Key key = new Key(action, connection.type(), result.outcome(), result.status());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(result.durationNanos(), TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder(NAME)
                .description("Calls of actions by action, transport, outcome and status, and the time the core took")
                .tag("action", key.action())
                .tag("transport", key.transport())
                .tag("outcome", OUTCOMES[key.outcome().ordinal()])
                .tag("status", Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
