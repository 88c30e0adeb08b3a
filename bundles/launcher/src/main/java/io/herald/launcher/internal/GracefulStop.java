package io.herald.launcher.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

import sun.misc.Signal;

/**
 * Stops the node once, on SIGTERM or SIGINT, within {@code HERALD_SHUTDOWN_TIMEOUT}, in this order:
 * <ol>
 * <li>deploy/ is no longer watched;</li>
 * <li>the readiness condition is withdrawn ({@link NodeReadiness}): the servers stop accepting connections, answer
 * what still arrives on open ones with 503 and finish what is in flight, the task workers finish their jobs, while
 * every action and task is still registered (never a 404, never "No job defined");</li>
 * <li>the framework stops: the cluster member says goodbye, the core removes its pidfile.</li>
 * </ol>
 * Actionhero's process does the same: the first signal starts a graceful stop, a second signal does not cancel it
 * (actionhero PR #1578), and a stop that outlives the timeout ends the process (exit 1). The JVM's own shutdown hook
 * covers other exits (System.exit, SIGHUP).
 */
final class GracefulStop {

    private final Framework framework;
    private final NodeReadiness readiness;
    private final long timeoutMillis;
    private final PrintStream err;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Runnable> beforeStop = new CopyOnWriteArrayList<>();

    GracefulStop(Framework framework, NodeReadiness readiness, long timeoutMillis, PrintStream err) {
        this.framework = framework;
        this.readiness = readiness;
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

    /** Runs {@code action} first when the node stops (before the readiness condition goes). */
    void beforeStop(Runnable action) {
        beforeStop.add(action);
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
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeoutMillis);
                err.println("herald: did not stop within " + timeoutMillis + " ms (HERALD_SHUTDOWN_TIMEOUT); exiting anyway");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException stopped) {
                // the stop finished in time
            }
        }, "herald-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            stopInOrder(deadline);
            watchdog.interrupt();
        } catch (BundleException | InterruptedException | RuntimeException e) {
            err.println("herald: stop failed: " + e);
            Runtime.getRuntime().halt(1);
        }
    }

    private void stopInOrder(long deadline) throws BundleException, InterruptedException {
        for (Runnable action : beforeStop) {
            action.run();
        }
        readiness.withdraw();
        framework.stop();
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        FrameworkEvent event = framework.waitForStop(left);
        if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException("the framework did not stop in time");
        }
    }

    private void stopFromShutdownHook() {
        if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            return; // already stopped: the normal path
        }
        requested.set(true);
        try {
            stopInOrder(System.nanoTime() + timeoutMillis * 1_000_000);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            err.println("herald: stop during JVM exit failed: " + e);
        }
    }
}
