package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives single polls, so no test depends on the watcher's schedule. */
class ConfigWatcherTest {

    @TempDir
    Path root;

    /** What the watcher handed on after each staged change. */
    private final List<Map<String, Map<String, String>>> notified = new ArrayList<>();

    @Test
    void a_broken_edit_keeps_the_last_good_config_until_it_is_fixed() throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Path staged = root.resolve("staged");
        Files.writeString(config.resolve("io.herald.server.web.cfg"), "port = 8080\n");
        ConfigStager stager = new ConfigStager(List.of(config), "development", Map.of(),
                new Interpolator(Map.of(), name -> null), staged);
        stager.stage();
        ConfigWatcher watcher = new ConfigWatcher(stager, notified::add);

        Files.writeString(config.resolve("io.herald.server.web.cfg"), "port 8081\n");
        watcher.poll();
        assertEquals("8080", port(staged));
        assertEquals(List.of(), notified, "a broken edit stages nothing, so nothing is handed on");

        Files.writeString(config.resolve("io.herald.server.web.cfg"), "port = 8082\n");
        watcher.poll();
        assertEquals("8082", port(staged));
        assertEquals(List.of(Map.of("io.herald.server.web", Map.of("port", "8082"))), notified);

        Files.delete(config.resolve("io.herald.server.web.cfg"));
        watcher.poll();
        assertFalse(Files.exists(staged.resolve("io.herald.server.web.cfg")));
        assertEquals(Map.of(), notified.get(1));
        watcher.close();
    }

    @Test
    void reverting_a_broken_edit_to_the_config_in_use_ends_the_error() throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Path staged = root.resolve("staged");
        Files.writeString(config.resolve("io.herald.core.cfg"), "simultaneousActions = 5\n");
        ConfigStager stager = new ConfigStager(List.of(config), "development", Map.of(),
                new Interpolator(Map.of(), name -> null), staged);
        stager.stage();
        ConfigWatcher watcher = new ConfigWatcher(stager, notified::add);

        Files.writeString(config.resolve("io.herald.core.cfg"), "simultaneousActions 6\n");
        watcher.poll();
        assertTrue(watcher.inError());

        Files.writeString(config.resolve("io.herald.core.cfg"), "simultaneousActions = 5\n");
        watcher.poll();
        assertFalse(watcher.inError(), "the same broken edit later is reported again");
        watcher.close();
    }

    private static String port(Path staged) throws Exception {
        return CfgParser.parse(Files.readString(staged.resolve("io.herald.server.web.cfg")), "staged").get("port");
    }
}
