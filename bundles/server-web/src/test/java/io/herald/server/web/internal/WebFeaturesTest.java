package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.Messages;

/**
 * What a browser and a form expect of the web server, over real sockets: CORS and preflights, JSONP, bracket params,
 * case-insensitive action paths, the query length limit and file uploads (limits, and the upload directory empty
 * afterwards).
 */
class WebFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOWED = "https://app.example.com";

    @TempDir
    Path uploads;

    private TestRunner runner;
    private WebServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(Map<String, Object> overrides, boolean production) {
        Map<String, Object> values = new HashMap<>();
        values.put("uploadDir", uploads.toString());
        values.putAll(overrides);
        runner = new TestRunner();
        server = new WebServer(TestConfig.settings(values, production), () -> runner, TestIdentity.development(),
                Messages::defaults);
        server.start();
    }

    private void start(Map<String, Object> overrides) {
        start(overrides, false);
    }

    // ---- CORS

    @Test
    void a_preflight_from_an_allowed_origin_gets_204_with_the_allow_headers() throws Exception {
        start(Map.of("corsAllowedOrigins", new String[] { ALLOWED + ", https://*.partner.org" }, "corsMaxAge", 120L));

        for (String origin : List.of(ALLOWED, "https://shop.partner.org")) {
            HttpResponse<String> preflight = preflight("/api/echo", origin);
            assertEquals(204, preflight.statusCode(), preflight.body());
            assertEquals(origin, header(preflight, "Access-Control-Allow-Origin"));
            assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("POST"), preflight.headers().toString());
            assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("Content-Type"));
            assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("X-Request-Id"), "a page may send its id");
            assertEquals("120", header(preflight, "Access-Control-Max-Age"));
            assertTrue(header(preflight, "Vary").contains("Origin"));
            assertEquals("", preflight.body());
        }

        HttpResponse<String> call = send(request("/api/echo?message=hi").header("Origin", ALLOWED).GET());
        assertEquals(200, call.statusCode());
        assertEquals(ALLOWED, header(call, "Access-Control-Allow-Origin"));
        assertTrue(header(call, "Vary").contains("Origin"));
        assertNull(header(call, "Access-Control-Allow-Credentials"));
        assertEquals("X-Request-Id", header(call, "Access-Control-Expose-Headers"), "a page may read its call's id");
        assertTrue(header(call, "X-Request-Id") != null && !header(call, "X-Request-Id").isBlank());
    }

    @Test
    void a_preflight_from_a_refused_origin_gets_403_without_cors_headers() throws Exception {
        start(Map.of("corsAllowedOrigins", new String[] { ALLOWED }));

        for (String origin : List.of("https://evil.example.net", "https://app.example.com.evil.net", "null")) {
            HttpResponse<String> preflight = preflight("/api/echo", origin);
            assertEquals(403, preflight.statusCode());
            assertNull(header(preflight, "Access-Control-Allow-Origin"));
            assertEquals("origin " + origin + " is not allowed", body(preflight).get("error"));
        }
        // A simple request from there is served (clients that are no browsers may send Origin), but without the
        // headers that would let a page read it.
        HttpResponse<String> call = send(request("/api/echo").header("Origin", "https://evil.example.net").GET());
        assertEquals(200, call.statusCode());
        assertNull(header(call, "Access-Control-Allow-Origin"));
        assertTrue(header(call, "Vary").contains("Origin"));
    }

    @Test
    void development_allows_every_origin_and_production_none_unless_configured() throws Exception {
        start(Map.of());
        assertEquals(204, preflight("/api/echo", "https://anywhere.example").statusCode());
        stop();

        start(Map.of(), true);
        HttpResponse<String> preflight = preflight("/api/echo", "https://anywhere.example");
        // No CORS at all in production by default: OPTIONS is not an action method.
        assertEquals(405, preflight.statusCode());
        assertNull(header(preflight, "Access-Control-Allow-Origin"));
        stop();

        start(Map.of("corsAllowedOrigins", new String[] { ALLOWED }, "corsAllowCredentials", true), true);
        HttpResponse<String> allowed = preflight("/api/echo", ALLOWED);
        assertEquals(204, allowed.statusCode());
        assertEquals("true", header(allowed, "Access-Control-Allow-Credentials"));
    }

    @Test
    void an_error_answer_keeps_its_cors_headers_so_the_page_can_read_it() throws Exception {
        start(Map.of("corsAllowedOrigins", new String[] { ALLOWED }));
        HttpResponse<String> response = send(request("/api/echo").header("Origin", ALLOWED)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{broken")));
        assertEquals(400, response.statusCode());
        assertEquals(ALLOWED, header(response, "Access-Control-Allow-Origin"));
    }

    @Test
    void a_configuration_change_replaces_the_cors_policy_without_a_restart() throws Exception {
        start(Map.of("corsAllowedOrigins", new String[] { ALLOWED }));
        assertEquals(403, preflight("/api/echo", "https://next.example.com").statusCode());

        Map<String, Object> values = new HashMap<>();
        values.put("uploadDir", uploads.toString());
        values.put("corsAllowedOrigins", new String[] { "https://next.example.com" });
        server.apply(TestConfig.settings(values));
        assertEquals(204, preflight("/api/echo", "https://next.example.com").statusCode());
        assertEquals(403, preflight("/api/echo", ALLOWED).statusCode());
    }

    // ---- JSONP

    @Test
    void a_callback_param_wraps_the_answer_as_javascript() throws Exception {
        start(Map.of());
        HttpResponse<String> response = get("/api/echo?message=hi&callback=app.handlers.done");

        assertEquals(200, response.statusCode());
        assertEquals("application/javascript; charset=utf-8", header(response, "Content-Type"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        String text = response.body();
        assertTrue(text.startsWith("/**/ app.handlers.done({") && text.endsWith("});"), text);
        Map<String, Object> json = JSON.readValue(text.substring("/**/ app.handlers.done(".length(), text.length() - 2),
                new TypeReference<>() {
                });
        assertEquals("hi", ((Map<?, ?>) json.get("params")).get("message"));
    }

    @Test
    void a_callback_that_is_no_javascript_name_is_refused_before_the_action_runs() throws Exception {
        start(Map.of());
        for (String bad : List.of("alert(1)//", "a-b", "1abc", "a..b", "x".repeat(200), "%3Cscript%3E")) {
            HttpResponse<String> response = get("/api/echo?callback=" + bad.replace("(", "%28").replace(")", "%29"));
            assertEquals(400, response.statusCode(), bad);
            assertEquals("application/json; charset=utf-8", header(response, "Content-Type"));
            assertTrue(body(response).get("error").toString().startsWith("malformed request: callback must be a JavaScript name"),
                    response.body());
        }
        assertNull(runner.lastRequest, "the action never ran");
    }

    @Test
    void jsonp_is_off_in_production_unless_configured() throws Exception {
        start(Map.of(), true);
        HttpResponse<String> response = get("/api/echo?callback=done");
        assertEquals("application/json; charset=utf-8", header(response, "Content-Type"));
        assertTrue(response.body().startsWith("{"), response.body());
        stop();

        start(Map.of("jsonp", "true"), true);
        assertTrue(get("/api/echo?callback=done").body().startsWith("/**/ done("));
    }

    // ---- params and routes

    @Test
    void bracket_params_reach_the_action_nested() throws Exception {
        start(Map.of());
        Map<String, Object> params = params(get("/api/echo?user%5Bname%5D=ada&user[langs][]=en&user[langs][]=fr&ids[0]=7"));
        assertEquals(Map.of("name", "ada", "langs", List.of("en", "fr")), params.get("user"));
        assertEquals(List.of("7"), params.get("ids"));

        Map<String, Object> form = params(send(request("/api/echo").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user[name]=grace&user[address][city]=Arlington"))));
        assertEquals(Map.of("name", "grace", "address", Map.of("city", "Arlington")), form.get("user"));
    }

    @Test
    void bracket_limits_answer_422_in_the_catalogues_words() throws Exception {
        start(Map.of("maxFormFields", 5, "maxBracketDepth", 2));
        HttpResponse<String> deep = get("/api/echo?a[b][c][d]=1");
        assertEquals(422, deep.statusCode());
        assertEquals("a is nested too deeply: at most 2 levels are accepted", body(deep).get("error"));

        HttpResponse<String> many = send(request("/api/echo?a=1&b=2&c=3").header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("d=4&e=5&f=6")));
        assertEquals(422, many.statusCode());
        assertEquals("too many params: at most 5 are accepted", body(many).get("error"));
        assertEquals(200, get("/api/echo?a=1").statusCode());
    }

    @Test
    void the_automatic_route_ignores_the_case_of_the_action_name() throws Exception {
        start(Map.of());
        for (String path : List.of("/api/ECHO", "/api/Echo", "/api/echo")) {
            HttpResponse<String> response = get(path + "?message=hi");
            assertEquals(200, response.statusCode(), path);
            assertEquals("echo", params(response).get("action"), path);
        }
        assertEquals(404, get("/api/nosuchaction").statusCode());
        // randomNumber is registered (the test runner lists it, though it does not run it): the name is mapped.
        get("/api/RANDOMNUMBER");
        assertEquals("randomNumber", runner.lastRequest.action());
    }

    @Test
    void the_action_param_names_the_action_on_the_actions_path() throws Exception {
        start(Map.of());
        HttpResponse<String> response = get("/api?action=echo&message=hi");
        assertEquals(200, response.statusCode());
        assertEquals("hi", params(response).get("message"));
    }

    @Test
    void a_query_string_over_the_limit_gets_414_as_json() throws Exception {
        start(Map.of("maxQueryLength", 100));
        HttpResponse<String> response = get("/api/echo?message=" + "x".repeat(200));
        assertEquals(414, response.statusCode());
        assertEquals("application/json; charset=utf-8", header(response, "Content-Type"));
        assertEquals("the query string is longer than the limit of 100 bytes", body(response).get("error"));
        assertEquals(200, get("/api/echo?message=" + "x".repeat(50)).statusCode());
    }

    // ---- uploads

    @Test
    void an_uploaded_file_reaches_the_action_typed_and_is_deleted_afterwards() throws Exception {
        start(Map.of());
        byte[] form = new MultipartForm().field("title", "holiday").field("fields[tag]", "beach")
                .file("photo", "beach.txt", "text/plain", "sand and sea".getBytes(StandardCharsets.UTF_8)).bytes();
        HttpResponse<String> response = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = body(response);
        assertEquals("holiday", body.get("title"));
        assertEquals(Map.of("tag", "beach"), body.get("fields"));
        Map<?, ?> photo = (Map<?, ?>) ((Map<?, ?>) body.get("files")).get("photo");
        assertEquals("photo", photo.get("name"));
        assertEquals("beach.txt", photo.get("fileName"));
        assertEquals(12, photo.get("size"));
        assertEquals("text/plain", photo.get("contentType"));
        assertEquals(true, photo.get("exists"));
        assertEquals("sand and sea", photo.get("content"));
        assertEquals(1, runner.uploadedPaths.size());
        assertTrue(runner.uploadedPaths.get(0).startsWith(uploads), runner.uploadedPaths.toString());
        assertFalse(Files.exists(runner.uploadedPaths.get(0)));
        assertUploadDirectoryEmpty();
    }

    @Test
    void several_files_and_an_empty_one_reach_the_action() throws Exception {
        start(Map.of());
        byte[] form = new MultipartForm().file("docs[]", "a.txt", "text/plain", "A".getBytes(StandardCharsets.UTF_8))
                .file("docs[]", "b.txt", "text/plain", "BB".getBytes(StandardCharsets.UTF_8))
                .file("empty", "none.bin", "application/octet-stream", new byte[0]).bytes();
        HttpResponse<String> response = send(request("/api/echo").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertEquals(200, response.statusCode(), response.body());
        List<?> docs = (List<?>) params(response).get("docs");
        assertEquals(2, docs.size());
        assertEquals("a.txt", ((Map<?, ?>) docs.get(0)).get("fileName"));
        assertEquals(2, ((Map<?, ?>) docs.get(1)).get("size"));
        assertEquals(0, ((Map<?, ?>) params(response).get("empty")).get("size"));
        assertUploadDirectoryEmpty();
    }

    @Test
    void the_files_are_deleted_when_the_action_fails() throws Exception {
        start(Map.of());
        byte[] form = new MultipartForm().file("photo", "x.txt", "text/plain", "data".getBytes(StandardCharsets.UTF_8)).bytes();
        HttpResponse<String> response = send(request("/api/throw").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertEquals(500, response.statusCode());
        assertUploadDirectoryEmpty();
    }

    @Test
    void an_upload_over_the_request_limit_gets_413_and_leaves_nothing_behind() throws Exception {
        start(Map.of("maxUploadSize", 1_000_000L, "maxDrainSize", 64L * 1024 * 1024));
        byte[] form = new MultipartForm().file("big", "big.bin", "application/octet-stream", new byte[2_000_000]).bytes();

        // Declared: refused before a byte is read.
        HttpResponse<String> declared = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertEquals(413, declared.statusCode());
        assertEquals("request body is larger than the limit of 1000000 bytes", body(declared).get("error"));

        // Chunked: cut off while it streams to disk, the partial file deleted.
        HttpResponse<String> chunked = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form))));
        assertEquals(413, chunked.statusCode());
        assertEquals("request body is larger than the limit of 1000000 bytes", body(chunked).get("error"));
        assertUploadDirectoryEmpty();
        assertTrue(runner.uploadedPaths.isEmpty(), "the action never ran");
    }

    @Test
    void a_file_over_the_file_limit_gets_413_in_the_catalogues_words() throws Exception {
        start(Map.of("maxUploadFileSize", 1000L));
        byte[] form = new MultipartForm().field("title", "t").file("big", "big.bin", "application/octet-stream", new byte[5000])
                .bytes();
        HttpResponse<String> response = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertEquals(413, response.statusCode());
        assertEquals("an uploaded file is larger than the limit of 1000 bytes", body(response).get("error"));
        assertUploadDirectoryEmpty();
        assertEquals(200, get("/api/echo").statusCode());
    }

    @Test
    void a_field_that_is_not_utf8_is_refused() throws Exception {
        start(Map.of());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + MultipartForm.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] { (byte) 0xC0, (byte) 0xAF });
        out.writeBytes(("\r\n--" + MultipartForm.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> response = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
        assertEquals(400, response.statusCode());
        assertEquals("malformed request body: the field title is not UTF-8", body(response).get("error"));
        assertUploadDirectoryEmpty();
    }

    @Test
    void a_malformed_multipart_body_is_400_and_uploads_can_be_turned_off() throws Exception {
        start(Map.of());
        HttpResponse<String> noBoundary = send(request("/api/upload").header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("whatever")));
        assertEquals(400, noBoundary.statusCode());
        assertEquals("malformed request body: multipart/form-data without a boundary", body(noBoundary).get("error"));

        HttpResponse<String> truncated = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString("--" + MultipartForm.BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\npartial")));
        assertEquals(400, truncated.statusCode(), truncated.body());
        assertTrue(body(truncated).get("error").toString().startsWith("malformed request body: "), truncated.body());
        assertFalse(truncated.body().contains("Exception"), truncated.body());
        assertUploadDirectoryEmpty();
        stop();

        start(Map.of("maxUploadSize", 0L));
        HttpResponse<String> off = send(request("/api/upload").header("Content-Type", MultipartForm.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new MultipartForm().field("a", "b").bytes())));
        assertEquals(415, off.statusCode());
    }

    // ---- helpers

    private void assertUploadDirectoryEmpty() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(List.of(), left.toList(), "the upload directory keeps nothing");
        }
    }

    private HttpResponse<String> preflight(String path, String origin) throws Exception {
        return send(request(path).header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        List<String> values = response.headers().allValues(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static Map<String, Object> body(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() {
        });
    }

    private static Map<String, Object> params(HttpResponse<String> response) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) body(response).get("params");
        return params;
    }
}
