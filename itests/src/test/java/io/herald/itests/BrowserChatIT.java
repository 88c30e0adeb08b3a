package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * The browser client ({@code /public/herald-client.js}) in a real headless Chromium, through the example page
 * {@code examples/chat/index.html} (opened from its file, pointed at the node with {@code ?url=}): the page calls an
 * action, chats with a Java WebSocket client in a room, and after the node restarts on the same home and port its
 * client reconnects by itself and is back in the room.
 */
class BrowserChatIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration PAGE = Duration.ofSeconds(30);
    private static final Path CHAT_PAGE = Path.of(System.getProperty("herald.chat.example", "../examples/chat/index.html"))
            .toAbsolutePath().normalize();

    @Test
    void the_example_page_calls_an_action_chats_with_a_java_client_and_rejoins_its_room_after_a_restart() throws Exception {
        assertTrue(Files.isRegularFile(CHAT_PAGE), "no example page at " + CHAT_PAGE);
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_TITLE", "browser-chat");
        env.put("HERALD_ROLE", "all");
        HeraldProcess first = HeraldProcess.startIn(home, env);
        env.put("PORT", Integer.toString(first.port));
        HeraldProcess second = null;
        try (Chromium browser = Chromium.start()) {
            first.awaitStarted(START);
            HttpResponse<String> script = first.getAnonymous("/public/herald-client.js");
            assertEquals(200, script.statusCode());
            assertEquals("application/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElseThrow());
            createLobby(first);
            String nodeId = JSON.readTree(first.get("/api/status").body()).path("id").asText();

            String wsUrl = "ws://127.0.0.1:" + first.port + "/ws";
            browser.open(CHAT_PAGE.toUri() + "?url=" + wsUrl + "&room=lobby");
            browser.waitFor("document.body.dataset.room === 'lobby'", PAGE);
            assertEquals(nodeId, browser.eval("document.getElementById('node').dataset.id").asText(),
                    "the page ran the status action over the WebSocket and showed the node's id\n" + browser.output());
            String pageId = browser.eval("window.heraldClient.id").asText();
            assertFalse(pageId.isEmpty());

            RealtimeIT.WsClient java = connect(first.port);
            String javaId = java.next(m -> m.has("welcome")).path("id").asText();
            join(java, "lobby", 1);

            browser.type("#message", "hello from Chromium");
            browser.click("#send");
            JsonNode heard = java.next(m -> "user".equals(m.path("context").asText()) && pageId.equals(m.path("from").asText()));
            assertEquals("hello from Chromium", heard.path("message").asText());
            assertEquals("lobby", heard.path("room").asText());

            say(java, "lobby", "hello from Java", 2);
            awaitLine(browser, javaId + ": hello from Java");
            java.socket.sendClose(1000, "done").get(15, TimeUnit.SECONDS);

            // An action still running when the node stops: its answer never comes, and the promise resolves with
            // {error: "connection lost"} when the connection closes (as a failed action does, it never rejects).
            browser.eval("window.lost = heraldClient.action('sleep', {ms: 20000}).then((r) => (window.lostAnswer = r)), 1");
            browser.waitFor("heraldClient.detailsView().then((d) => d.data.pendingActions > 0)", PAGE);

            // The node stops (its WebSocket server closes the page's connection) and a new one starts on the same home
            // and port. Rooms lived in the stopped node's memory (no Redis): the new node gets the room before it
            // accepts WebSockets, so the page's client can join it again whenever its backoff lets it try.
            first.signal("TERM");
            browser.waitFor("document.body.dataset.state.startsWith('disconnected')", PAGE);
            assertEquals("connection lost", browser.waitFor("window.lostAnswer", PAGE).path("error").asText());
            assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), first.output());
            Path websocketConfig = home.resolve("config/io.herald.server.websocket.cfg");
            String shipped = Files.readString(websocketConfig);
            Files.writeString(websocketConfig, shipped.replace("enabled = ${env:ENABLE_WEBSOCKET_SERVER:-true}", "enabled = false"));
            second = HeraldProcess.startIn(home, env);
            second.awaitStarted(START);
            assertEquals(first.port, second.port);
            createLobby(second);
            assertEquals("0", browser.eval("document.body.dataset.reconnects || '0'").asText(),
                    "no WebSocket yet, so no reconnection");
            Files.writeString(websocketConfig, shipped);

            browser.waitFor("document.body.dataset.reconnects === '1'", Duration.ofSeconds(60));
            String newPageId = browser.eval("window.heraldClient.id").asText();
            assertNotEquals(pageId, newPageId, "a new connection");
            awaitLine(browser, "reconnected; back in lobby");

            RealtimeIT.WsClient again = connect(second.port);
            String againId = again.next(m -> m.has("welcome")).path("id").asText();
            join(again, "lobby", 1);
            again.socket.sendText("{\"event\":\"roomView\",\"room\":\"lobby\",\"messageId\":2}", true);
            JsonNode view = again.next(m -> m.path("messageId").asInt() == 2);
            assertTrue(view.path("data").path("members").has(newPageId), "the page's client is back in the room: " + view);
            say(again, "lobby", "hello after the restart", 3);
            awaitLine(browser, againId + ": hello after the restart");

            browser.type("#message", "still here");
            browser.click("#send");
            JsonNode heardAgain = again.next(m -> "user".equals(m.path("context").asText())
                    && newPageId.equals(m.path("from").asText()));
            assertEquals("still here", heardAgain.path("message").asText());

            // disconnect() closes for good: the server drops the page's client from the room.
            browser.eval("heraldClient.disconnect(), 1");
            browser.waitFor("document.body.dataset.state.startsWith('disconnected')", PAGE);
            awaitMembers(again, "lobby", 1);
            assertEquals("closed", browser.eval("heraldClient.state === 'disconnected' && heraldClient.stopped ? 'closed' : "
                    + "heraldClient.state").asText());
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private static void createLobby(HeraldProcess node) throws Exception {
        HttpResponse<String> created = node.get("/api/createChatRoom?name=lobby");
        assertEquals(200, created.statusCode(), created.body());
    }

    private static RealtimeIT.WsClient connect(int port) throws Exception {
        RealtimeIT.WsClient client = new RealtimeIT.WsClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client).get(15, TimeUnit.SECONDS);
        return client;
    }

    private static void join(RealtimeIT.WsClient client, String room, int messageId) throws Exception {
        client.socket.sendText("{\"event\":\"roomAdd\",\"room\":\"" + room + "\",\"messageId\":" + messageId + "}", true);
        JsonNode joined = client.next(m -> m.path("messageId").asInt() == messageId);
        assertEquals("OK", joined.path("status").asText(), joined.toString());
    }

    private static void say(RealtimeIT.WsClient client, String room, String message, int messageId) throws Exception {
        client.socket.sendText(JSON.writeValueAsString(Map.of("event", "say", "room", room, "message", message,
                "messageId", messageId)), true);
        JsonNode said = client.next(m -> m.path("messageId").asInt() == messageId);
        assertEquals("OK", said.path("status").asText(), said.toString());
    }

    /** Asks for the room's members until there are {@code count} (a closed connection leaves as the server sees the close). */
    private static void awaitMembers(RealtimeIT.WsClient client, String room, int count) throws Exception {
        long deadline = System.nanoTime() + PAGE.toNanos();
        JsonNode view = null;
        for (int messageId = 100; System.nanoTime() < deadline; messageId++) {
            int id = messageId;
            client.socket.sendText(JSON.writeValueAsString(Map.of("event", "roomView", "room", room, "messageId", id)), true);
            view = client.next(m -> m.path("messageId").asInt() == id);
            if (view.path("data").path("membersCount").asInt() == count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(room + " still has other than " + count + " members: " + view);
    }

    /** Waits until the page's chat log shows {@code text} as a line. */
    private static void awaitLine(Chromium browser, String text) throws Exception {
        browser.waitFor("Array.from(document.querySelectorAll('#log p')).some((p) => p.textContent === " + js(text) + ")",
                PAGE);
    }

    private static String js(String text) throws JsonProcessingException {
        return JSON.writeValueAsString(text);
    }
}
