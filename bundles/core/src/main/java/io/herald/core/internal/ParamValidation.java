package io.herald.core.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import io.herald.api.Formatter;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.UploadedFile;
import io.herald.api.Validator;
import io.herald.api.spi.HeraldError;

/**
 * Applies an action's inputs to the params: scrubbing, then per input default, formatters, validators and the
 * required check, with Actionhero's semantics ({@code actionProcessor.ts}: reduceParams, validateParam).
 */
final class ParamValidation {

    /** Params kept even when the action does not declare them (Actionhero's {@code globalSafeParams}). */
    static final Set<String> GLOBAL_SAFE_PARAMS = Set.of("file", "apiVersion", "callback", "action", "messageId");

    /** Why a param of input type {@code file} was refused. */
    static final String NOT_AN_UPLOAD = "must be an uploaded file (multipart/form-data)";

    /** Why params were rejected: a catalogue entry and its arguments. */
    record Problem(HeraldError error, Object... args) {
    }

    private ParamValidation() {
    }

    /** Removes the params the action does not declare. */
    static void scrub(Inputs inputs, Map<String, Object> params) {
        for (Iterator<String> keys = params.keySet().iterator(); keys.hasNext();) {
            String key = keys.next();
            if (!inputs.declares(key) && !GLOBAL_SAFE_PARAMS.contains(key)) {
                keys.remove();
            }
        }
    }

    /**
     * Applies defaults and formatters in place and checks validators and required inputs.
     *
     * @return the first problem, missing params before invalid ones (as Actionhero reports them), or {@code null}
     */
    static Problem apply(Inputs inputs, Map<String, Object> params) {
        Problem missing = null;
        Problem invalid = null;
        for (Input input : inputs.all()) {
            String name = input.name();
            Object value = params.get(name);
            if (value == null && input.hasDefault()) {
                value = input.defaultValue();
                params.put(name, value);
            }
            if (value != null && input.type().equals("file") && !(value instanceof UploadedFile)) {
                // A string or an object in place of an upload could name any path on the server: refused, on every
                // transport, whether or not the param-filtering bundle runs.
                invalid = first(invalid, new Problem(HeraldError.UNFORMATTABLE_PARAM, name, NOT_AN_UPLOAD));
                continue;
            }
            if (value != null) {
                try {
                    for (Formatter formatter : input.formatters()) {
                        value = formatter.format(value);
                    }
                    params.put(name, value);
                } catch (Exception e) {
                    invalid = first(invalid, new Problem(HeraldError.UNFORMATTABLE_PARAM, name, messageOf(e)));
                    continue;
                }
                for (Validator validator : input.validators()) {
                    Problem problem = validate(validator, name, value);
                    if (problem != null) {
                        invalid = first(invalid, problem);
                        break;
                    }
                }
            }
            // Actionhero's missingParamChecks: [null, "", undefined].
            if (input.isRequired() && (value == null || "".equals(value))) {
                missing = first(missing, new Problem(HeraldError.MISSING_PARAMS, name));
            }
        }
        return missing != null ? missing : invalid;
    }

    private static Problem validate(Validator validator, String name, Object value) {
        Object verdict;
        try {
            verdict = validator.validate(value);
        } catch (Exception e) {
            return new Problem(HeraldError.PARAM_REJECTED, messageOf(e));
        }
        if (verdict == null || Boolean.TRUE.equals(verdict)) {
            return null;
        }
        if (Boolean.FALSE.equals(verdict)) {
            return new Problem(HeraldError.INVALID_PARAM, name);
        }
        return new Problem(HeraldError.PARAM_REJECTED, verdict.toString());
    }

    private static Problem first(Problem current, Problem candidate) {
        return current != null ? current : candidate;
    }

    private static String messageOf(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
