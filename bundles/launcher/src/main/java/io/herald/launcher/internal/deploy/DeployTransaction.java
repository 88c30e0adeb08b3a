package io.herald.launcher.internal.deploy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.launcher.internal.framework.ComponentCheck;
import io.herald.launcher.internal.framework.Failures;
import io.herald.launcher.spi.Deployment;

/**
 * One change of {@code deploy/}, applied all or nothing per file: the new contents are installed <em>beside</em> what
 * runs, resolved, started and their Declarative Services components checked; only then are the versions they replace
 * (and the removed files' bundles) uninstalled. A content that does not resolve, does not start, whose components fail
 * or wait for something that is not there, or whose replacement would leave another bundle without a package it needs,
 * is uninstalled again and reported, and what ran before keeps running, untouched.
 *
 * <p>Side by side (the framework runs with {@code org.osgi.framework.bsnversion=multiple}) is what makes a replacement
 * lose no request: the new version's services register before the old version's go (an in-place update would unregister them
 * first, leaving a gap), and the core
 * lets calls in flight on the old version finish before its bundle stops. Bundles are installed from a copy of the
 * file's bytes, so a later rewrite or delete of the file never pulls classes from under a running bundle.
 */
final class DeployTransaction {

    private static final Logger LOG = LoggerFactory.getLogger("io.herald.deploy");
    /** How long a refresh (releasing uninstalled bundles, rewiring their dependents) may take. */
    private static final long REFRESH_TIMEOUT_MILLIS = 30_000;

    /** A new content for a file of deploy/: a whole jar (see {@link JarContent}). */
    record Content(String name, FileStamp stamp, byte[] bytes, String hash, JarContent jar) {
    }

    private final BundleContext context;
    private final Map<String, DeployedFile> files;
    private final ComponentCheck components;
    private final Settings settings;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<DeployedFile> removals = new ArrayList<>();
    private boolean changedSomething;

    /**
     * @param startLevel the start level of deploy/ bundles
     * @param settleMillis how long a new content's components may take to settle
     * @param generation makes each install's location unique ({@code herald-deploy:<file>@<n>})
     */
    record Settings(int startLevel, long settleMillis, long quietMillis, long generation) {
    }

    DeployTransaction(BundleContext context, Map<String, DeployedFile> files, ComponentCheck components, Settings settings) {
        this.context = context;
        this.files = files;
        this.components = components;
        this.settings = settings;
    }

    /**
     * Applies the new contents and removals.
     *
     * @return whether any bundle started or stopped (then contents refused for want of something are worth a retry)
     */
    boolean apply(List<Content> contents, List<String> removedNames) throws InterruptedException {
        for (String name : removedNames) {
            DeployedFile file = files.get(name);
            if (file == null) {
                continue;
            }
            file.removed = true;
            if (file.running == null) {
                files.remove(name);
                LOG.info("deploy/{} removed", name);
            } else {
                removals.add(file);
            }
        }
        for (Content content : contents) {
            install(content);
        }
        if (candidates.isEmpty() && removals.isEmpty()) {
            return false;
        }
        resolveAndStart();
        checkComponents();
        refuseDependentsOfRefused();
        List<Bundle> retired = retireReplacedAndRemoved();
        List<Bundle> released = new ArrayList<>(retired);
        for (Candidate candidate : candidates) {
            if (candidate.problem != null) {
                uninstallQuietly(candidate.bundle);
                released.add(candidate.bundle);
            }
        }
        refresh(released);
        record();
        return changedSomething;
    }

    // ------------------------------------------------------------------------------------------------ install

    private void install(Content content) {
        DeployedFile file = files.computeIfAbsent(content.name(), DeployedFile::new);
        file.removed = false;
        file.handled = content.stamp();
        file.handledHash = content.hash();
        if (content.hash().equals(file.runningHash)) {
            // The same bytes again (touched, or a refused content reverted to what runs).
            if (file.state == Deployment.State.REFUSED) {
                LOG.info("deploy/{}: back to the content that runs ({})", file.name, file.runningDescription());
            }
            file.state(Deployment.State.ACTIVE, null, DeployedFile.Refusal.NONE);
            return;
        }
        Manifest manifest = content.jar().manifest();
        String symbolicName = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (symbolicName == null) {
            refuse(file, null, DeployedFile.Refusal.NOT_A_BUNDLE, manifest == null
                    ? "not a jar with a manifest (META-INF/MANIFEST.MF); ignored until it changes"
                    : "not an OSGi bundle: its manifest has no Bundle-SymbolicName (build it with bnd-maven-plugin, see"
                            + " the README); ignored until it changes");
            return;
        }
        if (manifest.getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null) {
            refuse(file, symbolicName(symbolicName) + " " + version(manifest), DeployedFile.Refusal.NOT_A_BUNDLE,
                    "a fragment (Fragment-Host), which only attaches when its host restarts: deploy/ takes bundles that"
                            + " run on their own; put fragments in bundle/ with their host");
            return;
        }
        String description = symbolicName(symbolicName) + " " + version(manifest);
        try {
            Bundle bundle = context.installBundle("herald-deploy:" + content.name() + "@" + settings.generation(),
                    new ByteArrayInputStream(content.bytes()));
            bundle.adapt(BundleStartLevel.class).setStartLevel(settings.startLevel());
            candidates.add(new Candidate(file, bundle, content, description));
        } catch (BundleException | RuntimeException e) {
            refuse(file, description, DeployedFile.Refusal.NOT_A_BUNDLE, "cannot be installed: " + Failures.describe(e));
        }
    }

    // ------------------------------------------------------------------------------------------------ check

    private void resolveAndStart() {
        List<Bundle> bundles = candidates.stream().map(c -> c.bundle).toList();
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        for (Candidate candidate : candidates) {
            if (candidate.bundle.getState() == Bundle.INSTALLED) {
                String why = Requirements.unsatisfied(context, candidate.bundle);
                candidate.refuse(DeployedFile.Refusal.UNRESOLVED, why != null ? why : "does not resolve: " + startFailure(candidate.bundle));
            }
        }
        for (Candidate candidate : candidates) {
            if (candidate.problem == null) {
                try {
                    candidate.bundle.start();
                } catch (BundleException | RuntimeException e) {
                    candidate.refuse(DeployedFile.Refusal.FAILED, "does not start: " + Failures.describe(e));
                }
            }
        }
    }

    /** Felix explains a resolution failure only in the exception of a start attempt. */
    private static String startFailure(Bundle bundle) {
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return "no reason given";
        } catch (BundleException | RuntimeException e) {
            return Failures.describe(e);
        }
    }

    private void checkComponents() throws InterruptedException {
        List<Bundle> started = candidates.stream().filter(c -> c.problem == null).map(c -> c.bundle).toList();
        Map<Long, List<String>> problems = components.awaitSettled(started, settings.settleMillis(), settings.quietMillis());
        for (Candidate candidate : candidates) {
            List<String> lines = problems.get(candidate.bundle.getBundleId());
            if (candidate.problem == null && lines != null) {
                candidate.refuse(DeployedFile.Refusal.FAILED, String.join("; ", lines));
            }
        }
    }

    /** A content wired to a refused one would lose its wires when that one goes: it is refused too. */
    private void refuseDependentsOfRefused() {
        boolean again = true;
        while (again) {
            again = false;
            for (Candidate refused : candidates) {
                if (refused.problem == null) {
                    continue;
                }
                for (Candidate live : candidates) {
                    if (live.problem == null && wiredTo(live.bundle, refused.bundle)) {
                        live.refuse(DeployedFile.Refusal.UNRESOLVED, "needs " + refused.description + " from deploy/"
                                + refused.file.name + ", which was refused");
                        again = true;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ commit

    /**
     * Decides which running bundles go: those replaced by a live content of the same file, and removed files' bundles
     * (unless a content refused in this change was meant to replace them, or bundles that stay need them). A
     * replacement that would leave a dependent without a capability it is wired to is refused instead.
     *
     * @return the bundles uninstalled
     */
    private List<Bundle> retireReplacedAndRemoved() {
        Map<Bundle, Candidate> replacedBy = new LinkedHashMap<>();
        boolean again = true;
        while (again) {
            again = false;
            replacedBy.clear();
            for (Candidate candidate : candidates) {
                if (candidate.problem == null && candidate.file.running != null) {
                    replacedBy.put(candidate.file.running, candidate);
                }
            }
            Set<Bundle> leaving = new LinkedHashSet<>(replacedBy.keySet());
            removals.forEach(file -> leaving.add(file.running));
            for (Map.Entry<Bundle, Candidate> entry : replacedBy.entrySet()) {
                String broken = brokenDependents(entry.getKey(), leaving);
                if (broken != null) {
                    entry.getValue().refuse(DeployedFile.Refusal.UNRESOLVED, "would break " + broken);
                    refuseDependentsOfRefused();
                    again = true;
                    break;
                }
            }
        }
        List<Bundle> retired = new ArrayList<>();
        for (Map.Entry<Bundle, Candidate> entry : replacedBy.entrySet()) {
            uninstallQuietly(entry.getKey());
            retired.add(entry.getKey());
        }
        Set<Bundle> leaving = new LinkedHashSet<>(retired);
        removals.forEach(file -> leaving.add(file.running));
        for (DeployedFile file : removals) {
            String name = file.running.getSymbolicName();
            Candidate refusedReplacement = candidates.stream()
                    .filter(c -> c.problem != null && c.bundle.getSymbolicName().equals(name)).findFirst().orElse(null);
            String liveReplacement = candidates.stream()
                    .filter(c -> c.problem == null && c.bundle.getSymbolicName().equals(name))
                    .map(c -> "deploy/" + c.file.name).findFirst().orElseGet(() -> runningElsewhere(file));
            if (liveReplacement == null && (refusedReplacement != null || file.keptForRefusedReplacement)) {
                // The versioned-file-name upgrade (rm hello-1.0.jar, cp hello-1.1.jar): a broken 1.1 must not be an outage.
                file.keptForRefusedReplacement = true;
                String replacement = refusedReplacement != null ? "deploy/" + refusedReplacement.file.name : "its replacement";
                keep(file, "its replacement " + replacement + " was refused");
                continue;
            }
            String broken = liveReplacement == null ? brokenDependents(file.running, leaving) : null;
            if (broken != null) {
                keep(file, "removing it would break " + broken);
            } else {
                LOG.info("deploy/{} removed: {} stopped{}", file.name, file.runningDescription(),
                        liveReplacement == null ? "" : " (replaced by " + liveReplacement + ")");
                uninstallQuietly(file.running);
                retired.add(file.running);
                files.remove(file.name);
            }
        }
        changedSomething |= !retired.isEmpty();
        return retired;
    }

    private void keep(DeployedFile file, String why) {
        String problem = "the file was removed, but " + file.runningDescription() + " keeps running: " + why;
        if (file.state != Deployment.State.KEPT || !problem.equals(file.problem)) {
            LOG.error("deploy/{}: {}", file.name, problem);
        }
        file.state(Deployment.State.KEPT, problem, DeployedFile.Refusal.NONE);
    }

    /** Another file of deploy/ that runs a bundle of the same symbolic name as {@code file}'s, as "deploy/x.jar". */
    private String runningElsewhere(DeployedFile file) {
        for (DeployedFile other : files.values()) {
            if (other != file && !other.removed && other.running != null
                    && other.running.getSymbolicName().equals(file.running.getSymbolicName())) {
                return "deploy/" + other.name;
            }
        }
        return null;
    }

    /**
     * Bundles that stay and are wired to {@code leaving} with a mandatory wire that nothing staying (the live contents
     * included) can satisfy, as "bundle x: it needs package p [1,2)"; or null when none.
     */
    private String brokenDependents(Bundle leaving, Set<Bundle> allLeaving) {
        BundleWiring wiring = leaving.adapt(BundleWiring.class);
        if (wiring == null) {
            return null;
        }
        List<String> broken = new ArrayList<>();
        for (BundleWire wire : wiring.getProvidedWires(null)) {
            Bundle requirer = wire.getRequirer().getBundle();
            if (allLeaving.contains(requirer) || isRefusedCandidate(requirer)
                    || Namespace.RESOLUTION_OPTIONAL.equals(wire.getRequirement().getDirectives()
                            .get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            if (!satisfiedByStaying(wire, allLeaving)) {
                broken.add("bundle " + requirer.getSymbolicName() + " " + requirer.getVersion() + ": it needs "
                        + Requirements.describe(wire.getRequirement()));
            }
        }
        return broken.isEmpty() ? null : String.join(", ", broken);
    }

    private boolean satisfiedByStaying(BundleWire wire, Set<Bundle> leaving) {
        for (Bundle bundle : context.getBundles()) {
            if (leaving.contains(bundle) || isRefusedCandidate(bundle) || bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability capability : revision.getDeclaredCapabilities(wire.getRequirement().getNamespace())) {
                if (wire.getRequirement().matches(capability)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isRefusedCandidate(Bundle bundle) {
        return candidates.stream().anyMatch(c -> c.problem != null && c.bundle.equals(bundle));
    }

    private static boolean wiredTo(Bundle requirer, Bundle provider) {
        BundleWiring wiring = requirer.adapt(BundleWiring.class);
        if (wiring == null) {
            return false;
        }
        for (BundleWire wire : wiring.getRequiredWires(null)) {
            if (wire.getProvider().getBundle().equals(provider)) {
                return true;
            }
        }
        return false;
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("uninstalling {} failed: {}", bundle.getSymbolicName(), Failures.describe(e));
        }
    }

    /** Releases what was uninstalled and rewires the bundles that were wired to it, and waits for that. */
    private void refresh(List<Bundle> bundles) throws InterruptedException {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, event -> done.countDown());
        if (!done.await(REFRESH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.warn("refreshing after a deploy did not finish within {} ms", REFRESH_TIMEOUT_MILLIS);
        }
    }

    private void record() {
        for (Candidate candidate : candidates) {
            DeployedFile file = candidate.file;
            if (candidate.problem == null) {
                String replaced = file.runningDescription();
                file.running = candidate.bundle;
                file.runningHash = candidate.content.hash();
                file.state(Deployment.State.ACTIVE, null, DeployedFile.Refusal.NONE);
                changedSomething = true;
                LOG.info("deploy/{}: {} is live{}", file.name, candidate.description,
                        replaced == null ? "" : " (replaced " + replaced + ")");
            } else {
                refuse(file, candidate.description, candidate.refusal, candidate.problem);
            }
        }
    }

    private void refuse(DeployedFile file, String description, DeployedFile.Refusal why, String problem) {
        LOG.error("{}", file.refuse(description, why, problem));
    }

    private static String symbolicName(String header) {
        return header.split(";")[0].strip();
    }

    private static String version(Manifest manifest) {
        String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        return version == null ? "0.0.0" : version.strip();
    }

    /** A new content installed beside what runs, and what became of it. */
    private static final class Candidate {
        final DeployedFile file;
        final Bundle bundle;
        final Content content;
        final String description;
        String problem;
        DeployedFile.Refusal refusal = DeployedFile.Refusal.NONE;

        Candidate(DeployedFile file, Bundle bundle, Content content, String description) {
            this.file = file;
            this.bundle = bundle;
            this.content = content;
            this.description = description;
        }

        void refuse(DeployedFile.Refusal why, String text) {
            if (problem == null) {
                problem = text;
                refusal = why;
            }
        }
    }
}
