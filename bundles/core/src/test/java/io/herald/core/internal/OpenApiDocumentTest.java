package io.herald.core.internal;

import static io.herald.core.internal.TestActions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDescriptor;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.RouteTable.Route;

import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private final OpenApiDocument document = new OpenApiDocument(JsonMapper.builder().build());

    private static ActionDescriptor action(String name, int version, boolean documented, Input... inputs) {
        Action action = new Action() {
            public Inputs inputs() {
                return Inputs.of(inputs);
            }

            public Object run(ActionContext c) {
                return null;
            }
        };
        return RegisteredAction.of(action, props(name, version, "herald.action.toDocument", documented,
                "herald.action.description", name + " does things", "herald.action.outputExample", "{\"ok\":true}"), 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> current = map;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }

    @Test
    void documents_each_route_of_the_latest_documented_version() {
        List<ActionDescriptor> actions = List.of(
                action("echo", 1, true, Input.required("message").description("what to echo")),
                action("echo", 2, true, Input.required("message"), Input.optional("times").type("integer").defaultValue(1)),
                action("secret", 1, false));
        List<Route> routes = List.of(new Route("GET", "/api/echo", "echo", 0), new Route("POST", "/api/echo", "echo", 0),
                new Route("GET", "/api/secret", "secret", 0), new Route("GET", "/api/ghost", "ghost", 0));
        Map<String, Object> doc = document.build(ProjectInfo.of("my-api", "My API", "1.2.3"), actions, routes);

        assertEquals("3.0.3", doc.get("openapi"));
        assertEquals("1.2.3", at(doc, "info").get("version"));
        assertEquals("my-api", at(doc, "info").get("title"));
        assertEquals("My API", at(doc, "info").get("description"));
        Map<String, Object> paths = at(doc, "paths");
        assertEquals(List.of("/api/echo"), new ArrayList<>(paths.keySet()), "undocumented and unknown actions are left out");

        Map<String, Object> get = at(doc, "paths", "/api/echo", "get");
        assertEquals("echo does things", get.get("summary"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parameters = (List<Map<String, Object>>) get.get("parameters");
        assertEquals("message", parameters.get(0).get("name"));
        assertEquals("query", parameters.get(0).get("in"));
        assertEquals(true, parameters.get(0).get("required"));
        assertEquals(Map.of("type", "integer", "default", 1), parameters.get(1).get("schema"));
        assertEquals(Map.of("ok", true), at(get, "responses", "200", "content", "application/json").get("example"));
        assertTrue(at(get, "responses").containsKey("422"));

        Map<String, Object> post = at(doc, "paths", "/api/echo", "post");
        assertFalse(post.containsKey("parameters"));
        Map<String, Object> schema = at(post, "requestBody", "content", "application/json", "schema");
        assertEquals(List.of("message"), schema.get("required"));
        assertTrue(at(schema, "properties").containsKey("times"));
    }

    @Test
    void a_file_input_is_a_binary_string_in_a_multipart_body() {
        List<ActionDescriptor> actions = List.of(action("avatar", 1, true, Input.required("picture").type("file"),
                Input.optional("caption")));
        Map<String, Object> doc = document.build(ProjectInfo.of("my-api", "My API", "1.2.3"), actions,
                List.of(new Route("POST", "/api/avatar", "avatar", 0)));

        Map<String, Object> content = at(doc, "paths", "/api/avatar", "post", "requestBody", "content");
        assertEquals(List.of("multipart/form-data"), new ArrayList<>(content.keySet()));
        assertEquals(Map.of("type", "string", "format", "binary"),
                at(content, "multipart/form-data", "schema", "properties", "picture"));
    }

    @Test
    void a_protected_action_names_its_credentials_and_its_401_and_403() {
        Action action = context -> null;
        List<ActionDescriptor> actions = List.of(RegisteredAction.of(action, props("purge", 1, "herald.action.roles",
                new String[] {"admin"}), 1), RegisteredAction.of(action, props("open", 1), 2));
        Map<String, Object> doc = document.build(ProjectInfo.of("my-api", "My API", "1.2.3"), actions,
                List.of(new Route("GET", "/api/purge", "purge", 0), new Route("GET", "/api/open", "open", 0)));
        Map<String, Object> purge = at(doc, "paths", "/api/purge", "get");
        assertEquals(List.of(Map.of("bearer", List.of()), Map.of("apiKey", List.of()), Map.of("session", List.of())),
                purge.get("security"));
        assertEquals(List.of("admin"), purge.get("x-herald-roles"));
        assertTrue(at(purge, "responses").containsKey("401") && at(purge, "responses").containsKey("403"));
        Map<String, Object> open = at(doc, "paths", "/api/open", "get");
        assertFalse(open.containsKey("security") || at(open, "responses").containsKey("401"));
        assertEquals(Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"),
                at(doc, "components", "securitySchemes", "apiKey"));
    }

    @Test
    void path_variables_become_path_parameters_and_pinned_versions_are_honoured() {
        List<ActionDescriptor> actions = List.of(action("user", 1, true, Input.required("id").type("integer")),
                action("user", 2, true, Input.required("name")));
        Map<String, Object> doc = document.build(ProjectInfo.of("t", "d", "v"), actions,
                List.of(new Route("GET", "/api/users/:id(^\\d+$)", "user", 1), new Route("ALL", "/api/v:apiVersion/x", "user", 0)));
        Map<String, Object> get = at(doc, "paths", "/api/users/{id}", "get");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parameters = (List<Map<String, Object>>) get.get("parameters");
        assertEquals("path", parameters.get(0).get("in"));
        assertTrue(((String) get.get("operationId")).startsWith("user_v1_get"));
        Map<String, Object> all = at(doc, "paths", "/api/v{apiVersion}/x");
        assertEquals(List.of("get", "post", "put", "patch", "delete"), new ArrayList<>(all.keySet()));
    }

    @Test
    void converts_actionhero_path_patterns() {
        List<String> variables = new ArrayList<>();
        assertEquals("/a/{id}/b/{slug}", OpenApiDocument.openApiPath("/a/:id(^\\d+$)/b/:slug", variables));
        assertEquals(List.of("id", "slug"), variables);
    }
}
