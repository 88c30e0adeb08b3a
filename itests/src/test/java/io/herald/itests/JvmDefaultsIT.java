package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * bin/herald's JVM defaults on the built distribution: a node out of memory exits ({@code -XX:+ExitOnOutOfMemoryError},
 * kept when JAVA_OPTS adds a smaller heap), with a heap dump in {@code log/} when {@code HERALD_HEAP_DUMP=true}; a heap
 * size that is no size is refused.
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
    void a_heap_size_that_is_no_size_is_refused_naming_the_variable() throws Exception {
        try (HeraldProcess herald = HeraldProcess.start(Map.of("HERALD_HEAP", "lots"))) {
            assertEquals(1, herald.awaitExit(Duration.ofSeconds(30)));
            assertTrue(herald.output().contains("herald: HERALD_HEAP=lots is not a heap size: use a number with k, m or g,"
                    + " such as 512m or 2g"), herald.output());
        }
    }
}
