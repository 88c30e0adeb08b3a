package io.herald.launcher.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The line a node and a check print first: the JVM they run on (version, vendor, home) and the class data cache
 * {@code bin/herald} gave it, so an operator who set {@code JAVA_HOME} (or did not) sees which one was taken, and whether
 * the start was a fast one. Read from the JVM's own properties and its command line, which costs nothing at start.
 */
final class RuntimeLine {

    /** The class data options bin/herald passes, and how the line names each. */
    private static final Map<String, String> KINDS = new LinkedHashMap<>();
    static {
        KINDS.put("-XX:AOTCache=", "AOT cache ");
        KINDS.put("-XX:AOTCacheOutput=", "recording the AOT cache (when it exits) ");
        KINDS.put("-XX:AOTConfiguration=", "recording the AOT configuration ");
        KINDS.put("-XX:SharedArchiveFile=", "CDS archive ");
        KINDS.put("-XX:ArchiveClassesAtExit=", "recording the CDS archive (when it exits) ");
    }

    /** The options with which the JVM records a cache when it exits. */
    private static final List<String> RECORDING = List.of("-XX:AOTCacheOutput=", "-XX:ArchiveClassesAtExit=");

    private RuntimeLine() {
    }

    /** The line for this JVM. */
    static String ofThisJvm() {
        return of(Runtime.version().toString(), System.getProperty("java.vendor", "unknown vendor"),
                System.getProperty("java.home", "?"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** {@code herald: Java 25.0.3+9-LTS (Eclipse Adoptium, /usr/lib/jvm/temurin-25), AOT cache /opt/herald/cache/...}. */
    static String of(String version, String vendor, String home, List<String> jvmArguments) {
        String line = "herald: Java " + version + " (" + vendor + ", " + home + ")";
        String classData = classData(jvmArguments);
        return classData == null ? line : line + ", " + classData;
    }

    /** The class data cache named on the JVM's command line (the last option wins, as in the JVM), or null. */
    static String classData(List<String> jvmArguments) {
        String[] last = last(jvmArguments, KINDS.keySet());
        return last == null ? null : KINDS.get(last[0]) + last[1];
    }

    /**
     * The cache this JVM records when it exits (the node's {@code -XX:AOTCacheOutput} or {@code -XX:ArchiveClassesAtExit}),
     * or null. Once the node has started, the launcher marks it with {@code <cache>.started}: the JVM records at any
     * exit, and {@code bin/herald} uses a recorded cache only when its node did start (a start that failed, say on a
     * config error, loaded a fraction of the classes, and its cache would slow every later start).
     */
    static Path recording(List<String> jvmArguments) {
        String[] last = last(jvmArguments, RECORDING);
        return last == null ? null : Path.of(last[1] + ".started");
    }

    /** The last argument starting with one of {@code options}, as {option, value}, or null. */
    private static String[] last(List<String> jvmArguments, Collection<String> options) {
        String[] found = null;
        for (String argument : jvmArguments) {
            for (String option : options) {
                if (argument.startsWith(option)) {
                    found = new String[] {option, argument.substring(option.length())};
                }
            }
        }
        return found;
    }
}
