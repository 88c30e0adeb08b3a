package io.herald.testing.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinariesTest {

    @Test
    void a_missing_redis_server_fails_with_the_install_hint(@TempDir Path empty) {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RedisBinaries.require("redis-server", empty.toString(), List.of(), RedisBinaries.SERVER_MISSING));
        assertEquals("redis-server is not installed: .ci/run installs it (Debian/Ubuntu package redis-server;"
                + " sentinels run as redis-server --sentinel)", missing.getMessage());
    }

    @Test
    void finds_an_executable_on_the_path_before_the_fallback_dirs(@TempDir Path dir) throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path fallback = Files.createDirectories(dir.resolve("fallback"));
        Files.createFile(first.resolve("redis-server")); // not executable: skipped
        Path executable = Files.createFile(fallback.resolve("redis-server"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        assertEquals(executable, RedisBinaries.locate("redis-server", first.toString(), List.of(fallback)).get());
        assertTrue(RedisBinaries.locate("redis-cli", first.toString(), List.of(fallback)).isEmpty());
    }

    @Test
    void reads_the_major_version_from_redis_server_version() {
        assertEquals(7, RedisBinaries.parseMajor(
                "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0"));
        assertEquals(6, RedisBinaries.parseMajor("Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc-5.2.1"));
    }
}
