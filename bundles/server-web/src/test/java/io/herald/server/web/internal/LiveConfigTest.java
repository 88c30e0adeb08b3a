package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;

import io.herald.api.spi.Messages;

/**
 * A configuration change applied to the running server under load from keep-alive clients ({@link KeepAliveLoad}):
 * settings that keep the address apply without closing a connection, a new address is opened before the old one is
 * retired, and an address that cannot be bound leaves the server where it was. Outcomes only, no timings.
 */
class LiveConfigTest {

    private static final int CLIENTS = 4;
    /** Answers to wait for before and after a change, so that the change lands in the middle of the load. */
    private static final int ANSWERS = 300;

    @TempDir
    Path directory;

    private final TestRunner runner = new TestRunner();
    private WebServer server;

    @AfterEach
    void stop() {
        runner.releaseSlow();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void settings_that_keep_the_address_apply_under_load_on_the_same_connections() throws Exception {
        Path routes = directory.resolve("routes.json");
        Files.writeString(routes, "{\"get\": [{\"path\": \"/hello\", \"action\": \"echo\"}]}");
        start(Map.of("maxBodySize", 1024L));
        int port = server.port();
        Object listening = server.transport();

        KeepAliveLoad load = new KeepAliveLoad(() -> port, "/api/echo?message=load", CLIENTS).start();
        try {
            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());
            load.watch(reply -> "2".equals(reply.header("X-Edition")));

            server.apply(TestConfig.settings(Map.of("port", "0", "maxBodySize", 16L, "routesFile", routes.toString(),
                    "responseHeaders", new String[] { "X-Edition: 2" }, "shutdownTimeout", 60_000L)));

            assertTrue(load.awaitWatched(ANSWERS), "answers carry the new header: " + load);
        } finally {
            load.close();
        }
        assertServedWithoutAMiss(load, port, listening);

        try (KeepAliveClient client = new KeepAliveClient(port)) {
            KeepAliveClient.Reply routed = client.get("/api/hello?message=routed");
            assertEquals(200, routed.status(), routed.body());
            assertTrue(routed.body().contains("\"message\":\"routed\""), routed.body());
            client.send("POST /api/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n",
                    "{\"message\":\"17\"}\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(413, client.read().status(), "the new maxBodySize is in force");
        }
    }

    @Test
    void a_port_change_under_load_opens_the_new_port_first_and_drops_no_request_in_flight() throws Exception {
        start(Map.of());
        int oldPort = server.port();
        int newPort = Ports.free();
        AtomicInteger target = new AtomicInteger(oldPort);

        KeepAliveLoad load = new KeepAliveLoad(target::get, "/api/echo?message=load", CLIENTS).start();
        try (KeepAliveClient inFlight = new KeepAliveClient(oldPort)) {
            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());
            inFlight.send("GET /api/slow HTTP/1.1\r\nHost: test\r\n\r\n", null);
            assertTrue(runner.slowStarted.tryAcquire(30, TimeUnit.SECONDS), "a slow request is in flight on the old port");

            server.apply(TestConfig.settings(Map.of("port", String.valueOf(newPort), "shutdownTimeout", 60_000L)));
            target.set(newPort);

            assertEquals(newPort, server.port());
            assertTrue(Ports.awaitRefused(oldPort), "the old port refuses new connections at once");
            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());
            runner.releaseSlow();
            KeepAliveClient.Reply finished = inFlight.read();
            assertEquals(200, finished.status(), "the request in flight on the old port finishes");
            assertTrue(finished.closes(), "and its connection closes: the client moves to the new port");
        } finally {
            load.close();
        }
        assertEquals(0, load.failedInFlight.get(), "old port " + oldPort + ", new port " + newPort + ": " + load);
        assertEquals(0, load.non200(), load.toString());
        assertTrue(load.connectionsOpened.get() > CLIENTS, "the clients moved to the new port: " + load);
        assertTrue(Ports.awaitRefused(oldPort), "the old port stays closed");
    }

    @Test
    void an_address_that_cannot_be_bound_leaves_the_server_on_the_old_one_and_is_logged_once() throws Exception {
        start(Map.of());
        int port = server.port();
        Object listening = server.transport();

        KeepAliveLoad load = new KeepAliveLoad(() -> port, "/api/echo?message=load", CLIENTS).start();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                LogCapture log = LogCapture.of(WebServer.class)) {
            int busy = taken.getLocalPort();
            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());

            server.apply(TestConfig.settings(Map.of("port", String.valueOf(busy), "shutdownTimeout", 60_000L)));

            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());
            assertEquals(List.of("web server keeps listening on http://127.0.0.1:" + port + ": cannot move to 127.0.0.1 port "
                    + busy + ": port " + busy + " is in use (127.0.0.1 port " + busy + ")"), log.lines(Level.ERROR));
        } finally {
            load.close();
        }
        assertServedWithoutAMiss(load, port, listening);
    }

    @Test
    void the_server_moves_from_a_tcp_port_to_a_unix_socket_and_back() throws Exception {
        start(Map.of());
        int port = server.port();
        Path socket = directory.resolve("herald.sock");

        server.apply(TestConfig.settings(Map.of("port", socket.toString())));

        assertTrue(Ports.awaitRefused(port));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            RawHttp.Reply reply = RawHttp.exchange(channel, "GET /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);
            assertEquals(200, reply.status());
        }
        Object unixListener = server.transport();

        server.apply(TestConfig.settings(Map.of("port", "0")));

        assertNotSame(unixListener, server.transport());
        try (KeepAliveClient client = new KeepAliveClient(server.port())) {
            assertEquals(200, client.get("/api/echo").status());
        }
        assertTrue(awaitRemoved(socket), "the unix socket file is removed once its listener is retired");
    }

    /** No request failed, the clients kept their connections, and the server kept its listening socket. */
    private void assertServedWithoutAMiss(KeepAliveLoad load, int port, Object listening) {
        assertEquals(0, load.failedInFlight.get(), load.toString());
        assertEquals(0, load.non200(), load.toString());
        assertEquals(CLIENTS, load.connectionsOpened.get(), "no connection was closed: " + load);
        assertEquals(port, server.port());
        assertSame(listening, server.transport(), "the same listening socket");
    }

    private void start(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("shutdownTimeout", 60_000L));
        values.putAll(overrides);
        server = new WebServer(TestConfig.settings(values), () -> runner, TestIdentity.development(), Messages::defaults);
        server.start();
    }

    /** Polls until the file is gone; false if it is still there after 30 s. */
    private static boolean awaitRemoved(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return !Files.exists(file);
    }
}
