package io.herald.server.tcp.internal;

import java.util.function.Supplier;

import io.herald.api.chat.ChatRooms;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/**
 * The services the TCP server calls, each looked up when used: the component's references are dynamic, and any of
 * them may be absent for a moment (the runner while the core is replaced) or for good (chat and the connection registry
 * on a core that does not provide them).
 */
record TcpServices(Supplier<ActionRunner> runner, Supplier<ChatRooms> chat, Supplier<ConnectionRegistry> registry,
        Supplier<Messages> messages) {

    /** A catalogue message, in the operator's wording when the core runs, else the default one. */
    String format(HeraldError error, Object... args) {
        Messages current = messages.get();
        return (current != null ? current : Messages.defaults()).format(error, args);
    }
}
