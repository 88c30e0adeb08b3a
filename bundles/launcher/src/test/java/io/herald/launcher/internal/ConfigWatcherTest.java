package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        ConfigStager stager = stagedPort8080("development");
        Path config = root.resolve("config");
        Path staged = root.resolve("staged");
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

    @Test
    void file_events_stage_an_edit_and_an_environment_directory_made_later_without_waiting_for_the_idle_poll()
            throws Exception {
        ConfigStager stager = stagedPort8080("production");
        Path config = root.resolve("config");
        Path staged = root.resolve("staged");
        try (ConfigWatcher watcher = new ConfigWatcher(stager, notified::add)) {
            watcher.start(TimeUnit.HOURS.toMillis(1)); // so only file events can lead to a poll

            Files.writeString(config.resolve("io.herald.server.web.cfg"), "port = 8081\n");
            awaitPort(staged, "8081");

            // config/production/ did not exist at the start: its creation is an event of config/, whose poll watches
            // it before it reads it, so the file is seen by that poll or makes an event of its own
            Path production = Files.createDirectories(config.resolve("production"));
            Files.writeString(production.resolve("io.herald.server.web.cfg"), "port = 8082\n");
            awaitPort(staged, "8082");
        }
    }

    /** {@code config/} with the web server's port at 8080, staged into {@code staged/}. */
    private ConfigStager stagedPort8080(String environment) throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Files.writeString(config.resolve("io.herald.server.web.cfg"), "port = 8080\n");
        ConfigStager stager = new ConfigStager(List.of(config), environment, Map.of(),
                new Interpolator(Map.of(), name -> null), root.resolve("staged"));
        stager.stage();
        return stager;
    }

    private void awaitPort(Path staged, String port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!port.equals(port(staged))) {
            assertTrue(System.nanoTime() < deadline, "port " + port + " staged; staged: " + port(staged));
            Thread.sleep(20);
        }
    }

    private static String port(Path staged) throws Exception {
        return CfgParser.parse(Files.readString(staged.resolve("io.herald.server.web.cfg")), "staged").get("port");
    }
}
