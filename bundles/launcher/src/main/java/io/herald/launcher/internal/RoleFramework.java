package io.herald.launcher.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * An embedded Felix running one role's bundles: created, given its bundles, started, and asked which
 * bundles did not make it. Errors the framework reports while raising the start level are kept per bundle,
 * because that is the only place Felix says <em>why</em> a bundle did not resolve or start.
 */
final class RoleFramework {

    private final Framework framework;
    private final List<InstalledBundle> installed = new ArrayList<>();
    private final Map<Long, Throwable> errors = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);

    private RoleFramework(Framework framework) {
        this.framework = framework;
    }

    /**
     * Creates and initialises the framework found through {@link ServiceLoader} (Felix on the class path).
     *
     * @param log receives Felix's own messages ({@code felix.log.logger})
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static RoleFramework init(Map<String, String> properties, FrameworkLog log) throws BundleException {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, RoleFramework.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        // Felix takes its logger as an object-valued launch property, outside the String map of the API.
        Map withLogger = new HashMap<>(properties);
        withLogger.put("felix.log.logger", log);
        RoleFramework role = new RoleFramework(factory.newFramework(withLogger));
        role.framework.init();
        role.framework.getBundleContext().addFrameworkListener(role::frameworkEvent);
        Slf4jLogService.register(role.framework.getBundleContext());
        return role;
    }

    Framework framework() {
        return framework;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** The bundles installed by {@link #install}, in install order. */
    List<Bundle> roleBundles() {
        return installed.stream().map(InstalledBundle::bundle).toList();
    }

    /**
     * Installs the bundles in place ({@code reference:} URLs: nothing is copied into the cache, which keeps
     * start-up fast) with their start levels, marks them for starting, then resolves them as one batch.
     *
     * @throws StartupFailure naming every bundle whose file is missing from {@code bundleDir}
     */
    void install(Path bundleDir, List<Feature.BundleSpec> bundles) throws StartupFailure, BundleException {
        List<String> missing = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Feature.BundleSpec spec : bundles) {
            Path file;
            try {
                file = bundleDir.resolve(MavenUrl.parse(spec.location()).fileName());
            } catch (IllegalArgumentException e) {
                missing.add("bundle " + spec.location() + ": " + e.getMessage());
                continue;
            }
            if (!Files.isRegularFile(file)) {
                missing.add("bundle " + spec.location() + ": file " + file + " does not exist");
            }
            files.add(file);
        }
        if (!missing.isEmpty()) {
            throw new StartupFailure(missing);
        }
        BundleContext context = context();
        for (int i = 0; i < bundles.size(); i++) {
            Feature.BundleSpec spec = bundles.get(i);
            Bundle bundle = context.installBundle("reference:" + files.get(i).toUri());
            bundle.adapt(BundleStartLevel.class).setStartLevel(spec.startLevel());
            boolean fragment = isFragment(bundle);
            if (spec.start() && !fragment) {
                // Only marks the bundle: it starts when the framework's start level reaches the bundle's.
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            }
            installed.add(new InstalledBundle(bundle, spec, files.get(i), fragment));
        }
        // One resolver run for the whole role instead of one per bundle as the start levels rise.
        framework.adapt(FrameworkWiring.class).resolveBundles(roleBundles());
    }

    /**
     * Starts the framework and waits until every start level has been processed.
     *
     * @return false when the framework did not report STARTED within the timeout
     */
    boolean start(long timeoutMillis) throws BundleException, InterruptedException {
        framework.start();
        return started.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** One line per role bundle that is not ACTIVE (or, for fragments and start="false", not RESOLVED). */
    List<String> bundleProblems() {
        List<String> problems = new ArrayList<>();
        for (InstalledBundle entry : installed) {
            Bundle bundle = entry.bundle();
            boolean shouldBeActive = entry.spec().start() && !entry.fragment();
            int expected = shouldBeActive ? Bundle.ACTIVE : Bundle.RESOLVED;
            if (bundle.getState() == expected
                    || (!shouldBeActive && bundle.getState() == Bundle.ACTIVE)) {
                continue;
            }
            problems.add("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " ("
                    + entry.file().getFileName() + ") is " + stateName(bundle.getState()) + ": " + reason(entry));
        }
        return problems;
    }

    private String reason(InstalledBundle entry) {
        Throwable error = errors.get(entry.bundle().getBundleId());
        if (error == null && entry.bundle().getState() == Bundle.INSTALLED && !entry.fragment()) {
            try {
                // Felix explains a resolution failure only in the exception of a start attempt.
                entry.bundle().start(Bundle.START_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                error = e;
            }
        }
        if (error == null) {
            return entry.fragment() ? "the fragment did not attach (no host, or a requirement is missing)"
                    : "no error was reported";
        }
        return describe(error);
    }

    /** The framework's message without its repeated tail, plus the root cause for activator failures. */
    static String describe(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int tail = message.indexOf(" Unresolved requirements:");
        if (tail > 0) {
            message = message.substring(0, tail);
        }
        Throwable cause = error.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null) {
            message += " (" + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }

    private void frameworkEvent(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.STARTED -> started.countDown();
            case FrameworkEvent.ERROR -> {
                if (event.getBundle() != null && event.getThrowable() != null) {
                    errors.putIfAbsent(event.getBundle().getBundleId(), event.getThrowable());
                }
            }
            default -> {
                // warnings and start-level changes are not needed to judge the start
            }
        }
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "in state " + state;
        };
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private record InstalledBundle(Bundle bundle, Feature.BundleSpec spec, Path file, boolean fragment) {
    }
}
