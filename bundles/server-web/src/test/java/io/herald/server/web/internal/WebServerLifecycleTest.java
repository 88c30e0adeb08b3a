package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    void a_graceful_stop_finishes_the_request_in_flight_and_refuses_new_connections() throws Exception {
        WebServer server = server(Map.of("shutdownTimeout", 30_000L), TestIdentity.development());
        server.start();
        int port = server.port();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(runner.slowStarted.await(30, TimeUnit.SECONDS), "the slow action started");

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
        assertTrue(refusesConnectionsSoon(port), "new connections are refused while stopping");
        assertFalse(stopped.isDone(), "the stop waits for the request in flight");

        runner.releaseSlow();
        HttpResponse<String> response = slow.get(30, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("done", JSON.readValue(response.body(), Map.class).get("slow"));
        stopped.get(30, TimeUnit.SECONDS);
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

    /** Polls until a connection attempt is refused; false if that never happens within 30 s (no timing asserted). */
    private static boolean refusesConnectionsSoon(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                // a timeout or reset: try again
            }
            Thread.sleep(20);
        }
        return false;
    }
}
