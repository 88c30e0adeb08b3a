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
    void the_version_comes_from_the_build() {
        assertTrue(HeraldVersion.VALUE.matches("\\d+\\.\\d+\\.\\d+.*"), HeraldVersion.VALUE);
    }
}
