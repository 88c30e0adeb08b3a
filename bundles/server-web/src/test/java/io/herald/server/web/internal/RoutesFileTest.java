package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.json.HeraldJson;

/** Loading, validating and reloading the routes file. The clock is a counter the test moves: nothing waits. */
class RoutesFileTest {

    private final ObjectMapper mapper = HeraldJson.mapper();
    private final AtomicLong clock = new AtomicLong();

    @TempDir
    Path directory;

    private RouteSet parse(String json) throws Exception {
        return RoutesFile.parse(mapper.readTree(json), "routes");
    }

    @Test
    void verbs_keep_the_file_order_with_all_routes_where_they_are_written() throws Exception {
        RouteSet routes = parse("{\"get\": [{\"path\": \"/a\", \"action\": \"first\"}],"
                + " \"all\": [{\"path\": \"/a\", \"action\": \"second\"}, {\"path\": \"/b\", \"action\": \"any\"}],"
                + " \"POST\": [{\"path\": \"/c\", \"action\": \"posted\", \"apiVersion\": \"3\"}]}");

        assertEquals(4, routes.declared().size());
        assertEquals("first", routes.match(RouteSet.Verb.GET, List.of("a")).action());
        assertEquals("second", routes.match(RouteSet.Verb.POST, List.of("a")).action());
        assertEquals("any", routes.match(RouteSet.Verb.PATCH, List.of("b")).action());
        assertEquals(3, routes.match(RouteSet.Verb.POST, List.of("c")).apiVersion());
    }

    @Test
    void mistakes_are_reported_with_the_entry_they_are_in() {
        assertEquals("routes: unknown verb \"fetch\" (use get, post, put, patch, delete, head or all)",
                assertThrows(IllegalArgumentException.class, () -> parse("{\"fetch\": []}")).getMessage());
        assertEquals("routes: \"get\" must be a list of routes",
                assertThrows(IllegalArgumentException.class, () -> parse("{\"get\": {}}")).getMessage());
        assertEquals("routes: post[1]: path is missing (a non-empty string is needed)",
                assertThrows(IllegalArgumentException.class, () -> parse(
                        "{\"post\": [{\"path\": \"/a\", \"action\": \"a\"}, {\"action\": \"b\"}]}")).getMessage());
        assertEquals("routes: get[0]: apiVersion must be a positive whole number, was \"three\"",
                assertThrows(IllegalArgumentException.class, () -> parse(
                        "{\"get\": [{\"path\": \"/a\", \"action\": \"a\", \"apiVersion\": \"three\"}]}")).getMessage());
        assertEquals("routes: get[0]: path \":(^x$)\" has a variable without a name",
                assertThrows(IllegalArgumentException.class, () -> parse(
                        "{\"get\": [{\"path\": \"/:(^x$)\", \"action\": \"a\"}]}")).getMessage());
        assertEquals("routes must hold a JSON object of verbs, e.g. {\"get\": [...]}",
                assertThrows(IllegalArgumentException.class, () -> parse("[]")).getMessage());
    }

    @Test
    void static_file_routes_are_skipped_for_now() throws Exception {
        RouteSet routes = parse("{\"get\": [{\"path\": \"/public\", \"dir\": \"public\"}, {\"path\": \"/a\", \"action\": \"a\"}]}");

        assertEquals(1, routes.declared().size());
    }

    @Test
    void a_missing_file_means_no_custom_routes() {
        RoutesFile file = new RoutesFile(directory.resolve("routes.json"), mapper, clock::get);
        file.load();

        assertTrue(file.current().isEmpty());
    }

    @Test
    void a_changed_file_is_reloaded_at_most_once_a_second_and_a_broken_version_is_ignored() throws Exception {
        Path path = directory.resolve("routes.json");
        write(path, "{\"get\": [{\"path\": \"/a\", \"action\": \"one\"}]}", 1);
        RoutesFile file = new RoutesFile(path, mapper, clock::get);
        file.load();
        RouteSet first = file.current();
        assertEquals("one", first.match(RouteSet.Verb.GET, List.of("a")).action());

        write(path, "{\"get\": [{\"path\": \"/a\", \"action\": \"two\"}]}", 2);
        assertSame(first, file.current(), "not checked again within the second");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals("two", file.current().match(RouteSet.Verb.GET, List.of("a")).action());

        RouteSet second = file.current();
        write(path, "{\"get\": [{\"path\": \"/a\"", 3);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertSame(second, file.current(), "a broken file leaves the routes in force");

        Files.delete(path);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertTrue(file.current().isEmpty());
    }

    @Test
    void a_broken_file_at_start_is_an_error_naming_the_file() throws Exception {
        Path path = directory.resolve("routes.json");
        write(path, "{\"get\": [", 1);
        RoutesFile file = new RoutesFile(path, mapper, clock::get);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, file::load);

        assertTrue(failure.getMessage().startsWith("routes file " + path + " is not valid JSON: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("line 1"), failure.getMessage());
    }

    /** Writes the file with a distinct modification time, so a change is seen even within one clock tick. */
    private static void write(Path path, String json, int version) throws Exception {
        Files.writeString(path, json);
        Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(version)));
    }
}
