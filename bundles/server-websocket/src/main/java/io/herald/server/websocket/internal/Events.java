package io.herald.server.websocket.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatRooms;
import io.herald.api.chat.RoomMember;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ConnectionVerbs;
import io.herald.core.RequestIds;

/**
 * What a client's message asks for, answered as Actionhero's websocket server answers it: {@code event} is
 * {@code action} (run {@code params.action} with {@code params}, merged over the connection's params), one of the
 * verbs {@code roomAdd}, {@code roomLeave}, {@code roomView}, {@code say}, {@code detailsView}, {@code documentation},
 * or {@code file}. The answer is a map the socket completes with {@code context} and {@code messageId}; verbs answer
 * {@code status: "OK"} (with {@code data}) or an {@code error}.
 */
final class Events {

    private static final long CHAT_TIMEOUT_SECONDS = 10;

    private final Supplier<ActionRunner> runner;
    private final Supplier<ChatRooms> chat;
    private final Supplier<Messages> messages;

    /** @param messages the core's catalogue (the operator's wording), or {@code null} for the default wording */
    Events(Supplier<ActionRunner> runner, Supplier<ChatRooms> chat, Supplier<Messages> messages) {
        this.runner = runner;
        this.chat = chat;
        this.messages = messages;
    }

    /** A catalogue message, worded as the operator configured it. */
    String format(HeraldError error, Object... args) {
        Messages current = messages.get();
        return (current != null ? current : Messages.defaults()).format(error, args);
    }

    /** An error answer worded by the catalogue. */
    Map<String, Object> error(HeraldError error, Object... args) {
        return error(format(error, args));
    }

    Map<String, Object> answer(TransportConnection connection, Map<?, ?> message) {
        Object event = message.get("event");
        if (!(event instanceof String name)) {
            return error(HeraldError.MALFORMED_MESSAGE,
                    "it needs an event: action, roomAdd, roomLeave, roomView, say, detailsView or documentation");
        }
        try {
            return switch (name) {
                case "action" -> action(connection, message.get("params"), message.get("messageId"));
                case "roomAdd" -> {
                    rooms().join(connection.id(), room(message)).toCompletableFuture().get(CHAT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    yield ok(room(message));
                }
                case "roomLeave" -> {
                    rooms().leave(connection.id(), room(message)).toCompletableFuture().get(CHAT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    yield ok(room(message));
                }
                case "roomView" -> roomView(connection, room(message));
                case "say" -> {
                    rooms().say(connection, room(message), message.get("message"));
                    yield ok(null);
                }
                case "detailsView" -> ok(ConnectionVerbs.details(connection));
                case "documentation" -> ok(documentation());
                case "file" -> error(HeraldError.NOT_FOUND, shorten(String.valueOf(message.get("file"))));
                default -> error(HeraldError.MALFORMED_MESSAGE, "unknown event " + shorten(name));
            };
        } catch (ChatException e) {
            return error(e.getMessage());
        } catch (ExecutionException e) {
            return error(e.getCause() == null ? "chat failed" : e.getCause().getMessage());
        } catch (TimeoutException e) {
            return error("the node holding the room did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(HeraldError.SERVER_SHUTTING_DOWN);
        }
    }

    /**
     * Runs an action; its request id for the logs is the message's {@code messageId} (what the client matches the
     * answer by, as in Actionhero), else the connection's message count: unique together with the connection's id.
     */
    private Map<String, Object> action(TransportConnection connection, Object params, Object messageId) {
        if (params != null && !(params instanceof Map<?, ?>)) {
            return error(HeraldError.MALFORMED_MESSAGE, "params must be an object");
        }
        ActionRunner current = runner.get();
        if (current == null) {
            return error(HeraldError.SERVER_SHUTTING_DOWN);
        }
        Map<String, Object> merged = new LinkedHashMap<>(connection.params());
        if (params != null) {
            ((Map<?, ?>) params).forEach((k, v) -> merged.put(String.valueOf(k), v));
        }
        // The socket copies the answer to add context and messageId: no copy here.
        String requestId = RequestIds.orElse(messageId == null ? null : String.valueOf(messageId),
                Long.toString(connection.messageCount()));
        return current.run(ActionRequest.of(null, merged, connection).withMetadata(connection.metadata())
                .withRequestId(requestId)).response();
    }

    private Map<String, Object> roomView(TransportConnection connection, String room)
            throws ChatException, ExecutionException, TimeoutException, InterruptedException {
        if (!connection.rooms().contains(room)) {
            throw new ChatException(format(HeraldError.NOT_IN_ROOM, room));
        }
        Map<String, RoomMember> members = rooms().members(room).toCompletableFuture().get(CHAT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Object> shown = new TreeMap<>();
        members.forEach((id, member) -> shown.put(id, Map.of("id", id, "joinedAt", member.joinedAt().toEpochMilli())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("room", room);
        data.put("members", shown);
        data.put("membersCount", shown.size());
        return ok(data);
    }

    private Object documentation() {
        ActionRunner current = runner.get();
        return current == null ? Map.of() : ConnectionVerbs.documentation(current.actions());
    }

    private ChatRooms rooms() throws ChatException {
        ChatRooms current = chat.get();
        if (current == null) {
            throw new ChatException(format(HeraldError.CHAT_UNAVAILABLE));
        }
        return current;
    }

    private String room(Map<?, ?> message) throws ChatException {
        Object room = message.get("room");
        if (!(room instanceof String name)) {
            throw new ChatException(format(HeraldError.MALFORMED_MESSAGE, "room is required"));
        }
        return name;
    }

    static Map<String, Object> ok(Object data) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "OK");
        if (data != null) {
            answer.put("data", data);
        }
        return answer;
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", message);
        return answer;
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
