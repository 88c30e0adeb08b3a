package io.herald.core.internal.cluster;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.cluster.ClusterMessage;

/** A published message, as subscribers receive it. */
final class ReceivedMessage implements ClusterMessage {

    private final Envelope envelope;
    private final ObjectMapper mapper;

    ReceivedMessage(Envelope envelope, ObjectMapper mapper) {
        this.envelope = envelope;
        this.mapper = mapper;
    }

    @Override
    public String channel() {
        return envelope.channel();
    }

    @Override
    public String senderId() {
        return envelope.sender();
    }

    @Override
    public Instant sentAt() {
        return Instant.ofEpochMilli(envelope.sentAt());
    }

    @Override
    public <T> T payload(Class<T> type) {
        return Json.read(mapper, envelope.payload(), type);
    }

    @Override
    public String payloadJson() {
        return Json.text(mapper, envelope.payload());
    }

    @Override
    public String toString() {
        return "message on " + channel() + " from " + senderId() + ": " + payloadJson();
    }
}
