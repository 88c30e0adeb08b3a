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
    }

    /** The task of that name, or {@code null}. */
    public RegisteredTask task(String name) {
        return name == null ? null : tasks.get(name);
    }

    /**
     * The task of that name; when none answers but one left less than {@code graceMillis} ago (its bundle is being
     * replaced in deploy/), waits for the replacement until the grace has passed since it left. The core does the same
     * for actions ({@code replacementGraceMillis}), so that hot-replacing a bundle fails no job in flight.
     *
     * @return the task, or {@code null} when none answers (after the grace, if one left)
     */
    public RegisteredTask awaitTask(String name, long graceMillis) throws InterruptedException {
        RegisteredTask found = task(name);
        if (found != null || name == null || graceMillis <= 0) {
            return found;
        }
        synchronized (lock) {
            while (true) {
                found = tasks.get(name);
                Long left = departed.get(name);
                if (found != null || left == null) {
                    return found;
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
