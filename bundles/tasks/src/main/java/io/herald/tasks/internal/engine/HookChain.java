package io.herald.tasks.internal.engine;

import java.util.List;
import java.util.Map;

import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;

/**
 * The hooks of one task, in the order they run: its middleware (priority order, global before per-task), then its
 * plugins in the order the task lists them. Each step runs the hooks in that same order, as node-resque's
 * {@code RunPlugins} does for every hook (after-hooks are not reversed); a hook returning false stops the step there.
 *
 * <p>Exceptions propagate and stop the step, as in node-resque: from a before-hook they fail the enqueue or the job;
 * from an after-hook they become the job's error ({@code afterPerform}) or the caller's ({@code afterEnqueue}).
 *
 * <p>One deliberate difference: when a {@code beforePerform} hook throws, node-resque runs the {@code afterPerform} of
 * every plugin, including plugins whose {@code beforePerform} never ran, so a later {@code JobLock} deletes a lock that
 * another worker holds. Here {@code afterPerform} runs for the hooks whose {@code beforePerform} was entered.
 */
public final class HookChain {

    record MiddlewareStep(String name, TaskMiddleware middleware) {
    }

    record PluginStep(String name, TaskPlugin plugin, Map<String, Object> options) {
    }

    /** The chain of a job whose task is not registered here (e.g. the scheduler moving a node-resque job). */
    public static final HookChain EMPTY = new HookChain(List.of(), List.of());

    private final List<MiddlewareStep> middleware;
    private final List<PluginStep> plugins;
    private final String missing;

    HookChain(List<MiddlewareStep> middleware, List<PluginStep> plugins) {
        this(middleware, plugins, null);
    }

    private HookChain(List<MiddlewareStep> middleware, List<PluginStep> plugins, String missing) {
        this.middleware = List.copyOf(middleware);
        this.plugins = List.copyOf(plugins);
        this.missing = missing;
    }

    static HookChain missing(String task, String kind, String name) {
        return new HookChain(List.of(), List.of(), "task " + task + " uses the " + kind + " " + name
                + ", which is not registered on this node");
    }

    /** Why the chain cannot run (a plugin or middleware the task names is not registered), or {@code null}. */
    public String missing() {
        return missing;
    }

    public boolean beforeEnqueue(JobEvent event) throws Exception {
        for (MiddlewareStep step : middleware) {
            event.useOptions(Map.of());
            if (!step.middleware().preEnqueue(event)) {
                event.declinedBy("middleware " + step.name());
                return false;
            }
        }
        for (PluginStep step : plugins) {
            event.useOptions(step.options());
            if (!step.plugin().beforeEnqueue(event)) {
                event.declinedBy("plugin " + step.name());
                return false;
            }
        }
        return true;
    }

    public void afterEnqueue(JobEvent event) throws Exception {
        for (MiddlewareStep step : middleware) {
            event.useOptions(Map.of());
            step.middleware().postEnqueue(event);
        }
        for (PluginStep step : plugins) {
            event.useOptions(step.options());
            step.plugin().afterEnqueue(event);
        }
    }

    public boolean beforePerform(JobEvent event) throws Exception {
        int entered = 0;
        for (MiddlewareStep step : middleware) {
            event.hooksEntered(++entered);
            event.useOptions(Map.of());
            if (!step.middleware().preProcess(event)) {
                event.declinedBy("middleware " + step.name());
                return false;
            }
        }
        for (PluginStep step : plugins) {
            event.hooksEntered(++entered);
            event.useOptions(step.options());
            if (!step.plugin().beforePerform(event)) {
                event.declinedBy("plugin " + step.name());
                return false;
            }
        }
        return true;
    }

    /** Runs the after-hooks of the hooks whose {@code beforePerform} was entered (all of them after a full run). */
    public void afterPerform(JobEvent event) throws Exception {
        int remaining = event.hooksEntered();
        for (MiddlewareStep step : middleware) {
            if (remaining-- <= 0) {
                return;
            }
            event.useOptions(Map.of());
            step.middleware().postProcess(event);
        }
        for (PluginStep step : plugins) {
            if (remaining-- <= 0) {
                return;
            }
            event.useOptions(step.options());
            step.plugin().afterPerform(event);
        }
    }
}
