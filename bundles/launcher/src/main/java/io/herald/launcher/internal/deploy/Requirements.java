package io.herald.launcher.internal.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;

/**
 * Says in one sentence why a bundle does not resolve: the requirement nothing in the framework can satisfy (a package
 * and its version range, a required bundle), or the bundle that could satisfy it but does not resolve itself. Felix
 * puts the same facts in a BundleException message as LDAP filters with resolver internals; an operator who dropped a
 * jar wants "needs package org.example.lib [1.2.0,2.0.0), which no bundle exports".
 */
public final class Requirements {

    private static final Pattern PACKAGE = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern BUNDLE = Pattern.compile("\\(osgi\\.wiring\\.bundle=([^)]+)\\)");
    private static final Pattern HOST = Pattern.compile("\\(osgi\\.wiring\\.host=([^)]+)\\)");
    private static final Pattern FLOOR = Pattern.compile("\\((?:version|bundle-version)>=([^)]+)\\)");
    private static final Pattern CEILING = Pattern.compile("\\(!\\((?:version|bundle-version)>=([^)]+)\\)\\)");

    private Requirements() {
    }

    /**
     * Why {@code bundle} (installed, not resolved) does not resolve, or {@code null} when every mandatory requirement has
     * a resolved provider (a conflict between providers: the caller falls back to the framework's message).
     */
    public static String unsatisfied(BundleContext context, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String namespace = requirement.getNamespace();
            if (!namespace.equals(PackageNamespace.PACKAGE_NAMESPACE) && !namespace.equals(BundleNamespace.BUNDLE_NAMESPACE)
                    && !namespace.equals(HostNamespace.HOST_NAMESPACE)) {
                continue; // osgi.ee, osgi.extender, ... are the role's; they are reported by the framework's message
            }
            if (Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            List<Bundle> providers = providers(context, requirement, bundle);
            if (providers.stream().anyMatch(Requirements::resolved)) {
                continue;
            }
            String what = describe(requirement);
            if (providers.isEmpty()) {
                reasons.add("needs " + what + ", which no bundle " + (namespace.equals(PackageNamespace.PACKAGE_NAMESPACE)
                        ? "exports" : "provides"));
            } else {
                reasons.add("needs " + what + " from " + providers.get(0).getSymbolicName() + " " + providers.get(0).getVersion()
                        + ", which does not resolve itself");
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** {@code package org.example [1.0.0,2.0.0)}, {@code bundle org.example}, ... from a requirement's filter. */
    public static String describe(BundleRequirement requirement) {
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        String kind;
        Matcher name;
        switch (requirement.getNamespace()) {
            case PackageNamespace.PACKAGE_NAMESPACE -> {
                kind = "package ";
                name = PACKAGE.matcher(filter);
            }
            case BundleNamespace.BUNDLE_NAMESPACE -> {
                kind = "bundle ";
                name = BUNDLE.matcher(filter);
            }
            default -> {
                kind = "host bundle ";
                name = HOST.matcher(filter);
            }
        }
        if (!name.find()) {
            return requirement.getNamespace() + " " + filter;
        }
        Matcher floor = FLOOR.matcher(filter);
        Matcher ceiling = CEILING.matcher(filter);
        String range = "";
        if (floor.find()) {
            range = " [" + floor.group(1) + "," + (ceiling.find() ? ceiling.group(1) + ")" : "∞)");
        } else if (ceiling.find()) {
            range = " [0," + ceiling.group(1) + ")";
        }
        return kind + name.group(1) + range;
    }

    private static List<Bundle> providers(BundleContext context, BundleRequirement requirement, Bundle requirer) {
        List<Bundle> providers = new ArrayList<>();
        for (Bundle candidate : context.getBundles()) {
            if (candidate.equals(requirer) || candidate.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision revision = candidate.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability capability : revision.getDeclaredCapabilities(requirement.getNamespace())) {
                if (requirement.matches(capability)) {
                    providers.add(candidate);
                    break;
                }
            }
        }
        // Resolved providers first, so the message names the one that matters.
        providers.sort((a, b) -> Boolean.compare(!resolved(a), !resolved(b)));
        return providers;
    }

    private static boolean resolved(Bundle bundle) {
        return (bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0;
    }
}
