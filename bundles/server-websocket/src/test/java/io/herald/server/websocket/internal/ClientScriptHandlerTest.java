package io.herald.server.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The browser client served by a real Jetty, behind a fallback that answers 404 as the web server does. */
class ClientScriptHandlerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        Handler script = new ClientScriptHandler();
        jetty.setHandler(new Handler.Wrapper(script) {
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

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void get_answers_the_script_with_its_content_type_cache_lifetime_and_etag() throws Exception {
        HttpResponse<byte[]> response = send(request(ClientScriptHandler.PATH).GET());
        assertEquals(200, response.statusCode());
        assertEquals("application/javascript; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("public, max-age=300", response.headers().firstValue("Cache-Control").orElseThrow());
        assertArrayEquals(ClientScriptHandler.load(), response.body());
        assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("class HeraldClient"));

        String etag = response.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = send(request(ClientScriptHandler.PATH).header("If-None-Match", etag).GET());
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(200, send(request(ClientScriptHandler.PATH).header("If-None-Match", "\"other\"").GET()).statusCode());
    }

    @Test
    void head_answers_the_headers_only_and_other_methods_405() throws Exception {
        HttpResponse<byte[]> head = send(request(ClientScriptHandler.PATH).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(ClientScriptHandler.load().length), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> post = send(request(ClientScriptHandler.PATH).POST(HttpRequest.BodyPublishers.ofString("x")));
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void a_longer_path_is_left_to_the_web_server() throws Exception {
        assertEquals(404, send(request(ClientScriptHandler.PATH + "/other").GET()).statusCode());
        assertEquals(404, send(request("/public/other.js").GET()).statusCode());
    }
}
