package io.herald.launcher.internal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

import sun.misc.Signal;

/**
 * Stops the framework once, on SIGTERM or SIGINT, within {@code HERALD_SHUTDOWN_TIMEOUT}.
 *
 * <p>Actionhero's process does the same: the first signal starts a graceful stop, a second signal does
 * not cancel it (actionhero PR #1578), and a stop that outlives the timeout ends the process. Stopping the
 * framework deactivates every component, so servers close their sockets and the core removes its pidfile
 * before the launcher exits. The JVM's own shutdown hook covers other exits (System.exit, SIGHUP).
 */
final class GracefulStop {

    private final Framework framework;
    private final long timeoutMillis;
    private final PrintStream err;
    private final AtomicBoolean requested = new AtomicBoolean();

    GracefulStop(Framework framework, long timeoutMillis, PrintStream err) {
        this.framework = framework;
        this.timeoutMillis = timeoutMillis;
        this.err = err;
    }

    /** Routes SIGTERM and SIGINT here and stops the framework on any other JVM exit as well. */
    void install() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> request("SIG" + signal.getName()));
        }
        Thread hook = new Thread(this::stopFromShutdownHook, "herald-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean isRequested() {
        return requested.get();
    }

    /** Starts the stop on its own thread; later calls only say that a stop is already under way. */
    void request(String reason) {
        if (!requested.compareAndSet(false, true)) {
            err.println("herald: " + reason + " received, already stopping (waiting up to " + timeoutMillis + " ms)");
            return;
        }
        Thread stopper = new Thread(() -> stop(reason), "herald-stop");
        stopper.setDaemon(false);
        stopper.start();
    }

    private void stop(String reason) {
        err.println("herald: " + reason + " received, stopping");
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(timeoutMillis);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                err.println("herald: did not stop within " + timeoutMillis + " ms (HERALD_SHUTDOWN_TIMEOUT); exiting anyway");
                Runtime.getRuntime().halt(1);
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            err.println("herald: stop failed: " + e);
            Runtime.getRuntime().halt(1);
        }
    }

    private void stopFromShutdownHook() {
        if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            return; // already stopped: the normal path
        }
        requested.set(true);
        try {
            framework.stop();
            framework.waitForStop(timeoutMillis);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            err.println("herald: stop during JVM exit failed: " + e);
        }
    }
}
