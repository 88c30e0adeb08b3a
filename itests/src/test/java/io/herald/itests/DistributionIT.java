package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The built distribution as a user runs it: {@code bin/herald start} on the embedded default (no Redis), the web
 * role's actions over real HTTP, hot deploy through {@code deploy/}, bad input, and a graceful SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HeraldProcess herald;

    @BeforeAll
    static void start() throws Exception {
        herald = HeraldProcess.start(Map.of("HERALD_TITLE", "e2e-node"));
        herald.awaitStarted(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "JSON expected: " + response.headers().map());
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void status_reports_this_node() throws Exception {
        HttpResponse<String> response = herald.get("/api/status");
        assertEquals(200, response.statusCode());
        JsonNode status = json(response);
        assertEquals("e2e-node", status.get("id").asText());
        assertEquals("Healthy", status.get("nodeStatus").asText());
        assertTrue(status.get("heraldVersion").asText().matches("\\d+\\.\\d+\\.\\d+.*"));
        // Actionhero's package.json fields: the shipped configuration describes the distribution itself
        assertEquals("herald", status.get("name").asText());
        assertEquals("A Herald API server", status.get("description").asText());
        assertEquals(status.get("heraldVersion").asText(), status.get("version").asText());
        assertEquals(0, status.get("resqueTotalQueueLength").asLong(), "the embedded task queues are empty: " + status);
        assertTrue(Files.exists(herald.home.resolve("pids/herald-e2e-node")), "pidfile written at start");
    }

    /**
     * The node's pidfile, lock and log are in its own home, and it runs the distribution's bundles without a copy: a
     * node a user runs in the distribution directory (the README's quickstart, a jar in its deploy/) is not seen.
     */
    @Test
    @Order(1)
    void the_node_lives_in_a_home_of_its_own_not_in_the_distribution() {
        assertFalse(herald.home.toAbsolutePath().normalize().startsWith(HeraldProcess.DISTRIBUTION), herald.home.toString());
        assertTrue(Files.exists(herald.home.resolve("pids/herald-e2e-node")), "pidfile in the node's home");
        assertTrue(Files.exists(herald.home.resolve("data/nodes/e2e-node/.herald.lock")), "data lock in the node's home");
        assertTrue(Files.exists(herald.home.resolve("log/e2e-node.log")), "log in the node's home, named by its title");
        assertFalse(Files.exists(herald.home.resolve("log/herald.log")), "a node with a title has a file of its own");
        assertFalse(Files.exists(HeraldProcess.DISTRIBUTION.resolve("pids/herald-e2e-node")), "pidfile in the distribution");
        assertFalse(Files.exists(herald.home.resolve("bundle")), "bundle/ comes from the distribution, not a copy");
    }

    @Test
    @Order(2)
    void unknown_action_is_404_json() throws Exception {
        HttpResponse<String> response = herald.get("/api/nope");
        assertEquals(404, response.statusCode());
        assertEquals("unknown action or invalid apiVersion", json(response).get("error").asText());
    }

    @Test
    @Order(3)
    void swagger_documents_the_actions() throws Exception {
        HttpResponse<String> response = herald.get("/api/swagger");
        assertEquals(200, response.statusCode());
        JsonNode doc = json(response);
        assertEquals("3.0.3", doc.get("openapi").asText());
        assertTrue(doc.get("paths").has("/api/status"), doc.get("paths").toString());
        assertFalse(doc.has("serverInformation"), "an OpenAPI document has no room for response metadata");
    }

    @Test
    @Order(4)
    void a_bundle_dropped_into_deploy_is_served_and_goes_when_deleted() throws Exception {
        assertEquals(404, herald.get("/api/echo?message=hi").statusCode(), "not deployed yet");
        Path deployed = herald.deploy(HeraldProcess.EXAMPLE_JAR);

        HttpResponse<String> echo = herald.awaitStatus("/api/echo?message=hi", 200, Duration.ofSeconds(15));
        assertEquals("hi", json(echo).get("message").asText());

        HttpResponse<String> post = herald.post("/api/echo", "application/json", BodyPublishers.ofString("{\"message\":\"from json\"}"));
        assertEquals(200, post.statusCode());
        assertEquals("from json", json(post).get("message").asText());

        HttpResponse<String> missing = herald.get("/api/echo");
        assertEquals(422, missing.statusCode());
        assertEquals("message is a required parameter for this action", json(missing).get("error").asText());

        HttpResponse<String> random = herald.get("/api/randomNumber");
        assertEquals(200, random.statusCode());
        assertTrue(json(random).get("randomNumber").isNumber());

        Files.delete(deployed);
        HttpResponse<String> gone = herald.awaitStatus("/api/echo?message=hi", 404, Duration.ofSeconds(15));
        assertEquals("unknown action or invalid apiVersion", json(gone).get("error").asText());
    }

    @Test
    @Order(5)
    void malformed_json_is_400_and_the_server_carries_on() throws Exception {
        HttpResponse<String> response = herald.post("/api/status", "application/json", BodyPublishers.ofString("{\"message\": "));
        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("error").asText().startsWith("malformed request body"), response.body());
        assertEquals(200, herald.get("/api/status").statusCode());
    }

    @Test
    @Order(6)
    void a_body_over_the_limit_is_413_and_the_server_carries_on() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        HttpResponse<String> response = herald.post("/api/status", "application/x-www-form-urlencoded",
                BodyPublishers.ofByteArray(big));
        assertEquals(413, response.statusCode());
        assertTrue(json(response).get("error").asText().contains("limit"), response.body());
        assertEquals(200, herald.get("/api/status").statusCode());
    }

    @Test
    @Order(7)
    void invalid_percent_encoding_is_400_and_the_server_carries_on() throws Exception {
        // Raw socket: java.net.http refuses to send an invalid URI.
        String response = rawRequest("GET /api/status?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("\"error\""), response);
        assertEquals(200, herald.get("/api/status").statusCode());
    }

    @Test
    @Order(8)
    void sigterm_stops_gracefully_with_exit_0_and_removes_the_pidfile() throws Exception {
        Path pidFile = herald.home.resolve("pids/herald-e2e-node");
        assertTrue(Files.exists(pidFile));
        herald.signal("TERM");
        assertEquals(0, herald.awaitExit(Duration.ofSeconds(60)), herald.output());
        assertFalse(Files.exists(pidFile), "pidfile removed at stop");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", herald.port).close());
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", herald.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Roles and start-up failures, each on its own process. */
    @org.junit.jupiter.api.Nested
    class Roles {

        @Test
        void the_worker_role_opens_no_http_port() throws Exception {
            try (HeraldProcess worker = HeraldProcess.start(Map.of("HERALD_ROLE", "worker", "HERALD_TITLE", "worker-1"))) {
                worker.awaitStartedLine(Duration.ofSeconds(60));
                assertTrue(Files.exists(worker.home.resolve("pids/herald-worker-1")), worker.output());
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", worker.port).close());
                worker.signal("TERM");
                assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker.output());
            }
        }

        @Test
        void enable_web_server_false_keeps_the_port_closed() throws Exception {
            try (HeraldProcess node = HeraldProcess.start(Map.of("ENABLE_WEB_SERVER", "false", "HERALD_TITLE", "quiet"))) {
                node.awaitStartedLine(Duration.ofSeconds(60));
                assertTrue(Files.exists(node.home.resolve("pids/herald-quiet")), node.output());
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", node.port).close());
            }
        }

        @Test
        void a_taken_port_exits_non_zero_naming_the_port() throws Exception {
            try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
                int port = taken.getLocalPort();
                try (HeraldProcess node = HeraldProcess.start(Map.of("PORT", Integer.toString(port)))) {
                    int exit = node.awaitExit(Duration.ofSeconds(60));
                    assertNotEquals(0, exit, node.output());
                    assertTrue(node.output().contains(Integer.toString(port)), node.output());
                    assertTrue(node.output().toLowerCase().contains("in use"), node.output());
                }
            }
        }

        @Test
        void an_unknown_role_exits_non_zero_naming_it() throws Exception {
            try (HeraldProcess node = HeraldProcess.start(Map.of("HERALD_ROLE", "gardener"))) {
                assertNotEquals(0, node.awaitExit(Duration.ofSeconds(60)));
                assertTrue(node.output().contains("gardener"), node.output());
            }
        }

        @Test
        void a_role_whose_bundles_do_not_resolve_exits_non_zero_naming_the_cause() throws Exception {
            // The home's own bundle/ replaces the distribution's (which a test never changes): a release without it.
            Path home = HeraldProcess.newHome();
            HeraldProcess.copyTree(HeraldProcess.DISTRIBUTION.resolve("bundle"), home.resolve("bundle"));
            try (var jars = Files.list(home.resolve("bundle"))) {
                for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("jackson-databind-")).toList()) {
                    Files.delete(jar);
                }
            }
            try (HeraldProcess node = HeraldProcess.startIn(home, Map.of())) {
                assertEquals(2, node.awaitExit(Duration.ofSeconds(60)), node.output());
                assertTrue(node.output().contains("jackson-databind"), node.output());
            }
        }

        @Test
        void production_refuses_an_empty_server_token() throws Exception {
            try (HeraldProcess node = HeraldProcess.start(Map.of("HERALD_ENV", "production", "HERALD_SERVER_TOKEN", ""))) {
                assertNotEquals(0, node.awaitExit(Duration.ofSeconds(60)), node.output());
                assertTrue(node.output().contains("HERALD_SERVER_TOKEN"), node.output());
            }
        }

        @Test
        void invalid_config_exits_non_zero_naming_the_file() throws Exception {
            Path home = HeraldProcess.newHome();
            Files.writeString(home.resolve("config/io.herald.core.cfg"), "simultaneousActions = ${env:HERALD_IT_UNSET_VARIABLE}\n");
            try (HeraldProcess node = HeraldProcess.startIn(home, Map.of())) {
                assertNotEquals(0, node.awaitExit(Duration.ofSeconds(60)));
                assertTrue(node.output().contains("io.herald.core.cfg"), node.output());
                assertTrue(node.output().contains("HERALD_IT_UNSET_VARIABLE"), node.output());
            }
        }
    }
}
