package io.herald.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.ActionDescriptor;
import io.herald.api.Input;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.RouteTable;

/**
 * Builds an OpenAPI 3.0 document from action metadata and the transports' routes, as Actionhero's {@code swagger}
 * action builds Swagger 2.0 from its routes and inputs ({@code src/actions/swagger.ts}).
 */
final class OpenApiDocument {

    private static final Pattern PATH_VARIABLE = Pattern.compile(":([A-Za-z0-9_]+)(\\([^/]*\\))?");

    private final ObjectMapper mapper;

    OpenApiDocument(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param actions every registered action version; the latest version of each documented action is shown
     * @param routes routes of every transport; routes to undocumented or unknown actions are left out
     */
    Map<String, Object> build(ProjectInfo project, List<ActionDescriptor> actions, List<RouteTable.Route> routes) {
        Map<String, ActionDescriptor> latest = new LinkedHashMap<>();
        for (ActionDescriptor action : actions) {
            if (action.toDocument()) {
                latest.merge(action.name(), action, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RouteTable.Route route : routes) {
            ActionDescriptor action = route.apiVersion() > 0 ? findVersion(actions, route.action(), route.apiVersion())
                    : latest.get(route.action());
            if (action == null || !action.toDocument()) {
                continue;
            }
            List<String> pathVariables = new ArrayList<>();
            String path = openApiPath(route.path(), pathVariables);
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
            for (String method : methods(route.method())) {
                item.putIfAbsent(method, operation(action, method, pathVariables));
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.3");
        // Actionhero's swagger action describes the project (its package.json's name, description and version).
        document.put("info", Map.of("title", project.name(), "description", project.description(),
                "version", project.version()));
        document.put("paths", paths);
        // The credentials the authentication bundle reads; protected operations name them in their security.
        document.put("components", Map.of("schemas", Map.of("Error", Map.of("type", "object",
                "required", List.of("error"), "properties", Map.of("error", Map.of("type", "string")))),
                "securitySchemes", Map.of(
                        "bearer", Map.of("type", "http", "scheme", "bearer", "description", "an API key or a JWT"),
                        "apiKey", Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", "heraldSession"))));
        return document;
    }

    private static ActionDescriptor findVersion(List<ActionDescriptor> actions, String name, int version) {
        return actions.stream().filter(a -> a.name().equals(name) && a.version() == version).findFirst().orElse(null);
    }

    private static List<String> methods(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        return m.equals("all") ? List.of("get", "post", "put", "patch", "delete") : List.of(m);
    }

    /** {@code /users/:id(^\d+$)} becomes {@code /users/{id}}. */
    static String openApiPath(String path, List<String> variables) {
        Matcher m = PATH_VARIABLE.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            variables.add(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement("{" + m.group(1) + "}"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Map<String, Object> operation(ActionDescriptor action, String method, List<String> pathVariables) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", action.name() + "_v" + action.version() + "_" + method
                + (pathVariables.isEmpty() ? "" : "_" + String.join("_", pathVariables)));
        op.put("summary", action.description());
        op.put("tags", List.of(action.name()));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Map<String, Object> bodyProperties = new LinkedHashMap<>();
        List<String> bodyRequired = new ArrayList<>();
        boolean inBody = method.equals("post") || method.equals("put") || method.equals("patch");
        for (Input input : action.inputs().all()) {
            Map<String, Object> schema = schema(input);
            if (pathVariables.contains(input.name())) {
                parameters.add(parameter(input, "path", true, schema));
            } else if (inBody) {
                bodyProperties.put(input.name(), schema);
                if (input.isRequired()) {
                    bodyRequired.add(input.name());
                }
            } else {
                parameters.add(parameter(input, "query", input.isRequired(), schema));
            }
        }
        for (String variable : pathVariables) {
            if (!action.inputs().declares(variable)) {
                parameters.add(Map.of("name", variable, "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (inBody && !bodyProperties.isEmpty()) {
            Map<String, Object> bodySchema = new LinkedHashMap<>();
            bodySchema.put("type", "object");
            bodySchema.put("properties", bodyProperties);
            if (!bodyRequired.isEmpty()) {
                bodySchema.put("required", bodyRequired);
            }
            Map<String, Object> content = Map.of("schema", bodySchema);
            boolean upload = action.inputs().all().stream().anyMatch(input -> input.type().equals("file"));
            // Files come only in a multipart form; other bodies carry them nowhere.
            op.put("requestBody", Map.of("required", !bodyRequired.isEmpty(), "content", upload
                    ? Map.of("multipart/form-data", content)
                    : Map.of("application/json", content, "application/x-www-form-urlencoded", content)));
        }
        op.put("responses", responses(action));
        if (action.authenticated()) {
            op.put("security", List.of(Map.of("bearer", List.of()), Map.of("apiKey", List.of()), Map.of("session", List.of())));
            if (!action.roles().isEmpty()) {
                op.put("x-herald-roles", action.roles());
            }
        }
        return op;
    }

    private static Map<String, Object> parameter(Input input, String in, boolean required, Map<String, Object> schema) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", input.name());
        p.put("in", in);
        p.put("required", required);
        if (!input.description().isEmpty()) {
            p.put("description", input.description());
        }
        p.put("schema", schema);
        return p;
    }

    private static Map<String, Object> schema(Input input) {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (input.type().equals("file")) {
            // An uploaded file (io.herald.api.UploadedFile): OpenAPI 3 describes it as a binary string.
            schema.put("type", "string");
            schema.put("format", "binary");
        } else {
            schema.put("type", input.type());
        }
        if (!input.description().isEmpty()) {
            schema.put("description", input.description());
        }
        if (input.hasDefault()) {
            Object value = input.defaultValue();
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                schema.put("default", value);
            }
        }
        return schema;
    }

    private Map<String, Object> responses(ActionDescriptor action) {
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("description", "the action's response");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", Map.of("type", "object"));
        if (!action.outputExample().isEmpty()) {
            try {
                json.put("example", mapper.readValue(action.outputExample(), Object.class));
            } catch (Exception e) {
                // An unparseable example is documentation noise, not a reason to fail the document.
            }
        }
        ok.put("content", Map.of("application/json", json));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", ok);
        Map<String, Object> error = Map.of("content", Map.of("application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        if (!action.inputs().isEmpty()) {
            responses.put(String.valueOf(HeraldError.MISSING_PARAMS.status()), withDescription(error, "missing or invalid params"));
        }
        if (action.authenticated()) {
            responses.put("401", withDescription(error, "no valid credentials"));
            if (!action.roles().isEmpty()) {
                responses.put("403", withDescription(error, "the caller lacks a role: " + String.join(", ", action.roles())));
            }
        }
        responses.put("default", withDescription(error, "an error"));
        return responses;
    }

    private static Map<String, Object> withDescription(Map<String, Object> response, String description) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("description", description);
        r.putAll(response);
        return r;
    }
}
