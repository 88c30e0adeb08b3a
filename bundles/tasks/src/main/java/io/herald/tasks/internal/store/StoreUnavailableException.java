package io.herald.tasks.internal.store;

/** The store could not be reached within its retry window (Redis down, failover longer than the window). */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
