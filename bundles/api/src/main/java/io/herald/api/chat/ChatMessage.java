package io.herald.api.chat;

/**
 * A message said in a room, as members receive it: Actionhero's {@code {context: "user", from, room, message, sentAt}}.
 *
 * @param context always {@code user}: what a client uses to tell chat from responses
 * @param from the connection id of who said it, or {@code server}
 * @param room the room
 * @param message what was said: a string, or JSON-shaped values
 * @param sentAt epoch milliseconds when it was said
 * @since 1.0
 */
public record ChatMessage(String context, String from, String room, Object message, long sentAt) {

    public ChatMessage withMessage(Object changed) {
        return new ChatMessage(context, from, room, changed, sentAt);
    }
}
