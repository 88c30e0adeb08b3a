package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One route of the routes file, compiled once when the file is loaded: matching a request splits nothing and compiles
 * no regular expression. The path syntax is Actionhero's ({@code initializers/routes.ts}, {@code matchURL}):
 * <ul>
 * <li>{@code /users} a literal segment, compared ignoring case;</li>
 * <li>{@code /:id} a variable taking the whole segment;</li>
 * <li>{@code /:id(^\d+$)} a variable the segment must match (the expression is searched for, so anchor it);</li>
 * <li>{@code /v:apiVersion} a literal prefix, then a variable taking the rest of the segment;</li>
 * <li>with {@code matchTrailingPathParts}, the last variable takes every remaining segment, joined by {@code /}.</li>
 * </ul>
 * Herald reads a prefix as a prefix; Actionhero looks for it anywhere in the segment.
 */
final class Route {

    private final String method;
    private final String path;
    private final String action;
    private final int apiVersion;
    private final boolean matchTrailingPathParts;
    private final Part[] parts;

    /**
     * @param method the verb as the routes file names it: {@code get}, ..., or {@code all}
     * @param apiVersion the version the route pins, or 0
     * @throws IllegalArgumentException for a path that cannot be compiled
     */
    Route(String method, String path, String action, int apiVersion, boolean matchTrailingPathParts) {
        this.method = method;
        this.path = path;
        this.action = action;
        this.apiVersion = apiVersion;
        this.matchTrailingPathParts = matchTrailingPathParts;
        List<Part> compiled = new ArrayList<>();
        for (String segment : WebSettings.segments(path)) {
            compiled.add(Part.compile(segment));
        }
        this.parts = compiled.toArray(new Part[0]);
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    String action() {
        return action;
    }

    int apiVersion() {
        return apiVersion;
    }

    boolean matchTrailingPathParts() {
        return matchTrailingPathParts;
    }

    /** The path without the regular expressions, as documentation shows it: {@code /users/:id}. */
    String documentedPath() {
        StringBuilder documented = new StringBuilder();
        for (Part part : parts) {
            documented.append('/').append(part.documented());
        }
        return documented.length() == 0 ? "/" : documented.toString();
    }

    /**
     * Matches decoded path segments (those after urlPathForActions).
     *
     * @return the path variables (empty when the route has none), or {@code null} when the route does not match
     */
    Map<String, String> match(List<String> segments) {
        int count = segments.size();
        if (count != parts.length && !(matchTrailingPathParts && count > parts.length)) {
            return null;
        }
        Map<String, String> variables = null;
        for (int i = 0; i < parts.length; i++) {
            String segment = segments.get(i);
            if (matchTrailingPathParts && i == parts.length - 1 && count > parts.length) {
                segment = String.join("/", segments.subList(i, count));
            }
            Part part = parts[i];
            if (part.variable == null) {
                if (!part.literal.equalsIgnoreCase(segment)) {
                    return null;
                }
                continue;
            }
            if (!segment.startsWith(part.literal)) {
                return null;
            }
            String value = segment.substring(part.literal.length());
            if (value.isEmpty() || (part.constraint != null && !part.constraint.matcher(value).find())) {
                return null;
            }
            if (variables == null) {
                variables = new LinkedHashMap<>(4);
            }
            variables.put(part.variable, value);
        }
        return variables == null ? Map.of() : variables;
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + action;
    }

    /** A segment of the pattern: a literal, or a variable with an optional literal prefix and constraint. */
    private static final class Part {

        final String literal;
        final String variable;
        final Pattern constraint;

        private Part(String literal, String variable, Pattern constraint) {
            this.literal = literal;
            this.variable = variable;
            this.constraint = constraint;
        }

        static Part compile(String segment) {
            int colon = segment.indexOf(':');
            if (colon < 0) {
                return new Part(segment, null, null);
            }
            String prefix = segment.substring(0, colon);
            String spec = segment.substring(colon + 1);
            int open = spec.indexOf('(');
            String name = open < 0 ? spec : spec.substring(0, open);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("\"" + segment + "\" has a variable without a name");
            }
            Pattern constraint = null;
            if (open >= 0) {
                if (!spec.endsWith(")")) {
                    throw new IllegalArgumentException("\"" + segment + "\": the constraint must end with )");
                }
                String expression = spec.substring(open + 1, spec.length() - 1);
                try {
                    constraint = Pattern.compile(expression);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("\"" + segment + "\": the constraint is not a valid regular expression: "
                            + e.getDescription());
                }
            }
            return new Part(prefix, name, constraint);
        }

        String documented() {
            return variable == null ? literal : literal + ":" + variable;
        }
    }
}
