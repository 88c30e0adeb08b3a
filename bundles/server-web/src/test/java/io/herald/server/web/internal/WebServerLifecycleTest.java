package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.RouteTable;
import io.herald.api.spi.ServerIdentity;

/** Starting, listening and stopping: ports, unix sockets, metadata settings, graceful stop. */
class WebServerLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final TestRunner runner = new TestRunner();

    @Test
    void a_port_in_use_fails_the_start_naming_the_port() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            WebServer server = server(Map.of("port", String.valueOf(port)), TestIdentity.development());

            IllegalStateException failure = assertThrows(IllegalStateException.class, server::start);

            assertTrue(failure.getMessage().contains("port " + port + " is in use"), failure.getMessage());
        }
    }

    @Test
    void serves_on_a_unix_socket_after_removing_a_stale_one() throws Exception {
        Path socket = directory.resolve("herald.sock");
        leaveStaleSocket(socket);
        WebServer server = server(Map.of("port", socket.toString()), TestIdentity.development());
        server.start();
        try {
            assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                RawHttp.Reply reply = RawHttp.exchange(channel,
                        "GET /api/echo?message=over%20unix HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);

                assertEquals(200, reply.status());
                Map<?, ?> body = JSON.readValue(reply.body(), Map.class);
                assertEquals("over unix", ((Map<?, ?>) body.get("params")).get("message"));
                assertEquals(ClientAddress.UNKNOWN_IP, ((Map<?, ?>) body.get("connection")).get("remoteIp"));
            }
            assertEquals(-1, server.port());
        } finally {
            server.stop();
        }
        assertFalse(Files.exists(socket), "the socket file is removed on stop");
    }

    @Test
    void a_unix_socket_another_process_listens_on_is_left_alone() throws Exception {
        Path socket = directory.resolve("busy.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            WebServer server = server(Map.of("port", socket.toString()), TestIdentity.development());

            IllegalStateException failure = assertThrows(IllegalStateException.class, server::start);

            assertTrue(failure.getMessage().contains("unix socket " + socket + " is in use"), failure.getMessage());
            assertTrue(Files.exists(socket));
        }
    }

    @Test
    void a_socket_path_naming_a_regular_file_is_refused_and_the_file_kept() throws Exception {
        Path file = directory.resolve("important.txt");
        Files.writeString(file, "keep me");
        WebServer server = server(Map.of("port", file.toString()), TestIdentity.development());

        IllegalStateException failure = assertThrows(IllegalStateException.class, server::start);

        assertTrue(failure.getMessage().contains("is not a unix socket"), failure.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void a_stop_refuses_new_connections_answers_open_ones_503_and_lets_requests_in_flight_finish() throws Exception {
        WebServer server = server(Map.of("shutdownTimeout", 60_000L), TestIdentity.development());
        server.start();
        int port = server.port();
        try (KeepAliveClient open = new KeepAliveClient(port);
                KeepAliveClient firstInFlight = new KeepAliveClient(port);
                KeepAliveClient secondInFlight = new KeepAliveClient(port)) {
            assertEquals(200, open.get("/api/echo").status());
            assertFalse(open.get("/api/echo").closes(), "a keep-alive connection, open when the stop begins");
            firstInFlight.send("GET /api/slow HTTP/1.1\r\nHost: test\r\n\r\n", null);
            secondInFlight.send("GET /api/slow HTTP/1.1\r\nHost: test\r\n\r\n", null);
            assertTrue(runner.slowStarted.tryAcquire(2, 30, TimeUnit.SECONDS), "both slow requests are in flight");

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            assertTrue(Ports.awaitRefused(port), "new connections are refused while stopping");

            KeepAliveClient.Reply refused = open.get("/api/echo");
            assertEquals(503, refused.status());
            assertEquals("1", refused.header("Retry-After"));
            assertTrue(refused.closes(), "Connection: close");
            assertEquals("application/json; charset=utf-8", refused.header("Content-Type"));
            assertEquals(Map.of("error", Messages.defaults().format(HeraldError.SERVER_SHUTTING_DOWN)),
                    JSON.readValue(refused.body(), Map.class));
            assertTrue(open.closedByServer(), "the connection that got the 503 is closed");
            assertFalse(stopped.isDone(), "the stop waits for the requests in flight");

            runner.releaseSlow();
            for (KeepAliveClient inFlight : List.of(firstInFlight, secondInFlight)) {
                KeepAliveClient.Reply finished = inFlight.read();
                assertEquals(200, finished.status());
                assertEquals("done", JSON.readValue(finished.body(), Map.class).get("slow"));
                assertTrue(finished.closes(), "a response finished during the stop closes its connection");
            }
            stopped.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_stop_closes_idle_connections_as_soon_as_nothing_is_in_flight() throws Exception {
        // A stop waits for requests in flight, not for clients that keep idle connections open.
        WebServer server = server(Map.of("shutdownTimeout", 600_000L), TestIdentity.development());
        server.start();
        try (KeepAliveClient idle = new KeepAliveClient(server.port())) {
            assertEquals(200, idle.get("/api/echo").status());

            CompletableFuture.runAsync(server::stop).get(60, TimeUnit.SECONDS);

            assertTrue(idle.closedByServer());
        }
    }

    @Test
    void metadata_is_off_in_production_when_auto_and_follows_explicit_settings() throws Exception {
        assertEquals(List.of(), metadataKeys(Map.of(), TestIdentity.production()));
        assertEquals(List.of("serverInformation", "requesterInformation"), metadataKeys(Map.of(), TestIdentity.development()));
        assertEquals(List.of("serverInformation"),
                metadataKeys(Map.of("serverInformation", "true", "requesterInformation", "auto"), TestIdentity.production()));
        assertEquals(List.of("requesterInformation"),
                metadataKeys(Map.of("serverInformation", "false"), TestIdentity.development()));
    }

    @Test
    void the_route_table_lists_the_automatic_routes_and_the_routes_file() throws Exception {
        Path routes = directory.resolve("routes.json");
        Files.writeString(routes, "{\"get\": [{\"path\": \"/users/:id(^\\\\d+$)\", \"action\": \"echo\", \"apiVersion\": 2}],"
                + " \"all\": [{\"path\": \"/\", \"action\": \"randomNumber\"}]}");
        WebServer server = server(Map.of("routesFile", routes.toString()), TestIdentity.development());
        server.start();
        try {
            assertEquals(List.of(
                    new RouteTable.Route("GET", "/api/echo", "echo", 0),
                    new RouteTable.Route("POST", "/api/echo", "echo", 0),
                    new RouteTable.Route("GET", "/api/randomNumber", "randomNumber", 0),
                    new RouteTable.Route("POST", "/api/randomNumber", "randomNumber", 0),
                    new RouteTable.Route("GET", "/api/users/:id", "echo", 2),
                    new RouteTable.Route("ALL", "/api", "randomNumber", 0)), server.routes());
        } finally {
            server.stop();
        }
    }

    @Test
    void a_broken_routes_file_fails_the_start_naming_the_file_and_the_entry() throws Exception {
        Path routes = directory.resolve("routes.json");
        Files.writeString(routes, "{\"get\": [{\"path\": \"/users\"}]}");
        WebServer server = server(Map.of("routesFile", routes.toString()), TestIdentity.development());

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, server::start);

        assertEquals("routes file " + routes + ": get[0]: action is missing (a non-empty string is needed)",
                failure.getMessage());
    }

    private List<String> metadataKeys(Map<String, ?> overrides, ServerIdentity identity) throws Exception {
        WebServer server = server(overrides, identity);
        server.start();
        try {
            RawHttp.Reply reply = RawHttp.exchange(server.port(),
                    "GET /api/echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", null);
            Map<?, ?> body = JSON.readValue(reply.body(), Map.class);
            return body.keySet().stream().map(String::valueOf)
                    .filter(k -> k.equals("serverInformation") || k.equals("requesterInformation")).toList();
        } finally {
            server.stop();
        }
    }

    private WebServer server(Map<String, ?> overrides, ServerIdentity identity) {
        return new WebServer(TestConfig.settings(overrides, identity.isProduction()), () -> runner, identity,
                Messages::defaults);
    }

    /** Binds a unix socket and closes it: the file stays behind, as after a crash. */
    private static void leaveStaleSocket(Path socket) throws IOException {
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
    }
}
