package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceListener;

/**
 * Tells when FileInstall has started what {@code deploy/} held: the bundles there are installed by FileInstall once the
 * role runs, asynchronously, so a node's own tasks (and actions) come a moment after its role. Settled means: every
 * bundle of {@code deploy/} (by its {@code Bundle-SymbolicName}, as the directory held them when this watch began) is
 * installed and out of STARTING, and no bundle or service event came for {@value #QUIET_MILLIS} ms (their components
 * have registered their services).
 */
final class DeployWatch implements AutoCloseable {

    static final long QUIET_MILLIS = 1000;

    private final BundleContext context;
    private final Set<String> expected;
    private final BundleListener bundles = event -> changed();
    private final ServiceListener services = event -> changed();
    private volatile long lastChange = System.nanoTime();

    DeployWatch(BundleContext context, Path deployDir) {
        this.context = context;
        this.expected = bundleNames(deployDir);
        context.addBundleListener(bundles);
        context.addServiceListener(services);
    }

    /** Whether {@code deploy/} held any bundle when the watch began. */
    boolean expectsBundles() {
        return !expected.isEmpty();
    }

    int expectedCount() {
        return expected.size();
    }

    boolean settled() {
        return missing().isEmpty() && System.nanoTime() - lastChange >= QUIET_MILLIS * 1_000_000;
    }

    /** The bundles of deploy/ not installed yet (or still starting), by symbolic name. */
    Set<String> missing() {
        Set<String> missing = new TreeSet<>(expected);
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.STARTING) {
                missing.remove(bundle.getSymbolicName());
            }
        }
        return missing;
    }

    /**
     * Waits until settled or {@code timeoutMillis} passed.
     *
     * @return whether it settled
     */
    boolean await(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!settled()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private void changed() {
        lastChange = System.nanoTime();
    }

    @Override
    public void close() {
        try {
            context.removeBundleListener(bundles);
            context.removeServiceListener(services);
        } catch (IllegalStateException stopped) {
            // the framework is stopping: its listeners go with it
        }
    }

    /** The symbolic names of the bundles in {@code deployDir} (the {@code *.jar} FileInstall installs). */
    static Set<String> bundleNames(Path deployDir) {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(deployDir)) {
            return names;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deployDir, "*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    Manifest manifest = file.getManifest();
                    String name = manifest == null ? null
                            : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                    if (name != null) {
                        names.add(name.split(";")[0].strip());
                    }
                } catch (IOException notAJar) {
                    // FileInstall cannot install it either
                }
            }
        } catch (IOException e) {
            // an unreadable deploy/ holds nothing FileInstall can install
        }
        return names;
    }
}
