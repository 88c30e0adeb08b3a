package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a starting node's task processors from taking jobs until its tasks are there. Tasks usually live in
 * {@code deploy/} bundles, which FileInstall starts a moment after the role; a worker that took a job of such a task
 * in between would fail it as node-resque does ({@code No job defined for class "<task>"}), and a recurring task's job
 * failed that way stops recurring. Actionhero has no such gap (its tasks load before its workers start); Herald closes
 * it here: while {@code deploy/} holds bundles, {@code start} stages {@code io.herald.tasks} with
 * {@code minTaskProcessors} and {@code maxTaskProcessors} 0 and {@code scheduler} false, then, once {@code deploy/} has
 * settled ({@link DeployWatch}, at most {@link #TIMEOUT_MILLIS} ms), stages the configuration as written, and the task
 * processor starts its workers and its scheduler, once, with the node's tasks registered. The scheduler is held too:
 * it enqueues the recurring tasks when it starts (as Actionhero's does), and a scheduler started early would be
 * restarted by the release, enqueueing them a second time on a node that already runs.
 */
final class TaskProcessorHold {

    /** At most this long (ms) the workers wait for deploy/; system property {@code herald.deploy.timeout}. */
    static final long TIMEOUT_MILLIS = Long.getLong("herald.deploy.timeout", 60_000);

    static final ConfigStager.Overrides OVERRIDES = new ConfigStager.Overrides(
            Map.of("io.herald.tasks", Map.of("minTaskProcessors", "0", "maxTaskProcessors", "0", "scheduler", "false")),
            ConfigStager.Overrides.NONE.omitted());

    private TaskProcessorHold() {
    }

    /** Whether a {@code start} of a role should hold its task processors: it runs them and deploy/ holds bundles. */
    static boolean needed(FeaturesFile.Resolution role, Path deployDir) {
        return role.features().contains(TaskEnqueue.FEATURE) && !DeployWatch.bundleNames(deployDir).isEmpty();
    }

    /**
     * Lifts the hold on a daemon thread once deploy/ has settled.
     *
     * @param onStaged told of the staged values afterwards, as the config watcher tells of its own staging
     */
    static void releaseWhenDeployed(BundleContext context, Path deployDir, ConfigStager stager,
            Consumer<Map<String, Map<String, String>>> onStaged) {
        Thread thread = new Thread(() -> release(context, deployDir, stager, onStaged), "herald-task-processor-hold");
        thread.setDaemon(true);
        thread.start();
    }

    private static void release(BundleContext context, Path deployDir, ConfigStager stager,
            Consumer<Map<String, Map<String, String>>> onStaged) {
        Logger log = LoggerFactory.getLogger(TaskProcessorHold.class);
        try (DeployWatch deploy = new DeployWatch(context, deployDir)) {
            if (deploy.await(TIMEOUT_MILLIS)) {
                log.info("deploy/ is loaded ({} bundles): the task processors start", deploy.expectedCount());
            } else {
                log.warn("deploy/ has not settled within {} ms (not started yet: {}): the task processors start anyway",
                        TIMEOUT_MILLIS, String.join(", ", deploy.missing()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IllegalStateException stopping) {
            return; // the framework stopped first
        }
        stager.overrides(ConfigStager.Overrides.NONE);
        try {
            stager.stage();
            onStaged.accept(stager.stagedValues());
        } catch (ConfigException e) {
            log.error("The task processors stay off until the config is valid again (the next valid edit starts them):"
                    + " {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.error("The task processors stay off: staging the config failed: {}", e.toString(), e);
        }
    }
}
