package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Path CWD = Path.of("/work/project");
    private static final Path INSTALL = Path.of("/opt/herald");

    private static LaunchOptions parse(Map<String, String> env, String... args) throws ConfigException {
        return LaunchOptions.parse(args, env, CWD, INSTALL);
    }

    @Test
    void defaults() throws ConfigException {
        LaunchOptions options = parse(Map.of());

        assertEquals(LaunchOptions.Command.START, options.command());
        assertEquals("all", options.role());
        assertEquals("development", options.environment());
        assertEquals(INSTALL, options.home());
        assertEquals(List.of(INSTALL.resolve("config")), options.configDirs());
        assertEquals(INSTALL.resolve("data"), options.dataDir());
        assertNull(options.title());
        assertEquals(25_000, options.shutdownTimeout());
    }

    @Test
    void environment_variables() throws ConfigException {
        LaunchOptions options = parse(Map.of(
                "HERALD_ROLE", "worker", "HERALD_ENV", "production", "PROJECT_ROOT", "app",
                "HERALD_CONFIG", "conf/base, /etc/herald ,", "HERALD_TITLE", "node-1",
                "HERALD_SHUTDOWN_TIMEOUT", "5000", "HERALD_DATA", "/var/lib/herald"));

        assertEquals("worker", options.role());
        assertEquals("production", options.environment());
        assertEquals(CWD.resolve("app"), options.home());
        assertEquals(List.of(CWD.resolve("conf/base"), Path.of("/etc/herald")), options.configDirs());
        assertEquals("node-1", options.title());
        assertEquals(5000, options.shutdownTimeout());
        assertEquals(Path.of("/var/lib/herald"), options.dataDir());
    }

    @Test
    void project_root_is_the_home_of_config_and_data() throws ConfigException {
        LaunchOptions options = parse(Map.of("PROJECT_ROOT", "/srv/app"));

        assertEquals(List.of(Path.of("/srv/app/config")), options.configDirs());
        assertEquals(Path.of("/srv/app/data"), options.dataDir());
    }

    @Test
    void command_line_wins_over_environment() throws ConfigException {
        LaunchOptions options = parse(Map.of("HERALD_ROLE", "worker", "HERALD_ENV", "production", "HERALD_TITLE", "env"),
                "check", "--role", "web", "--env=test", "--title", "cli", "--config", "c1,c2");

        assertEquals(LaunchOptions.Command.CHECK, options.command());
        assertEquals("web", options.role());
        assertEquals("test", options.environment());
        assertEquals("cli", options.title());
        assertEquals(List.of(CWD.resolve("c1"), CWD.resolve("c2")), options.configDirs());
    }

    @Test
    void options_may_come_before_the_command() throws ConfigException {
        assertEquals(LaunchOptions.Command.CHECK, parse(Map.of(), "--role", "web", "check").command());
        assertEquals(LaunchOptions.Command.VERSION, parse(Map.of(), "version").command());
        assertEquals(LaunchOptions.Command.HELP, parse(Map.of(), "start", "--help").command());
        assertEquals(LaunchOptions.Command.VERSION, parse(Map.of(), "--version").command());
    }

    @Test
    void usage_errors() {
        assertEquals("unknown option --rol (see: herald help)",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "--rol", "web")).getMessage());
        assertEquals("--role needs a value",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "--role")).getMessage());
        assertEquals("--role needs a value",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "--role", "--env", "x")).getMessage());
        assertEquals("unexpected argument extra after start (see: herald help)",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "start", "extra")).getMessage());
    }

    @Test
    void names_and_numbers_are_checked() {
        assertEquals("invalid role '../web': use letters, digits, '.', '_' or '-'",
                assertThrows(ConfigException.class, () -> parse(Map.of("HERALD_ROLE", "../web"))).getMessage());
        assertEquals("invalid environment 'pro duction': use letters, digits, '.', '_' or '-'",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "--env", "pro duction")).getMessage());
        assertEquals("HERALD_SHUTDOWN_TIMEOUT=soon is not a positive whole number of milliseconds",
                assertThrows(ConfigException.class, () -> parse(Map.of("HERALD_SHUTDOWN_TIMEOUT", "soon"))).getMessage());
        assertEquals("LOG_LEVEL=LOUD is not a log level: use TRACE, DEBUG, INFO, WARN, ERROR, OFF",
                assertThrows(ConfigException.class, () -> parse(Map.of("LOG_LEVEL", "LOUD"))).getMessage());
        assertEquals("HERALD_CONFIG/--config names no directory",
                assertThrows(ConfigException.class, () -> parse(Map.of("HERALD_CONFIG", " , "))).getMessage());
    }

    @Test
    void the_log_format_is_text_unless_json_is_asked_for_and_a_typo_is_refused() throws ConfigException {
        assertEquals("text", parse(Map.of()).logFormat());
        assertEquals("text", parse(Map.of("HERALD_LOG_FORMAT", " ")).logFormat());
        assertEquals("json", parse(Map.of("HERALD_LOG_FORMAT", "JSON")).logFormat());
        assertEquals("text", parse(Map.of("HERALD_LOG_FORMAT", "text")).logFormat());
        assertEquals("HERALD_LOG_FORMAT=jsno is not a log format: use text or json",
                assertThrows(ConfigException.class, () -> parse(Map.of("HERALD_LOG_FORMAT", "jsno"))).getMessage());
    }

    @Test
    void a_log_level_in_any_case_is_accepted() throws ConfigException {
        parse(Map.of("LOG_LEVEL", "warn"));
        parse(Map.of("LOG_LEVEL", "Debug"));
    }

    @Test
    void a_node_with_a_title_has_its_own_data_directory_so_two_share_a_home() throws ConfigException {
        assertEquals(Path.of("/srv/app/data/nodes/web-1"),
                parse(Map.of("PROJECT_ROOT", "/srv/app", "HERALD_TITLE", "web-1")).dataDir());
        assertEquals(Path.of("/srv/app/data/nodes/worker-2"),
                parse(Map.of("PROJECT_ROOT", "/srv/app"), "--title", "worker 2").dataDir());
        assertEquals(Path.of("/var/lib/herald"),
                parse(Map.of("PROJECT_ROOT", "/srv/app", "HERALD_TITLE", "web-1", "HERALD_DATA", "/var/lib/herald")).dataDir());
    }

    @Test
    void any_other_command_is_a_bundles_with_its_arguments_in_order_and_the_launchers_options_taken_out()
            throws ConfigException {
        LaunchOptions options = parse(Map.of("HERALD_ROLE", "worker"), "task", "enqueue", "--name", "sendMail",
                "--args", "-1", "--env", "production", "--queue=mail", "extra", "--help-me");

        assertEquals(LaunchOptions.Command.BUNDLE, options.command());
        assertEquals("worker", options.role());
        assertEquals("production", options.environment());
        assertEquals(List.of("task", "enqueue", "--name", "sendMail", "--args", "-1", "--queue=mail", "extra", "--help-me"),
                options.commandLine());
        assertEquals(List.of("task", "enqueue"), BundleCommand.words(options.commandLine()));
        assertEquals(List.of("cleanUp"), parse(Map.of(), "--role", "web", "cleanUp").commandLine());
        assertEquals(List.of(), parse(Map.of(), "check").commandLine());
        assertEquals(LaunchOptions.Command.HELP, parse(Map.of(), "task", "enqueue", "--help").command());
    }

    @Test
    void cluster_keeps_its_own_arguments_and_takes_the_launchers_options_for_its_nodes() throws ConfigException {
        LaunchOptions options = parse(Map.of(), "cluster", "--workers", "3", "--role", "web", "--title=api");

        assertEquals(LaunchOptions.Command.CLUSTER, options.command());
        assertEquals(List.of("--workers", "3"), options.commandLine());
        assertEquals("web", options.role());
        assertEquals("api", options.title());
        assertEquals(List.of("--workers=2"), parse(Map.of(), "--env", "production", "cluster", "--workers=2").commandLine());
    }

    @Test
    void the_launchers_own_commands_take_only_its_options() {
        assertEquals("unknown option --name (see: herald help)",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "start", "--name", "x")).getMessage());
        assertEquals("unknown option --name (see: herald help)",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "--name", "x")).getMessage());
        assertEquals("unexpected argument now after check (see: herald help)",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "check", "now")).getMessage());
        assertEquals("--role needs a value",
                assertThrows(ConfigException.class, () -> parse(Map.of(), "task", "enqueue", "--role")).getMessage());
    }
}
