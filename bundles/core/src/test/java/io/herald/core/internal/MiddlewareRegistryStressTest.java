package io.herald.core.internal;

import static io.herald.core.internal.TestActions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.herald.api.ActionMiddleware;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads ask for chains while others add and remove middleware: every chain must be the chain of one registry
 * state, and of the current one when no change overlapped the call.
 *
 * <p>Each churning middleware has one writer, which counts a step before and after each add and each remove. A reader
 * reads the counts before and after its call: when one did not move, that middleware was present (count % 4 == 2) or
 * absent (count % 4 == 0) for the whole call, and the chain must say so. A chain computed before a change and cached
 * after it (a stale chain) fails this.
 */
class MiddlewareRegistryStressTest {

    private static final int TOGGLES = 100;
    private static final int READERS = 4;
    /** Calls the readers make in each state a writer leaves the registry in, before it changes it again. */
    private static final int CALLS_PER_STATE = 20;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final MiddlewareRegistry registry = new MiddlewareRegistry();
    private final AtomicLong order = new AtomicLong();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A middleware of the test: global ones are in every chain, the others only in those of actions naming them. */
    private record Spec(String name, boolean global, int priority) {
    }

    private static final List<Spec> PERMANENT = List.of(new Spec("g-early", true, 50), new Spec("g-late", true, 150),
            new Spec("named", false, 100));
    private static final List<Spec> CHURNING = List.of(new Spec("c-global", true, 100),
            new Spec("c-first", true, 10), new Spec("c-named", false, 120));

    @Test
    void every_chain_is_the_chain_of_one_registry_state_while_middleware_comes_and_goes() throws Exception {
        for (Spec spec : PERMANENT) {
            registry.add(register(spec, new ActionMiddleware() { }));
        }
        List<RegisteredAction> actions = List.of(action("plain"), action("named", "named"),
                action("both", "named", "c-named"), action("repeats", "c-named", "g-early", "c-named"));
        AtomicLong[] steps = new AtomicLong[CHURNING.size()];
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < CHURNING.size(); i++) {
            AtomicLong step = steps[i] = new AtomicLong();
            Spec spec = CHURNING.get(i);
            writers.add(threads.submit(() -> {
                start.await();
                ActionMiddleware middleware = new ActionMiddleware() { };
                for (int t = 0; t < TOGGLES; t++) {
                    step.incrementAndGet();
                    registry.add(register(spec, middleware));
                    step.incrementAndGet();
                    awaitCalls(calls, CALLS_PER_STATE);
                    step.incrementAndGet();
                    registry.remove(middleware);
                    step.incrementAndGet();
                    awaitCalls(calls, CALLS_PER_STATE);
                }
                return null;
            }));
        }
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        LongAdder settled = new LongAdder();
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int first = r;
            readers.add(threads.submit(() -> {
                start.await();
                long[] before = new long[steps.length];
                for (int n = first; writing.get(); n++) {
                    RegisteredAction action = actions.get(n % actions.size());
                    for (int i = 0; i < steps.length; i++) {
                        before[i] = steps[i].get();
                    }
                    MiddlewareRegistry.Chain chain = registry.chainFor(action);
                    Map<String, Boolean> stable = new HashMap<>();
                    for (int i = 0; i < steps.length; i++) {
                        // an odd count is an add or a remove under way: either state is consistent
                        if (before[i] % 2 == 0 && steps[i].get() == before[i]) {
                            stable.put(CHURNING.get(i).name(), before[i] % 4 == 2);
                        }
                    }
                    calls.incrementAndGet();
                    settled.add(stable.size());
                    String problem = problem(action, chain, stable);
                    if (problem != null) {
                        wrong.add(problem);
                    }
                }
                return null;
            }));
        }

        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writing.set(false);
        for (Future<?> reader : readers) {
            reader.get(1, TimeUnit.MINUTES);
        }

        assertEquals(List.of(), List.copyOf(wrong).subList(0, Math.min(wrong.size(), 10)),
                wrong.size() + " wrong chains in " + calls.get() + " calls");
        assertTrue(settled.sum() > 1_000,
                "middleware seen settled during a call: " + settled.sum() + " times in " + calls.get() + " calls");
        // every churning middleware is gone now: each action gets the chain of the permanent ones
        Map<String, Boolean> gone = Map.of("c-global", false, "c-first", false, "c-named", false);
        for (RegisteredAction action : actions) {
            assertNull(problem(action, registry.chainFor(action), gone), action.name());
        }
    }

    /** Waits, without a clock, until the readers made {@code count} more calls. */
    private static void awaitCalls(AtomicLong calls, int count) {
        long until = calls.get() + count;
        while (calls.get() < until) {
            Thread.yield();
        }
    }

    /** Why the chain is not one of a consistent state in which the {@code stable} middleware are (not) present. */
    private static String problem(RegisteredAction action, MiddlewareRegistry.Chain chain, Map<String, Boolean> stable) {
        String seen = action.name() + " " + names(chain.middleware()) + " missing " + chain.missing() + ", "
                + stable + ": ";
        List<String> listed = action.middleware();
        if (chain.missing() != null) {
            boolean explained = chain.missing().equals("c-named") && listed.contains("c-named")
                    && !stable.getOrDefault("c-named", false) && chain.middleware().isEmpty();
            return explained ? null : seen + "missing a middleware that was there";
        }
        List<String> names = names(chain.middleware());
        if (new HashSet<>(names).size() != names.size()) {
            return seen + "a middleware twice";
        }
        for (int i = 1; i < chain.middleware().size(); i++) {
            if (chain.middleware().get(i - 1).priority() > chain.middleware().get(i).priority()) {
                return seen + "not in priority order";
            }
        }
        Set<String> expected = new HashSet<>();
        for (Spec spec : PERMANENT) {
            if (spec.global() || listed.contains(spec.name())) {
                expected.add(spec.name());
            }
        }
        for (Spec spec : CHURNING) {
            boolean applies = spec.global() || listed.contains(spec.name());
            Boolean present = stable.get(spec.name());
            if (applies && present == null && names.contains(spec.name())) {
                expected.add(spec.name()); // changing during the call: either state is consistent
            } else if (applies && Boolean.TRUE.equals(present)) {
                expected.add(spec.name());
            }
        }
        if (listed.contains("c-named") && !names.contains("c-named")) {
            return seen + "a listed middleware neither in the chain nor missing";
        }
        return expected.equals(new HashSet<>(names)) ? null : seen + "expected " + expected;
    }

    private static List<String> names(List<RegisteredMiddleware> chain) {
        return chain.stream().map(RegisteredMiddleware::name).toList();
    }

    private RegisteredMiddleware register(Spec spec, ActionMiddleware middleware) {
        return new RegisteredMiddleware(middleware, spec.name(), spec.global(), spec.priority(),
                order.incrementAndGet());
    }

    private RegisteredAction action(String name, String... middleware) {
        return RegisteredAction.of(context -> Map.of(), props(name, 1, "herald.action.middleware", middleware),
                order.incrementAndGet());
    }
}
