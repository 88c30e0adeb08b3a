package io.herald.launcher.internal;

import java.util.List;

/**
 * The line a node and a check print first: the JVM they run on (version, vendor, home) and the class data cache
 * {@code bin/herald} gave it, so an operator who set {@code JAVA_HOME} (or did not) sees which one was taken, and whether
 * the start was a fast one. Read from the JVM's own properties and its command line, which costs nothing at start.
 */
final class RuntimeLine {

    private RuntimeLine() {
    }

    /** The line for this JVM. */
    static String ofThisJvm() {
        return of(Runtime.version().toString(), System.getProperty("java.vendor", "unknown vendor"),
                System.getProperty("java.home", "?"),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** {@code herald: Java 25.0.3+9-LTS (Eclipse Adoptium, /usr/lib/jvm/temurin-25), AOT cache /opt/herald/cache/...}. */
    static String of(String version, String vendor, String home, List<String> jvmArguments) {
        String line = "herald: Java " + version + " (" + vendor + ", " + home + ")";
        String classData = classData(jvmArguments);
        return classData == null ? line : line + ", " + classData;
    }

    /** The class data cache named on the JVM's command line (the last option wins, as in the JVM), or null. */
    static String classData(List<String> jvmArguments) {
        String found = null;
        for (String argument : jvmArguments) {
            String described = describe(argument);
            if (described != null) {
                found = described;
            }
        }
        return found;
    }

    /**
     * The cache this JVM records when it exits (the node's {@code -XX:AOTCacheOutput} or {@code -XX:ArchiveClassesAtExit}),
     * or null. Once the node has started, the launcher marks it with {@code <cache>.started}: the JVM records at any
     * exit, and {@code bin/herald} uses a recorded cache only when its node did start (a start that failed, say on a
     * config error, loaded a fraction of the classes, and its cache would slow every later start).
     */
    static java.nio.file.Path recording(List<String> jvmArguments) {
        String found = null;
        for (String argument : jvmArguments) {
            for (String option : List.of("-XX:AOTCacheOutput=", "-XX:ArchiveClassesAtExit=")) {
                if (argument.startsWith(option)) {
                    found = argument.substring(option.length());
                }
            }
        }
        return found == null ? null : java.nio.file.Path.of(found + ".started");
    }

    private static String describe(String argument) {
        String[][] kinds = {
            {"-XX:AOTCache=", "AOT cache "},
            {"-XX:AOTCacheOutput=", "recording the AOT cache (when it exits) "},
            {"-XX:AOTConfiguration=", "recording the AOT configuration "},
            {"-XX:SharedArchiveFile=", "CDS archive "},
            {"-XX:ArchiveClassesAtExit=", "recording the CDS archive (when it exits) "},
        };
        for (String[] kind : kinds) {
            if (argument.startsWith(kind[0])) {
                return kind[1] + argument.substring(kind[0].length());
            }
        }
        return null;
    }
}
