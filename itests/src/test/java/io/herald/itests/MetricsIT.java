package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.redis.RedisServer;

import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} from the built distribution, read by the Prometheus client's own text-format parser
 * ({@link PrometheusText}):
 * a known number of calls of an action, succeeding and failing, is counted exactly; a job that succeeds and one that
 * fails are counted (embedded default tasks, no Redis); the endpoint answers only to a key with the metrics role while
 * authentication runs (and to anyone while none runs); a worker, which has no web server, is scraped on METRICS_PORT
 * (a typo in it stops the node: {@link ConfigValuesIT}); the Redis connections' state shows, and
 * a scrape still answers, without stale task numbers, while Redis is down.
 */
class MetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String SCRAPER_SECRET = "scraper-" + UUID.randomUUID();
    private static final String SCRAPER_KEY = "prometheus:" + SCRAPER_SECRET + ":metrics";

    private static final int SUCCEEDING = 7;
    private static final int REFUSED = 3;
    private static final int INVALID = 2;

    @Test
    void counts_calls_exactly_and_jobs_and_answers_only_to_the_metrics_role() throws Exception {
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        Map<String, String> env = Map.of("HERALD_TITLE", "metrics-it",
                "HERALD_API_KEYS", HeraldProcess.ADMIN_KEY + "," + SCRAPER_KEY);
        try (HeraldProcess herald = HeraldProcess.startIn(home, env)) {
            herald.awaitStarted(START);

            HttpResponse<String> anonymous = herald.getAnonymous("/metrics");
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals("this action requires authentication", JSON.readTree(anonymous.body()).get("error").asText());
            assertEquals("Bearer realm=\"herald\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
            HttpResponse<String> admin = herald.get("/metrics");
            assertEquals(403, admin.statusCode(), "the admin key lacks the metrics role: " + admin.body());
            assertEquals("this action requires the role metrics", JSON.readTree(admin.body()).get("error").asText());
            HttpResponse<String> wrong = scrape(herald, "/metrics", "wrong-" + UUID.randomUUID());
            assertEquals(401, wrong.statusCode(), wrong.body());
            assertEquals("invalid credentials", JSON.readTree(wrong.body()).get("error").asText());
            HttpResponse<String> post = herald.send(HttpRequest.newBuilder(herald.uri("/metrics"))
                    .header("Authorization", "Bearer " + SCRAPER_SECRET).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, post.statusCode(), post.body());

            for (int i = 0; i < SUCCEEDING; i++) {
                assertEquals(200, herald.getAnonymous("/api/secretParams?mode=ok").statusCode());
            }
            for (int i = 0; i < REFUSED; i++) {
                assertEquals(403, herald.getAnonymous("/api/secretParams?mode=fail").statusCode());
            }
            for (int i = 0; i < INVALID; i++) {
                assertEquals(422, herald.getAnonymous("/api/secretParams").statusCode(), "mode is required");
            }
            herald.getAnonymous("/api/noSuchAction" + UUID.randomUUID());
            // one job that succeeds, one that fails: runAction runs secretParams from the queue
            assertEquals(200, herald.getAnonymous("/api/enqueueAction?name=secretParams&mode=ok").statusCode());
            assertEquals(200, herald.getAnonymous("/api/enqueueAction?name=secretParams&mode=fail").statusCode());

            PrometheusText metrics = awaitJobs(herald);

            Map<String, String> ok = Map.of("action", "secretParams", "transport", "web", "outcome", "complete", "status", "200");
            assertEquals("histogram", metrics.type("herald_actions_seconds"));
            assertEquals(SUCCEEDING, metrics.value("herald_actions_seconds_count", ok));
            assertEquals(SUCCEEDING, metrics.value("herald_actions_seconds_bucket", with(ok, "le", "+Inf")));
            assertTrue(metrics.samples("herald_actions_seconds_bucket", ok) > 5, "a latency histogram");
            assertEquals(REFUSED, metrics.value("herald_actions_seconds_count", Map.of("action", "secretParams",
                    "transport", "web", "outcome", "generic_error", "status", "403")));
            assertEquals(INVALID, metrics.value("herald_actions_seconds_count", Map.of("action", "secretParams",
                    "transport", "web", "outcome", "missing_params", "status", "422")));
            assertEquals(1, metrics.value("herald_actions_seconds_count", Map.of("action", "(none)",
                    "outcome", "unknown_action")), "a made-up action name is not a label value");
            // the jobs ran the action in the node: counted apart, as another transport
            assertEquals(1, metrics.value("herald_actions_seconds_count", Map.of("action", "secretParams",
                    "transport", "inProcess", "outcome", "complete")));
            assertFalse(metrics.has("herald_actions_seconds_count", Map.of("action", "metrics")), "scrapes are not calls");

            assertEquals(1, metrics.value("herald_task_jobs_seconds_count", Map.of("task", "runAction", "result", "succeeded")));
            assertEquals(1, metrics.value("herald_task_jobs_seconds_count", Map.of("task", "runAction", "result", "failed")));
            assertEquals("counter", metrics.type("herald_task_resque_failed"));
            assertEquals(1, metrics.value("herald_task_resque_failed_total", Map.of()), "Resque's stat:failed");
            assertTrue(metrics.value("herald_task_resque_processed_total", Map.of()) >= 1, "Resque's stat:processed");
            assertEquals(1, metrics.value("herald_task_failed_jobs", Map.of()), "the failed job is in the failed queue");
            assertEquals(1, metrics.value("herald_task_store_readable", Map.of()));
            assertEquals(1, metrics.value("herald_task_scheduler_leader", Map.of()), "the only node's scheduler leads");
            assertEquals(1, metrics.samples("herald_task_leader", Map.of()), "one leader");
            assertTrue(metrics.value("herald_task_workers", Map.of("state", "idle"))
                    + metrics.value("herald_task_workers", Map.of("state", "working")) >= 1);
            assertEquals(1, metrics.value("herald_health_state", Map.of("part", "tasks", "state", "up")));
            assertEquals(0, metrics.value("herald_health_state", Map.of("part", "tasks", "state", "down")));
            assertTrue(metrics.has("jvm_memory_used_bytes", Map.of("area", "heap")), "JVM metrics");
            assertTrue(metrics.value("jetty_threads_current", Map.of("server", "web")) > 0);
            assertTrue(metrics.value("jetty_connections_current", Map.of("server", "web")) >= 1, "this scrape's connection");
        }
    }

    @Test
    void a_worker_is_scraped_on_its_metrics_port() throws Exception {
        int metricsPort = HeraldProcess.freePort();
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        Map<String, String> env = Map.of("HERALD_TITLE", "metrics-worker-it", "HERALD_ROLE", "worker",
                "METRICS_PORT", Integer.toString(metricsPort), "HERALD_API_KEYS", SCRAPER_KEY);
        try (HeraldProcess worker = HeraldProcess.startIn(home, env)) {
            worker.awaitStartedLine(START);
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                    + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, elsewhere.statusCode(), "the metrics port serves the metrics only: " + elsewhere.body());
            HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + SCRAPER_SECRET).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scraped.statusCode(), scraped.body());
            assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusText metrics = PrometheusText.parse(scraped.body());
            assertTrue(metrics.value("jetty_threads_current", Map.of("server", "metrics")) > 0);
            assertTrue(metrics.value("herald_task_processors", Map.of("state", "idle"))
                    + metrics.value("herald_task_processors", Map.of("state", "busy")) >= 1, "a worker runs processors");
            assertFalse(metrics.has("jetty_threads_current", Map.of("server", "web")), "a worker has no web server");
        }
    }

    @Test
    void redis_connection_state_shows_and_a_scrape_answers_while_redis_is_down() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // no authentication: the endpoint is open, as config/io.herald.metrics.cfg says
            Map<String, String> env = Map.of("HERALD_TITLE", "metrics-redis-it", "ENABLE_AUTHENTICATION", "false",
                    "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()));
            try (HeraldProcess herald = HeraldProcess.start(env)) {
                herald.awaitStarted(START);
                PrometheusText up = awaitScrape(herald, m -> m.has("herald_health_state", Map.of("part", "redis.tasks"))
                        && m.value("herald_health_state", Map.of("part", "redis.tasks", "state", "up")) == 1);
                assertEquals(1, up.value("herald_health_state", Map.of("part", "redis.client", "state", "up")));
                assertEquals(1, up.value("herald_task_store_readable", Map.of()));

                redis.stop();
                PrometheusText down = awaitScrape(herald, m ->
                        m.value("herald_health_state", Map.of("part", "redis.tasks", "state", "up")) == 0
                        && m.value("herald_task_store_readable", Map.of()) == 0);
                assertEquals(1, down.value("herald_health_state", Map.of("part", "redis.tasks", "state", "degraded"))
                        + down.value("herald_health_state", Map.of("part", "redis.tasks", "state", "down")));
                assertFalse(down.has("herald_task_queue_length", Map.of()), "no stale queue lengths");
                assertTrue(down.has("jvm_threads_live_threads", Map.of()), "the rest of the metrics still answer");

                redis.restart();
                awaitScrape(herald, m -> m.value("herald_health_state", Map.of("part", "redis.tasks", "state", "up")) == 1
                        && m.value("herald_task_store_readable", Map.of()) == 1);
            }
        }
    }

    /** Scrapes (anonymously: no authentication runs) until {@code condition} holds; every scrape must answer 200. */
    private static PrometheusText awaitScrape(HeraldProcess herald, java.util.function.Predicate<PrometheusText> condition)
            throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            HttpResponse<String> scraped = herald.getAnonymous("/metrics");
            assertEquals(200, scraped.statusCode(), scraped.body());
            PrometheusText metrics = PrometheusText.parse(scraped.body());
            if (condition.test(metrics)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the metrics did not show it within " + SETTLE + ":\n" + scraped.body()
                        + "\n" + herald.output());
            }
            Thread.sleep(250);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    private static HttpResponse<String> scrape(HeraldProcess herald, String path, String secret) throws Exception {
        return herald.send(HttpRequest.newBuilder(herald.uri(path)).header("Authorization", "Bearer " + secret));
    }

    /** Scrapes until both jobs are counted and completed (the worker takes them within a second or two). */
    private static PrometheusText awaitJobs(HeraldProcess herald) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            HttpResponse<String> scraped = scrape(herald, "/metrics", SCRAPER_SECRET);
            assertEquals(200, scraped.statusCode(), scraped.body());
            assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusText metrics = PrometheusText.parse(scraped.body());
            // the worker completes a job (the failed queue, Resque's counters) just after the hooks that count it
            if (metrics.has("herald_task_jobs_seconds_count", Map.of("result", "succeeded"))
                    && metrics.has("herald_task_jobs_seconds_count", Map.of("result", "failed"))
                    && metrics.value("herald_task_resque_failed_total", Map.of()) >= 1
                    && metrics.value("herald_task_resque_processed_total", Map.of()) >= 1) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two jobs were not counted within " + SETTLE + ":\n" + scraped.body()
                        + "\n" + herald.output());
            }
            Thread.sleep(250);
        }
    }
}
