package io.herald.middleware.params.internal;

import java.util.List;
import java.util.Map;

import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.UploadedFile;

/**
 * Converts the params an action declares with a JSON schema type ({@link Input#type}) to that type before validation:
 * {@code integer} to {@code Long}, {@code number} to {@code Double}, {@code boolean} to {@code Boolean} (with the
 * API's own {@link Formatters}, so {@code "42"} from a query string and {@code 42} from a JSON body arrive alike), and
 * checks that {@code array} and {@code object} params are lists and maps and {@code file} params
 * {@link UploadedFile}s (a string sent in place of a file is refused, never taken for a path). Params of type {@code string} (the default)
 * and undeclared ones are left alone. Actionhero converts nothing unless the action gives a formatter; a typed API
 * that says {@code integer} in its OpenAPI document and then hands the action a string is a trap.
 */
final class ParamTypes {

    /** A param whose value is not of its declared type; the message is the client's (the formatter's wording). */
    static final class WrongType extends Exception {

        private static final long serialVersionUID = 1L;

        private final String param;

        WrongType(String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }

        String param() {
            return param;
        }
    }

    private ParamTypes() {
    }

    /** Converts the declared params of {@code params} in place. @throws WrongType for the first that cannot be */
    static void coerce(Inputs inputs, Map<String, Object> params) throws WrongType {
        for (Input input : inputs.all()) {
            Object value = params.get(input.name());
            if (value == null) {
                continue;
            }
            Object converted;
            try {
                converted = switch (input.type()) {
                    case "integer" -> Formatters.LONG.format(value);
                    case "number" -> Formatters.DOUBLE.format(value);
                    case "boolean" -> Formatters.BOOLEAN.format(value);
                    case "array" -> require(value instanceof List<?>, value, "must be an array");
                    case "object" -> require(value instanceof Map<?, ?>, value, "must be an object");
                    case "file" -> require(value instanceof UploadedFile, value, "must be an uploaded file (multipart/form-data)");
                    default -> value;
                };
            } catch (IllegalArgumentException e) {
                throw new WrongType(input.name(), e.getMessage());
            } catch (Exception e) {
                throw new WrongType(input.name(), "cannot be read as " + input.type());
            }
            if (converted != value) {
                params.put(input.name(), converted);
            }
        }
    }

    private static Object require(boolean ok, Object value, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }
}
