package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @Test
    void the_title_wins_over_the_configured_id_which_wins_over_the_address() {
        Map<String, String> env = Map.of("HERALD_TITLE", "web-1", "HERALD_ENV", "production");
        NodeIdentity titled = NodeIdentity.resolve("configured", env::get, Instant.now());
        assertEquals("web-1", titled.id());
        assertEquals("production", titled.environment());
        assertTrue(titled.isProduction());
        assertEquals("configured", NodeIdentity.resolve("configured", k -> null, Instant.now()).id());
        NodeIdentity fallback = NodeIdentity.resolve("", k -> null, Instant.now());
        assertTrue(fallback.id().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), fallback.id());
        assertEquals("development", fallback.environment());
    }

    @Test
    void the_pidfile_holds_the_pid_and_goes_at_stop(@TempDir Path home) throws Exception {
        Path path = PidFile.pathFor(home, "10.0.0.1:web 1");
        assertEquals(home.resolve("pids/herald-10.0.0.1-web-1"), path);
        PidFile pidFile = PidFile.write(path, 4242);
        assertEquals("4242", Files.readString(path));
        pidFile.remove();
        assertFalse(Files.exists(path));
    }

    @Test
    void a_pidfile_of_a_live_process_is_not_taken_over(@TempDir Path home) throws Exception {
        Path path = PidFile.pathFor(home, "twin");
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        Files.createDirectories(path.getParent());
        Files.writeString(path, Long.toString(alive));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PidFile.write(path, ProcessHandle.current().pid()));
        assertTrue(e.getMessage().contains("another node with this id is running"), e.getMessage());
        assertEquals(Long.toString(alive), Files.readString(path), "the other node's pidfile is untouched");
    }

    @Test
    void a_stale_pidfile_is_replaced_and_only_our_own_is_removed(@TempDir Path home) throws Exception {
        Path path = PidFile.pathFor(home, "stale");
        Files.createDirectories(path.getParent());
        Files.writeString(path, "999999999");
        PidFile mine = PidFile.write(path, ProcessHandle.current().pid());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(path));
        Files.writeString(path, "12345");
        mine.remove();
        assertEquals("12345", Files.readString(path), "a pidfile another node rewrote is left in place");
    }

    @Test
    void the_version_comes_from_the_build() {
        assertTrue(HeraldVersion.VALUE.matches("\\d+\\.\\d+\\.\\d+.*"), HeraldVersion.VALUE);
    }
}
