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
 * {@code HERALD_SHUTDOWN_TIMEOUT} ({@code ACTIONHERO_SHUTDOWN_TIMEOUT}, default 30 s).
 *
 * @param home            {@code herald.home}: config/, deploy/, log/, pids/ and data/ live here
 * @param configDirs      the config directories in merge order (later wins)
 * @param dataDir         where the staged config and the Felix cache go
 * @param title           the server id requested by {@code --title}/{@code HERALD_TITLE}, or null
 * @param shutdownTimeout milliseconds a graceful stop may take before the launcher gives up
 * @param task            what {@code task enqueue} enqueues; null for the other commands
 */
record LaunchOptions(Command command, String role, String environment, Path home, List<Path> configDirs,
        Path dataDir, String title, long shutdownTimeout, TaskRequest task) {

    static final String DEFAULT_ROLE = "all";
    static final String DEFAULT_ENVIRONMENT = "development";
    /** Fits the 30 s a platform such as Heroku gives a process between SIGTERM and SIGKILL. */
    static final long DEFAULT_SHUTDOWN_TIMEOUT = 25_000;
    /** Logback's levels, which {@code config/logback.xml} takes from LOG_LEVEL. */
    static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Role and environment names become directory and feature names: keep them to plain words. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The launcher's commands; {@code task enqueue} is two words. */
    enum Command {
        START, CHECK, VERSION, HELP, TASK_ENQUEUE;

        static Command named(String word) {
            for (Command command : List.of(START, CHECK, VERSION, HELP)) {
                if (command.name().equalsIgnoreCase(word)) {
                    return command;
                }
            }
            return null;
        }
    }

    /**
     * {@code herald task enqueue}: Actionhero's {@code actionhero task enqueue --name --args}, plus where and when.
     *
     * @param name        the task
     * @param params      {@code --args}, a JSON object, in its key order
     * @param queue       {@code --queue}, or null for the task's own queue
     * @param inMillis    {@code --in}: enqueue after this many milliseconds (the scheduler moves it), or null
     * @param atEpochMillis {@code --at}: enqueue at this time, or null; never both
     */
    record TaskRequest(String name, Map<String, Object> params, String queue, Long inMillis, Long atEpochMillis) {

        boolean delayed() {
            return inMillis != null || atEpochMillis != null;
        }
    }

    /** The options only {@code task enqueue} takes. */
    private static final List<String> TASK_OPTIONS = List.of("--name", "--args", "--queue", "--in", "--at");

    /**
     * @param workingDir resolves relative paths
     * @param installDir the distribution directory (parent of {@code lib/}), the default home
     * @throws ConfigException for an unknown command or option, a missing option value, or a bad name or number
     */
    static LaunchOptions parse(String[] args, Map<String, String> env, Path workingDir, Path installDir)
            throws ConfigException {
        Command command = null;
        String word = null;
        String role = null;
        String environment = null;
        String config = null;
        String title = null;
        Map<String, String> taskOptions = new java.util.LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String value = null;
            int equals = arg.indexOf('=');
            String option = arg;
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (option) {
                case "--role" -> role = valueOf(option, value, rest);
                case "--env" -> environment = valueOf(option, value, rest);
                case "--config" -> config = valueOf(option, value, rest);
                case "--title" -> title = valueOf(option, value, rest);
                case "-h", "--help" -> command = Command.HELP;
                case "--version" -> command = Command.VERSION;
                default -> {
                    if (TASK_OPTIONS.contains(option)) {
                        // --args '-1' is a value, not an option: these take whatever follows
                        taskOptions.put(option, taskValueOf(option, value, rest));
                    } else if (arg.startsWith("-")) {
                        throw new ConfigException("unknown option " + arg + " (see: herald help)");
                    } else {
                        words.add(arg);
                    }
                }
            }
        }
        TaskRequest task = null;
        if (!words.isEmpty()) {
            word = words.get(0);
            if (word.equals("task")) {
                if (words.size() < 2 || !words.get(1).equals("enqueue")) {
                    throw new ConfigException(words.size() < 2 ? "the task command needs a subcommand: herald task enqueue"
                            + " --name <task> [--args '<json object>'] (see: herald help)"
                            : "unknown task subcommand " + words.get(1) + ": herald task enqueue is the one there is");
                }
                if (words.size() > 2) {
                    throw new ConfigException("unexpected argument " + words.get(2) + " after task enqueue (see: herald help)");
                }
                if (command == null) {
                    command = Command.TASK_ENQUEUE;
                }
            } else {
                if (words.size() > 1) {
                    throw new ConfigException("unexpected argument " + words.get(1) + " after " + word + " (see: herald help)");
                }
                if (command == null) {
                    command = Command.named(word);
                    if (command == null) {
                        throw new ConfigException("unknown command " + word + " (see: herald help)");
                    }
                }
            }
        }
        if (command == Command.TASK_ENQUEUE) {
            task = taskRequest(taskOptions);
        } else if (!taskOptions.isEmpty()) {
            throw new ConfigException("option " + taskOptions.keySet().iterator().next()
                    + " belongs to herald task enqueue (see: herald help)");
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
        return new LaunchOptions(command == null ? Command.START : command, role, environment, home,
                List.copyOf(configDirs), dataDir, title, shutdownTimeout, task);
    }

    private static TaskRequest taskRequest(Map<String, String> options) throws ConfigException {
        String name = options.get("--name");
        if (name == null) {
            throw new ConfigException("task enqueue needs --name <task>");
        }
        if (name.isBlank()) {
            throw new ConfigException("--name needs a task name");
        }
        String args = options.getOrDefault("--args", "{}");
        Object parsed;
        try {
            parsed = JsonText.parse(args);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--args is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new ConfigException("--args must be a JSON object (the task's params), like '{\"email\":\"a@b.c\"}'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) parsed;
        String queue = options.get("--queue");
        if (queue != null && queue.isBlank()) {
            throw new ConfigException("--queue needs a queue name");
        }
        Long in = options.containsKey("--in") ? millis("--in", options.get("--in"), true) : null;
        Long at = options.containsKey("--at") ? millis("--at", options.get("--at"), false) : null;
        if (in != null && at != null) {
            throw new ConfigException("--in and --at exclude each other: give a delay or a time, not both");
        }
        return new TaskRequest(name.strip(), params, queue == null ? null : queue.strip(), in, at);
    }

    private static long millis(String option, String text, boolean delay) throws ConfigException {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(option + " '" + text + "' is not " + (delay ? "a delay in milliseconds (a whole number"
                + " >= 0)" : "a time in milliseconds since 1970-01-01T00:00:00Z (a whole number >= 0)"));
    }

    /** Like {@link #valueOf}, but the value may start with '-' (a negative number, JSON text). */
    private static String taskValueOf(String option, String inline, List<String> rest) throws ConfigException {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty()) {
            throw new ConfigException(option + " needs a value");
        }
        return rest.remove(0);
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
