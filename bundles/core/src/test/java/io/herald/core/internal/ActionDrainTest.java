package io.herald.core.internal;

import static io.herald.core.internal.TestActions.call;
import static io.herald.core.internal.TestActions.props;
import static io.herald.core.internal.TestActions.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.Action;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Messages;
import io.herald.core.properties.RankedServices;
import io.herald.api.spi.Outcome;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A departing action's calls in flight finish before {@link ActionRegistry#remove} returns (DS unbinds while the
 * action's bundle stops, before its class loader goes away). Driven by latches and thread states, never by sleeps.
 */
class ActionDrainTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** Answers once released; the call is then in flight on it. */
    private final Action slow = context -> {
        entered.countDown();
        release.await();
        return Map.of("v", "slow");
    };

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    private static ActionProcessor processor(ActionRegistry registry, long graceMillis) {
        return new ActionProcessor(registry, new MiddlewareRegistry(), new RankedServices<>(), new RankedServices<>(), JsonMapper.builder().build(), Messages.defaults(),
                new ProcessorSettings(5, false, true, graceMillis));
    }

    @Test
    void remove_waits_for_the_call_in_flight_while_new_calls_go_to_the_other_registration() throws Exception {
        ActionRegistry registry = new ActionRegistry();
        ActionProcessor processor = processor(registry, 0);
        registry.add(RegisteredAction.of(returning(Map.of("v", "older")), props("swap", 1), 1));
        registry.add(RegisteredAction.of(slow, props("swap", 1), 2));
        Future<ActionResult> inFlight = threads.submit(() -> processor.run(call("swap")));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the call reached the newest registration");

        AtomicReference<Thread> remover = new AtomicReference<>();
        Future<?> removal = threads.submit(() -> {
            remover.set(Thread.currentThread());
            registry.remove(slow);
        });
        await(() -> removal.isDone() || (remover.get() != null
                && remover.get().getState() == Thread.State.TIMED_WAITING), "remove waits");
        assertFalse(removal.isDone(), "remove waits while the call runs");

        ActionResult meanwhile = processor.run(call("swap"));
        assertEquals("older", meanwhile.response().get("v"), "a new call goes to the other registration");

        release.countDown();
        ActionResult finished = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(Outcome.COMPLETE, finished.outcome());
        assertEquals("slow", finished.response().get("v"), "the call in flight finished on the departing action");
        removal.get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_call_arriving_while_the_only_registration_drains_waits_for_the_replacement_beyond_the_grace()
            throws Exception {
        ActionRegistry registry = new ActionRegistry();
        // a grace far shorter than the drain: the wait for a replacement counts from the end of the drain
        ActionProcessor processor = processor(registry, 1);
        registry.add(RegisteredAction.of(slow, props("swap", 1), 1));
        Future<ActionResult> inFlight = threads.submit(() -> processor.run(call("swap")));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Future<?> removal = threads.submit(() -> registry.remove(slow));
        await(() -> registry.find("swap", null) == null, "the departing action is out of the snapshot");

        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<ActionResult> waiting = threads.submit(() -> {
            caller.set(Thread.currentThread());
            return processor.run(call("swap"));
        });
        await(() -> waiting.isDone() || (caller.get() != null && caller.get().getState() == Thread.State.WAITING),
                "the new call waits");
        assertFalse(waiting.isDone(), "no 404 while the old version still finishes its calls");

        registry.add(RegisteredAction.of(returning(Map.of("v", "replacement")), props("swap", 1), 2));
        assertEquals("replacement", waiting.get(10, TimeUnit.SECONDS).response().get("v"));
        release.countDown();
        assertEquals("slow", inFlight.get(10, TimeUnit.SECONDS).response().get("v"));
        removal.get(10, TimeUnit.SECONDS);
    }

    @Test
    void remove_gives_up_waiting_after_the_drain_timeout() throws Exception {
        ActionRegistry registry = new ActionRegistry(Duration.ZERO);
        ActionProcessor processor = processor(registry, 0);
        registry.add(RegisteredAction.of(slow, props("swap", 1), 1));
        Future<ActionResult> inFlight = threads.submit(() -> processor.run(call("swap")));
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        registry.remove(slow); // returns although the call still runs
        assertEquals(Outcome.UNKNOWN_ACTION, processor.run(call("swap")).outcome());
        release.countDown();
        assertEquals(Outcome.COMPLETE, inFlight.get(10, TimeUnit.SECONDS).outcome());
    }

    @Test
    void a_retired_registration_lets_no_call_in_and_the_lookup_moves_on() throws Exception {
        ActionRegistry registry = new ActionRegistry();
        RegisteredAction older = RegisteredAction.of(returning(Map.of()), props("swap", 1), 1);
        RegisteredAction newer = RegisteredAction.of(slow, props("swap", 1), 2);
        registry.add(older);
        registry.add(newer);
        RegisteredAction held = registry.acquire("swap", 1);
        assertSame(newer, held);
        assertEquals(1, newer.inFlight());
        held.exit();

        registry.remove(slow);
        assertFalse(newer.enter(), "a call that looked it up before it left does not get in");
        assertEquals(0, newer.inFlight());
        RegisteredAction next = registry.acquire("swap", 1);
        assertSame(older, next);
        next.exit();
        assertEquals(0, newer.retireAndAwaitIdle(0, TimeUnit.SECONDS));
        registry.remove(older.action());
        assertNull(registry.acquire("swap", 1));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(5);
        }
    }
}
