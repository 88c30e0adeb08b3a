package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RuntimeLineTest {

    @Test
    void names_the_version_vendor_home_and_the_cache_bin_herald_chose() {
        assertEquals("herald: Java 25.0.3+9-LTS (Eclipse Adoptium, /usr/lib/jvm/temurin-25), AOT cache /opt/herald/cache/all.aot",
                RuntimeLine.of("25.0.3+9-LTS", "Eclipse Adoptium", "/usr/lib/jvm/temurin-25",
                        List.of("-XX:+UseSerialGC", "-XX:AOTCache=/opt/herald/cache/all.aot", "-Xlog:aot*=off")));
        assertEquals("herald: Java 17.0.15+6 (Debian, /usr/lib/jvm/java-17), recording the CDS archive (when it exits)"
                + " /srv/data/herald-java17-1.jsa", RuntimeLine.of("17.0.15+6", "Debian", "/usr/lib/jvm/java-17",
                        List.of("-XX:ArchiveClassesAtExit=/srv/data/herald-java17-1.jsa")));
    }

    @Test
    void without_a_cache_names_the_jvm_alone_and_the_last_cache_option_wins() {
        assertEquals("herald: Java 17 (Debian, /jdk)", RuntimeLine.of("17", "Debian", "/jdk", List.of("-Xmx64m")));
        assertEquals("CDS archive /b.jsa", RuntimeLine.classData(List.of("-XX:AOTCacheOutput=/a.aot",
                "-XX:SharedArchiveFile=/b.jsa")));
    }

    @Test
    void a_recording_jvm_is_marked_beside_its_cache_once_the_node_started() {
        assertEquals(java.nio.file.Path.of("/srv/data/herald-java25-1.aot.started"),
                RuntimeLine.recording(List.of("-Xmx64m", "-XX:AOTCacheOutput=/srv/data/herald-java25-1.aot")));
        assertEquals(java.nio.file.Path.of("/d/herald-java17-1.jsa.started"),
                RuntimeLine.recording(List.of("-XX:ArchiveClassesAtExit=/d/herald-java17-1.jsa")));
        assertEquals(null, RuntimeLine.recording(List.of("-XX:AOTCache=/srv/data/herald-java25-1.aot")));
    }

    @Test
    void this_jvm_is_described_by_its_own_properties() {
        String line = RuntimeLine.ofThisJvm();
        assertTrue(line.startsWith("herald: Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")"), line);
    }
}
