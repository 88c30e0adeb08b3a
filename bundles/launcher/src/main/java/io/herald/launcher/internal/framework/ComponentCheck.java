package io.herald.launcher.internal.framework;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Waits for the Declarative Services components of Herald's bundles to settle, then reports the ones that
 * failed. The DS API is exported by the system bundle from the launcher's class path, so the runtime's DTOs
 * can be read directly.
 *
 * <p>Settled means: no component is waiting for a configuration that has been staged (FileInstall delivers
 * staged files to ConfigAdmin asynchronously), none waits for a reference, and nothing changed during a
 * short quiet period. A component whose configuration is simply absent (configurationPolicy REQUIRE, e.g. a
 * disabled server) is fine: that is how a node's role and config switch components off. So is a component waiting
 * only for the node's readiness condition ({@value #READY_TARGET}): the launcher registers it once the node is up, and
 * checks again then.
 */
public final class ComponentCheck {

    static final String HERALD_BUNDLE_PREFIX = "io.herald.";
    /** How long nothing may change before the components count as settled, at start. */
    static final long QUIET_MILLIS = 60;
    /** The target of the readiness condition (io.herald.api.spi.NodeReady.TARGET, not on the launcher's class path). */
    static final String READY_TARGET = "(osgi.condition.id=herald.ready)";
    private static final String SATISFYING_CONDITION = "osgi.ds.satisfying.condition";
    private static final long POLL_MILLIS = 10;

    private static final String CONFIGURATION_EXCEPTION = "org.osgi.service.cm.ConfigurationException: ";

    private final BundleContext context;
    private final Supplier<Set<String>> stagedPids;
    private ServiceComponentRuntime runtime;
    private volatile List<ConfigProblem> configProblems = List.of();

    /**
     * A component that refused its configuration: it threw {@code org.osgi.service.cm.ConfigurationException} (naming
     * the property) from its activate method. The launcher reports it as a config error, naming where the value came from.
     */
    public record ConfigProblem(String pid, String property, String reason) {
    }

    /**
     * @param stagedPids the PIDs written to the staged config directory (factory configurations as
     *                   {@code factoryPid-name}); components requiring one of them are expected to get it
     */
    public ComponentCheck(BundleContext context, Supplier<Set<String>> stagedPids) {
        this.context = context;
        this.stagedPids = stagedPids;
    }

    public ComponentCheck(BundleContext context, Set<String> stagedPids) {
        this(context, () -> stagedPids);
    }

    /**
     * @param bundles the bundles to check; only those whose symbolic name starts with {@code io.herald.} count
     * @return one line per failed component; empty when all are fine
     */
    public List<String> awaitSettled(Collection<Bundle> bundles, long timeoutMillis) throws InterruptedException {
        return awaitHeraldSettled(bundles, timeoutMillis, QUIET_MILLIS);
    }

    /** {@link #awaitSettled(Collection, long)} with another quiet period. */
    public List<String> awaitHeraldSettled(Collection<Bundle> bundles, long timeoutMillis, long quietMillis)
            throws InterruptedException {
        List<Bundle> herald = bundles.stream()
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(HERALD_BUNDLE_PREFIX))
                .toList();
        List<String> problems = new ArrayList<>();
        awaitSettled(herald, timeoutMillis, quietMillis).values().forEach(problems::addAll);
        return problems;
    }

    /**
     * Waits until the components of {@code bundles} settle (nothing pending, nothing changed for {@code quietMillis}),
     * at most {@code timeoutMillis}.
     *
     * @return per bundle id, one line per component that failed, or is still pending at the deadline; no entry for a
     *         bundle whose components are all fine
     */
    public Map<Long, List<String>> awaitSettled(Collection<Bundle> bundles, long timeoutMillis, long quietMillis)
            throws InterruptedException {
        Bundle[] checked = bundles.toArray(Bundle[]::new);
        if (checked.length == 0) {
            return Map.of();
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        String lastSnapshot = null;
        long quietSince = System.nanoTime();
        while (true) {
            ServiceComponentRuntime runtime = runtime();
            Survey survey = runtime == null ? null : survey(runtime, checked);
            long now = System.nanoTime();
            if (survey != null) {
                if (!survey.snapshot().equals(lastSnapshot)) {
                    lastSnapshot = survey.snapshot();
                    quietSince = now;
                } else if (survey.pending().isEmpty() && now - quietSince >= quietMillis * 1_000_000) {
                    return survey.failed();
                }
            }
            if (now >= deadline) {
                if (survey == null) {
                    return Map.of(checked[0].getBundleId(), List.of(runtimeMissing()));
                }
                Map<Long, List<String>> problems = new LinkedHashMap<>();
                survey.failed().forEach((id, lines) -> problems.computeIfAbsent(id, k -> new ArrayList<>()).addAll(lines));
                survey.pending().forEach((id, lines) -> problems.computeIfAbsent(id, k -> new ArrayList<>()).addAll(lines));
                return problems;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private ServiceComponentRuntime runtime() {
        if (runtime == null) {
            ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
            runtime = reference == null ? null : context.getService(reference);
        }
        return runtime;
    }

    private String runtimeMissing() {
        try {
            if (context.getAllServiceReferences(ServiceComponentRuntime.class.getName(), null) != null) {
                return "org.apache.felix.scr runs but is wired to another copy of org.osgi.service.component.runtime"
                        + " than the launcher's; the system bundle must be its only exporter";
            }
        } catch (InvalidSyntaxException impossible) {
            // no filter given
        }
        return "the Declarative Services runtime (org.apache.felix.scr) is not running";
    }

    /** The components of the last check that refused their configuration (a subset of the failures it returned). */
    public List<ConfigProblem> configProblems() {
        return configProblems;
    }

    private Survey survey(ServiceComponentRuntime runtime, Bundle[] bundles) {
        List<ConfigProblem> refusedConfig = new ArrayList<>();
        StringBuilder snapshot = new StringBuilder();
        Map<Long, List<String>> failed = new LinkedHashMap<>();
        Map<Long, List<String>> pendingByBundle = new LinkedHashMap<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundles)) {
            String who = "component " + description.name + " (bundle " + description.bundle.symbolicName + ")";
            List<String> pending = pendingByBundle.computeIfAbsent(description.bundle.id, id -> new ArrayList<>());
            Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() && runtime.isComponentEnabled(description) && configurationStaged(description)) {
                pending.add(who + " has a staged configuration but ConfigAdmin has not delivered it");
                snapshot.append(description.name).append(":none;");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                snapshot.append(description.name).append(':').append(configuration.id).append('=')
                        .append(configuration.state).append(';');
                switch (configuration.state) {
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                        failed.computeIfAbsent(description.bundle.id, id -> new ArrayList<>())
                                .add(who + " failed to activate: " + failureText(configuration.failure));
                        ConfigProblem problem = configProblem(description, configuration.failure);
                        if (problem != null) {
                            refusedConfig.add(problem);
                        }
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        if (!waitsOnlyForReadiness(configuration)) {
                            pending.add(who + " is missing " + unsatisfied(description, configuration));
                        }
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
                        if (configurationStaged(description)) {
                            pending.add(who + " has a staged configuration but ConfigAdmin has not delivered it");
                        }
                    }
                    default -> {
                        // SATISFIED (delayed, waiting for a consumer) and ACTIVE are what we want
                    }
                }
            }
        }
        pendingByBundle.values().removeIf(List::isEmpty);
        configProblems = List.copyOf(refusedConfig);
        return new Survey(snapshot.toString(), failed, pendingByBundle);
    }

    /** The ConfigurationException ("property : reason") in a component's recorded failure, or null. */
    static ConfigProblem configProblem(ComponentDescriptionDTO description, String failure) {
        if (failure == null || description.configurationPid == null || description.configurationPid.length == 0) {
            return null;
        }
        int at = failure.indexOf(CONFIGURATION_EXCEPTION);
        if (at < 0) {
            return null;
        }
        String line = failure.substring(at + CONFIGURATION_EXCEPTION.length()).lines().findFirst().orElse("").strip();
        int separator = line.indexOf(" : ");
        return separator < 0 ? new ConfigProblem(description.configurationPid[0], null, line)
                : new ConfigProblem(description.configurationPid[0], line.substring(0, separator).strip(),
                        line.substring(separator + 3).strip());
    }

    /** Servers and workers wait for the node's readiness condition, which the launcher registers after this check. */
    private static boolean waitsOnlyForReadiness(ComponentConfigurationDTO configuration) {
        UnsatisfiedReferenceDTO[] unsatisfied = configuration.unsatisfiedReferences;
        return unsatisfied != null && unsatisfied.length == 1 && SATISFYING_CONDITION.equals(unsatisfied[0].name)
                && READY_TARGET.equals(unsatisfied[0].target);
    }

    private boolean configurationStaged(ComponentDescriptionDTO description) {
        if (description.configurationPid == null || description.configurationPid.length == 0
                || "ignore".equals(description.configurationPolicy)) {
            return false;
        }
        for (String pid : description.configurationPid) {
            if (!isStaged(pid)) {
                return false;
            }
        }
        return true;
    }

    private boolean isStaged(String pid) {
        Set<String> staged = stagedPids.get();
        if (staged.contains(pid)) {
            return true;
        }
        // FileInstall maps "factoryPid-name.cfg" to a factory configuration of factoryPid.
        for (String stagedPid : staged) {
            if (stagedPid.startsWith(pid + "-")) {
                return true;
            }
        }
        return false;
    }

    private static String unsatisfied(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        List<String> parts = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
            String service = "?";
            for (ReferenceDTO declared : description.references) {
                if (declared.name.equals(reference.name)) {
                    service = declared.interfaceName;
                }
            }
            parts.add("reference '" + reference.name + "' (" + service
                    + (reference.target != null ? " " + reference.target : "") + ")");
        }
        return parts.isEmpty() ? "a reference" : String.join(", ", parts);
    }

    /**
     * SCR stores the failure as a printed stack trace. The first line carries the component's own message
     * (e.g. "port 8080 is already in use"); the deepest "Caused by" names the underlying cause.
     */
    static String failureText(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason recorded";
        }
        String[] lines = failure.strip().split("\r?\n");
        String first = lines[0].strip();
        String rootCause = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Caused by: ")) {
                rootCause = trimmed.substring("Caused by: ".length());
            }
        }
        return rootCause == null || first.contains(rootCause) ? first : first + " (caused by " + rootCause + ")";
    }

    private record Survey(String snapshot, Map<Long, List<String>> failed, Map<Long, List<String>> pending) {
    }
}
