package io.herald.launcher.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.BundleException;
import io.herald.launcher.internal.framework.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of a role that a node installs only once its configuration needs them. A feature nested in the role is
 * deferred when one of its own bundles declares an {@link InstallRule} ({@value InstallRule#HEADER} in its manifest):
 * {@code herald start} leaves out the bundles only this feature brings while no staged configuration matches the rule,
 * and installs them while the node runs as soon as an edit makes one match; they stay when a later edit removes it
 * (they go idle). So a bundle with nothing to do costs no start-up time (the Redis client and its libraries, which
 * {@code herald-redis} declares this way: 40–85 ms of a 1.0–1.1 s warm start on 2 cores, {@code bench/README.md}).
 * {@code herald check} installs the whole role, and verifies that nothing else needs a deferred feature to resolve.
 */
final class DeferredFeatures {

    /**
     * One deferrable feature of the role.
     *
     * @param declaredBy the symbolic name of the bundle declaring the rule
     * @param bundles    the bundles only this feature brings to the role, in install order
     */
    record Deferred(String feature, String declaredBy, InstallRule rule, List<Feature.BundleSpec> bundles) {

        /** The INFO line of a node that starts without the feature: why, and what installs it. */
        String offMessage() {
            return "Feature " + feature + " (" + bundles.size() + " bundles) is not installed: no staged " + rule.pid()
                    + " configuration matches " + rule.filter() + ", the install rule of " + declaredBy + " ("
                    + InstallRule.HEADER + "); an edit of the configuration that matches installs it while the node"
                    + " runs";
        }
    }

    /**
     * Not static: the launcher calls the static methods before it has pointed Logback at the node's
     * {@code logback.xml}, and the first logger made would initialise Logback with its defaults.
     */
    private final Logger log = LoggerFactory.getLogger(DeferredFeatures.class);
    private final List<Deferred> pending;
    private final RoleFramework role;
    private final Path bundleDir;

    /** Installs {@code leftOut} into {@code role} as the staged configuration comes to match their rules. */
    DeferredFeatures(List<Deferred> leftOut, RoleFramework role, Path bundleDir) {
        this.pending = new ArrayList<>(leftOut);
        this.role = role;
        this.bundleDir = bundleDir;
    }

    /**
     * The deferrable features of {@code role}: those it nests (not the role itself) with a bundle that declares an
     * install rule and with bundles of their own, in the role's order. A bundle file that is missing is skipped here
     * and reported when the role is installed.
     *
     * @throws ConfigException when a declared rule is malformed, or a bundle's manifest cannot be read
     */
    static List<Deferred> of(FeaturesFile features, FeaturesFile.Resolution role, Path bundleDir)
            throws ConfigException {
        List<Deferred> deferred = new ArrayList<>();
        for (String name : role.features()) {
            if (name.equals(role.name())) {
                continue;
            }
            for (Feature.BundleSpec spec : features.feature(name).bundles()) {
                Attributes manifest = manifest(bundleDir, spec);
                String header = manifest == null ? null : manifest.getValue(InstallRule.HEADER);
                if (header == null) {
                    continue;
                }
                String symbolicName = String.valueOf(manifest.getValue("Bundle-SymbolicName")).split(";")[0].strip();
                InstallRule rule = InstallRule.parse(header, "bundle " + symbolicName + " (" + spec.location() + ")");
                List<Feature.BundleSpec> only = featureOnlyBundles(features, role, name);
                if (!only.isEmpty()) {
                    deferred.add(new Deferred(name, symbolicName, rule, only));
                }
                break;
            }
        }
        return deferred;
    }

    /** The bundles of {@code role} that only its nested feature {@code feature} brings, in install order. */
    static List<Feature.BundleSpec> featureOnlyBundles(FeaturesFile features, FeaturesFile.Resolution role,
            String feature) throws ConfigException {
        Set<String> kept = new HashSet<>();
        features.resolve(role.name(), Set.of(feature)).bundles().forEach(bundle -> kept.add(bundle.location()));
        return role.bundles().stream().filter(bundle -> !kept.contains(bundle.location())).toList();
    }

    /** Those of {@code deferred} whose rule no configuration of {@code staged} matches: what a start leaves out. */
    static List<Deferred> unmatched(List<Deferred> deferred, Map<String, Map<String, String>> staged) {
        return deferred.stream().filter(feature -> feature.rule().matchedBy(staged) == null).toList();
    }

    /** The bundles of {@code leftOut}, in order. */
    static List<Feature.BundleSpec> bundlesOf(List<Deferred> leftOut) {
        return leftOut.stream().flatMap(feature -> feature.bundles().stream()).toList();
    }

    /** {@code bundles} without those of {@code leftOut}, in install order. */
    static List<Feature.BundleSpec> without(List<Feature.BundleSpec> bundles, List<Deferred> leftOut) {
        List<Feature.BundleSpec> kept = new ArrayList<>(bundles);
        kept.removeAll(bundlesOf(leftOut));
        return kept;
    }

    /**
     * The main attributes of the manifest, read from the jar's start where jar tools write it (opening the jar as a zip
     * file parses its whole directory: several times the cost, at every start); null when the file is missing.
     */
    private static Attributes manifest(Path bundleDir, Feature.BundleSpec spec) throws ConfigException {
        Path file;
        try {
            file = bundleDir.resolve(MavenUrl.parse(spec.location()).fileName());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (JarInputStream jar = new JarInputStream(new BufferedInputStream(Files.newInputStream(file)), false)) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read its manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Called with every newly staged config while the node runs: installs and starts each left-out feature the first
     * time a configuration matches its rule. Runs on the config watcher's (or the reload's) thread.
     */
    synchronized void onStaged(Map<String, Map<String, String>> staged) {
        for (Deferred feature : List.copyOf(pending)) {
            String matchedBy = feature.rule().matchedBy(staged);
            if (matchedBy == null) {
                continue;
            }
            pending.remove(feature);
            log.info("Feature {} is needed now ({} matches the install rule of {}): installing its {} bundles",
                    feature.feature(), matchedBy, feature.declaredBy(), feature.bundles().size());
            install(feature);
        }
    }

    private void install(Deferred feature) {
        try {
            List<String> problems = role.add(bundleDir, feature.bundles());
            if (problems.isEmpty()) {
                log.info("Feature {} runs", feature.feature());
            } else {
                log.error("Feature {} did not start; restart the node once this is fixed: {}", feature.feature(),
                        String.join("; ", problems));
            }
        } catch (StartupFailure e) {
            log.error("Feature {} could not be installed: {}", feature.feature(), String.join("; ", e.problems()));
        } catch (BundleException | RuntimeException e) {
            log.error("Feature {} could not be installed: {}", feature.feature(), Failures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node is stopping
        }
    }
}
