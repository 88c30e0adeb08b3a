package io.herald.tasks.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import io.herald.api.task.Task;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks, task plugins and task middleware currently registered (the whiteboard), and the hook chain each task runs
 * through. Bundles come and go at run time, so reads use immutable snapshots rebuilt on every change and never lock.
 *
 * <p>Two registrations of one name may coexist while a bundle is replaced: the one with the highest
 * {@code service.ranking} answers, and among equal rankings the newest, as the core does for actions; the other answers
 * again if the winner leaves. The duplicate is logged.
 *
 * <p>Plugins: a {@link TaskPlugin} service wins over the built-in plugin of the same name (node-resque lets a job name
 * any plugin class, built-in or not), so an application can replace {@code Retry} with its own.
 */
public final class TaskRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRegistry.class);

    /**
     * How long {@link #removeTask} waits at most for the task's jobs in flight until the task processor sets its
     * {@code shutdownTimeout} ({@link #departureTimeout}): the same 30 s.
     */
    public static final long DEFAULT_DEPARTURE_TIMEOUT_MILLIS = 30_000;

    private final Object lock = new Object();
    private final List<RegisteredTask> taskRegistrations = new ArrayList<>();
    private final List<RegisteredPlugin> pluginRegistrations = new ArrayList<>();
    private final List<RegisteredTaskMiddleware> middlewareRegistrations = new ArrayList<>();
    private final Map<String, TaskPlugin> builtInPlugins = new ConcurrentHashMap<>();
    private final List<Consumer<RegisteredTask>> taskListeners = new CopyOnWriteArrayList<>();
    private final Map<RegisteredTask, HookChain> chains = new ConcurrentHashMap<>();

    /** Bumped on every change, so that a chain computed from an older snapshot is not cached. */
    private volatile long generation;
    private volatile Map<String, RegisteredTask> tasks = Map.of();
    /** When each name last lost its task (System.nanoTime), guarded by {@code lock}: a bundle being replaced. */
    private final Map<String, Long> departed = new java.util.HashMap<>();
    /** The jobs of each task in flight now, guarded by {@code lock}: its removal waits for them. */
    private final Map<RegisteredTask, List<Run>> running = new java.util.HashMap<>();
    private volatile long departureTimeoutMillis = DEFAULT_DEPARTURE_TIMEOUT_MILLIS;
    private volatile Map<String, RegisteredPlugin> plugins = Map.of();
    private volatile Map<String, RegisteredTaskMiddleware> middleware = Map.of();

    // ---------------------------------------------------------------------------------------------- tasks

    /**
     * Registers a task; a bad one is logged and skipped, never fatal to the others.
     *
     * @return whether it was registered
     */
    public boolean addTask(Task task, Map<String, ?> properties, long order) {
        RegisteredTask registered;
        try {
            registered = RegisteredTask.of(task, properties, order);
        } catch (RuntimeException e) {
            LOG.error("task {} not registered: {}", task.getClass().getName(), e.getMessage(), e);
            return false;
        }
        RegisteredTask answering;
        synchronized (lock) {
            warnDuplicate("task", registered.name(), registered.task(), taskRegistrations, RegisteredTask::name,
                    RegisteredTask::task);
            taskRegistrations.add(registered);
            tasks = winners(taskRegistrations, RegisteredTask::name, RegisteredTask::ranking, RegisteredTask::order);
            changed();
            answering = tasks.get(registered.name());
            departed.remove(registered.name());
            lock.notifyAll();
        }
        LOG.info("task added: {}", registered);
        if (answering == registered) {
            taskListeners.forEach(listener -> notify(listener, registered));
        }
        return true;
    }

    /**
     * Removes a task, and returns only once its jobs in flight have ended, or after {@link #departureTimeout} (then
     * logged). DS calls this while the task's bundle stops, before its class loader goes: waiting here lets a job of a
     * bundle being replaced or removed finish with the code it started with, instead of failing half-way (the core waits
     * the same way for an action's requests in flight). New jobs no longer find the task meanwhile; a job of this very
     * thread (a task removing itself) is not waited for.
     */
    public void removeTask(Task task) {
        List<RegisteredTask> removed = new ArrayList<>();
        List<RegisteredTask> nowAnswering = new ArrayList<>();
        synchronized (lock) {
            taskRegistrations.removeIf(r -> r.task() == task && removed.add(r));
            Map<String, RegisteredTask> before = tasks;
            tasks = winners(taskRegistrations, RegisteredTask::name, RegisteredTask::ranking, RegisteredTask::order);
            changed();
            for (RegisteredTask r : removed) {
                RegisteredTask next = tasks.get(r.name());
                if (next == null) {
                    departed.put(r.name(), System.nanoTime());
                }
                if (next != null && before.get(r.name()) != next) {
                    nowAnswering.add(next);
                }
            }
        }
        removed.forEach(r -> LOG.info("task removed: {}", r));
        nowAnswering.forEach(r -> taskListeners.forEach(listener -> notify(listener, r)));
        removed.forEach(this::awaitRunsOf);
    }

    /** Sets how long {@link #removeTask} waits at most for the task's jobs in flight ({@code shutdownTimeout}). */
    public void departureTimeout(long millis) {
        departureTimeoutMillis = Math.max(0, millis);
    }

    private void awaitRunsOf(RegisteredTask task) {
        long timeout = departureTimeoutMillis;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeout);
        int left;
        synchronized (lock) {
            left = othersRunning(task);
            if (left > 0) {
                LOG.info("task {} is leaving: waiting for {} job(s) in flight (at most {} ms)", task.name(), left,
                        timeout);
            }
            while (left > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                left = othersRunning(task);
            }
        }
        if (left > 0) {
            LOG.warn("task {} left with {} job(s) still in flight after {} ms: they may fail as its bundle stops",
                    task.name(), left, timeout);
        }
    }

    /** Runs of {@code task} on other threads than this one; called holding {@code lock}. */
    private int othersRunning(RegisteredTask task) {
        int count = 0;
        for (Run run : running.getOrDefault(task, List.of())) {
            if (run.thread != Thread.currentThread()) {
                count++;
            }
        }
        return count;
    }

    /** The task of that name, or {@code null}. */
    public RegisteredTask task(String name) {
        return name == null ? null : tasks.get(name);
    }

    /**
     * One job of a task in flight, from the moment it found its task until {@link #close()}: the task's removal waits
     * for it ({@link #removeTask}).
     */
    public final class Run implements AutoCloseable {

        private final RegisteredTask task;
        private final Thread thread = Thread.currentThread();
        private boolean closed;

        private Run(RegisteredTask task) {
            this.task = task;
        }

        public RegisteredTask task() {
            return task;
        }

        /** The job has ended (after its after-hooks). */
        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                List<Run> runs = running.get(task);
                if (runs != null) {
                    runs.remove(this);
                    if (runs.isEmpty()) {
                        running.remove(task);
                    }
                }
                lock.notifyAll();
            }
        }
    }

    /**
     * Starts a job of the task of that name. When none answers but one left less than {@code graceMillis} ago (its
     * bundle is being replaced in deploy/), waits for the replacement until the grace has passed since it left; the core
     * does the same for actions ({@code replacementGraceMillis}), so that hot-replacing a bundle fails no job.
     *
     * @return the run, to close when the job has ended; {@code null} when no task answers (after the grace, if one left)
     */
    public Run startRun(String name, long graceMillis) throws InterruptedException {
        if (name == null) {
            return null;
        }
        synchronized (lock) {
            while (true) {
                RegisteredTask found = tasks.get(name);
                if (found != null) {
                    Run run = new Run(found);
                    running.computeIfAbsent(found, t -> new ArrayList<>()).add(run);
                    return run;
                }
                Long left = departed.get(name);
                if (left == null || graceMillis <= 0) {
                    return null;
                }
                long remainingNanos = left + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(graceMillis)
                        - System.nanoTime();
                if (remainingNanos <= 0) {
                    return null;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, remainingNanos);
            }
        }
    }

    /** Every task that answers, by name. */
    public Collection<RegisteredTask> tasks() {
        return tasks.values();
    }

    /** Called with a task each time one starts answering for its name (a recurring task then needs enqueuing). */
    public void onTaskAdded(Consumer<RegisteredTask> listener) {
        taskListeners.add(listener);
    }

    public void removeTaskListener(Consumer<RegisteredTask> listener) {
        taskListeners.remove(listener);
    }

    // ---------------------------------------------------------------------------------------------- plugins

    /** Registers a plugin service; a bad one is logged and skipped. @return whether it was registered */
    public boolean addPlugin(TaskPlugin plugin, Map<String, ?> properties, long order) {
        RegisteredPlugin registered;
        try {
            registered = RegisteredPlugin.of(plugin, properties, order);
        } catch (RuntimeException e) {
            LOG.error("task plugin {} not registered: {}", plugin.getClass().getName(), e.getMessage(), e);
            return false;
        }
        synchronized (lock) {
            warnDuplicate("task plugin", registered.name(), plugin, pluginRegistrations, RegisteredPlugin::name,
                    RegisteredPlugin::plugin);
            pluginRegistrations.add(registered);
            plugins = winners(pluginRegistrations, RegisteredPlugin::name, RegisteredPlugin::ranking, RegisteredPlugin::order);
            changed();
        }
        LOG.info("task plugin added: {}", registered);
        return true;
    }

    public void removePlugin(TaskPlugin plugin) {
        synchronized (lock) {
            pluginRegistrations.removeIf(r -> {
                if (r.plugin() == plugin) {
                    LOG.info("task plugin removed: {}", r);
                    return true;
                }
                return false;
            });
            plugins = winners(pluginRegistrations, RegisteredPlugin::name, RegisteredPlugin::ranking, RegisteredPlugin::order);
            changed();
        }
    }

    /** A plugin that comes with the task processor ({@code Retry}, the locks); a service of the same name wins. */
    public void addBuiltInPlugin(String name, TaskPlugin plugin) {
        synchronized (lock) {
            builtInPlugins.put(name, plugin);
            changed();
        }
    }

    /** The plugin of that name: a service, else a built-in; {@code null} when neither exists. */
    public TaskPlugin plugin(String name) {
        RegisteredPlugin registered = plugins.get(name);
        return registered != null ? registered.plugin() : builtInPlugins.get(name);
    }

    // ---------------------------------------------------------------------------------------------- middleware

    /** Registers task middleware; a bad one is logged and skipped. @return whether it was registered */
    public boolean addMiddleware(TaskMiddleware m, Map<String, ?> properties, long order) {
        RegisteredTaskMiddleware registered;
        try {
            registered = RegisteredTaskMiddleware.of(m, properties, order);
        } catch (RuntimeException e) {
            LOG.error("task middleware {} not registered: {}", m.getClass().getName(), e.getMessage(), e);
            return false;
        }
        synchronized (lock) {
            warnDuplicate("task middleware", registered.name(), m, middlewareRegistrations,
                    RegisteredTaskMiddleware::name, RegisteredTaskMiddleware::middleware);
            middlewareRegistrations.add(registered);
            middleware = winners(middlewareRegistrations, RegisteredTaskMiddleware::name,
                    RegisteredTaskMiddleware::ranking, RegisteredTaskMiddleware::order);
            changed();
        }
        LOG.info("task middleware added: {}", registered);
        return true;
    }

    public void removeMiddleware(TaskMiddleware m) {
        synchronized (lock) {
            middlewareRegistrations.removeIf(r -> {
                if (r.middleware() == m) {
                    LOG.info("task middleware removed: {}", r);
                    return true;
                }
                return false;
            });
            middleware = winners(middlewareRegistrations, RegisteredTaskMiddleware::name,
                    RegisteredTaskMiddleware::ranking, RegisteredTaskMiddleware::order);
            changed();
        }
    }

    // ---------------------------------------------------------------------------------------------- chains

    /**
     * The hooks a task's jobs run through: its middleware (the global ones and the ones it names, in ascending priority;
     * at equal priority globals first, then the task's in the order it lists them), then its plugins in the order it
     * lists them. Computed once per task and forgotten whenever anything registers or leaves.
     */
    public HookChain chainFor(RegisteredTask task) {
        HookChain chain = chains.get(task);
        if (chain == null) {
            long seen = generation;
            chain = compute(task);
            chains.put(task, chain);
            if (generation != seen) {
                chains.remove(task);
            }
        }
        return chain;
    }

    private HookChain compute(RegisteredTask task) {
        Map<String, RegisteredTaskMiddleware> currentMiddleware = middleware;
        List<RegisteredTaskMiddleware> chain = new ArrayList<>();
        currentMiddleware.values().stream()
                .filter(RegisteredTaskMiddleware::global)
                .sorted(Comparator.comparingInt(RegisteredTaskMiddleware::priority)
                        .thenComparing(RegisteredTaskMiddleware::name))
                .forEach(chain::add);
        for (String name : task.middleware()) {
            RegisteredTaskMiddleware m = currentMiddleware.get(name);
            if (m == null) {
                return HookChain.missing(task.name(), "middleware", name);
            }
            if (!chain.contains(m)) {
                chain.add(m);
            }
        }
        // List.sort is stable: equal priorities keep the order built above.
        chain.sort(Comparator.comparingInt(RegisteredTaskMiddleware::priority));
        List<HookChain.PluginStep> steps = new ArrayList<>();
        for (String name : task.plugins()) {
            TaskPlugin plugin = plugin(name);
            if (plugin == null) {
                return HookChain.missing(task.name(), "plugin", name);
            }
            steps.add(new HookChain.PluginStep(name, plugin, task.pluginOptions(name)));
        }
        return new HookChain(chain.stream().map(m -> new HookChain.MiddlewareStep(m.name(), m.middleware())).toList(),
                steps);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void changed() {
        generation++;
        chains.clear();
    }

    private static <R> Map<String, R> winners(List<R> registrations, Function<R, String> name, ToIntFunction<R> ranking,
            ToLongFunction<R> order) {
        Map<String, R> next = new TreeMap<>();
        for (R r : registrations) {
            next.merge(name.apply(r), r, (a, b) -> {
                int byRanking = Integer.compare(ranking.applyAsInt(a), ranking.applyAsInt(b));
                if (byRanking != 0) {
                    return byRanking > 0 ? a : b;
                }
                return order.applyAsLong(a) >= order.applyAsLong(b) ? a : b;
            });
        }
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(next));
    }

    private static <R> void warnDuplicate(String kind, String name, Object service, List<R> existing,
            Function<R, String> nameOf, Function<R, Object> serviceOf) {
        for (R r : existing) {
            if (nameOf.apply(r).equals(name)) {
                LOG.warn("{} {} is registered twice ({} and {}): the higher service.ranking answers, then the newest",
                        kind, name, serviceOf.apply(r).getClass().getName(), service.getClass().getName());
                return;
            }
        }
    }

    private static void notify(Consumer<RegisteredTask> listener, RegisteredTask task) {
        try {
            listener.accept(task);
        } catch (RuntimeException e) {
            LOG.error("task {}: a listener of new tasks failed: {}", task.name(), e.getMessage(), e);
        }
    }
}
