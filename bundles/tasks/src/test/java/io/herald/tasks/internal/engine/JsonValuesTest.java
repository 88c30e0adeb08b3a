package io.herald.tasks.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.tasks.internal.wire.JsJson;

class JsonValuesTest {

    record Address(String city, int zip) {
    }

    @Test
    void params_keep_their_order_and_other_values_become_what_jackson_writes() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("z", 1);
        given.put("a", new Address("Paris", 75001));
        given.put("tags", List.of("x", 'y'));

        Map<String, Object> plain = JsonValues.params(given);

        assertEquals("{\"z\":1,\"a\":{\"city\":\"Paris\",\"zip\":75001},\"tags\":[\"x\",\"y\"]}", JsJson.stringify(plain));
        assertEquals(Map.of(), JsonValues.params(null));
    }
}
