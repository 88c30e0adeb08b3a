package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.Messages;

/** The web server over real sockets, with a test runner in place of the core. */
class WebServerHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            {
              "get": [
                {"path": "/users/:userID(^\\\\d+$)", "action": "echo"},
                {"path": "/echo/:message", "action": "echo"},
                {"path": "/v:apiVersion/versioned", "action": "echo"},
                {"path": "/old", "action": "echo", "apiVersion": 1},
                {"path": "/files/:path", "action": "echo", "matchTrailingPathParts": true}
              ],
              "all": [
                {"path": "/things/:thing", "action": "echo"}
              ]
            }
            """;

    @TempDir
    static Path directory;

    private static TestRunner runner;
    private static WebServer server;
    private static int port;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        Path routes = directory.resolve("routes.json");
        Files.writeString(routes, ROUTES);
        runner = new TestRunner();
        WebSettings settings = TestConfig.settings(Map.of("maxBodySize", 1024L, "routesFile", routes.toString()));
        server = new WebServer(settings, () -> runner, TestIdentity.development(), Messages::defaults);
        server.start();
        port = server.port();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    // ---- actions, params and precedence

    @Test
    void get_runs_the_named_action_with_the_query_params() throws Exception {
        HttpResponse<String> response = get("/api/echo?message=hello%20world&n=1");

        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("Herald", response.headers().firstValue("X-Powered-By").orElse(null));
        Map<String, Object> params = params(response);
        assertEquals("hello world", params.get("message"));
        assertEquals("1", params.get("n"));
        assertEquals("echo", params.get("action"));
        assertEquals("web", connection(response).get("type"));
    }

    @Test
    void a_repeated_query_key_becomes_a_list() throws Exception {
        assertEquals(List.of("a", "b"), params(get("/api/echo?key=a&key=b")).get("key"));
    }

    @Test
    void post_reads_an_urlencoded_form() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/x-www-form-urlencoded",
                "message=hi+there&key=%E2%9C%93&key=last");

        assertEquals(200, response.statusCode());
        Map<String, Object> params = params(response);
        assertEquals("hi there", params.get("message"));
        // Form bodies keep the last value of a repeated key (Actionhero's formidable without multiples).
        assertEquals("last", params.get("key"));
    }

    @Test
    void post_reads_a_json_object_keeping_its_types() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/json; charset=utf-8",
                "{\"message\": \"hi\", \"count\": 3, \"flag\": true, \"nested\": {\"a\": [1, 2]}}");

        Map<String, Object> params = params(response);
        assertEquals("hi", params.get("message"));
        assertEquals(3, params.get("count"));
        assertEquals(true, params.get("flag"));
        assertEquals(Map.of("a", List.of(1, 2)), params.get("nested"));
    }

    @Test
    void a_json_array_body_becomes_the_payload_param() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/json", "[1, \"two\", {\"three\": 3}]");

        assertEquals(List.of(1, "two", Map.of("three", 3)), params(response).get("payload"));
    }

    @Test
    void the_body_beats_the_query_and_path_variables_beat_both() throws Exception {
        HttpResponse<String> response = post("/api/things/fromPath?thing=fromQuery&message=fromQuery&key=fromQuery",
                "application/json", "{\"message\": \"fromBody\", \"thing\": \"fromBody\", \"action\": \"status\"}");

        assertEquals(200, response.statusCode());
        Map<String, Object> params = params(response);
        assertEquals("fromPath", params.get("thing"));
        assertEquals("fromBody", params.get("message"));
        assertEquals("fromQuery", params.get("key"));
        // The route's action beats an action param (Actionhero: "route actions will override explicit actions").
        assertEquals("echo", params.get("action"));
    }

    @Test
    void a_route_with_a_constraint_matches_only_conforming_segments() throws Exception {
        HttpResponse<String> match = get("/api/users/123");
        assertEquals(200, match.statusCode());
        assertEquals("123", params(match).get("userID"));

        HttpResponse<String> noMatch = get("/api/users/abc");
        assertEquals(404, noMatch.statusCode());
        assertEquals("unknown action or invalid apiVersion", body(noMatch).get("error"));
        assertNull(runner.lastRequest.params().get("userID"));
    }

    @Test
    void a_route_pins_its_api_version_unless_the_client_names_one() throws Exception {
        HttpResponse<String> pinned = get("/api/old");
        assertEquals(1, body(pinned).get("version"));
        assertEquals(1, runner.lastRequest.apiVersion());

        // Actionhero: params.apiVersion ||= route.apiVersion
        HttpResponse<String> asked = get("/api/old?apiVersion=3");
        assertEquals(3, body(asked).get("version"));
        assertNull(runner.lastRequest.apiVersion());

        HttpResponse<String> fromPath = get("/api/v2/versioned");
        assertEquals("2", params(fromPath).get("apiVersion"));
        assertEquals(2, body(fromPath).get("version"));
    }

    @Test
    void path_variables_are_percent_decoded_and_plus_is_a_space() throws Exception {
        assertEquals("hello big world", params(get("/api/echo/hello%20big+world")).get("message"));
        // An encoded slash is ambiguous: Jetty's default URI compliance refuses it, with the catalogue's JSON.
        HttpResponse<String> slash = get("/api/echo/a%2Fb");
        assertEquals(400, slash.statusCode());
        assertTrue(((String) body(slash).get("error")).startsWith("malformed request: "));
    }

    @Test
    void a_trailing_route_takes_the_rest_of_the_path() throws Exception {
        assertEquals("a/b/c.txt", params(get("/api/files/a/b/c.txt")).get("path"));
    }

    @Test
    void the_action_param_names_the_action_on_the_actions_path_itself() throws Exception {
        assertEquals(200, get("/api?action=echo&message=x").statusCode());
        assertEquals("x", params(get("/api/?action=echo&message=x")).get("message"));

        HttpResponse<String> elsewhere = get("/api/no/such/route?action=echo");
        assertEquals(404, elsewhere.statusCode());
        assertNull(runner.lastRequest.params().get("action"));
    }

    @Test
    void an_unknown_action_gets_what_the_runner_says() throws Exception {
        HttpResponse<String> response = get("/api/nope");

        assertEquals(404, response.statusCode());
        assertEquals("unknown action or invalid apiVersion", body(response).get("error"));
    }

    @Test
    void the_status_and_headers_come_from_the_result() throws Exception {
        HttpResponse<String> response = get("/api/headers");

        assertEquals(201, response.statusCode());
        assertEquals("yes", response.headers().firstValue("X-Test").orElse(null));
        assertEquals(List.of("the action"), response.headers().allValues("X-Powered-By"));

        HttpResponse<String> teapot = get("/api/status?status=418");
        assertEquals(418, teapot.statusCode());
        assertEquals("asked for 418", body(teapot).get("error"));
    }

    @Test
    void head_answers_like_get_without_a_body() throws Exception {
        HttpResponse<String> response = client.send(request("/api/echo").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    // ---- bad input: a JSON error each, and the server keeps serving

    @Test
    void malformed_json_gets_400_saying_what_is_wrong() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/json", "{\"message\": ");

        assertEquals(400, response.statusCode());
        String error = (String) body(response).get("error");
        assertTrue(error.startsWith("malformed request body: "), error);
        assertTrue(error.contains("line 1"), error);
        assertStillServing();
    }

    @Test
    void a_json_body_that_is_a_single_value_gets_400() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/json", "\"just a string\"");

        assertEquals(400, response.statusCode());
        assertEquals("malformed request body: a JSON body must be an object or an array, not a single value",
                body(response).get("error"));
    }

    @Test
    void a_declared_length_over_the_limit_gets_413_before_the_body_is_read() throws Exception {
        RawHttp.Reply reply = RawHttp.exchange(port, "POST /api/echo HTTP/1.1\r\nHost: test\r\n"
                + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n", null);

        assertEquals(413, reply.status());
        assertEquals("{\"error\":\"request body is larger than the limit of 1024 bytes\"}", reply.body());
        assertStillServing();
    }

    @Test
    void a_chunked_body_over_the_limit_gets_413() throws Exception {
        String chunk = "a".repeat(600);
        String chunked = "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";
        RawHttp.Reply reply = RawHttp.exchange(port, "POST /api/echo HTTP/1.1\r\nHost: test\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunked.getBytes(StandardCharsets.US_ASCII));

        assertEquals(413, reply.status());
        assertEquals("{\"error\":\"request body is larger than the limit of 1024 bytes\"}", reply.body());
        assertStillServing();
    }

    @Test
    void a_chunked_body_within_the_limit_is_read() throws Exception {
        String json = "{\"message\": \"chunked\"}";
        String chunked = Integer.toHexString(10) + "\r\n" + json.substring(0, 10) + "\r\n"
                + Integer.toHexString(json.length() - 10) + "\r\n" + json.substring(10) + "\r\n0\r\n\r\n";
        RawHttp.Reply reply = RawHttp.exchange(port, "POST /api/echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunked.getBytes(StandardCharsets.US_ASCII));

        assertEquals(200, reply.status());
        assertEquals("chunked", ((Map<?, ?>) JSON.readValue(reply.body(), Map.class).get("params")).get("message"));
    }

    @Test
    void bad_percent_encoding_in_the_query_gets_400() throws Exception {
        RawHttp.Reply reply = RawHttp.exchange(port, "GET /api/echo?message=%zz HTTP/1.1\r\nHost: test\r\n"
                + "Connection: close\r\n\r\n", null);

        assertEquals(400, reply.status());
        assertEquals("{\"error\":\"malformed request: invalid percent-encoding \\\"%zz\\\" in the query string\"}",
                reply.body());

        RawHttp.Reply notUtf8 = RawHttp.exchange(port, "GET /api/echo?message=%C3%28 HTTP/1.1\r\nHost: test\r\n"
                + "Connection: close\r\n\r\n", null);
        assertEquals(400, notUtf8.status());
        assertStillServing();
    }

    @Test
    void bad_percent_encoding_in_the_path_gets_400() throws Exception {
        RawHttp.Reply reply = RawHttp.exchange(port, "GET /api/echo/%zz HTTP/1.1\r\nHost: test\r\n"
                + "Connection: close\r\n\r\n", null);

        assertEquals(400, reply.status());
        assertEquals("application/json; charset=utf-8", reply.header("Content-Type"));
        // Jetty refuses it before any handler runs; its error handler words it through the same catalogue.
        assertEquals("{\"error\":\"malformed request: the request line or a header is invalid (for example a bad "
                + "percent-encoding in the path)\"}", reply.body());
        assertStillServing();
    }

    @Test
    void bad_percent_encoding_in_a_form_gets_400() throws Exception {
        HttpResponse<String> response = post("/api/echo", "application/x-www-form-urlencoded", "message=%4");

        assertEquals(400, response.statusCode());
        assertEquals("malformed request body: invalid percent-encoding \"%4\" in the form body", body(response).get("error"));
    }

    @Test
    void a_body_type_herald_does_not_read_gets_415_naming_the_ones_it_does() throws Exception {
        HttpResponse<String> response = post("/api/echo", "text/csv", "a,b");

        assertEquals(415, response.statusCode());
        assertEquals("unsupported content type: text/csv (send application/json, application/x-www-form-urlencoded or "
                + "multipart/form-data)", body(response).get("error"));
        assertStillServing();
    }

    @Test
    void a_runner_that_throws_gets_500_with_a_reference() throws Exception {
        HttpResponse<String> response = get("/api/throw");

        assertEquals(500, response.statusCode());
        assertTrue(((String) body(response).get("error")).startsWith("internal error (reference "));
        assertStillServing();
    }

    @Test
    void a_path_outside_the_actions_path_gets_404() throws Exception {
        HttpResponse<String> response = get("/other/thing");
        assertEquals(404, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("nothing is served at /other/thing", body(response).get("error"));

        assertEquals(404, get("/apiary").statusCode());
    }

    @Test
    void an_unsupported_method_gets_405() throws Exception {
        HttpResponse<String> response = client.send(request("/api/echo").method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(405, response.statusCode());
        assertEquals("method TRACE is not allowed here", body(response).get("error"));
        assertEquals("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", response.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void options_on_an_action_path_is_an_empty_200_listing_the_methods_as_actionhero_answers_it() throws Exception {
        for (String path : new String[] {"/api/echo", "/api/echo/hi", "/api", "/api/no-such-action?x=1"}) {
            HttpResponse<String> response = client.send(request(path).method("OPTIONS",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), path);
            assertEquals("", response.body(), path);
            assertEquals("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", response.headers().firstValue("Allow").orElse(null),
                    path);
        }
        assertEquals(200, get("/api/echo?message=after").statusCode(), "the connection serves on");
    }

    // ---- connection, fingerprint and metadata

    @Test
    void a_clients_request_id_goes_to_the_core_and_back_in_the_response() throws Exception {
        HttpResponse<String> response = client.send(request("/api/echo").header("X-Request-Id", "lb-3f1c:42").build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("lb-3f1c:42", response.headers().firstValue("X-Request-Id").orElse(null));
        assertEquals("lb-3f1c:42", runner.lastRequest.requestId());
        HttpResponse<String> unknown = client.send(request("/api/nope").header("X-Request-Id", "lb-2").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("lb-2", unknown.headers().firstValue("X-Request-Id").orElse(null), "failed calls have one too");
    }

    @Test
    void without_a_usable_request_id_the_call_gets_its_message_id() throws Exception {
        for (String sent : new String[] {null, "two words", "x".repeat(201), "a\"b"}) {
            HttpRequest.Builder builder = request("/api/echo");
            if (sent != null) {
                builder.header("X-Request-Id", sent);
            }
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());

            String id = response.headers().firstValue("X-Request-Id").orElse(null);
            assertNotNull(id, String.valueOf(sent));
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            assertEquals(id, runner.lastRequest.requestId());
            assertTrue(runner.lastRequest.connection().id().endsWith("-" + id), "the connection's messageId: "
                    + runner.lastRequest.connection().id());
        }
    }

    @Test
    void from_a_trusted_proxy_the_client_is_the_right_most_address_it_does_not_trust() throws Exception {
        Map<String, String> expected = Map.of(
                "203.0.113.7", "203.0.113.7",
                "6.6.6.6, 203.0.113.7", "203.0.113.7",
                "203.0.113.7, 127.0.0.5", "203.0.113.7",
                "[2001:db8::7]:1234, ::1", "2001:db8::7",
                "unknown", "127.0.0.1",
                "evil.example.com", "127.0.0.1");
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            HttpResponse<String> response = client.send(request("/api/echo").header("X-Forwarded-For", entry.getKey())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(entry.getValue(), connection(response).get("remoteIp"), entry.getKey());
        }
        HttpResponse<String> tls = client.send(request("/api/metadata").header("X-Forwarded-Proto", "https").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(true, body(tls).get("secure"), "TLS at the trusted proxy");
        assertTrue(tls.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("sessionID=")
                && c.endsWith("; Secure")), tls.headers().allValues("Set-Cookie").toString());
    }

    @Test
    void from_anyone_else_the_forwarding_headers_are_ignored() throws Exception {
        WebServer strict = new WebServer(TestConfig.settings(Map.of("trustedProxies", new String[] {"10.0.0.0/8"})),
                () -> runner, TestIdentity.development(), Messages::defaults);
        strict.start();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + strict.port() + "/api/metadata"))
                    .header("X-Forwarded-For", "203.0.113.7").header("X-Real-IP", "203.0.113.8")
                    .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(false, body(response).get("secure"));
            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + strict.port() + "/api/echo"))
                    .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("127.0.0.1", connection(echo).get("remoteIp"));
        } finally {
            strict.stop();
        }
    }

    @Test
    void the_client_address_comes_from_x_forwarded_headers_when_present() throws Exception {
        HttpResponse<String> forwarded = client.send(request("/api/echo").header("X-Forwarded-For", "203.0.113.7, 127.0.0.1")
                .header("X-Forwarded-Port", "4443").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("203.0.113.7", connection(forwarded).get("remoteIp"));
        assertEquals(4443, connection(forwarded).get("remotePort"));
        assertEquals("203.0.113.7", requesterInformation(forwarded).get("remoteIP"));

        HttpResponse<String> direct = get("/api/echo");
        assertEquals("127.0.0.1", connection(direct).get("remoteIp"));
        assertTrue((Integer) connection(direct).get("remotePort") > 0);
    }

    @Test
    void a_new_client_gets_a_session_cookie_and_keeps_its_fingerprint() throws Exception {
        HttpResponse<String> first = get("/api/echo");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("sessionID=[0-9a-f]{40}; Path=/; Expires=.+ GMT; HttpOnly; SameSite=Lax"), cookie);
        assertTrue(new Fingerprints("sessionID").setCookie("f", 0, true).endsWith("; HttpOnly; SameSite=Lax; Secure"),
                "Secure when the request came over TLS");
        String fingerprint = cookie.substring("sessionID=".length(), cookie.indexOf(';'));
        Map<String, Object> connection = connection(first);
        assertEquals(fingerprint, connection.get("fingerprint"));
        assertTrue(((String) connection.get("id")).startsWith(fingerprint + "-"));

        HttpResponse<String> again = client.send(request("/api/echo").header("Cookie", "other=1; sessionID=" + fingerprint)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(again.headers().firstValue("Set-Cookie").isPresent());
        assertEquals(fingerprint, connection(again).get("fingerprint"));
        assertFalse(connection.get("id").equals(connection(again).get("id")));
    }

    @Test
    void the_runner_sees_headers_and_cookies_and_the_cookies_it_sets_are_sent() throws Exception {
        HttpResponse<String> response = client.send(request("/api/metadata").header("Authorization", "Bearer abc")
                .header("X-Multi", "one").header("X-Multi", "two").header("Cookie", "sessionID=f1; a=1; a=2").build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> body = body(response);
        assertEquals("Bearer abc", body.get("authorization"));
        assertEquals(List.of("one", "two"), body.get("forwarded"));
        assertEquals(Map.of("sessionID", "f1", "a", "1"), body.get("cookies"), "the first of a repeated cookie wins");
        assertEquals(false, body.get("secure"));
        assertEquals(List.of("session=s3cr3t; Path=/; HttpOnly; SameSite=Lax",
                "theme=dark; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"), response.headers().allValues("Set-Cookie"));
    }

    @Test
    void responses_carry_server_and_requester_information_outside_production() throws Exception {
        HttpResponse<String> response = get("/api/echo?message=hi&notAnInput=x");

        Map<String, Object> server = map(body(response).get("serverInformation"));
        assertEquals("test-node", server.get("serverName"));
        assertEquals("1.2.3", server.get("apiVersion"));
        assertTrue(((Number) server.get("requestDuration")).longValue() >= 0);
        assertNotNull(server.get("currentTime"));

        Map<String, Object> requester = requesterInformation(response);
        Map<String, Object> connection = connection(response);
        assertEquals(connection.get("id"), requester.get("id"));
        assertEquals(connection.get("fingerprint"), requester.get("fingerprint"));
        assertEquals(((String) connection.get("id")).substring(((String) connection.get("fingerprint")).length() + 1),
                requester.get("messageId"));
        // Only params some action declares are echoed back (Actionhero's postVariables).
        assertEquals(Map.of("message", "hi", "action", "echo"), requester.get("receivedParams"));
    }

    @Test
    void a_response_that_is_a_document_of_its_own_gets_no_metadata() throws Exception {
        HttpResponse<String> response = get("/api/document");
        assertEquals(200, response.statusCode());
        assertEquals(Map.of("openapi", "3.0.3"), body(response));
    }

    // ---- helpers

    private static void assertStillServing() throws Exception {
        HttpResponse<String> response = get("/api/echo?message=still");
        assertEquals(200, response.statusCode());
        assertEquals("still", params(response).get("message"));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return client.send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> body(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    private static Map<String, Object> params(HttpResponse<String> response) throws IOException {
        return map(body(response).get("params"));
    }

    private static Map<String, Object> connection(HttpResponse<String> response) throws IOException {
        return map(body(response).get("connection"));
    }

    private static Map<String, Object> requesterInformation(HttpResponse<String> response) throws IOException {
        return map(body(response).get("requesterInformation"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertNotNull(value);
        return (Map<String, Object>) value;
    }
}
