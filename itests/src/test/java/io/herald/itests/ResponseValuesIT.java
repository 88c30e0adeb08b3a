package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.herald.api.Connection;

import io.herald.itests.fixture.internal.TypedValues;

import org.junit.jupiter.api.Test;

/**
 * What an action returns reaches every transport as the same JSON, from the built distribution: {@code java.time}
 * values, a {@code BigDecimal}, {@code Optional}s, records and nested maps answer 200 over HTTP (an {@code Instant}
 * was a 500), and the same action runs from the queue through the built-in {@code runAction} task without failing.
 */
class ResponseValuesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void typed_values_answer_200_over_http_and_run_from_the_queue() throws Exception {
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "typed-values"))) {
            herald.awaitStarted(START);
            HttpResponse<String> response = herald.awaitStatus("/api/typedValues", 200, SETTLE);
            ObjectNode body = (ObjectNode) JSON.readTree(response.body());
            body.remove(List.of("serverInformation", "requesterInformation"));
            assertEquals(JSON.readTree(TypedValues.EXPECTED), body, response.body());
            assertTrue(response.body().contains("\"price\":12.50"), "a BigDecimal keeps its scale: " + response.body());

            assertEquals(200, herald.get("/api/enqueueAction?name=typedValues").statusCode());
            Path log = home.resolve("records/typedValues.log");
            long deadline = System.nanoTime() + SETTLE.toNanos();
            JsonNode stats = null;
            while (stats == null || stats.path("processed").asLong() < 1) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("runAction did not run typedValues: " + stats + "\n" + herald.output());
                }
                Thread.sleep(50);
                stats = JSON.readTree(herald.get("/api/resque:details").body()).path("details").path("stats");
            }
            assertEquals(0, stats.path("failed").asLong(), "the runAction job failed: " + herald.get("/api/resque:failed").body());
            assertEquals("ran on " + Connection.IN_PROCESS + "\n", Files.readString(log));
        }
    }
}
