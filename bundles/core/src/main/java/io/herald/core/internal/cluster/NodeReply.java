package io.herald.core.internal.cluster;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.cluster.ClusterReply;

/** A node's reply to a call, as the caller receives it. */
final class NodeReply implements ClusterReply {

    private final String nodeId;
    private final JsonNode result;
    private final String error;
    private final ObjectMapper mapper;

    NodeReply(String nodeId, JsonNode result, String error, ObjectMapper mapper) {
        this.nodeId = nodeId;
        this.result = result;
        this.error = error;
        this.mapper = mapper;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public <T> T result(Class<T> type) {
        if (error != null) {
            throw new IllegalStateException("the call failed on node " + nodeId + ": " + error);
        }
        return Json.read(mapper, result, type);
    }

    @Override
    public String resultJson() {
        return error != null ? null : Json.text(mapper, result);
    }

    @Override
    public String toString() {
        return error != null ? "error from " + nodeId + ": " + error : "reply from " + nodeId + ": " + resultJson();
    }
}
