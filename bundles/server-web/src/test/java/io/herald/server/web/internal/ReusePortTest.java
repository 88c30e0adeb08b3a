package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.spi.Messages;

/**
 * {@code reusePort}: the nodes of {@code herald cluster} share one TCP port (SO_REUSEPORT), and one of them stopping
 * under load fails no request: its clients are answered with {@code Connection: close} and reconnect to the other.
 */
class ReusePortTest {

    private static final int CLIENTS = 16;
    private static final long ANSWERS = 2_000;

    private final TestRunner runner = new TestRunner();

    private WebServer server(int port, boolean reusePort) {
        return new WebServer(TestConfig.settings(Map.of("port", String.valueOf(port), "reusePort", reusePort,
                "shutdownTimeout", 60_000L)), () -> runner, TestIdentity.development(), Messages::defaults);
    }

    @Test
    void two_servers_share_a_port_and_one_stopping_under_load_fails_no_request() throws Exception {
        WebServer first = server(0, true);
        first.start();
        int port = first.port();
        WebServer second = server(port, true);
        second.start();
        try (KeepAliveLoad load = new KeepAliveLoad(() -> port, "/api/echo?message=load", CLIENTS).start()) {
            assertTrue(load.awaitMoreAnswers(ANSWERS), load.toString());

            first.stop();

            assertTrue(load.awaitMoreAnswers(ANSWERS), "the other server keeps serving the port: " + load);
            load.close();
            assertEquals(0, load.failedInFlight.get(), load.toString());
            assertEquals(0, load.non200(), "no 503: the stopping server answered its open connections: " + load);
            assertEquals(0, load.refusedConnects.get(), "the port never refused a connection: " + load);
        } finally {
            second.stop();
        }
    }

    @Test
    void without_reuse_port_a_second_server_on_the_port_is_refused_naming_it() throws Exception {
        WebServer first = server(0, true);
        first.start();
        try {
            WebServer second = server(first.port(), false);
            IllegalStateException failure = assertThrows(IllegalStateException.class, second::start);
            assertTrue(failure.getMessage().contains("port " + first.port() + " is in use"), failure.getMessage());
        } finally {
            first.stop();
        }
    }
}
