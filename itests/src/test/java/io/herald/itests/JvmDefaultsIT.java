package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * bin/herald's JVM defaults on the built distribution: a node out of memory exits ({@code -XX:+ExitOnOutOfMemoryError},
 * kept when JAVA_OPTS adds a smaller heap), with a heap dump in {@code log/} when {@code HERALD_HEAP_DUMP=true}; a heap
 * size that is no size is refused. A node names its JVM first, and starts from the class data cache the build's
 * {@code herald check} recorded for its role (an AOT cache on JDK 25, a CDS archive before), or records its own: also
 * when its JAVA_OPTS differ from the build's, since a cache holds the heap's layout. A collector named in JAVA_OPTS
 * replaces the default one, and Serial GC's young generation ratio with it. The JVM trims its C heap periodically; a
 * heap limit below the initial heap lowers the initial heap. Jetty is told the cache line's references, so that no
 * node starts the JMX server to find them out.
 */
class JvmDefaultsIT {

    private static final Path FIXTURE_JAR = NodeLifecycleIT.FIXTURE_JAR;

    @Test
    void a_node_out_of_memory_exits_with_a_heap_dump_in_log_and_java_opts_adds_to_the_defaults() throws Exception {
        try (HeraldProcess herald = HeraldProcess.startIn(HeraldProcess.newHome(FIXTURE_JAR),
                Map.of("HERALD_TITLE", "oom", "JAVA_OPTS", "-Xmx128m", "HERALD_HEAP_DUMP", "true"))) {
            herald.awaitStarted(Duration.ofSeconds(60));

            CompletableFuture<HttpResponse<String>> request = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(herald.uri("/api/allocate")).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(3, herald.awaitExit(Duration.ofSeconds(60)), "HotSpot's exit status on an OutOfMemoryError:\n"
                    + herald.output());
            assertThrows(ExecutionException.class, () -> request.get(30, TimeUnit.SECONDS),
                    "the request ends with the process, unanswered");
            String output = herald.output();
            assertTrue(output.contains("Terminating due to java.lang.OutOfMemoryError: Java heap space"), output);
            Path dump = herald.home.resolve("log/java_pid" + herald.pid() + ".hprof");
            assertTrue(Files.size(dump) > 0, "the heap dump " + dump + " is written first");
            assertTrue(output.contains("Dumping heap to " + herald.home.resolve("log")), output);
        }
    }

    @Test
    void a_node_names_its_jvm_and_starts_from_the_class_data_cache_recorded_for_its_role() throws Exception {
        String jvm = "herald: Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")";
        boolean aot = Runtime.version().feature() >= 25;
        String extension = aot ? ".aot" : ".jsa";
        List<Path> recorded;
        try (var files = Files.list(HeraldProcess.DISTRIBUTION.resolve("cache"))) {
            recorded = files.filter(f -> f.getFileName().toString().matches(
                    "web-java" + Runtime.version().feature() + "-[0-9]+\\" + extension)).toList();
        }
        Path home = HeraldProcess.newHome(FIXTURE_JAR);
        HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_ROLE", "web"));
        try {
            herald.awaitStarted(Duration.ofSeconds(60));
            // The JVM gives the C heap it freed back every 5 s: it accepted the option (a product one from 17.0.9).
            String jvmFlags = jcmd(herald, "VM.flags");
            assertTrue(jvmFlags.contains("-XX:TrimNativeHeapInterval=5000"), jvmFlags);
            // A web node's heap: 24 MB to start, half of it young (Serial GC's default is a third).
            assertTrue(jvmFlags.contains("-XX:InitialHeapSize=25165824") && jvmFlags.contains("-XX:NewRatio=1")
                    && jvmFlags.contains("-XX:+UseSerialGC"), jvmFlags);
            String first = herald.output().lines().findFirst().orElse("");
            if (recorded.size() == 1) {
                // the distribution was built with this JDK: its check recorded the cache of the role
                assertEquals(jvm + ", " + (aot ? "AOT cache " : "CDS archive ") + recorded.get(0), first);
            } else {
                // built with another JDK: the node records its own when it exits, and the next start uses it
                assertEquals(List.of(), recorded, "one cache per role and JVM");
                assertTrue(first.startsWith(jvm + ", recording the " + (aot ? "AOT cache" : "CDS archive")
                        + " (when it exits) " + home.resolve("data/herald-java" + Runtime.version().feature() + "-")), first);
            }
        } catch (Throwable failure) {
            herald.close();
            throw failure;
        }
        herald.stopProcess();
        if (recorded.isEmpty()) {
            try (HeraldProcess again = HeraldProcess.startIn(home, Map.of("HERALD_ROLE", "web"))) {
                again.awaitStarted(Duration.ofSeconds(60));
                String first = again.output().lines().findFirst().orElse("");
                assertTrue(first.startsWith(jvm + ", " + (aot ? "AOT cache " : "CDS archive ") + home.resolve("data")), first);
            }
        } else {
            herald.close();
        }
    }

    @Test
    void java_opts_naming_a_collector_and_a_young_generation_start_a_node_that_records_its_own_cache() throws Exception {
        // Before: the default -XX:+UseSerialGC beside it made the JVM refuse two collectors, and a young generation
        // beyond the initial heap made it refuse the cache the build recorded with the default options.
        Path home = HeraldProcess.newHome(FIXTURE_JAR);
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("JAVA_OPTS", "-XX:+UseParallelGC -Xmn24m"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            herald.awaitStatus("/api/status", 200, Duration.ofSeconds(30));
            List<String> options = jvmOptions(herald);
            assertTrue(options.contains("-XX:+UseParallelGC") && !options.contains("-XX:+UseSerialGC")
                    && !options.contains("-XX:NewRatio=1"), "Serial GC's young generation ratio goes with it: " + options);
            // (the JVM's own warning about the young generation comes first)
            String runtime = herald.output().lines().filter(l -> l.startsWith("herald: Java")).findFirst().orElse("");
            assertTrue(runtime.contains(", recording the ") && runtime.contains(home.resolve("data").toString()),
                    herald.output());
        }
    }

    @Test
    void a_heap_limit_below_the_default_initial_heap_lowers_the_initial_heap() throws Exception {
        // -Xms24m beside -Xmx20m: the JVM would refuse to start ("Initial heap size set to a larger value").
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_HEAP", "20m", "HERALD_CDS", "false"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            herald.awaitStatus("/api/status", 200, Duration.ofSeconds(30));
            List<String> options = jvmOptions(herald);
            assertTrue(options.contains("-Xms20m") && options.contains("-Xmx20m"), options.toString());
        }
    }

    @Test
    void a_started_node_serving_http_never_starts_the_jmx_server() throws Exception {
        // Jetty asked the platform MBean server whether oops are compressed: about 230 classes and 60 ms of a start.
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_TITLE", "no-jmx"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            herald.awaitStatus("/api/status", 200, Duration.ofSeconds(30));
            String properties = jcmd(herald, "VM.system_properties");
            assertTrue(properties.contains("org.eclipse.jetty.util.referencesPerCacheLine=16"),
                    "a 512 MB heap has compressed oops: 16 four-byte references in a 64-byte line\n" + properties);
            String classes = jcmd(herald, "VM.classes");
            assertTrue(classes.contains("org.eclipse.jetty.util.MemoryUtils"), "Jetty's class ran");
            assertFalse(classes.contains("com.sun.jmx.mbeanserver.JmxMBeanServer"), "no MBean server was created");
        }
    }

    /** What {@code jcmd <node> <command>} prints (JDK diagnostic commands run in the node's JVM, without JMX). */
    private static String jcmd(HeraldProcess herald, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(herald.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        assertEquals(0, jcmd.waitFor(), output);
        return output;
    }

    /** The words of the node's JVM command line (bin/herald execs java, so the process is the JVM). */
    private static List<String> jvmOptions(HeraldProcess herald) throws java.io.IOException {
        return List.of(Files.readString(Path.of("/proc/" + herald.pid() + "/cmdline")).split("\0"));
    }

    @Test
    void herald_cds_false_starts_without_a_cache() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_CDS", "false"))) {
            herald.awaitStarted(Duration.ofSeconds(60));
            assertEquals("herald: Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")", herald.output().lines().findFirst().orElse(""));
            try (var files = Files.list(herald.home.resolve("data"))) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("herald-java")));
            }
        }
    }

    @Test
    void a_heap_size_that_is_no_size_is_refused_naming_the_variable() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_HEAP", "lots"))) {
            assertEquals(1, herald.awaitExit(Duration.ofSeconds(30)));
            assertTrue(herald.output().contains("herald: HERALD_HEAP=lots is not a heap size: use a number with k, m or g,"
                    + " such as 512m or 2g"), herald.output());
        }
    }
}
