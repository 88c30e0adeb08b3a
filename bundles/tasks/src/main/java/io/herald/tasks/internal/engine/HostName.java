package io.herald.tasks.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

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
