package io.herald.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.herald.api.ActionDescriptor;
import io.herald.api.Input;
import io.herald.api.spi.TransportConnection;
import io.herald.core.json.HeraldJson;

/**
 * What Actionhero's {@code detailsView} and {@code documentation} verbs answer, the same on every stateful transport
 * (WebSocket, TCP): each transport only wraps it in its own message.
 *
 * @since 1.1
 */
public final class ConnectionVerbs {

    private ConnectionVerbs() {
    }

    /** {@code detailsView}: the connection as its client may see it. */
    public static Map<String, Object> details(TransportConnection connection) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", connection.id());
        details.put("fingerprint", connection.fingerprint());
        details.put("type", connection.type());
        details.put("remoteIP", connection.remoteIp());
        details.put("remotePort", connection.remotePort());
        details.put("params", new TreeMap<>(connection.params()));
        details.put("rooms", new TreeSet<>(connection.rooms()));
        details.put("connectedAt", connection.connectedAt().toEpochMilli());
        details.put("totalActions", connection.totalActions());
        details.put("pendingActions", connection.pendingActions());
        details.put("messageCount", connection.messageCount());
        return details;
    }

    /** {@code documentation}: every documented action, by name, then version, with its inputs. */
    public static Map<String, Map<String, Object>> documentation(List<ActionDescriptor> actions) {
        Map<String, Map<String, Object>> documented = new TreeMap<>();
        for (ActionDescriptor action : actions) {
            if (!action.toDocument()) {
                continue;
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (Input input : action.inputs().all()) {
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("required", input.isRequired());
                described.put("type", input.type());
                if (input.hasDefault()) {
                    described.put("default", HeraldJson.plain(input.defaultValue()));
                }
                if (input.description() != null && !input.description().isEmpty()) {
                    described.put("description", input.description());
                }
                inputs.put(input.name(), described);
            }
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("name", action.name());
            version.put("version", action.version());
            version.put("description", action.description());
            version.put("inputs", inputs);
            documented.computeIfAbsent(action.name(), name -> new TreeMap<>()).put(String.valueOf(action.version()), version);
        }
        return documented;
    }
}
