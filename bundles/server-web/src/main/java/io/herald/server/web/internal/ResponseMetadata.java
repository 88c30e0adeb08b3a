package io.herald.server.web.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.herald.api.ActionDescriptor;
import io.herald.api.Input;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.ServerIdentity;
import io.herald.api.spi.TransportConnection;

/**
 * The {@code serverInformation} and {@code requesterInformation} blocks Actionhero adds to web responses
 * ({@code buildServerInformation}, {@code buildRequesterInformation}), each switched by configuration.
 */
final class ResponseMetadata {

    /** Params every action may receive, whatever its inputs (Actionhero's global safe params that apply here). */
    private static final Set<String> ALWAYS_SHOWN = Set.of("action", "apiVersion");

    private final boolean serverInformation;
    private final boolean requesterInformation;
    private final ServerIdentity identity;
    private final Supplier<ActionRunner> runner;
    private final Throttle refresh;
    private volatile Set<String> knownParams;

    ResponseMetadata(boolean serverInformation, boolean requesterInformation, ServerIdentity identity,
            Supplier<ActionRunner> runner, LongSupplier nanoClock) {
        this.serverInformation = serverInformation;
        this.requesterInformation = requesterInformation;
        this.identity = identity;
        this.runner = runner;
        this.refresh = new Throttle(TimeUnit.SECONDS.toNanos(1), nanoClock);
    }

    boolean serverInformation() {
        return serverInformation;
    }

    boolean requesterInformation() {
        return requesterInformation;
    }

    /** {serverName, apiVersion, requestDuration (ms), currentTime (epoch ms)}. */
    Map<String, Object> server(long requestStartedMillis, long nowMillis) {
        Map<String, Object> information = new LinkedHashMap<>(8);
        information.put("serverName", identity.id());
        information.put("apiVersion", identity.version());
        information.put("requestDuration", Math.max(0, nowMillis - requestStartedMillis));
        information.put("currentTime", nowMillis);
        return information;
    }

    /**
     * {id, fingerprint, messageId, remoteIP, receivedParams}. As in Actionhero, receivedParams shows only params some
     * action declares as an input (plus {@code action} and {@code apiVersion}), so it never echoes arbitrary input.
     */
    Map<String, Object> requester(TransportConnection connection, String messageId, Map<String, Object> params) {
        Set<String> known = knownParams();
        Map<String, Object> received = new LinkedHashMap<>();
        for (Map.Entry<String, Object> param : params.entrySet()) {
            if (known.contains(param.getKey()) || ALWAYS_SHOWN.contains(param.getKey())) {
                received.put(param.getKey(), param.getValue());
            }
        }
        Map<String, Object> information = new LinkedHashMap<>(8);
        information.put("id", connection.id());
        information.put("fingerprint", connection.fingerprint());
        information.put("messageId", messageId);
        information.put("remoteIP", connection.remoteIp());
        information.put("receivedParams", received);
        return information;
    }

    /** Every action's input names, recomputed at most once a second (Actionhero's {@code postVariables}). */
    private Set<String> knownParams() {
        Set<String> known = knownParams;
        if (known == null || refresh.due()) {
            known = new HashSet<>();
            ActionRunner current = runner.get();
            if (current != null) {
                for (ActionDescriptor action : current.actions()) {
                    for (Input input : action.inputs().all()) {
                        known.add(input.name());
                    }
                }
            }
            knownParams = known;
        }
        return known;
    }
}
