package io.herald.launcher.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.channels.FileLock;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.slf4j.LoggerFactory;

import io.herald.launcher.internal.cluster.ClusterOptions;
import io.herald.launcher.internal.cluster.Supervisor;
import io.herald.launcher.internal.deploy.DeployDirectory;
import io.herald.launcher.internal.framework.ComponentCheck;
import io.herald.launcher.internal.framework.Failures;

/**
 * The {@code herald} command: parses what to do, stages the config, starts the role's bundles in an
 * embedded Felix, verifies that they and their components came up, and then runs until stopped.
 *
 * <p>Exit codes: 0 success, 1 invalid command line or config (nothing was started), 2 the role did not
 * resolve or start (each problem printed on its own line).
 */
public final class Launcher {

    static final int EXIT_OK = 0;
    static final int EXIT_CONFIG = 1;
    static final int EXIT_STARTUP = 2;

    /** How long the framework may take to raise all start levels. */
    private static final long START_TIMEOUT_MILLIS = 60_000;
    /**
     * How long components may take to settle ("a few seconds"): config delivery and activation. The system
     * property {@code herald.settle.timeout} (ms) changes it, e.g. for a slow machine.
     */
    private static final long SETTLE_TIMEOUT_MILLIS = Long.getLong("herald.settle.timeout", 5_000);
    /**
     * How long the components of a bundle dropped into deploy/ may take to settle before it is refused (and, at start,
     * before the node opens without it); the system property {@code herald.deploy.timeout} changes it.
     */
    private static final long DEPLOY_SETTLE_MILLIS = Long.getLong("herald.deploy.timeout", 5_000);
    private static final String SERVER_IDENTITY = "io.herald.api.spi.ServerIdentity";
    /** The quiet period of the check after the node is declared ready (see there). */
    private static final long READY_QUIET_MILLIS = 10;

    /** Replaced by {@link JsonConsole} once logging starts, when the node logs JSON. */
    private PrintStream out;
    private PrintStream err;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Path installDir;

    Launcher(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, Path installDir) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.workingDir = workingDir;
        this.installDir = installDir;
    }

    /** Runs the command line and returns the process exit code. */
    public static int run(String[] args) {
        Reload.ignoreUntilReady();
        return new Launcher(System.out, System.err, System.getenv(), Path.of("").toAbsolutePath(), installDir())
                .execute(args);
    }

    int execute(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, env, workingDir, installDir);
        } catch (ConfigException e) {
            err.println("herald: " + e.getMessage());
            return EXIT_CONFIG;
        }
        return switch (options.command()) {
            case HELP -> {
                out.print(Usage.TEXT);
                yield EXIT_OK;
            }
            case VERSION -> {
                out.println("Herald " + version() + " (Java " + Runtime.version() + ")");
                yield EXIT_OK;
            }
            case CLUSTER -> cluster(options);
            case BUNDLES -> BundlesCommand.run(options, installDir, out, err);
            case START, CHECK, BUNDLE -> boot(options);
        };
    }

    /**
     * {@code herald cluster --workers N}: the supervisor ({@link Supervisor}) runs in this JVM, without a framework; its
     * nodes run {@code bin/herald start} with this command line's role, environment and config, each with its own title.
     */
    private int cluster(LaunchOptions options) {
        ClusterOptions cluster;
        try {
            cluster = ClusterOptions.parse(options.commandLine(), Runtime.getRuntime().availableProcessors());
            requireConfigDirs(options);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("herald: " + e.getMessage());
            return EXIT_CONFIG;
        }
        String port = env.get("PORT");
        if (port != null && port.contains("/")) {
            err.println("herald: PORT=" + port + " is a unix socket, which one node at a time can listen on: the nodes of a"
                    + " cluster share a TCP port (SO_REUSEPORT); put nginx in front of that port");
            return EXIT_CONFIG;
        }
        if (!blank(env.get("HERALD_DATA"))) {
            err.println("herald: HERALD_DATA names one data directory, and every node of a cluster needs its own: leave it"
                    + " unset (each node then uses <home>/data/nodes/<title>-<n>)");
            return EXIT_CONFIG;
        }
        String script = System.getProperty("herald.script", installDir.resolve("bin").resolve("herald").toString());
        List<String> command = new ArrayList<>(List.of(script, "start", "--role", options.role(), "--env",
                options.environment()));
        if (!options.configDirs().equals(List.of(options.home().resolve("config")))) {
            command.add("--config");
            command.add(String.join(",", options.configDirs().stream().map(Path::toString).toList()));
        }
        Supervisor supervisor = new Supervisor(options.home().resolve("pids"),
                options.title() != null ? options.title() : "herald", command,
                Map.of("HERALD_REUSE_PORT", "true", Supervisor.PID_VARIABLE, Long.toString(ProcessHandle.current().pid())),
                cluster.workers(), options.shutdownTimeout(), out, err);
        try {
            return supervisor.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_STARTUP;
        }
    }

    private int boot(LaunchOptions options) {
        boolean check = options.command() == LaunchOptions.Command.CHECK;
        // a command of the bundles: the role headless, for that command (BundleCommand)
        boolean command = options.command() == LaunchOptions.Command.BUNDLE;
        Path temporaryData = null;
        CompletableFuture<RoleFramework> initialising = null;
        RoleFramework role = null;
        GracefulStop stop = null;
        DeployDirectory deploy = null;
        FileLock dataLock = null;
        BundleListing listing = null;
        try {
            // A check and a command get their own data directory, so they run next to a node using the same home.
            // The data directory stays where it was at start, even when PROJECT_ROOT is a link moved to a new release.
            Release release = Release.of(options);
            Path dataDir = release.locate(options, options.dataDir());
            if (check || command) {
                temporaryData = Files.createTempDirectory(check ? "herald-check-" : "herald-command-");
                dataDir = temporaryData;
            } else {
                dataLock = DataDirLock.acquire(dataDir);
            }
            requireConfigDirs(options);
            Layout layout = new Layout(release.home(), installDir, dataDir);
            String title = setSystemProperties(options, release, check, command);
            JettyCacheLine.setForThisJvm();
            FrameworkLog frameworkLog = new FrameworkLog();
            initialising = initialiseInBackground(layout, frameworkLog);

            FeaturesFile features = readFeatures(layout, options.role());
            FeaturesFile.Resolution resolution = features.resolve(options.role());
            List<DeferredFeatures.Deferred> deferrable = DeferredFeatures.of(features, resolution, layout.bundleDir());
            Map<String, Map<String, String>> defaults = new LinkedHashMap<>(resolution.configs());
            ConfigStager stager = new ConfigStager(release.configDirs(), options.environment(), defaults,
                    Interpolator.ofProcess(), layout.stagedConfigDir());
            // What the config says decides which bundles to install; it is staged once their metatype has been read.
            Map<String, Map<String, String>> values = stager.preview();
            // A check installs the whole role, so the build verifies that the deferred features resolve too.
            List<DeferredFeatures.Deferred> leftOut = check ? List.of() : DeferredFeatures.unmatched(deferrable, values);
            List<Feature.BundleSpec> bundles = DeferredFeatures.without(resolution.bundles(), leftOut);
            // Read on another thread while the framework initialises: parsing XML takes a noticeable part of a start.
            CompletableFuture<MetatypeCatalog> roleMetatype = CompletableFuture.supplyAsync(
                    () -> MetatypeCatalog.of(new org.osgi.framework.Bundle[0], files(layout, resolution.bundles())));
            if (command && blank(env.get("LOG_LEVEL"))) {
                // A command prints its own output: the headless node's INFO lines are not the operator's concern here.
                System.setProperty("LOG_LEVEL", "WARN");
            }
            // The log format, file and node id, read by logback.xml: the config (the core's id) is known from here.
            LogSettings.apply(options, title, values);
            Thread loggingInit = startLogging(options);
            if (!check && !command) {
                for (Path dir : List.of(layout.deployDir(), layout.logDir(), layout.pidsDir())) {
                    Files.createDirectories(dir);
                }
            }

            role = awaitInitialised(initialising);
            // Bundles log from here on; slf4j must be ready, or it queues their calls and warns when replaying them.
            loggingInit.join();
            if (!command) {
                // A command's output is its own (the operator reads it); a node's and a check's lines are log lines.
                out = JsonConsole.wrap(out, false, options.logFormat());
                err = JsonConsole.wrap(err, true, options.logFormat());
                out.println(RuntimeLine.ofThisJvm());
            }
            leftOut.forEach(feature -> LoggerFactory.getLogger(DeferredFeatures.class).info(feature.offMessage()));
            NodeReadiness readiness = new NodeReadiness(role.context());
            stop = new GracefulStop(role.framework(), readiness, options.shutdownTimeout(), err);
            stop.install();
            if (!check && !command) {
                watchSupervisor(stop);
            }
            role.install(layout.bundleDir(), bundles);
            // Every value is checked against what the bundles declare before ConfigAdmin sees any: exit 1, nothing started.
            MetatypeCatalog atStart = roleMetatype.join();
            stager.checkAgainst(() -> atStart);
            Set<String> staged = stager.stage();
            // From now on (config edits, USR2) what is installed counts too: deploy/ bundles declare their own.
            RoleFramework installed = role;
            List<Path> notInstalled = files(layout, DeferredFeatures.bundlesOf(leftOut));
            stager.checkAgainst(() -> MetatypeCatalog.of(installed.context().getBundles(), notInstalled));
            ComponentCheck components = new ComponentCheck(role.context(), staged);
            // Published before the role starts, so the core's status has it from the first request (check: empty).
            deploy = new DeployDirectory(role.context(), layout.deployDir(), () -> stager.stagedValues().keySet(),
                    FrameworkProperties.DEPLOY_START_LEVEL, DEPLOY_SETTLE_MILLIS);
            deploy.register();
            List<String> problems = startAndVerify(role, components);
            if (check && problems.isEmpty()) {
                // What a start may leave out must not be needed by the rest of the role to resolve.
                for (DeferredFeatures.Deferred feature : deferrable) {
                    problems.addAll(role.mandatoryWiresInto(feature.bundles(), feature.feature()));
                }
            }
            if (stop.isRequested()) {
                return awaitRequestedStop(role.framework());
            }
            if (!problems.isEmpty()) {
                fail(problems, components, stager);
            }
            if (!check) {
                // Everything in deploy/ runs before the node is ready: no request answers 404 and no job fails with
                // "No job defined" because a node served before its own actions and tasks were there.
                deploy.deployNow();
            }
            if (!command) {
                // Servers open their ports and workers take jobs now (NodeReady); a port in use fails the start here.
                // Declarative Services activates what waited for the condition on this thread, while it registers:
                // a short quiet period is enough to see the outcome.
                readiness.declare();
                problems.addAll(components.awaitHeraldSettled(role.roleBundles(), SETTLE_TIMEOUT_MILLIS,
                        READY_QUIET_MILLIS));
                if (stop.isRequested()) {
                    return awaitRequestedStop(role.framework());
                }
                if (!problems.isEmpty()) {
                    fail(problems, components, stager);
                }
            }
            frameworkLog.startupVerified();
            Slf4jLogService.startupOver();
            if (command) {
                int exit = BundleCommand.run(role.context(), options.commandLine(), options.role(), out, err);
                stopNow(role.framework(), options.shutdownTimeout());
                return exit;
            }
            long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            String nodeId = serverId(role.context(), title);
            String summary = "role=" + options.role() + " env=" + options.environment() + " id=" + nodeId;
            if (check) {
                out.println("Herald " + version() + " check passed: " + summary + " bundles="
                        + bundles.size() + " in " + millis + " ms");
                stopNow(role.framework(), options.shutdownTimeout());
                return EXIT_OK;
            }
            out.println("Herald " + version() + " started: " + summary + " in " + millis + " ms");
            markRecordingStarted();
            // what `herald bundles` shows of this node, until it stopped
            listing = new BundleListing(role.context(), layout, nodeId, options.role());
            listing.start();
            DeferredFeatures deferred = new DeferredFeatures(leftOut, role, layout.bundleDir());
            deploy.watch();
            Reload reload = new Reload(options, release, stager, deploy, deferred::onStaged, err);
            reload.install();
            stop.beforeStop(reload::close);
            stop.beforeStop(deploy::close);
            try (ConfigWatcher watcher = new ConfigWatcher(stager, deferred::onStaged)) {
                watcher.start();
                role.framework().waitForStop(0);
            }
            err.println("herald: stopped");
            return EXIT_OK;
        } catch (ConfigException e) {
            err.println("herald: config error: " + e.getMessage());
            return stopAfterFailure(role, initialising, options, EXIT_CONFIG);
        } catch (StartupFailure e) {
            err.println("herald: role '" + options.role() + "' did not start:");
            e.problems().forEach(problem -> err.println("herald:   " + problem));
            return stopAfterFailure(role, initialising, options, EXIT_STARTUP);
        } catch (BundleException | IOException | RuntimeException e) {
            if (stop != null && stop.isRequested()) {
                return awaitRequestedStop(role.framework());
            }
            err.println("herald: start failed: " + Failures.describe(e));
            return stopAfterFailure(role, initialising, options, EXIT_STARTUP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stopAfterFailure(role, initialising, options, EXIT_STARTUP);
        } finally {
            if (deploy != null) {
                deploy.close();
            }
            if (listing != null) {
                listing.close();
            }
            if (temporaryData != null) {
                deleteTree(temporaryData);
            }
            releaseQuietly(dataLock);
        }
    }

    /**
     * A node of {@code herald cluster} stops gracefully when its supervisor is gone (killed with -9, say), as the workers
     * of Node's cluster exit when their channel to the master closes: nothing would replace it, stop it or roll it.
     */
    private void watchSupervisor(GracefulStop stop) {
        String pid = env.get(Supervisor.PID_VARIABLE);
        if (blank(pid) || !pid.strip().matches("[0-9]{1,18}")) {
            return;
        }
        long supervisor = Long.parseLong(pid.strip());
        String reason = "the exit of the cluster supervisor (pid " + supervisor + ")";
        ProcessHandle.of(supervisor).ifPresentOrElse(handle -> handle.onExit().thenRun(() -> stop.request(reason)),
                () -> stop.request(reason));
    }

    /** Without config no server component runs and logging falls back to DEBUG: never what was meant. */
    private static void requireConfigDirs(LaunchOptions options) throws ConfigException {
        for (Path dir : options.configDirs()) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("config directory " + dir + " does not exist (set by "
                        + (dir.equals(options.home().resolve("config")) ? "PROJECT_ROOT" : "HERALD_CONFIG") + ")");
            }
        }
    }

    /**
     * Starts the framework, then checks that every role bundle is active and, only if so, that the Herald
     * components settled without failures.
     *
     * @return one line per problem; empty when the role is up
     */
    private static List<String> startAndVerify(RoleFramework role, ComponentCheck components)
            throws BundleException, InterruptedException {
        List<String> problems = new ArrayList<>();
        if (!role.start(START_TIMEOUT_MILLIS)) {
            problems.add("the framework did not reach its start level within " + START_TIMEOUT_MILLIS + " ms");
        }
        problems.addAll(role.bundleProblems());
        if (problems.isEmpty()) {
            problems.addAll(components.awaitSettled(role.roleBundles(), SETTLE_TIMEOUT_MILLIS));
        }
        return problems;
    }

    /**
     * A component that refused its configuration (ConfigurationException) is a config error, exit 1, named by where the
     * value came from ({@code PORT=abc}); anything else is a start failure, exit 2.
     */
    private static void fail(List<String> problems, ComponentCheck components, ConfigStager stager)
            throws ConfigException, StartupFailure {
        if (!components.configProblems().isEmpty()) {
            ComponentCheck.ConfigProblem problem = components.configProblems().get(0);
            String origin = problem.property() == null ? null : stager.origin(problem.pid(), problem.property());
            String what = problem.pid() + (problem.property() == null ? "" : " " + problem.property());
            throw new ConfigException((origin == null ? what : origin + " (" + what + ")") + ": " + problem.reason());
        }
        throw new StartupFailure(problems);
    }

    private static List<Path> files(Layout layout, List<Feature.BundleSpec> bundles) {
        List<Path> files = new ArrayList<>();
        for (Feature.BundleSpec spec : bundles) {
            try {
                files.add(layout.bundleDir().resolve(MavenUrl.parse(spec.location()).fileName()));
            } catch (IllegalArgumentException e) {
                // reported when the feature is installed
            }
        }
        return files;
    }

    private static FeaturesFile readFeatures(Layout layout, String roleName) throws ConfigException {
        FeaturesFile features = FeaturesFile.read(layout.featuresFile());
        if (!features.names().contains(roleName)) {
            throw new ConfigException("unknown role '" + roleName + "': " + layout.featuresFile()
                    + " defines " + String.join(", ", features.names()));
        }
        return features;
    }

    /**
     * Loads and initialises Felix on another thread: it is the slowest step before the bundles can be installed
     * and needs nothing from the features file or the config, which the main thread reads meanwhile.
     */
    private static CompletableFuture<RoleFramework> initialiseInBackground(Layout layout, FrameworkLog log) {
        Map<String, String> properties = FrameworkProperties.of(layout,
                SystemPackages.extraExports(Launcher.class.getClassLoader()), systemPropertyMap());
        CompletableFuture<RoleFramework> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(RoleFramework.init(properties, log));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "herald-framework-init");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static RoleFramework awaitInitialised(CompletableFuture<RoleFramework> initialising)
            throws BundleException, InterruptedException {
        try {
            return initialising.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BundleException bundleException) {
                throw bundleException;
            }
            if (cause instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new IllegalStateException("the framework could not be initialised: " + cause, cause);
        }
    }

    /** Marks the class data cache this JVM records at its exit as the cache of a node that started (RuntimeLine). */
    private void markRecordingStarted() {
        Path marker = RuntimeLine.recording(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (marker != null) {
            try {
                Files.deleteIfExists(marker);
                Files.createFile(marker);
            } catch (IOException e) {
                // only the next start is slower: it records the cache again
                err.println("herald: cannot write " + marker + ": " + e);
            }
        }
    }

    /** Stops whatever was started (the framework may still be initialising) and returns the exit code. */
    private int stopAfterFailure(RoleFramework role, CompletableFuture<RoleFramework> initialising,
            LaunchOptions options, int exitCode) {
        RoleFramework toStop = role;
        if (toStop == null && initialising != null) {
            try {
                toStop = initialising.get();
            } catch (ExecutionException e) {
                return exitCode; // never initialised: nothing to stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exitCode;
            }
        }
        if (toStop != null) {
            stopNow(toStop.framework(), options.shutdownTimeout());
        }
        return exitCode;
    }

    /**
     * The core reads these when it starts: herald.home, herald.env, herald.role and herald.title. A check
     * without a title gets its own, so its core does not write (and then delete) the pidfile of a server
     * running from the same home; a command always gets its own, and the framework property naming it
     * ({@link io.herald.launcher.spi.Command#NAME}).
     *
     * @return the title, or null when the core chooses the id
     */
    private static String setSystemProperties(LaunchOptions options, Release release, boolean check, boolean command) {
        System.setProperty("herald.home", release.home().toString());
        // The first config directory: where files read by path (routes.json) live, so they follow HERALD_CONFIG too.
        System.setProperty("herald.config", release.configDirs().get(0).toString());
        System.setProperty("herald.env", options.environment());
        System.setProperty("herald.role", options.role());
        String title = options.title();
        if (title == null && check) {
            title = "herald-check-" + ProcessHandle.current().pid();
        }
        if (command) {
            // Never a running node's id (HERALD_TITLE is often exported for the node): its pidfile and cluster identity.
            title = "herald-command-" + ProcessHandle.current().pid();
            System.setProperty(io.herald.launcher.spi.Command.NAME,
                    String.join(" ", BundleCommand.words(options.commandLine())));
        } else {
            System.clearProperty(io.herald.launcher.spi.Command.NAME);
        }
        if (title != null) {
            System.setProperty("herald.title", title);
        }
        return title;
    }

    /**
     * Points logback at the effective {@code logback.xml} ({@code <dir>/<env>/logback.xml} before
     * {@code <dir>/logback.xml}, later config directories first) and initialises it on another thread: it takes
     * a noticeable part of start-up and overlaps with installing and resolving bundles.
     */
    private static Thread startLogging(LaunchOptions options) {
        if (System.getProperty("logback.configurationFile") == null) {
            List<Path> dirs = new ArrayList<>(options.configDirs());
            Collections.reverse(dirs);
            for (Path dir : dirs) {
                Path file = Stream.of(dir.resolve(options.environment()).resolve("logback.xml"), dir.resolve("logback.xml"))
                        .filter(Files::isRegularFile).findFirst().orElse(null);
                if (file != null) {
                    System.setProperty("logback.configurationFile", file.toString());
                    break;
                }
            }
        }
        Thread init = new Thread(LoggerFactory::getILoggerFactory, "herald-logging-init");
        init.setDaemon(true);
        init.start();
        return init;
    }

    private static Map<String, String> systemPropertyMap() {
        Map<String, String> map = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().forEach(name -> map.put(name, System.getProperty(name)));
        return map;
    }

    /** The id the core chose (its ServerIdentity service), read reflectively: the API is not on our class path. */
    private static String serverId(BundleContext context, String title) {
        ServiceReference<?> reference = context.getServiceReference(SERVER_IDENTITY);
        if (reference != null) {
            Object identity = context.getService(reference);
            try {
                if (identity != null) {
                    for (Class<?> type : identity.getClass().getInterfaces()) {
                        if (type.getName().equals(SERVER_IDENTITY)) {
                            Method id = type.getMethod("id");
                            return String.valueOf(id.invoke(identity));
                        }
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the requested title: the start itself succeeded
            } finally {
                context.ungetService(reference);
            }
        }
        return title != null ? title : "-";
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private int awaitRequestedStop(Framework framework) {
        try {
            framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("herald: stopped");
        return EXIT_OK;
    }

    private void stopNow(Framework framework, long timeoutMillis) {
        try {
            framework.stop();
            framework.waitForStop(timeoutMillis);
        } catch (BundleException | RuntimeException e) {
            err.println("herald: stop failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void releaseQuietly(FileLock lock) {
        if (lock != null) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                // the process is ending; the operating system drops the lock anyway
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    static String version() {
        String version = Launcher.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }

    /** The distribution directory: the parent of the lib/ directory holding this jar, else the working directory. */
    static Path installDir() {
        try {
            CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path location = Path.of(source.getLocation().toURI());
                Path parent = location.getParent();
                if (Files.isRegularFile(location) && parent != null && parent.getFileName() != null
                        && parent.getFileName().toString().equals("lib") && parent.getParent() != null) {
                    return parent.getParent();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall back below
        }
        return Path.of("").toAbsolutePath();
    }
}
