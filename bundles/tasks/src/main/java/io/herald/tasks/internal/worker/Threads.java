package io.herald.tasks.internal.worker;

import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the task processor's threads. What waits most of its life (the pool's queue watchers, blocked in Redis) runs
 * on a virtual thread on Java 21 and later, on a platform daemon thread before ({@link #start}). Jobs run on platform
 * threads ({@link #platform}) that a worker gives back whenever its queues are empty ({@code Worker} parks): measured
 * on a drain, a worker on a virtual thread spends twice the CPU per job, each Redis reply a park and an unpark through
 * the virtual thread scheduler and the I/O poller, and a job that computes cannot hold a carrier the others need. The
 * bundle is compiled for Java 17, so the virtual thread builder is reached by reflection, once.
 */
public final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    private static final VirtualBuilder VIRTUAL = VirtualBuilder.find();

    private Threads() {
    }

    /** Whether threads started here are virtual. */
    public static boolean virtual() {
        return VIRTUAL != null;
    }

    /** Starts {@code task} on a new thread named {@code name}: virtual where available. */
    public static Thread start(String name, Runnable task) {
        Thread thread = VIRTUAL != null ? VIRTUAL.unstarted(name, task) : null;
        if (thread == null) {
            return platform(name, task);
        }
        thread.start();
        return thread;
    }

    /**
     * Starts {@code task} on a new platform daemon thread named {@code name}: for jobs (above), and for what must run on
     * time whatever else the node runs on virtual threads (pings, the scheduler): virtual threads are not time-sliced,
     * so code that computes without blocking, or blocks while pinned to its carrier (a {@code synchronized} block
     * before Java 24), can hold every carrier and keep a virtual thread from running at all.
     */
    public static Thread platform(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** {@code Thread.ofVirtual().name(name).unstarted(task)}, looked up by reflection. */
    private record VirtualBuilder(Method ofVirtual, Method name, Method unstarted) {

        static VirtualBuilder find() {
            if (Runtime.version().feature() < 21) {
                return null;
            }
            try {
                Class<?> builder = Class.forName("java.lang.Thread$Builder");
                return new VirtualBuilder(Thread.class.getMethod("ofVirtual"), builder.getMethod("name", String.class),
                        builder.getMethod("unstarted", Runnable.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.info("virtual threads not available ({}): task workers use platform threads", e.toString());
                return null;
            }
        }

        Thread unstarted(String threadName, Runnable task) {
            try {
                Object builder = name.invoke(ofVirtual.invoke(null), threadName);
                return (Thread) unstarted.invoke(builder, task);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("virtual thread not created, using a platform thread: {}", e.toString());
                return null;
            }
        }
    }
}
