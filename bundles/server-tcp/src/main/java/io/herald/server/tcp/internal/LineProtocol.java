package io.herald.server.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatRooms;
import io.herald.api.chat.RoomMember;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ConnectionVerbs;
import io.herald.core.RequestIds;
import io.herald.core.json.HeraldJson;

/**
 * The line protocol of Actionhero's socket server, one line per message, and the transport's one error boundary: every
 * failure becomes an {@code {"error": ...}} line worded from {@link HeraldError}, never a stack trace.
 *
 * <ul>
 * <li>{@code {"action":"x","params":{...},"messageId":...}}: runs {@code x} with {@code params} merged over the
 * connection's persistent params (Actionhero: a JSON line's params over {@code connection.params});
 * <li>a verb: {@code paramAdd k=v}, {@code paramView k}, {@code paramsView}, {@code paramDelete k},
 * {@code paramsDelete}, {@code roomAdd r}, {@code roomLeave r}, {@code roomView r}, {@code say r message...},
 * {@code detailsView}, {@code documentation}, {@code quit} / {@code exit};
 * <li>any other word: the name of an action, run with the connection's params ({@code status}).
 * </ul>
 *
 * Answers carry {@code "context": "response"} and the {@code messageId} the client sent, else the connection's message
 * count, so a client can match them to its messages (actions run concurrently and may answer out of order). Verbs
 * answer {@code {"status":"OK","context":"response","data":...}}.
 */
final class LineProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(LineProtocol.class);

    /** The most persistent params a connection may hold (each at most one line long). */
    static final int MAX_CONNECTION_PARAMS = 100;

    private static final Set<String> VERBS = Set.of("quit", "exit", "documentation", "paramAdd", "paramDelete",
            "paramView", "paramsView", "paramsDelete", "roomAdd", "roomLeave", "roomView", "say", "detailsView");

    private final ClientLink link;
    private final TcpServices services;

    LineProtocol(ClientLink link, TcpServices services) {
        this.link = link;
        this.services = services;
    }

    /** The first line a client reads (Actionhero's welcome message). */
    static Map<String, Object> welcome() {
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("welcome", "Hello! Welcome to the herald api");
        welcome.put("context", "api");
        return welcome;
    }

    /** Handles one line, as read (UTF-8 bytes without the line end). Never throws. */
    void handle(byte[] bytes, int length) {
        TransportConnection connection = link.connection();
        connection.countMessage();
        Object messageId = connection.messageCount();
        try {
            String line = decode(bytes, length).trim();
            if (line.isEmpty()) {
                return;
            }
            if (line.startsWith("{") || line.startsWith("[")) {
                handleJson(line, messageId);
            } else {
                handleText(line, messageId);
            }
        } catch (MalformedMessage e) {
            link.send(error(e.getMessage(), e.messageId != null ? e.messageId : messageId));
        } catch (RuntimeException | LinkageError | StackOverflowError failure) {
            link.send(error(unexpected(failure), messageId));
        }
    }

    private String decode(byte[] bytes, int length) throws MalformedMessage {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessage("not valid UTF-8", null);
        }
    }

    private void handleJson(String line, Object counter) throws MalformedMessage {
        Map<?, ?> message;
        try {
            // Herald's JSON limits and no number overflowing to Infinity, as the web server reads bodies.
            if (!(HeraldJson.readUntrusted(line.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> object)) {
                throw new MalformedMessage("expected a JSON object", null);
            }
            message = object;
        } catch (JsonProcessingException e) {
            throw new MalformedMessage(HeraldJson.describe(e), null);
        } catch (IOException e) {
            throw new MalformedMessage("it cannot be read", null);
        }
        Object messageId = message.get("messageId") != null ? message.get("messageId") : counter;
        if (!(message.get("action") instanceof String action) || action.isBlank()) {
            throw new MalformedMessage("a JSON message needs an action (a string): {\"action\":\"name\",\"params\":{...}}",
                    messageId);
        }
        Object params = message.get("params");
        if (params != null && !(params instanceof Map)) {
            throw new MalformedMessage("params must be a JSON object", messageId);
        }
        Map<String, Object> merged = new LinkedHashMap<>(link.connection().params());
        if (params != null) {
            ((Map<?, ?>) params).forEach((key, value) -> merged.put(String.valueOf(key), value));
        }
        runAction(action, merged, messageId);
    }

    private void handleText(String line, Object messageId) throws MalformedMessage {
        int space = indexOfSpace(line);
        String word = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).trim();
        if (!VERBS.contains(word)) {
            // Actionhero: any other first word names an action, run with the connection's params.
            runAction(word, new LinkedHashMap<>(link.connection().params()), messageId);
            return;
        }
        TransportConnection connection = link.connection();
        switch (word) {
            case "quit", "exit" -> {
                Map<String, Object> bye = new LinkedHashMap<>();
                bye.put("status", "Bye");
                bye.put("context", "api");
                link.closeWith(bye);
            }
            case "paramAdd" -> {
                int equals = rest.indexOf('=');
                if (equals <= 0) {
                    throw new MalformedMessage("paramAdd needs key=value", messageId);
                }
                String key = rest.substring(0, equals).trim();
                if (!connection.params().containsKey(key) && connection.params().size() >= MAX_CONNECTION_PARAMS) {
                    link.send(error(services.format(HeraldError.TOO_MANY_PARAMS, MAX_CONNECTION_PARAMS), messageId));
                    return;
                }
                connection.params().put(key, rest.substring(equals + 1));
                link.send(ok(null, messageId));
            }
            case "paramView" -> link.send(ok(connection.params().get(required(word, rest, "a key", messageId)), messageId));
            case "paramsView" -> link.send(ok(new TreeMap<>(connection.params()), messageId));
            case "paramDelete" -> {
                connection.params().remove(required(word, rest, "a key", messageId));
                link.send(ok(null, messageId));
            }
            case "paramsDelete" -> {
                connection.params().clear();
                link.send(ok(null, messageId));
            }
            case "detailsView" -> link.send(ok(ConnectionVerbs.details(connection), messageId));
            case "documentation" -> documentation(messageId);
            case "roomAdd" -> {
                String room = required(word, rest, "a room", messageId);
                chat(messageId, chat -> chat.join(connection.id(), room));
            }
            case "roomLeave" -> {
                String room = required(word, rest, "a room", messageId);
                chat(messageId, chat -> chat.leave(connection.id(), room));
            }
            case "roomView" -> roomView(required(word, rest, "a room", messageId), messageId);
            case "say" -> say(rest, messageId);
            default -> throw new IllegalStateException("verb without a handler: " + word);
        }
    }

    private void runAction(String action, Map<String, Object> params, Object messageId) {
        if (link.stopping()) {
            link.send(error(services.format(HeraldError.SERVER_SHUTTING_DOWN), messageId));
            return;
        }
        // The request id for the logs: the messageId the answer carries (the client's, else the message count).
        ActionRequest request = ActionRequest.of(action, params, link.connection())
                .withRequestId(RequestIds.orElse(String.valueOf(messageId), Long.toString(link.connection().messageCount())));
        link.runAction(() -> {
            Map<String, Object> response;
            try {
                ActionRunner runner = services.runner().get();
                if (runner == null) {
                    response = error(services.format(HeraldError.SERVER_SHUTTING_DOWN), messageId);
                } else {
                    ActionResult result = runner.run(request);
                    response = new LinkedHashMap<>(result.response());
                    response.put("context", "response");
                    response.put("messageId", messageId);
                }
            } catch (RuntimeException | LinkageError | StackOverflowError failure) {
                // The runner never throws by contract; a bundle refreshed under a call in flight can still make it.
                response = error(unexpected(failure), messageId);
            }
            link.send(response);
        });
    }

    /** Actionhero's documentation verb: every documented action by name, then version. */
    private void documentation(Object messageId) {
        ActionRunner runner = services.runner().get();
        if (runner == null) {
            link.send(error(services.format(HeraldError.SERVER_SHUTTING_DOWN), messageId));
            return;
        }
        Map<String, Map<String, Object>> actions = ConnectionVerbs.documentation(runner.actions());
        link.send(ok(actions, messageId));
    }

    private void chat(Object messageId, Function<ChatRooms, CompletionStage<Void>> operation) {
        ChatRooms chat = services.chat().get();
        if (chat == null) {
            link.send(error(services.format(HeraldError.CHAT_UNAVAILABLE), messageId));
            return;
        }
        operation.apply(chat).whenComplete((done, failure) -> link.send(
                failure == null ? ok(null, messageId) : error(chatFailure(failure), messageId)));
    }

    private void roomView(String room, Object messageId) {
        ChatRooms chat = services.chat().get();
        if (chat == null) {
            link.send(error(services.format(HeraldError.CHAT_UNAVAILABLE), messageId));
            return;
        }
        // Actionhero shows a room's members only to its members.
        if (!link.connection().rooms().contains(room)) {
            link.send(error(services.format(HeraldError.NOT_IN_ROOM, room), messageId));
            return;
        }
        chat.members(room).whenComplete((members, failure) -> {
            if (failure != null) {
                link.send(error(chatFailure(failure), messageId));
                return;
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("room", room);
            view.put("membersCount", members.size());
            Map<String, Object> listed = new TreeMap<>();
            for (Map.Entry<String, RoomMember> member : members.entrySet()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", member.getKey());
                Instant joinedAt = member.getValue().joinedAt();
                entry.put("joinedAt", joinedAt == null ? null : joinedAt.toEpochMilli());
                listed.put(member.getKey(), entry);
            }
            view.put("members", listed);
            link.send(ok(view, messageId));
        });
    }

    private void say(String rest, Object messageId) throws MalformedMessage {
        int space = indexOfSpace(rest);
        if (rest.isEmpty() || space < 0) {
            throw new MalformedMessage("say needs a room and a message: say <room> <message>", messageId);
        }
        ChatRooms chat = services.chat().get();
        if (chat == null) {
            link.send(error(services.format(HeraldError.CHAT_UNAVAILABLE), messageId));
            return;
        }
        try {
            chat.say(link.connection(), rest.substring(0, space), rest.substring(space + 1).trim());
            link.send(ok(null, messageId));
        } catch (ChatException e) {
            link.send(error(e.getMessage(), messageId));
        }
    }

    private String required(String verb, String value, String what, Object messageId) throws MalformedMessage {
        if (value.isEmpty()) {
            throw new MalformedMessage(verb + " needs " + what, messageId);
        }
        return value;
    }

    private String chatFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ChatException) {
            return cause.getMessage();
        }
        return unexpected(cause);
    }

    /** Logs an unexpected failure with a reference and words it for the client without its details. */
    private String unexpected(Throwable failure) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("tcp connection {}: unexpected failure (reference {})", link.connection().id(), reference, failure);
        return services.format(HeraldError.INTERNAL_ERROR, reference);
    }

    private static int indexOfSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static Map<String, Object> ok(Object data, Object messageId) {
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("status", "OK");
        ok.put("context", "response");
        ok.put("data", data);
        ok.put("messageId", messageId);
        return ok;
    }

    static Map<String, Object> error(String message, Object messageId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", message);
        error.put("context", "response");
        if (messageId != null) {
            error.put("messageId", messageId);
        }
        return error;
    }

    /** A message the protocol cannot take; its text is the {@code MALFORMED_MESSAGE} detail. */
    private final class MalformedMessage extends Exception {

        private static final long serialVersionUID = 1L;
        final transient Object messageId;

        MalformedMessage(String detail, Object messageId) {
            super(services.format(HeraldError.MALFORMED_MESSAGE, detail), null, false, false);
            this.messageId = messageId;
        }
    }
}
