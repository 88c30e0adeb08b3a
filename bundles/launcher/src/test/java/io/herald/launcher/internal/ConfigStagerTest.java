package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStagerTest {

    @TempDir
    Path root;

    private Path config;
    private Path staged;
    private final Interpolator interpolator = new Interpolator(Map.of("PORT", "9090"),
            Map.of("herald.home", "/opt/herald")::get);

    @BeforeEach
    void directories() throws IOException {
        config = Files.createDirectories(root.resolve("config"));
        staged = root.resolve("data/config");
    }

    private ConfigStager stager(String environment, Map<String, Map<String, String>> defaults, Path... dirs) {
        return new ConfigStager(dirs.length == 0 ? List.of(config) : List.of(dirs), environment, defaults,
                interpolator, staged);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Map<String, String> stagedValues(String pid) throws Exception {
        return CfgParser.parse(Files.readString(staged.resolve(pid + ".cfg")), pid);
    }

    @Test
    void environment_overlay_replaces_only_its_keys() throws Exception {
        write(config.resolve("io.herald.server.web.cfg"), "port = ${env:PORT:-8080}\nserverInformation = true\nbindHost =\n");
        write(config.resolve("production/io.herald.server.web.cfg"), "serverInformation = false\n");

        Set<String> pids = stager("production", Map.of()).stage();

        assertEquals(Set.of("io.herald.server.web"), pids);
        assertEquals(Map.of("port", "9090", "serverInformation", "false", "bindHost", ""),
                stagedValues("io.herald.server.web"));
    }

    @Test
    void other_environments_overlays_are_ignored() throws Exception {
        write(config.resolve("io.herald.core.cfg"), "serverToken = dev\n");
        write(config.resolve("production/io.herald.core.cfg"), "serverToken = ${env:HERALD_SERVER_TOKEN}\n");

        stager("development", Map.of()).stage();

        assertEquals(Map.of("serverToken", "dev"), stagedValues("io.herald.core"));
    }

    @Test
    void only_the_winning_value_must_resolve() throws Exception {
        write(config.resolve("a.cfg"), "token = ${env:UNSET_TOKEN}\n");
        write(config.resolve("test/a.cfg"), "token = fixed\n");

        stager("test", Map.of()).stage();

        assertEquals(Map.of("token", "fixed"), stagedValues("a"));
    }

    @Test
    void later_config_directories_win_key_by_key() throws Exception {
        Path second = Files.createDirectories(root.resolve("more"));
        write(config.resolve("a.cfg"), "x = 1\ny = 1\n");
        write(config.resolve("development/a.cfg"), "y = 2\nz = 2\n");
        write(second.resolve("a.cfg"), "z = 3\n");

        stager("development", Map.of(), config, second).stage();

        assertEquals(Map.of("x", "1", "y", "2", "z", "3"), stagedValues("a"));
    }

    @Test
    void defaults_apply_only_to_pids_no_file_gives() throws Exception {
        write(config.resolve("given.cfg"), "a = file\n");
        write(config.resolve("development/overlay.only.cfg"), "b = overlay\n");
        Map<String, Map<String, String>> defaults = Map.of(
                "given", Map.of("a", "default", "extra", "default"),
                "overlay.only", Map.of("c", "default"),
                "defaulted", Map.of("home", "${herald.home}/deploy"));

        stager("development", defaults).stage();

        assertEquals(Map.of("a", "file"), stagedValues("given"));
        assertEquals(Map.of("b", "overlay"), stagedValues("overlay.only"));
        assertEquals(Map.of("home", "/opt/herald/deploy"), stagedValues("defaulted"));
    }

    @Test
    void other_files_are_not_staged() throws Exception {
        write(config.resolve("logback.xml"), "<configuration/>");
        write(config.resolve("routes.json"), "{}");
        write(config.resolve("a.cfg"), "x = 1\n");

        assertEquals(Set.of("a"), stager("development", Map.of()).stage());
        try (var files = Files.list(staged)) {
            assertEquals(List.of("a.cfg"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void unchanged_config_is_not_rewritten_and_a_removed_source_is_unstaged() throws Exception {
        write(config.resolve("a.cfg"), "x = 1\n");
        write(config.resolve("b.cfg"), "y = 1\n");
        ConfigStager stager = stager("development", Map.of());
        stager.stage();
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(staged.resolve("a.cfg"), old);

        Files.delete(config.resolve("b.cfg"));
        assertTrue(stager.sourcesChanged());
        assertEquals(Set.of("a"), stager.stage());

        assertEquals(old, Files.getLastModifiedTime(staged.resolve("a.cfg")), "a.cfg was rewritten");
        assertFalse(Files.exists(staged.resolve("b.cfg")));
        assertFalse(stager.sourcesChanged());
    }

    @Test
    void an_edit_is_detected_and_staged() throws Exception {
        write(config.resolve("a.cfg"), "x = 1\n");
        ConfigStager stager = stager("development", Map.of());
        stager.stage();
        assertFalse(stager.sourcesChanged());

        write(config.resolve("a.cfg"), "x = 22\n");

        assertTrue(stager.sourcesChanged());
        stager.stage();
        assertEquals(Map.of("x", "22"), stagedValues("a"));
    }

    @Test
    void invalid_config_names_file_and_key_and_leaves_staged_files_alone() throws Exception {
        write(config.resolve("a.cfg"), "x = 1\n");
        ConfigStager stager = stager("development", Map.of());
        stager.stage();
        String before = Files.readString(staged.resolve("a.cfg"));

        write(config.resolve("a.cfg"), "x = ${env:NOT_SET_ANYWHERE}\n");
        ConfigException error = assertThrows(ConfigException.class, stager::stage);

        assertTrue(error.getMessage().startsWith(config.resolve("a.cfg") + ": key x: environment variable NOT_SET_ANYWHERE"),
                error.getMessage());
        assertEquals(before, Files.readString(staged.resolve("a.cfg")));
    }

    @Test
    void missing_config_directory_stages_only_defaults() throws Exception {
        Path absent = root.resolve("absent");

        Set<String> pids = stager("development", Map.of("d", Map.of("k", "v")), absent).stage();

        assertEquals(Set.of("d"), pids);
    }

    @Test
    void staged_file_names_its_sources() throws Exception {
        write(config.resolve("a.cfg"), "x = 1\n");
        write(config.resolve("production/a.cfg"), "x = 2\n");

        stager("production", Map.of()).stage();

        String text = Files.readString(staged.resolve("a.cfg"));
        assertTrue(text.contains("# " + config.resolve("a.cfg")), text);
        assertTrue(text.contains("# " + config.resolve("production/a.cfg")), text);
    }

    @Test
    void values_are_checked_against_the_metatype_and_errors_name_the_variable_that_gave_them() throws Exception {
        write(config.resolve("io.herald.server.web.cfg"), "enabled = ${env:ENABLE_WEB_SERVER:-true}\nport = ${env:PORT:-8080}\n");
        write(config.resolve("io.herald.tasks.cfg"), "scheduler = maybe\n");
        MetatypeCatalog catalog = catalog("io.herald.server.web", "<AD id=\"enabled\" type=\"Boolean\"/>",
                "io.herald.tasks", "<AD id=\"scheduler\" type=\"Boolean\"/>");

        ConfigStager bad = new ConfigStager(List.of(config), "development", Map.of(),
                new Interpolator(Map.of("ENABLE_WEB_SERVER", "maybe"), System::getProperty), staged);
        bad.checkAgainst(() -> catalog);
        assertEquals("ENABLE_WEB_SERVER=maybe (io.herald.server.web enabled) is not a boolean: use true, false, yes, no, 1"
                + " or 0", assertThrows(ConfigException.class, bad::stage).getMessage());

        write(config.resolve("io.herald.tasks.cfg"), "scheduler = yes\n");
        ConfigStager good = new ConfigStager(List.of(config), "development", Map.of(),
                new Interpolator(Map.of("ENABLE_WEB_SERVER", "1", "PORT", "9090"), System::getProperty), staged);
        good.checkAgainst(() -> catalog);
        good.stage();

        assertEquals(Map.of("enabled", "true", "port", "9090"), stagedValues("io.herald.server.web"));
        assertEquals(Map.of("scheduler", "true"), stagedValues("io.herald.tasks"));
        assertEquals("PORT=9090", good.origin("io.herald.server.web", "port"));
        assertEquals(config.resolve("io.herald.tasks.cfg") + ": scheduler = yes", good.origin("io.herald.tasks", "scheduler"));

        write(config.resolve("io.herald.tasks.cfg"), "scheduler = perhaps\n");
        assertEquals(config.resolve("io.herald.tasks.cfg") + ": scheduler = perhaps (io.herald.tasks scheduler) is not a"
                + " boolean: use true, false, yes, no, 1 or 0", assertThrows(ConfigException.class, good::stage).getMessage());
    }

    /** A catalog from metatype XML: pid, attributes, pid, attributes, ... */
    private MetatypeCatalog catalog(String... pidsAndAttributes) throws IOException {
        StringBuilder xml = new StringBuilder("<metatype:MetaData xmlns:metatype=\"http://www.osgi.org/xmlns/metatype/v1.2.0\">");
        for (int i = 0; i < pidsAndAttributes.length; i += 2) {
            xml.append("<OCD id=\"ocd").append(i).append("\" name=\"x\">").append(pidsAndAttributes[i + 1]).append("</OCD>")
                    .append("<Designate pid=\"").append(pidsAndAttributes[i]).append("\"><Object ocdref=\"ocd").append(i)
                    .append("\"/></Designate>");
        }
        xml.append("</metatype:MetaData>");
        Path jar = root.resolve("metatype.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("OSGI-INF/metatype/test.xml"));
            out.write(xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return MetatypeCatalog.of(new org.osgi.framework.Bundle[0], List.of(jar));
    }
}
