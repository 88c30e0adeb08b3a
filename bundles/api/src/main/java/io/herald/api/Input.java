package io.herald.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One declared param of an action, with Actionhero's semantics, applied in this order:
 * <ol>
 * <li><b>default</b>: used when the param is absent ({@code null});</li>
 * <li><b>formatters</b>: applied in order when the param is present; one that throws fails the call with 422;</li>
 * <li><b>validators</b>: applied in order when the param is present (see {@link Validator} for what they return);</li>
 * <li><b>required</b>: a param that is absent or the empty string is missing, and the call ends with 422 naming it.</li>
 * </ol>
 * Instances are immutable: every method returns a copy.
 *
 * @since 1.0
 */
public final class Input {

    private final String name;
    private final boolean required;
    private final Supplier<?> defaultValue;
    private final List<Formatter> formatters;
    private final List<Validator> validators;
    private final String description;
    private final String type;

    private Input(String name, boolean required, Supplier<?> defaultValue, List<Formatter> formatters,
            List<Validator> validators, String description, String type) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an input needs a name");
        }
        this.name = name;
        this.required = required;
        this.defaultValue = defaultValue;
        this.formatters = List.copyOf(formatters);
        this.validators = List.copyOf(validators);
        this.description = description;
        this.type = type;
    }

    /** A param the call must carry (after defaults). */
    public static Input required(String name) {
        return new Input(name, true, null, List.of(), List.of(), "", "string");
    }

    /** A param the call may carry. */
    public static Input optional(String name) {
        return new Input(name, false, null, List.of(), List.of(), "", "string");
    }

    /** The value used when the param is absent. */
    public Input defaultValue(Object value) {
        Objects.requireNonNull(value, "default value");
        return new Input(name, required, () -> value, formatters, validators, description, type);
    }

    /** Computes the value used when the param is absent, at each call (Actionhero's function default). */
    public Input defaultValue(Supplier<?> supplier) {
        Objects.requireNonNull(supplier, "default supplier");
        return new Input(name, required, supplier, formatters, validators, description, type);
    }

    /** Adds a formatter, run after the ones already added. */
    public Input formatter(Formatter formatter) {
        List<Formatter> all = new ArrayList<>(formatters);
        all.add(Objects.requireNonNull(formatter, "formatter"));
        return new Input(name, required, defaultValue, all, validators, description, type);
    }

    /** Adds a validator, run after the ones already added. */
    public Input validator(Validator validator) {
        List<Validator> all = new ArrayList<>(validators);
        all.add(Objects.requireNonNull(validator, "validator"));
        return new Input(name, required, defaultValue, formatters, all, description, type);
    }

    /** Shown in the OpenAPI document. */
    public Input description(String text) {
        return new Input(name, required, defaultValue, formatters, validators, Objects.requireNonNull(text), type);
    }

    /**
     * The JSON schema type shown in the OpenAPI document: {@code string} (the default), {@code integer},
     * {@code number}, {@code boolean}, {@code array}, {@code object} or {@code file} (an {@link UploadedFile}, since
     * 1.3; documented as a binary string). While the param-filtering bundle
     * ({@code herald-middleware-params}) runs, a value is converted to it before validation ({@code "42"} to
     * {@code Long}, {@code "yes"} to {@code Boolean}), or refused with 422 naming the param; without that bundle it is
     * documentation only, so an action that relies on the type gives a formatter as well.
     */
    public Input type(String schemaType) {
        return new Input(name, required, defaultValue, formatters, validators, description, Objects.requireNonNull(schemaType));
    }

    public String name() {
        return name;
    }

    public boolean isRequired() {
        return required;
    }

    /** Whether a default is declared. */
    public boolean hasDefault() {
        return defaultValue != null;
    }

    /** A fresh default value, or {@code null} when none is declared. */
    public Object defaultValue() {
        return defaultValue == null ? null : defaultValue.get();
    }

    public List<Formatter> formatters() {
        return formatters;
    }

    public List<Validator> validators() {
        return validators;
    }

    public String description() {
        return description;
    }

    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return (required ? "required " : "optional ") + name;
    }
}
