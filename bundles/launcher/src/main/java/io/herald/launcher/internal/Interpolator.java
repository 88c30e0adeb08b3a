package io.herald.launcher.internal;

import java.util.Map;
import java.util.function.Function;

/**
 * Expands {@code ${...}} in config values before FileInstall sees them.
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: the environment variable; an error when it is unset.</li>
 *   <li>{@code ${env:NAME:-default}}: the default when the variable is unset or empty (shell semantics, and
 *       Actionhero's {@code process.env.PORT || 8080} idiom).</li>
 *   <li>{@code ${name}} and {@code ${name:-default}}: a system property such as {@code herald.home}.</li>
 *   <li><code>$${</code> is a literal <code>${</code>.</li>
 * </ul>
 * Defaults may themselves contain {@code ${...}}. Expanded values are not expanded again, so a variable whose
 * value contains <code>${</code> is taken literally.
 */
final class Interpolator {

    private static final String ENV_PREFIX = "env:";
    private static final String DEFAULT_SEPARATOR = ":-";

    private final Function<String, String> environment;
    private final Function<String, String> systemProperties;

    Interpolator(Map<String, String> environment, Function<String, String> systemProperties) {
        this.environment = environment::get;
        this.systemProperties = systemProperties;
    }

    /** Uses the process environment and the JVM's system properties. */
    static Interpolator ofProcess() {
        return new Interpolator(System.getenv(), System::getProperty);
    }

    /**
     * @param source the file (or other source) the value came from, for the error message
     * @param key the key the value belongs to, for the error message
     */
    String expand(String value, String source, String key) throws ConfigException {
        return expand(value, source, key, new java.util.ArrayList<>());
    }

    /**
     * @param variables receives the names of the environment variables whose values went into the result, so an error
     *        about the value can name the variable the operator set
     */
    String expand(String value, String source, String key, java.util.List<String> variables) throws ConfigException {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && value.startsWith("${", i)) {
                int end = matchingBrace(value, i + 2);
                if (end < 0) {
                    throw ConfigException.forKey(source, key, "unterminated ${ in '" + value + "'");
                }
                out.append(resolve(value.substring(i + 2, end), source, key, variables));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String expression, String source, String key, java.util.List<String> variables)
            throws ConfigException {
        boolean fromEnvironment = expression.startsWith(ENV_PREFIX);
        String body = fromEnvironment ? expression.substring(ENV_PREFIX.length()) : expression;
        int separator = body.indexOf(DEFAULT_SEPARATOR);
        String name = separator < 0 ? body : body.substring(0, separator);
        if (name.isBlank()) {
            throw ConfigException.forKey(source, key, "empty variable name in ${" + expression + "}");
        }
        String found = fromEnvironment ? environment.apply(name) : systemProperties.apply(name);
        if (separator >= 0) {
            if (found != null && !found.isEmpty()) {
                if (fromEnvironment) {
                    variables.add(name);
                }
                return found;
            }
            return expand(body.substring(separator + DEFAULT_SEPARATOR.length()), source, key, variables);
        }
        if (found == null) {
            String what = fromEnvironment ? "environment variable " : "system property ";
            throw ConfigException.forKey(source, key, what + name + " is not set and ${" + expression
                    + "} has no default (write ${" + expression + ":-default})");
        }
        if (fromEnvironment) {
            variables.add(name);
        }
        return found;
    }

    /** Index of the brace that closes the <code>${</code> whose body starts at {@code from}, allowing nesting. */
    private static int matchingBrace(String value, int from) {
        int depth = 1;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
