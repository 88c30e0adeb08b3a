package io.herald.server.web.internal;

import java.util.regex.Pattern;

import io.herald.api.spi.HeraldError;

/**
 * JSONP (Actionhero's {@code callback} param): the response becomes {@code callback(json);} served as JavaScript, so
 * a page on another site can read it through a script tag. The name must be a JavaScript identifier or a dotted path
 * of them ({@code jQuery123}, {@code app.handlers.done}); anything else is refused with 400 before the action runs.
 * Actionhero HTML-escapes the name and strips parentheses; Herald refuses instead, so no text of the client's choosing
 * other than a name ever starts a script.
 */
final class Jsonp {

    /** The longest callback name accepted. */
    static final int MAX_LENGTH = 128;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private Jsonp() {
    }

    /**
     * The callback the params ask for.
     *
     * @return the name, or {@code null} when the params have no {@code callback} (or an empty one)
     * @throws WebException 400 for a callback that is no identifier path
     */
    static String callback(Object param) throws WebException {
        if (param == null || "".equals(param)) {
            return null;
        }
        if (param instanceof String name && name.length() <= MAX_LENGTH && NAME.matcher(name).matches()) {
            return name;
        }
        throw new WebException(HeraldError.MALFORMED_REQUEST, "callback must be a JavaScript name such as handle or "
                + "app.handle (letters, digits, _ and $, at most " + MAX_LENGTH + " characters)");
    }
}
