package io.herald.api.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Words the {@link HeraldError}s, honouring the operator's configured overrides. Provided by the core.
 *
 * @since 1.0
 */
@ProviderType
public interface Messages {

    String format(HeraldError error, Object... args);

    /** Fills a template's {@code {0}}, {@code {1}}, ... with the arguments. No other syntax: quotes are literal. */
    static String fill(String template, Object... args) {
        String text = template;
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** The catalogue's default wording, for code that runs without the core (tests, early start-up). */
    static Messages defaults() {
        return (error, args) -> fill(error.defaultMessage(), args);
    }
}
