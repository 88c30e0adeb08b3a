package io.herald.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.api.Caller;

import io.herald.testing.SpecHelper;
import io.herald.testing.SpecResponse;

import org.junit.jupiter.api.Test;

class HelloActionsTest {

    private final SpecHelper spec = SpecHelper.of(new Echo(), new RandomNumber(), new WhoAmI());

    @Test
    void echo_returns_the_message() {
        assertEquals("hello", spec.runAction("echo", Map.of("message", "hello")).get("message"));
    }

    @Test
    void echo_requires_a_message() {
        SpecResponse response = spec.runAction("echo");
        assertEquals(422, response.status());
        assertEquals("message is a required parameter for this action", response.error());
    }

    @Test
    void random_number_is_between_0_and_1_and_described() {
        SpecResponse response = spec.runAction("randomNumber");
        double number = (Double) response.get("randomNumber");
        assertTrue(number >= 0 && number < 1, "got " + number);
        assertEquals("Your random number is " + number, response.get("stringRandomNumber"));
    }

    @Test
    void who_am_i_answers_an_authenticated_caller_only() {
        assertEquals(401, spec.runAction("whoAmI").status());
        SpecResponse response = spec.runActionAs(new Caller("ops", Set.of("admin"), "apiKey"), "whoAmI", Map.of());
        assertEquals(Map.of("id", "ops", "roles", List.of("admin"), "scheme", "apiKey"), response.body());
    }
}
