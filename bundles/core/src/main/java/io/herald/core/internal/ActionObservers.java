package io.herald.core.internal;

import java.util.Arrays;

import io.herald.api.Connection;
import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.ActionResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ActionObserver} services, told of every call's result. A copy-on-write array: observers come and go
 * rarely, calls read it on every request without a lock or an iterator.
 */
final class ActionObservers {

    private static final Logger LOG = LoggerFactory.getLogger(ActionObservers.class);
    private static final ActionObserver[] NONE = new ActionObserver[0];

    private volatile ActionObserver[] observers = NONE;

    synchronized void add(ActionObserver observer) {
        ActionObserver[] grown = Arrays.copyOf(observers, observers.length + 1);
        grown[grown.length - 1] = observer;
        observers = grown;
    }

    synchronized void remove(ActionObserver observer) {
        observers = Arrays.stream(observers).filter(o -> o != observer).toArray(ActionObserver[]::new);
    }

    /** Tells every observer; one that throws is logged and does not change the call's result. */
    void completed(ActionResult result, Connection connection) {
        for (ActionObserver observer : observers) {
            try {
                observer.completed(result, connection);
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: the observer's bundle refreshed under the call
                LOG.warn("action observer {} failed on {}: {}", observer.getClass().getName(), result.action(), e.toString());
            }
        }
    }
}
