package io.herald.tasks.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.api.Inputs;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;

/** Tasks for tests, and the service properties {@code @TaskDefinition} would give them. */
public final class TestTasks {

    private static final AtomicInteger ORDER = new AtomicInteger(1);

    private TestTasks() {
    }

    /** The properties DS derives from {@code @TaskDefinition(name = ...)}, to extend with {@link Props}. */
    public static Props props(String name) {
        return new Props(name);
    }

    /** A registration order, increasing like service ids. */
    public static long nextOrder() {
        return ORDER.getAndIncrement();
    }

    public static final class Props {
        private final Map<String, Object> values = new LinkedHashMap<>();

        Props(String name) {
            values.put("herald.task.name", name);
        }

        public Props queue(String queue) {
            values.put("herald.task.queue", queue);
            return this;
        }

        public Props frequency(long millis) {
            values.put("herald.task.frequency", millis);
            return this;
        }

        public Props plugins(String... names) {
            values.put("herald.task.plugins", names);
            return this;
        }

        public Props middleware(String... names) {
            values.put("herald.task.middleware", names);
            return this;
        }

        public Props reEnqueuePeriodicTaskIfException(boolean value) {
            values.put("herald.task.reEnqueuePeriodicTaskIfException", value);
            return this;
        }

        public Props ranking(int ranking) {
            values.put("service.ranking", ranking);
            return this;
        }

        public Map<String, Object> build() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** Records the params of each run, in order. */
    public static class Recording implements Task {
        private final List<Map<String, Object>> runs = Collections.synchronizedList(new ArrayList<>());
        private final List<String> workers = Collections.synchronizedList(new ArrayList<>());
        private final Inputs inputs;
        private final Map<String, Map<String, Object>> pluginOptions;

        public Recording() {
            this(Inputs.none(), Map.of());
        }

        public Recording(Inputs inputs) {
            this(inputs, Map.of());
        }

        public Recording(Inputs inputs, Map<String, Map<String, Object>> pluginOptions) {
            this.inputs = inputs;
            this.pluginOptions = pluginOptions;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            runs.add(context.params());
            workers.add(context.workerName());
            return "done";
        }

        @Override
        public Inputs inputs() {
            return inputs;
        }

        @Override
        public Map<String, Map<String, Object>> pluginOptions() {
            return pluginOptions;
        }

        public int count() {
            return runs.size();
        }

        public List<Map<String, Object>> runs() {
            synchronized (runs) {
                return List.copyOf(runs);
            }
        }

        public List<String> workers() {
            synchronized (workers) {
                return List.copyOf(workers);
            }
        }
    }

    /** Throws on every run, after counting it. */
    public static class Failing implements Task {
        private final AtomicInteger runs = new AtomicInteger();
        private final Map<String, Map<String, Object>> pluginOptions;

        public Failing() {
            this(Map.of());
        }

        public Failing(Map<String, Map<String, Object>> pluginOptions) {
            this.pluginOptions = pluginOptions;
        }

        @Override
        public Object run(TaskContext context) {
            runs.incrementAndGet();
            throw new IllegalStateException("boom " + context.params());
        }

        @Override
        public Map<String, Map<String, Object>> pluginOptions() {
            return pluginOptions;
        }

        public int count() {
            return runs.get();
        }
    }

    /** Blocks each run until released (or interrupted); counts runs started and finished. */
    public static class Blocking implements Task {
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicInteger interrupted = new AtomicInteger();

        @Override
        public Object run(TaskContext context) throws Exception {
            started.incrementAndGet();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            finished.incrementAndGet();
            return null;
        }

        public void release() {
            release.countDown();
        }

        public int started() {
            return started.get();
        }

        public int finished() {
            return finished.get();
        }

        public int interrupted() {
            return interrupted.get();
        }
    }
}
