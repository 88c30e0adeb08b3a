package io.herald.core.internal.connections;

import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionException;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.chat.ChatException;
import io.herald.api.chat.ChatRooms;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Actionhero's {@code createChatRoom} action ({@code GET /api/createChatRoom?name=}). Actionhero's example lets anyone
 * create rooms, which live until destroyed: here it takes the {@code admin} role, as the other operator actions do;
 * an application that lets users create rooms calls {@link ChatRooms#create} from its own action.
 */
@Component
@ActionDefinition(name = "createChatRoom", description = "I create a chat room", roles = "admin",
        outputExample = "{\"didCreate\":true}")
public final class CreateChatRoomAction implements Action {

    private final ChatRooms rooms;

    @Activate
    public CreateChatRoomAction(@Reference ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("name").description("the room's name, at most " + ChatRooms.MAX_ROOM_NAME
                + " characters"));
    }

    @Override
    public Object run(ActionContext context) {
        try {
            rooms.create(context.param("name", String.class));
            return Map.of("didCreate", true);
        } catch (ChatException e) {
            throw new ActionException(422, e.getMessage());
        }
    }
}
