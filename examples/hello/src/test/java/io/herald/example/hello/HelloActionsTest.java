package io.herald.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.api.Caller;
import io.herald.api.UploadedFile;

import io.herald.testing.SpecHelper;
import io.herald.testing.SpecResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelloActionsTest {

    private final SpecHelper spec = SpecHelper.of(new Echo(), new RandomNumber(), new WhoAmI(), new Upload());

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
    void upload_describes_the_uploaded_file(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("upload-1"), "hello");
        SpecResponse response = spec.runAction("upload",
                Map.of("file", new UploadedFile("file", "hello.txt", 5, "text/plain", file)));
        assertEquals(200, response.status(), String.valueOf(response.body()));
        assertEquals("hello.txt", response.get("fileName"));
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", response.get("sha256"));
    }

    @Test
    void who_am_i_answers_an_authenticated_caller_only() {
        assertEquals(401, spec.runAction("whoAmI").status());
        SpecResponse response = spec.runActionAs(new Caller("ops", Set.of("admin"), "apiKey"), "whoAmI", Map.of());
        assertEquals(Map.of("id", "ops", "roles", List.of("admin"), "scheme", "apiKey"), response.body());
    }
}
