package io.herald.middleware.params.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.herald.core.LogText;
import io.herald.api.ActionException;
import io.herald.api.ActionInvocation;
import io.herald.api.ActionMiddleware;
import io.herald.api.MiddlewareDefinition;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/**
 * Refuses a call whose params exceed the {@link ParamLimits} with 422 naming the param, then converts the declared
 * params to their declared types ({@link ParamTypes}; 422 naming the param when one cannot be), before any other middleware
 * (priority {@value #PRIORITY}: the lowest number runs first), validation, the action or the log line handle them.
 * Actionhero has no such limits; its web server bounds only the body's size, which Herald's does too
 * ({@code maxBodySize}), but a body within it can still hold 100000 params or a value nested 10000 deep.
 *
 * <p>Registered by {@link ParamFiltering}, not by Declarative Services: the annotation gives the service properties.
 */
@MiddlewareDefinition(name = ParamLimitsMiddleware.NAME, global = true, priority = ParamLimitsMiddleware.PRIORITY)
final class ParamLimitsMiddleware implements ActionMiddleware {

    static final String NAME = "paramLimits";
    static final int PRIORITY = 10;
    /** The service properties the annotation stands for (the core reads them as it reads a component's). */
    static final Map<String, Object> PROPERTIES = Map.of(MiddlewareDefinition.PREFIX_ + "name", NAME,
            MiddlewareDefinition.PREFIX_ + "global", true, MiddlewareDefinition.PREFIX_ + "priority", PRIORITY);
    /** Characters of a param's name quoted in an error message: the name is the client's. */
    private static final int MAX_NAME_SHOWN = 64;

    private final Supplier<Messages> messages;
    private volatile ParamLimits limits;

    /** @param messages the catalogue as it is now (the core's, reworded by {@code io.herald.errors}) */
    ParamLimitsMiddleware(ParamLimits limits, Supplier<Messages> messages) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /** Later calls use {@code next}; the service stays registered. */
    void configure(ParamLimits next) {
        this.limits = Objects.requireNonNull(next, "limits");
    }

    ParamLimits limits() {
        return limits;
    }

    @Override
    public void preProcess(ActionInvocation invocation) {
        ParamLimits current = limits;
        Map<String, Object> params = invocation.params();
        if (params.size() > current.maxParams()) {
            throw refusal(HeraldError.TOO_MANY_PARAMS, current.maxParams());
        }
        for (Map.Entry<String, Object> param : params.entrySet()) {
            Measure measure = new Measure(current);
            measure.text(param.getKey());
            measure.value(param.getValue(), 0);
            if (measure.tooDeep) {
                throw refusal(HeraldError.PARAM_TOO_DEEP, shown(param.getKey()), current.maxParamDepth());
            }
            if (measure.tooLong()) {
                throw refusal(HeraldError.PARAM_TOO_LONG, shown(param.getKey()), current.maxParamLength());
            }
        }
        try {
            ParamTypes.coerce(invocation.action().inputs(), params);
        } catch (ParamTypes.WrongType e) {
            throw refusal(HeraldError.UNFORMATTABLE_PARAM, shown(e.param()), e.getMessage());
        }
    }

    private ActionException refusal(HeraldError error, Object... args) {
        Messages current = messages.get();
        return new ActionException(error.status(), (current != null ? current : Messages.defaults()).format(error, args));
    }

    private static String shown(String name) {
        return LogText.cut(name, MAX_NAME_SHOWN);
    }

    /**
     * Walks one param's value, adding up its strings' bytes and stopping as soon as a limit is passed, so a huge or
     * deep value costs no more than the limits allow.
     */
    private static final class Measure {

        private final ParamLimits limits;
        private long bytes;
        private boolean tooDeep;

        Measure(ParamLimits limits) {
            this.limits = limits;
        }

        boolean tooLong() {
            return bytes > limits.maxParamLength();
        }

        private boolean done() {
            return tooDeep || tooLong();
        }

        /** @param depth the levels of maps and lists {@code value} is inside of */
        void value(Object value, int depth) {
            if (value == null || done()) {
                return;
            }
            if (value instanceof CharSequence text) {
                text(text);
                return;
            }
            boolean nested = value instanceof Map<?, ?> || value instanceof Collection<?>
                    || (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive());
            if (!nested) {
                return;
            }
            if (depth + 1 > limits.maxParamDepth()) {
                tooDeep = true;
                return;
            }
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    text(String.valueOf(entry.getKey()));
                    value(entry.getValue(), depth + 1);
                    if (done()) {
                        return;
                    }
                }
            } else if (value instanceof Collection<?> items) {
                for (Object item : items) {
                    value(item, depth + 1);
                    if (done()) {
                        return;
                    }
                }
            } else {
                for (int i = 0; i < Array.getLength(value) && !done(); i++) {
                    value(Array.get(value, i), depth + 1);
                }
            }
        }

        /** Adds the UTF-8 length of {@code text}, counted without encoding it. */
        void text(CharSequence text) {
            for (int i = 0; i < text.length() && !tooLong(); i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    bytes += 1;
                } else if (c < 0x800) {
                    bytes += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    bytes += 3;
                }
            }
        }
    }
}
