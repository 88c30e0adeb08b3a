package io.herald.launcher.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to do, decided from the command line and the environment (the command line wins), with Actionhero's
 * names where they exist: {@code PROJECT_ROOT}, {@code HERALD_ENV} (Actionhero's {@code NODE_ENV}),
 * {@code HERALD_CONFIG} (Actionhero's {@code ACTIONHERO_CONFIG}: comma-separated directories that replace
 * {@code config/}), {@code HERALD_TITLE} ({@code ACTIONHERO_TITLE}, the server id) and
 * {@code HERALD_SHUTDOWN_TIMEOUT} (Actionhero's {@code ACTIONHERO_SHUTDOWN_TIMEOUT}, 30 s there; 25 s here).
 *
 * @param home            {@code herald.home}: config/, deploy/, log/, pids/ and data/ live here
 * @param configDirs      the config directories in merge order (later wins)
 * @param dataDir         where the staged config and the Felix cache go
 * @param title           the server id requested by {@code --title}/{@code HERALD_TITLE}, or null
 * @param shutdownTimeout milliseconds a graceful stop may take before the launcher gives up
 * @param commandLine     a command of the bundles ({@link Command#BUNDLE}): its words and arguments in order, without the
 *                        launcher's own options; for {@link Command#CLUSTER} the supervisor's arguments
 *                        ({@code --workers N}); empty for the other commands
 * @param logFormat       {@code text} or {@code json}, from {@code HERALD_LOG_FORMAT} ({@link LogSettings})
 */
record LaunchOptions(Command command, String role, String environment, Path home, List<Path> configDirs,
        Path dataDir, String title, long shutdownTimeout, List<String> commandLine, String logFormat) {

    static final String DEFAULT_ROLE = "all";
    static final String DEFAULT_ENVIRONMENT = "development";
    /** Fits the 30 s a platform such as Heroku gives a process between SIGTERM and SIGKILL. */
    static final long DEFAULT_SHUTDOWN_TIMEOUT = 25_000;
    /** Logback's levels, which {@code config/logback.xml} takes from LOG_LEVEL. */
    static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Role and environment names become directory and feature names: keep them to plain words. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The launcher's own commands, and {@link #BUNDLE}: any other, provided by a bundle of the role ({@link BundleCommand}). */
    enum Command {
        START, CHECK, BUNDLES, VERSION, HELP, CLUSTER, BUNDLE;

        static Command named(String word) {
            for (Command command : List.of(START, CHECK, BUNDLES, VERSION, HELP, CLUSTER)) {
                if (command.name().equalsIgnoreCase(word)) {
                    return command;
                }
            }
            return null;
        }
    }

    /**
     * @param workingDir resolves relative paths
     * @param installDir the distribution directory (parent of {@code lib/}), the default home
     * @throws ConfigException for an unknown command or option, a missing option value, or a bad name or number
     */
    static LaunchOptions parse(String[] args, Map<String, String> env, Path workingDir, Path installDir)
            throws ConfigException {
        Command command = null;
        String role = null;
        String environment = null;
        String config = null;
        String title = null;
        List<String> rest = new ArrayList<>();
        List<String> pending = new ArrayList<>(List.of(args));
        while (!pending.isEmpty()) {
            String arg = pending.remove(0);
            String value = null;
            int equals = arg.indexOf('=');
            String option = arg;
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (option) {
                case "--role" -> role = valueOf(option, value, pending);
                case "--env" -> environment = valueOf(option, value, pending);
                case "--config" -> config = valueOf(option, value, pending);
                case "--title" -> title = valueOf(option, value, pending);
                case "-h", "--help" -> command = Command.HELP;
                case "--version" -> command = Command.VERSION;
                default -> rest.add(arg); // a command word, or an argument of a bundle's command
            }
        }
        List<String> commandLine = List.of();
        if (!rest.isEmpty()) {
            String word = rest.get(0);
            Command named = word.startsWith("-") ? null : Command.named(word);
            int first = named == null ? 0 : 1;
            if (named == null && !word.startsWith("-")) {
                commandLine = List.copyOf(rest);
            } else if (named == Command.CLUSTER) {
                commandLine = List.copyOf(rest.subList(1, rest.size())); // --workers N: the supervisor's own
            } else if (rest.size() > first) {
                // The launcher's own commands take no arguments but its options.
                String arg = rest.get(first);
                throw new ConfigException(arg.startsWith("-") ? "unknown option " + arg + " (see: herald help)"
                        : "unexpected argument " + arg + " after " + word + " (see: herald help)");
            }
            if (command == null) {
                command = named != null ? named : Command.BUNDLE;
            }
        }
        role = firstSet(role, env.get("HERALD_ROLE"), DEFAULT_ROLE);
        environment = firstSet(environment, env.get("HERALD_ENV"), DEFAULT_ENVIRONMENT);
        config = firstSet(config, env.get("HERALD_CONFIG"), null);
        title = firstSet(title, env.get("HERALD_TITLE"), null);
        requireName("role", role);
        requireName("environment", environment);

        String root = firstSet(env.get("PROJECT_ROOT"), null, null);
        Path home = root == null ? installDir : workingDir.resolve(root);
        home = home.toAbsolutePath().normalize();
        List<Path> configDirs = new ArrayList<>();
        if (config == null) {
            configDirs.add(home.resolve("config"));
        } else {
            for (String dir : config.split(",")) {
                if (!dir.isBlank()) {
                    configDirs.add(workingDir.resolve(dir.strip()).toAbsolutePath().normalize());
                }
            }
            if (configDirs.isEmpty()) {
                throw new ConfigException("HERALD_CONFIG/--config names no directory");
            }
        }
        String data = firstSet(env.get("HERALD_DATA"), null, null);
        Path dataDir = data != null ? workingDir.resolve(data).toAbsolutePath().normalize() : defaultDataDir(home, title);
        long shutdownTimeout = parseTimeout(env.get("HERALD_SHUTDOWN_TIMEOUT"));
        requireLogLevel(env.get("LOG_LEVEL"));
        String logFormat = LogSettings.format(env.get(LogSettings.FORMAT_VARIABLE));
        return new LaunchOptions(command == null ? Command.START : command, role, environment, home,
                List.copyOf(configDirs), dataDir, title, shutdownTimeout, commandLine, logFormat);
    }

    private static String valueOf(String option, String inline, List<String> rest) throws ConfigException {
        if (inline != null) {
            if (inline.isBlank()) {
                throw new ConfigException(option + " needs a value");
            }
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("-")) {
            throw new ConfigException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static String firstSet(String first, String second, String fallback) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        if (second != null && !second.isBlank()) {
            return second.strip();
        }
        return fallback;
    }

    private static void requireName(String what, String name) throws ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("invalid " + what + " '" + name + "': use letters, digits, '.', '_' or '-'");
        }
    }

    private static long parseTimeout(String text) throws ConfigException {
        if (text == null || text.isBlank()) {
            return DEFAULT_SHUTDOWN_TIMEOUT;
        }
        try {
            long millis = Long.parseLong(text.strip());
            if (millis > 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("HERALD_SHUTDOWN_TIMEOUT=" + text + " is not a positive whole number of milliseconds");
    }

    /**
     * {@code <home>/data}, or {@code <home>/data/nodes/<title>} for a node with a title, so two nodes started from one
     * home with their own {@code HERALD_TITLE} each have their own staged config, framework cache and lock.
     */
    static Path defaultDataDir(Path home, String title) {
        return title == null ? home.resolve("data") : home.resolve("data").resolve("nodes").resolve(fileName(title));
    }

    /** A title as a file name (the pidfile's rule: ids are often addresses or have spaces). */
    static String fileName(String title) {
        return title.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** Logback takes an unknown level for DEBUG without a word: a typo would flood the log. */
    private static void requireLogLevel(String level) throws ConfigException {
        if (level != null && !level.isBlank() && !LOG_LEVELS.contains(level.strip().toUpperCase(java.util.Locale.ROOT))) {
            throw new ConfigException("LOG_LEVEL=" + level + " is not a log level: use " + String.join(", ", LOG_LEVELS));
        }
    }
}
