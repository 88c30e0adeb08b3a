package io.herald.server.web.internal;

import io.herald.api.spi.HeraldError;

/**
 * A request this bundle refuses before any action runs (bad encoding, a body too large, ...). Thrown inside the
 * bundle only; {@link ResponseWriter#writeError} turns it into the JSON error. It carries no stack trace: bad input is
 * routine and must stay cheap.
 */
final class WebException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HeraldError error;
    private final transient Object[] args;

    WebException(HeraldError error, Object... args) {
        super(error.name(), null, false, false);
        this.error = error;
        this.args = args;
    }

    HeraldError error() {
        return error;
    }

    Object[] args() {
        return args.clone();
    }
}
