package io.herald.server.web.internal;

import java.time.Instant;

import io.herald.api.spi.ServerIdentity;

/** A fixed server identity. */
record TestIdentity(String id, String version, String environment, Instant startedAt) implements ServerIdentity {

    static TestIdentity development() {
        return new TestIdentity("test-node", "1.2.3", "development", Instant.now());
    }

    static TestIdentity production() {
        return new TestIdentity("test-node", "1.2.3", "production", Instant.now());
    }
}
