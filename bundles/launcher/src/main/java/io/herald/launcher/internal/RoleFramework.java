package io.herald.launcher.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import io.herald.launcher.internal.framework.Failures;

/**
 * An embedded Felix running one role's bundles: created, given its bundles, started, and asked which
 * bundles did not make it. Errors the framework reports while raising the start level are kept per bundle,
 * because that is the only place Felix says <em>why</em> a bundle did not resolve or start.
 */
final class RoleFramework {

    /** How long a refresh of bundles may take (it stops and restarts them). */
    private static final long REFRESH_TIMEOUT_MILLIS = 60_000;

    private final Framework framework;
    /** Written by the main thread at start and by the config watcher's thread when a feature is switched on. */
    private final List<InstalledBundle> installed = new CopyOnWriteArrayList<>();
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

    /** The bundles installed by {@link #install} and {@link #add}, in install order. */
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
        List<InstalledBundle> added = installAll(bundleDir, bundles);
        for (InstalledBundle entry : added) {
            if (entry.shouldBeActive()) {
                // Only marks the bundle: it starts when the framework's start level reaches the bundle's.
                entry.bundle().start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        // One resolver run for the whole role instead of one per bundle as the start levels rise.
        framework.adapt(FrameworkWiring.class).resolveBundles(bundlesOf(added));
    }

    /**
     * Installs more bundles into the running framework (a feature switched on while the node runs): resolved as one
     * batch, then started in install order, since the framework's start level is already past theirs. A bundle that
     * resolved before them without an optional import they export (say {@code io.herald.redis;resolution:=optional})
     * stays unwired to it until refreshed, so such bundles are refreshed: restarted with the import wired.
     *
     * @return one line per added or refreshed bundle that did not resolve or start; empty when all run
     * @throws StartupFailure naming every bundle whose file is missing from {@code bundleDir}
     */
    List<String> add(Path bundleDir, List<Feature.BundleSpec> bundles)
            throws StartupFailure, BundleException, InterruptedException {
        List<InstalledBundle> added = installAll(bundleDir, bundles);
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        wiring.resolveBundles(bundlesOf(added));
        for (InstalledBundle entry : added) {
            if (entry.shouldBeActive()) {
                try {
                    entry.bundle().start(Bundle.START_ACTIVATION_POLICY);
                } catch (BundleException | IllegalStateException e) {
                    errors.putIfAbsent(entry.bundle().getBundleId(), e);
                }
            }
        }
        List<String> problems = new ArrayList<>(problems(added));
        List<InstalledBundle> rewire = optionalImportersOf(added);
        if (!rewire.isEmpty()) {
            CountDownLatch refreshed = new CountDownLatch(1);
            wiring.refreshBundles(bundlesOf(rewire), event -> refreshed.countDown());
            if (!refreshed.await(REFRESH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                problems.add("refreshing " + bundlesOf(rewire) + " to wire their optional imports did not finish within "
                        + REFRESH_TIMEOUT_MILLIS + " ms");
            }
            problems.addAll(problems(rewire));
        }
        return problems;
    }

    /**
     * The resolved bundles, other than {@code added}, with an optional package import that is not wired and that one
     * of {@code added} exports.
     */
    private List<InstalledBundle> optionalImportersOf(List<InstalledBundle> added) {
        List<BundleCapability> exports = new ArrayList<>();
        for (InstalledBundle entry : added) {
            BundleRevision revision = entry.bundle().adapt(BundleRevision.class);
            if (revision != null) {
                exports.addAll(revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE));
            }
        }
        List<InstalledBundle> importers = new ArrayList<>();
        for (InstalledBundle entry : installed) {
            BundleWiring wiring = entry.bundle().adapt(BundleWiring.class);
            if (added.contains(entry) || wiring == null) {
                continue;
            }
            Set<BundleRequirement> wired = new HashSet<>();
            wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).forEach(wire -> wired.add(wire.getRequirement()));
            boolean needsRewiring = wiring.getRevision().getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)
                    .stream()
                    .filter(requirement -> Namespace.RESOLUTION_OPTIONAL.equals(
                            requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE)))
                    .filter(requirement -> !wired.contains(requirement))
                    .anyMatch(requirement -> exports.stream().anyMatch(requirement::matches));
            if (needsRewiring) {
                importers.add(entry);
            }
        }
        return importers;
    }

    private List<InstalledBundle> installAll(Path bundleDir, List<Feature.BundleSpec> bundles)
            throws StartupFailure, BundleException {
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
        List<InstalledBundle> added = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            Feature.BundleSpec spec = bundles.get(i);
            Bundle bundle = context.installBundle("reference:" + files.get(i).toUri());
            bundle.adapt(BundleStartLevel.class).setStartLevel(spec.startLevel());
            InstalledBundle entry = new InstalledBundle(bundle, spec, files.get(i), isFragment(bundle));
            installed.add(entry);
            added.add(entry);
        }
        return added;
    }

    private static List<Bundle> bundlesOf(List<InstalledBundle> entries) {
        return entries.stream().map(InstalledBundle::bundle).toList();
    }

    /**
     * One line per installed bundle outside {@code switchable} that needs one of them to resolve: a mandatory
     * requirement (an {@code Import-Package} without {@code resolution:=optional}, a {@code Require-Bundle}, a
     * fragment's host) wired to a bundle of {@code switchable}. Such a bundle would not resolve on a node that leaves
     * {@code feature} out. Call it once the bundles are resolved.
     */
    List<String> mandatoryWiresInto(List<Feature.BundleSpec> switchable, String feature) {
        Set<String> locations = new HashSet<>();
        switchable.forEach(spec -> locations.add(spec.location()));
        Set<Bundle> providers = new HashSet<>();
        installed.stream().filter(entry -> locations.contains(entry.spec().location()))
                .forEach(entry -> providers.add(entry.bundle()));
        List<String> problems = new ArrayList<>();
        for (InstalledBundle entry : installed) {
            BundleWiring wiring = entry.bundle().adapt(BundleWiring.class);
            if (providers.contains(entry.bundle()) || wiring == null) {
                continue;
            }
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                Bundle provider = wire.getProvider().getBundle();
                String resolution = wire.getRequirement().getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
                // A DynamicImport-Package wire (resolution:=dynamic) is made at the first class load, after
                // resolution: herald-tasks has them into herald-redis once a node with Redis configured uses it.
                if (providers.contains(provider) && !Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                        && !PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)) {
                    String namespace = wire.getCapability().getNamespace();
                    problems.add("bundle " + entry.bundle().getSymbolicName() + " (" + entry.file().getFileName()
                            + ") needs " + namespace + "=" + wire.getCapability().getAttributes().get(namespace)
                            + " from " + provider.getSymbolicName() + " of feature " + feature
                            + ", which a node leaves out while no configuration matches its install rule: import it"
                            + " with resolution:=optional, or move the bundle into " + feature);
                }
            }
        }
        return problems;
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
        return problems(installed);
    }

    private List<String> problems(List<InstalledBundle> entries) {
        List<String> problems = new ArrayList<>();
        for (InstalledBundle entry : entries) {
            Bundle bundle = entry.bundle();
            boolean shouldBeActive = entry.shouldBeActive();
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
        return Failures.describe(error);
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

        boolean shouldBeActive() {
            return spec.start() && !fragment;
        }
    }
}
