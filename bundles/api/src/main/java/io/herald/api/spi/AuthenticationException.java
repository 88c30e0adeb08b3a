package io.herald.api.spi;

import java.util.Arrays;

/**
 * Credentials that do not authenticate: the call is refused with {@link #error()}, worded by the message catalogue.
 * The message must never hold the credentials.
 *
 * @since 1.4
 */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final HeraldError error;
    private final Object[] args;

    /** @param error the catalogue entry the client gets, such as {@link HeraldError#INVALID_CREDENTIALS} */
    public AuthenticationException(HeraldError error, Object... args) {
        super(error.name(), null, false, false);
        this.error = error;
        this.args = args.clone();
    }

    public HeraldError error() {
        return error;
    }

    public Object[] args() {
        return Arrays.copyOf(args, args.length);
    }
}
