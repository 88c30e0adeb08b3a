package io.herald.launcher.internal.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code herald cluster} besides the launcher's own options: {@code --workers N}, the number of nodes
 * (Actionhero's {@code start cluster --workers}; its default is the number of CPUs, as here).
 *
 * @param workers how many nodes the supervisor keeps running
 */
public record ClusterOptions(int workers) {

    /** A guard against a typo such as {@code --workers 200}: every node is a JVM with its own heap. */
    static final int MAX_WORKERS = 64;

    /**
     * @param args the words after {@code cluster}
     * @param processors the default number of nodes
     * @throws IllegalArgumentException saying what is wrong, for {@code herald: <message>} and exit 1
     */
    public static ClusterOptions parse(List<String> args, int processors) {
        Integer workers = null;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String value;
            if (arg.startsWith("--workers=")) {
                value = arg.substring("--workers=".length());
            } else if (arg.equals("--workers")) {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("--workers needs a value: the number of nodes, 1 to " + MAX_WORKERS);
                }
                value = rest.remove(0);
            } else {
                throw new IllegalArgumentException((arg.startsWith("-") ? "unknown option " : "unexpected argument ") + arg
                        + " after cluster (see: herald help)");
            }
            workers = workers(value);
        }
        return new ClusterOptions(workers != null ? workers : Math.max(1, Math.min(processors, MAX_WORKERS)));
    }

    private static int workers(String value) {
        String text = value.strip();
        if (text.matches("[0-9]{1,3}")) {
            int workers = Integer.parseInt(text);
            if (workers >= 1 && workers <= MAX_WORKERS) {
                return workers;
            }
        }
        throw new IllegalArgumentException("--workers must be a whole number from 1 to " + MAX_WORKERS + ", was '" + value + "'");
    }
}
