package io.herald.launcher.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.launcher.internal.deploy.DeployDirectory;

import sun.misc.Signal;

/**
 * {@code kill -USR2 $(cat pids/herald-<id>)}: Actionhero's reload signal (its deployment guide's). Re-reads the config
 * and looks at every file of {@code deploy/} again, with the same deploy transactions as a hot deploy, without dropping a
 * request: a component takes a changed config where it can, and a replaced bundle runs beside the old one until it has
 * proved itself. When {@code PROJECT_ROOT} is a symbolic link a release script moved to a new release, config and
 * {@code deploy/} switch to that release together ({@link Release}); if its config does not stage, nothing switches.
 *
 * <p>HotSpot uses SIGUSR2 on Linux to suspend and resume threads, and a JVM receiving one it did not expect can crash
 * (JDK-8288556): {@code bin/herald} moves the JVM's own use to another signal ({@code _JAVA_SR_SIGNUM}), and
 * {@link #ignoreUntilReady()} keeps an early USR2 from ending the process before the node can reload.
 */
final class Reload {

    private static final Signal USR2 = new Signal("USR2");

    /**
     * Not static: {@link #ignoreUntilReady()} runs before the launcher has pointed Logback at the node's
     * {@code logback.xml}, and the first logger made would initialise Logback with its defaults.
     */
    private final Logger log = LoggerFactory.getLogger(Reload.class);

    private final LaunchOptions options;
    private final ConfigStager stager;
    private final DeployDirectory deploy;
    private final Consumer<Map<String, Map<String, String>>> onStaged;
    private final PrintStream err;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-reload");
        thread.setDaemon(true);
        return thread;
    });
    private Release current;

    Reload(LaunchOptions options, Release current, ConfigStager stager, DeployDirectory deploy,
            Consumer<Map<String, Map<String, String>>> onStaged, PrintStream err) {
        this.options = options;
        this.current = current;
        this.stager = stager;
        this.deploy = deploy;
        this.onStaged = onStaged;
        this.err = err;
    }

    /** Until a node can reload, a USR2 is ignored: the signal's default action would end the process. */
    static void ignoreUntilReady() {
        try {
            Signal.handle(USR2, sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException taken) {
            // the JVM keeps USR2 for itself here (bin/herald not used): it handles the signal then
        }
    }

    void install() {
        try {
            Signal.handle(USR2, signal -> executor.execute(this::reload));
        } catch (IllegalArgumentException taken) {
            log.warn("SIGUSR2 cannot reload this node: the JVM uses it (start the node with bin/herald, which moves the"
                    + " JVM's own use with _JAVA_SR_SIGNUM)");
        }
    }

    /** One reload; package-private so tests can run it without a signal. */
    void reload() {
        err.println("herald: SIGUSR2 received, reloading config and deploy/");
        Release next = Release.of(options);
        Release previous = current;
        boolean moved = !next.equals(previous);
        try {
            if (moved) {
                use(next);
            }
            stager.stage();
            onStaged.accept(stager.stagedValues());
        } catch (ConfigException | IOException | RuntimeException e) {
            if (moved) {
                use(previous);
            }
            String why = e instanceof ConfigException ? e.getMessage() : e.toString();
            log.error("USR2: nothing reloaded, the config does not stage: {}", why);
            err.println("herald: reload refused, still serving " + previous.home() + ": " + why);
            return;
        }
        try {
            deploy.rescan(next.deployDir()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            log.error("USR2: deploy/ could not be looked at again: {}", e.getCause().toString(), e.getCause());
        }
        current = next;
        String line = "reloaded config from " + String.join(",", next.configDirs().stream().map(Object::toString).toList())
                + " and deploy/ from " + next.deployDir() + (moved ? " (was " + previous.home() + ")" : "");
        log.info("USR2: {}", line);
        err.println("herald: " + line);
    }

    private void use(Release release) {
        System.setProperty("herald.home", release.home().toString());
        System.setProperty("herald.config", release.configDirs().get(0).toString());
        stager.sources(release.configDirs());
    }

    void close() {
        executor.shutdownNow();
    }
}
