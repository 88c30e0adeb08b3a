package io.herald.tasks.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This machine's name as node-resque uses it ({@code os.hostname()}, i.e. gethostname): the first part of worker and
 * scheduler names ({@code host:pid+N}, {@code host:pid}).
 */
public final class HostName {

    private static final String NAME = lookUp();

    private HostName() {
    }

    public static String get() {
        return NAME;
    }

    /** This JVM's process id, the second part of the names. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * The process id in a worker or scheduler name of this host: {@code <host>:<pid>} (node-resque's Worker and
     * Scheduler), {@code <host>:<pid>+<n>} (its MultiWorker's children, Herald's workers) or {@code <host>:<pid>-<n>}
     * (Jesque), where {@code <host>} is {@link #get()}; empty for a name of another host or of another form. Ruby
     * Resque's {@code prune_dead_workers} reads its {@code host:pid:queues} names the same way.
     */
    public static OptionalLong localPid(String name) {
        if (name == null) {
            return OptionalLong.empty();
        }
        int colon = name.indexOf(':');
        if (colon <= 0 || !name.substring(0, colon).equals(NAME)) {
            return OptionalLong.empty();
        }
        int end = colon + 1;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        if (end == colon + 1 || end - colon > 19 || end < name.length() && "+-".indexOf(name.charAt(end)) < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(name.substring(colon + 1, end)));
    }

    /** Whether a process of that id runs on this machine (in this process namespace). */
    public static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).isPresent();
    }

    private static String lookUp() {
        // /proc gives gethostname() without a DNS lookup, which InetAddress.getLocalHost() may wait for
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String name = Files.readString(Path.of(file)).strip();
                if (usable(name)) {
                    return name;
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: try the next way
            }
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && usable(env.strip())) {
            return env.strip();
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (usable(name)) {
                return name;
            }
        } catch (IOException e) {
            // no name resolvable: fall through
        }
        return "localhost";
    }

    /** A name with ':' would break node-resque's 3-part reading of {@code workers} members. */
    private static boolean usable(String name) {
        return !name.isEmpty() && name.indexOf(':') < 0;
    }
}
