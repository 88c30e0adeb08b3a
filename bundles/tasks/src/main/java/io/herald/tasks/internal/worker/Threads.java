package io.herald.tasks.internal.worker;

import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the task processor's threads: virtual threads on Java 21 and later, where a worker blocked on Redis or in a
 * task's I/O costs no platform thread, platform daemon threads before. The bundle is compiled for Java 17, so the
 * virtual thread builder is reached by reflection, once.
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
     * Starts {@code task} on a new platform daemon thread named {@code name}, for what must run on time whatever the
     * jobs do (pings, the scheduler): virtual threads are not time-sliced, so jobs that compute without blocking, or
     * block while pinned to their carrier (a {@code synchronized} block before Java 24), can hold every carrier and
     * keep a virtual thread from running at all.
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
