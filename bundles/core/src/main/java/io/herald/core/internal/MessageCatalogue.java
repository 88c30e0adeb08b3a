package io.herald.core.internal;

import java.util.EnumMap;
import java.util.Map;

import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

/**
 * The catalogue's wording, with the operator's overrides (configuration PID {@code io.herald.errors}, one key per
 * {@link HeraldError} name), as Actionhero's {@code config/errors.ts} can be overridden.
 */
public final class MessageCatalogue implements Messages {

    private final Map<HeraldError, String> templates = new EnumMap<>(HeraldError.class);

    /** @throws IllegalArgumentException for a key that names no catalogue entry, so a typo does not go unnoticed */
    /** @throws IllegalArgumentException for a key that names no catalogue entry, so a typo does not go unnoticed */
    public static MessageCatalogue withOverrides(Map<String, ?> overrides) {
        return new MessageCatalogue(overrides);
    }

    private MessageCatalogue(Map<String, ?> overrides) {
        for (HeraldError error : HeraldError.values()) {
            templates.put(error, error.defaultMessage());
        }
        overrides.forEach((key, value) -> {
            if (isFrameworkKey(key)) {
                return;
            }
            try {
                templates.put(HeraldError.valueOf(key), String.valueOf(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("io.herald.errors: \"" + key + "\" is not a message; known messages: "
                        + java.util.Arrays.toString(HeraldError.values()));
            }
        });
    }

    private static boolean isFrameworkKey(String key) {
        // ConfigAdmin, DS and FileInstall add their own properties to every configuration.
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.contains(".");
    }

    @Override
    public String format(HeraldError error, Object... args) {
        return Messages.fill(templates.get(error), args);
    }
}
