package io.herald.core.internal;

import org.slf4j.MDC;

/**
 * The ids of the call running on this thread, in the MDC while it runs, for JSON logs: the action log line and every line
 * the action or its middleware log carry {@code connectionId} and {@code requestId} (Actionhero's log lines carry the
 * connection's id and messageId). A call made from inside another (an action invoking one, a task running one) puts its
 * own ids and gives the outer call's back when it ends.
 */
final class CallLogContext implements AutoCloseable {

    static final String CONNECTION_ID = "connectionId";
    static final String REQUEST_ID = "requestId";

    private final String previousConnectionId;
    private final String previousRequestId;

    private CallLogContext(String previousConnectionId, String previousRequestId) {
        this.previousConnectionId = previousConnectionId;
        this.previousRequestId = previousRequestId;
    }

    static CallLogContext enter(String connectionId, String requestId) {
        CallLogContext context = new CallLogContext(MDC.get(CONNECTION_ID), MDC.get(REQUEST_ID));
        set(CONNECTION_ID, connectionId);
        set(REQUEST_ID, requestId);
        return context;
    }

    @Override
    public void close() {
        set(CONNECTION_ID, previousConnectionId);
        set(REQUEST_ID, previousRequestId);
    }

    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
