package io.herald.server.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;
import io.herald.testing.Await;

/** The TCP server on a real socket (port 0, loopback) in front of the core's real pipeline. */
class TcpServerTest {

    private final TestActions.Slow slow = new TestActions.Slow();
    private final List<TcpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        slow.release.countDown();
        servers.forEach(TcpServer::stop);
    }

    private static TcpSettings settings(int maxLineLength, int maxMessagesPerSecond, long idleTimeout, int maxConnections,
            int maxPendingMessages) {
        return new TcpSettings(true, "127.0.0.1", 0, maxLineLength, maxMessagesPerSecond, idleTimeout, maxConnections,
                maxPendingMessages, 10_000, null);
    }

    private static TcpSettings defaults() {
        return settings(65536, 100, 300_000, 10_000, 1000);
    }

    private TcpServer start(TcpSettings settings) {
        return start(settings, null);
    }

    private TcpServer start(TcpSettings settings, ConnectionRegistry registry) {
        TcpServer server = new TcpServer(settings, new TcpServices(() -> TestActions.pipeline(slow), () -> null,
                () -> registry, () -> null));
        server.start();
        servers.add(server);
        return server;
    }

    private static String message(HeraldError error, Object... args) {
        return Messages.defaults().format(error, args);
    }

    @Test
    void a_json_line_runs_the_action_and_answers_with_its_messageId() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> answer = client.call("{\"action\":\"add\",\"params\":{\"a\":1,\"b\":2},\"messageId\":\"m-1\"}");

            assertEquals(3, answer.get("sum"));
            assertEquals("response", answer.get("context"));
            assertEquals("m-1", answer.get("messageId"));

            Map<String, Object> missing = client.call("{\"action\":\"add\",\"params\":{\"a\":1}}");
            assertEquals("b is a required parameter for this action", missing.get("error"));
            assertEquals(2, missing.get("messageId"), "without a messageId, the connection's message count");
        }
    }

    @Test
    void a_bare_word_runs_that_action_on_a_tcp_connection() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> answer = client.call("echo");

            assertEquals("tcp", answer.get("connectionType"));
            assertEquals(1, answer.get("messageId"));
            assertEquals(message(HeraldError.UNKNOWN_ACTION), client.call("nosuchaction").get("error"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void paramAdd_persists_into_later_actions_and_json_params_win_over_it() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> added = client.call("paramAdd message=hello world");
            assertEquals("OK", added.get("status"));

            assertEquals("hello world", ((Map<String, Object>) client.call("echo").get("params")).get("message"));
            assertEquals("hello world", client.call("paramView message").get("data"));
            assertEquals(Map.of("message", "hello world"), client.call("paramsView").get("data"));
            Map<String, Object> overridden = client.call("{\"action\":\"echo\",\"params\":{\"message\":\"json\"}}");
            assertEquals("json", ((Map<String, Object>) overridden.get("params")).get("message"));

            client.call("paramDelete message");
            assertFalse(((Map<String, Object>) client.call("echo").get("params")).containsKey("message"));
            client.call("paramAdd token=t");
            client.call("paramsDelete");
            assertEquals(Map.of(), client.call("paramsView").get("data"));
            assertTrue(client.call("paramAdd novalue").get("error").toString().startsWith("malformed message: paramAdd needs"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void detailsView_describes_the_connection() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            client.call("paramAdd token=abc");
            client.call("echo");

            Map<String, Object> details = (Map<String, Object>) client.call("detailsView").get("data");

            assertEquals(details.get("id"), details.get("fingerprint"));
            assertEquals(36, details.get("id").toString().length(), "a UUID");
            assertEquals("127.0.0.1", details.get("remoteIP"));
            assertTrue((Integer) details.get("remotePort") > 0);
            assertEquals(Map.of("token", "abc"), details.get("params"));
            assertEquals(List.of(), details.get("rooms"));
            assertEquals(1, details.get("totalActions"));
            assertEquals(3, details.get("messageCount"));
            assertTrue(((Number) details.get("connectedAt")).longValue() <= System.currentTimeMillis());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentation_lists_the_actions_with_their_inputs() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> actions = (Map<String, Object>) client.call("documentation").get("data");

            Map<String, Object> echo = (Map<String, Object>) ((Map<String, Object>) actions.get("echo")).get("1");
            assertEquals("I answer with my params and connection", echo.get("description"));
            assertEquals(Map.of("required", false, "type", "string", "description", "what to echo"),
                    ((Map<String, Object>) echo.get("inputs")).get("message"));
            assertTrue(actions.containsKey("add"));
        }
    }

    @Test
    void quit_says_goodbye_and_closes() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> bye = client.call("quit");

            assertEquals("Bye", bye.get("status"));
            assertTrue(client.closedByServer());
        }
        Await.until(() -> server.openConnections() == 0, "the connection is released");
    }

    @Test
    void malformed_json_is_answered_and_the_connection_stays_open() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            String error = client.call("{\"action\": \"add\", ").get("error").toString();
            assertTrue(error.startsWith("malformed message: ") && error.contains("line 1"), error);

            assertEquals("malformed message: expected a JSON object", client.call("[1,2]").get("error"));
            assertEquals("malformed message: a number is too large (beyond the range of a double)",
                    client.call("{\"action\":\"echo\",\"params\":{\"n\":1e999999999}}").get("error"));
            assertTrue(client.call("{\"params\":{}}").get("error").toString().contains("needs an action"));
            assertEquals(3, client.call("{\"action\":\"add\",\"params\":{\"a\":1,\"b\":2}}").get("sum"));
        }
    }

    @Test
    void bytes_that_are_not_utf8_are_answered_with_an_error() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            client.writeBytes(new byte[] {'e', 'c', (byte) 0xC3, (byte) 0x28, '\n'});

            assertEquals("malformed message: not valid UTF-8", client.read().get("error"));
            assertEquals("tcp", client.call("echo").get("connectionType"));
        }
    }

    @Test
    void a_megabyte_without_a_newline_closes_that_connection_only() throws Exception {
        TcpServer server = start(settings(1024, 100, 300_000, 10_000, 1000));
        try (LineClient flooder = LineClient.connected(server.port()); LineClient other = LineClient.connected(server.port())) {
            byte[] megabyte = new byte[1024 * 1024];
            Arrays.fill(megabyte, (byte) 'x');
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    flooder.writeBytes(megabyte);
                } catch (IOException closed) {
                    // the server may close before the client wrote it all
                }
            });

            Map<String, Object> error = flooder.read();
            assertEquals(message(HeraldError.MESSAGE_TOO_LONG, 1024), error.get("error"));
            assertTrue(flooder.closedByServer());
            writing.get(30, TimeUnit.SECONDS);

            assertEquals(3, other.call("{\"action\":\"add\",\"params\":{\"a\":1,\"b\":2}}").get("sum"));
        }
    }

    @Test
    void a_line_at_the_limit_is_accepted() throws Exception {
        TcpServer server = start(settings(64, 100, 300_000, 10_000, 1000));
        try (LineClient client = LineClient.connected(server.port())) {
            String line = "{\"action\":\"add\",\"params\":{\"a\":1,\"b\":2}}";
            String padded = line + " ".repeat(64 - line.length());

            assertEquals(3, client.call(padded + "\r").get("sum"));
        }
    }

    @Test
    void a_client_over_the_message_rate_is_told_then_closed() throws Exception {
        TcpServer server = start(settings(65536, 5, 300_000, 10_000, 1000));
        try (LineClient client = LineClient.connected(server.port())) {
            client.writeBytes("paramsView\n".repeat(100).getBytes(StandardCharsets.UTF_8));

            List<Object> errors = new ArrayList<>();
            int answered = 0;
            String line;
            while ((line = client.readLine()) != null) {
                Map<?, ?> answer = io.herald.core.json.HeraldJson.mapper().readValue(line, Map.class);
                if (answer.containsKey("error")) {
                    errors.add(answer.get("error"));
                } else {
                    answered++;
                }
            }
            assertTrue(answered >= 5 && answered < 100, "answered " + answered);
            assertEquals(message(HeraldError.TOO_MANY_MESSAGES, 5), errors.get(0));
            assertEquals(message(HeraldError.TOO_MANY_MESSAGES, 5), errors.get(errors.size() - 1), "closed saying why");
        }
    }

    @Test
    void connections_over_maxConnections_are_told_and_closed() throws Exception {
        TcpServer server = start(settings(65536, 100, 300_000, 2, 1000));
        try (LineClient first = LineClient.connected(server.port()); LineClient second = LineClient.connected(server.port())) {
            try (LineClient third = new LineClient(server.port())) {
                assertEquals(message(HeraldError.TOO_MANY_CONNECTIONS, 2), third.read().get("error"));
                assertTrue(third.closedByServer());
            }
            first.call("quit");
            Await.until(() -> server.openConnections() == 1, "the first connection is released");
            try (LineClient fourth = LineClient.connected(server.port())) {
                assertEquals("tcp", fourth.call("echo").get("connectionType"));
            }
            assertEquals("tcp", second.call("echo").get("connectionType"));
        }
    }

    @Test
    void an_idle_connection_is_told_and_closed() throws Exception {
        // Long enough for a cold JVM to welcome the client first (Jetty closes a socket idle before that silently), also on
        // a machine at load average 25, where 1 s was not.
        TcpServer server = start(settings(65536, 100, 3000, 10_000, 1000));
        try (LineClient client = LineClient.connected(server.port())) {
            Map<String, Object> timeout = client.read();

            assertEquals(message(HeraldError.IDLE_TIMEOUT, 3000), timeout.get("error"));
            assertEquals("api", timeout.get("context"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void a_connection_with_an_action_in_flight_is_not_idle() throws Exception {
        TcpServer server = start(settings(65536, 100, 1000, 10_000, 1000));
        try (LineClient client = LineClient.connected(server.port())) {
            client.write("slow");
            assertTrue(slow.started.await(30, TimeUnit.SECONDS));
            // Longer than the idle timeout, with no message either way: the action in flight keeps it open.
            Thread.sleep(2500);
            slow.release.countDown();

            assertEquals("done", client.read().get("slow"));
        }
    }

    @Test
    void a_client_that_does_not_read_is_closed_as_a_slow_consumer() throws Exception {
        TcpServer server = start(settings(65536, 100, 300_000, 10_000, 5));
        try (LineClient client = LineClient.connected(server.port())) {
            Await.until(() -> server.connections().size() == 1, "the connection is open");
            TcpClientConnection connection = server.connections().get(0);
            String kilobyte = "x".repeat(1024);
            int sent = 0;
            while (connection.send((Object) Map.of("context", "user", "message", kilobyte)) && sent < 1_000_000) {
                sent++;
            }

            assertTrue(connection.isClosing(), "closed after " + sent + " messages");
            Await.until(() -> server.openConnections() == 0, "the slow consumer is closed");
        }
    }

    @Test
    void chat_verbs_say_chat_is_unavailable_without_the_service() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            assertEquals(message(HeraldError.CHAT_UNAVAILABLE), client.call("roomAdd lobby").get("error"));
            assertEquals(message(HeraldError.CHAT_UNAVAILABLE), client.call("say lobby hello").get("error"));
            assertEquals("malformed message: roomAdd needs a room", client.call("roomAdd").get("error"));
        }
    }

    @Test
    void connections_are_announced_to_the_registry_and_a_refusal_closes() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ConnectionRegistry registry = new ConnectionRegistry() {
            @Override
            public void opened(TransportConnection connection) throws Exception {
                events.add("opened " + connection.type());
                if (!connection.remoteIp().equals("127.0.0.1") || events.size() > 2) {
                    throw new Exception("no more connections for you");
                }
            }

            @Override
            public void closed(TransportConnection connection) {
                events.add("closed " + connection.type());
            }
        };
        TcpServer server = start(defaults(), registry);
        try (LineClient client = LineClient.connected(server.port())) {
            client.call("quit");
        }
        Await.until(() -> events.size() == 2, "opened and closed");
        assertEquals(List.of("opened tcp", "closed tcp"), events);

        try (LineClient refused = new LineClient(server.port())) {
            assertEquals("no more connections for you", refused.read().get("error"));
            assertTrue(refused.closedByServer());
        }
        Await.until(() -> server.openConnections() == 0, "the refused connection is released");
        assertEquals(List.of("opened tcp", "closed tcp", "opened tcp"), events, "a refused connection was never opened");
    }

    @Test
    void a_client_that_ends_its_output_still_gets_its_answers() throws Exception {
        TcpServer server = start(defaults());
        try (LineClient client = LineClient.connected(server.port())) {
            client.write("{\"action\":\"add\",\"params\":{\"a\":2,\"b\":2}}");
            client.shutdownOutput();

            assertEquals(4, client.read().get("sum"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void stop_finishes_actions_in_flight_then_tells_and_closes_every_connection() throws Exception {
        TcpServer server = new TcpServer(defaults(), new TcpServices(() -> TestActions.pipeline(slow), () -> null,
                () -> null, () -> null));
        server.start();
        try (LineClient busy = LineClient.connected(server.port()); LineClient idle = LineClient.connected(server.port())) {
            busy.write("slow");
            assertTrue(slow.started.await(30, TimeUnit.SECONDS));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            Await.until(server::stopping, "the server is stopping");

            assertEquals(message(HeraldError.SERVER_SHUTTING_DOWN), idle.call("echo").get("error"));
            slow.release.countDown();
            assertEquals("done", busy.read().get("slow"));
            assertEquals(message(HeraldError.SERVER_SHUTTING_DOWN), busy.read().get("error"));
            assertTrue(busy.closedByServer());
            assertEquals(message(HeraldError.SERVER_SHUTTING_DOWN), idle.read().get("error"));
            stopped.get(30, TimeUnit.SECONDS);
            assertNotNull(server.settings());
        }
    }
}
