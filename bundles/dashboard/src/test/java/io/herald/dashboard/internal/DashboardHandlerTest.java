package io.herald.dashboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page served by a real Jetty, behind a fallback that answers 404 as the web server does for other paths. */
class DashboardHandlerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        Handler page = new DashboardHandler(DashboardSettings.read(Map.of("enabled", "true", "path", "/ops/queues",
                "apiPath", "/v1", "refreshSeconds", "7")));
        jetty.setHandler(new Handler.Wrapper(page) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (super.handle(request, response, callback)) {
                    return true;
                }
                Response.writeError(request, response, callback, 404, "the web server's answer");
                return true;
            }
        });
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void the_page_names_its_files_under_its_path_the_api_path_and_the_refresh_and_forbids_inline_script_and_framing()
            throws Exception {
        for (String path : new String[] {"/ops/queues", "/ops/queues/"}) {
            HttpResponse<String> page = send(request(path).GET());
            assertEquals(200, page.statusCode(), path);
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(DashboardHandler.CONTENT_SECURITY_POLICY,
                    page.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(page.body().contains("<script src=\"/ops/queues/dashboard.js\" defer></script>"), page.body());
            assertTrue(page.body().contains("href=\"/ops/queues/dashboard.css\""), page.body());
            assertTrue(page.body().contains("data-api-path=\"/v1\" data-refresh-seconds=\"7\""), page.body());
            assertFalse(page.body().contains("{{"), "every placeholder filled");
        }
        HttpResponse<String> script = send(request("/ops/queues/dashboard.js").GET());
        assertEquals(200, script.statusCode());
        assertEquals("application/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(script.body().contains("resque:retryAndRemoveFailed"));
        assertFalse(script.body().contains("innerHTML"), "job args are drawn as text only");
        assertEquals("text/css; charset=utf-8", send(request("/ops/queues/dashboard.css").GET()).headers()
                .firstValue("Content-Type").orElseThrow());
    }

    @Test
    void an_unchanged_file_is_revalidated_with_its_etag() throws Exception {
        HttpResponse<String> first = send(request("/ops/queues/dashboard.js").GET());
        assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = send(request("/ops/queues/dashboard.js").header("If-None-Match", etag).GET());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(200, send(request("/ops/queues/dashboard.js").header("If-None-Match", "\"old\"").GET()).statusCode());
    }

    @Test
    void other_files_under_the_path_are_404_other_methods_405_and_other_paths_are_left_to_the_web_server() throws Exception {
        HttpResponse<String> missing = send(request("/ops/queues/../../etc/passwd").GET());
        assertEquals(404, missing.statusCode());
        HttpResponse<String> unknown = send(request("/ops/queues/app.js").GET());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("the page is at /ops/queues/"), unknown.body());

        HttpResponse<String> post = send(request("/ops/queues/").POST(HttpRequest.BodyPublishers.ofString("x")));
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> head = send(request("/ops/queues/").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());

        HttpResponse<String> other = send(request("/ops/queuesX").GET());
        assertEquals(404, other.statusCode());
        assertTrue(other.body().contains("the web server"), other.body());
    }
}
