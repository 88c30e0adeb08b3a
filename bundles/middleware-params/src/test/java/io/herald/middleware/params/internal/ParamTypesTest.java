package io.herald.middleware.params.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.Connection;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.UploadedFile;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Messages;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;

import org.junit.jupiter.api.Test;

/** Declared types through the core's pipeline with the limits middleware: converted, or 422 naming the param. */
class ParamTypesTest {

    private final Action typed = new Action() {
        @Override
        public Inputs inputs() {
            return Inputs.of(Input.optional("count").type("integer"), Input.optional("ratio").type("number"),
                    Input.optional("on").type("boolean"), Input.optional("tags").type("array"),
                    Input.optional("meta").type("object"), Input.optional("name"), Input.optional("upload").type("file"));
        }

        @Override
        public Object run(ActionContext context) {
            Map<String, Object> seen = new LinkedHashMap<>();
            context.params().forEach((k, v) -> {
                if (!k.equals("apiVersion")) {
                    seen.put(k, v.getClass().getSimpleName());
                }
            });
            return Map.of("types", seen);
        }
    };

    private final ActionPipeline pipeline = ActionPipeline.builder()
            .action(typed, Map.of("herald.action.name", "typed"))
            .middleware(new ParamLimitsMiddleware(ParamLimits.DEFAULTS, Messages::defaults), ParamLimitsMiddleware.PROPERTIES)
            .build();

    private ActionResult run(Map<String, Object> params) {
        return pipeline.run(ActionRequest.of("typed", params, new TransportConnection("c", Connection.WEB, "127.0.0.1", 1, "f")));
    }

    @Test
    void strings_from_a_query_string_arrive_as_their_declared_types() {
        ActionResult result = run(Map.of("count", "42", "ratio", "0.5", "on", "yes", "name", "7"));
        assertEquals(200, result.status(), String.valueOf(result.response()));
        assertEquals(Map.of("count", "Long", "ratio", "Double", "on", "Boolean", "name", "String"),
                result.response().get("types"), "an undeclared type (string) is left alone");
        ActionResult json = run(Map.of("count", 42, "tags", List.of("a"), "meta", Map.of("k", 1)));
        assertEquals(Map.of("count", "Long", "tags", "List12", "meta", "Map"),
                normalised(json.response().get("types")));
    }

    @Test
    void a_value_of_the_wrong_type_is_a_422_naming_the_param() {
        Map<String, String> expected = Map.of(
                "count", "Input for parameter \"count\" is invalid: must be an integer, was \"many\"",
                "ratio", "Input for parameter \"ratio\" is invalid: must be a finite number, was \"1e999999\"",
                "on", "Input for parameter \"on\" is invalid: must be true or false, was \"perhaps\"",
                "tags", "Input for parameter \"tags\" is invalid: must be an array",
                "meta", "Input for parameter \"meta\" is invalid: must be an object");
        Map<String, Object> bad = Map.of("count", "many", "ratio", "1e999999", "on", "perhaps", "tags", "a,b", "meta", "x");
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            ActionResult result = run(Map.of(entry.getKey(), bad.get(entry.getKey())));
            assertEquals(422, result.status(), entry.getKey());
            assertEquals(entry.getValue(), result.error());
        }
        assertEquals(422, run(Map.of("count", 1.5)).status(), "a fraction is no integer");
    }

    @Test
    void an_uploaded_file_passes_the_pipeline_as_itself_and_a_string_in_its_place_is_refused() {
        UploadedFile file = new UploadedFile("upload", "a.txt", 3, "text/plain", Path.of("/tmp/herald-upload-test"));
        ActionResult result = run(Map.of("upload", file, "name", "x"));
        assertEquals(200, result.status(), String.valueOf(result.response()));
        assertEquals("UploadedFile", ((Map<?, ?>) result.response().get("types")).get("upload"));

        ActionResult forged = run(Map.of("upload", "/etc/passwd"));
        assertEquals(422, forged.status());
        assertEquals("Input for parameter \"upload\" is invalid: must be an uploaded file (multipart/form-data)",
                forged.error());
    }

    /** Immutable list and map classes have JDK-internal names: reduce them to List and Map. */
    private static Map<String, String> normalised(Object types) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) types).forEach((k, v) -> out.put((String) k,
                v.toString().startsWith("List") ? "List12" : v.toString().startsWith("Map") ? "Map" : v.toString()));
        return out;
    }
}
