package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.herald.testing.SpecHelper;

import org.junit.jupiter.api.Test;

/** Runs the action through Herald's real pipeline (inputs, middleware, errors), without a server. */
class EchoTest {

    private final SpecHelper spec = SpecHelper.of(new Echo());

    @Test
    void echoes_the_message() {
        assertEquals("hi", spec.runAction("echo", Map.of("message", "hi")).get("message"));
    }

    @Test
    void a_missing_message_is_refused() {
        assertEquals(422, spec.runAction("echo").status());
    }
}
