package io.herald.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.api.Caller;
import io.herald.api.Connection;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Authenticator;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.TransportConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint on a real Jetty server, the metrics port's: methods, paths, access, formats. */
class MetricsListenerTest {

    private final NodeMetrics metrics = new NodeMetrics();
    private final AtomicReference<Authenticator> authenticator = new AtomicReference<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsListener listener;

    @BeforeEach
    void start() throws Exception {
        MetricsHandler handler = new MetricsHandler("/metrics", "metrics", metrics, new ScrapeAccess("metrics", false),
                authenticator::get, () -> null);
        listener = new MetricsListener("127.0.0.1", 0, handler);
        listener.start();
        new ActionMetrics(metrics.registry()).completed(new ActionResult(Outcome.COMPLETE, 200, "echo", 1, Map.of(),
                Map.of(), 1_000_000), new TransportConnection("c", Connection.WEB, "127.0.0.1", 1, "f"));
    }

    @AfterEach
    void stop() {
        listener.stop();
        metrics.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path));
    }

    @Test
    void a_get_answers_the_prometheus_text_with_actions_jvm_and_this_servers_threads() throws Exception {
        HttpResponse<String> response = send(at("/metrics"));
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        assertTrue(response.body().contains(
                "herald_actions_seconds_count{action=\"echo\",outcome=\"complete\",status=\"200\",transport=\"web\"} 1"),
                response.body());
        assertTrue(response.body().contains("jvm_memory_used_bytes{"), "JVM metrics");
        assertTrue(response.body().contains("jetty_threads_current{server=\"metrics\"}"), "the listener's own threads");
    }

    @Test
    void openmetrics_when_the_scraper_asks_for_it() throws Exception {
        HttpResponse<String> response = send(at("/metrics").header("Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(response.body().endsWith("# EOF\n"), response.body());
    }

    @Test
    void other_methods_and_paths_are_refused_in_json() throws Exception {
        HttpResponse<String> post = send(at("/metrics").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        assertEquals("{\"error\":\"method POST is not allowed here\"}", post.body());
        HttpResponse<String> other = send(at("/api/status"));
        assertEquals(404, other.statusCode());
        assertEquals("{\"error\":\"nothing is served at /api/status\"}", other.body());
        HttpResponse<String> head = send(at("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void with_authentication_a_key_with_the_role_is_needed() throws Exception {
        authenticator.set((request, connection) -> "s3cret".equals(request.header("X-API-Key"))
                ? new Caller("prometheus", Set.of("metrics"), "apiKey") : null);
        HttpResponse<String> anonymous = send(at("/metrics"));
        assertEquals(401, anonymous.statusCode());
        assertEquals("{\"error\":\"this action requires authentication\"}", anonymous.body());
        assertEquals(200, send(at("/metrics").header("X-API-Key", "s3cret")).statusCode());
    }
}
