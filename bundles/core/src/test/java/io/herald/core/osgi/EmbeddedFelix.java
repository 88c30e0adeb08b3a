package io.herald.core.osgi;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A Felix framework for the bundles' OSGi tests, set up as the launcher sets up a node: SCR and ConfigAdmin as
 * bundles, and jars of the test class path exported by the system bundle with their own {@code Export-Package} (slf4j,
 * the DS API, ...), so the test and the framework share those classes and the test uses their services directly.
 * Shared with the Redis bundle's tests through the core's test jar.
 *
 * <pre>{@code
 * EmbeddedFelix felix = EmbeddedFelix.builder(storage)
 *         .withScrAndConfigAdmin()
 *         .install("jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310", "jackson-datatype-jdk8", "herald-api")
 *         .installClasses(Path.of("target/classes"))
 *         .start();
 * }</pre>
 */
public final class EmbeddedFelix implements AutoCloseable {

    /** The node's home, as the launcher sets it: the core writes its pidfile below it. */
    private static final String HOME = "herald.home";

    /** How long {@link #await} waits for a condition. */
    private static final long WAIT_SECONDS = 30;

    private final Framework framework;

    private EmbeddedFelix(Framework framework) {
        this.framework = framework;
    }

    public static Builder builder(Path storage) {
        return new Builder(storage);
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Every service of the type, whatever class space it is in. */
    public List<ServiceReference<?>> references(String type) {
        try {
            ServiceReference<?>[] found = context().getAllServiceReferences(type, null);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The service of a type exported from the class path, waiting for it to be registered. */
    public <T> T service(Class<T> type) {
        await(() -> context().getServiceReference(type) != null, type.getName() + " is registered");
        return context().getService(context().getServiceReference(type));
    }

    /** The service id of the only service of the type, waiting for it. */
    public long serviceId(Class<?> type) {
        await(() -> context().getServiceReference(type) != null, type.getName() + " is registered");
        return (Long) context().getServiceReference(type).getProperty(Constants.SERVICE_ID);
    }

    public ConfigurationAdmin configurationAdmin() {
        return service(ConfigurationAdmin.class);
    }

    /** Sets (replaces) the configuration of {@code pid}. */
    public Configuration configure(String pid, Map<String, ?> values) throws IOException {
        Configuration configuration = configurationAdmin().getConfiguration(pid, "?");
        configuration.update(new Hashtable<>(values));
        return configuration;
    }

    /** Creates or replaces the factory configuration {@code factoryPid~name}. */
    public Configuration configureFactory(String factoryPid, String name, Map<String, ?> values) throws IOException {
        Configuration configuration = configurationAdmin().getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(new Hashtable<>(values));
        return configuration;
    }

    /** Why SCR could not activate a component of that name ({@code FAILED_ACTIVATION}), or null when none failed. */
    public String activationFailure(String componentName) {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.name.equals(componentName)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        return configuration.failure;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Every service property, of every registered service, whose key or value holds {@code text}: rendered as
     * {@code objectClass key=value}. Arrays and collections are searched element by element.
     */
    public List<String> servicePropertiesHolding(String text) {
        List<String> found = new ArrayList<>();
        for (ServiceReference<?> reference : references(null)) {
            for (String key : reference.getPropertyKeys()) {
                Object value = reference.getProperty(key);
                if (key.contains(text) || holds(value, text)) {
                    found.add(List.of((String[]) reference.getProperty(Constants.OBJECTCLASS)) + " " + key + "=" + value);
                }
            }
        }
        return found;
    }

    private static boolean holds(Object value, String text) {
        if (value == null) {
            return false;
        }
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                if (holds(Array.get(value, i), text)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> holds(v, text));
        }
        return String.valueOf(value).contains(text);
    }

    /** Waits (at most 30 s) until {@code condition} holds; fails the test naming {@code what} otherwise. */
    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + WAIT_SECONDS + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /**
     * The jar of an artifact on the test class path: {@code <artifactId>-<version>.jar}, not its test jar.
     *
     * @throws IllegalStateException when there is none
     */
    public static String jarOf(String artifactId) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith(artifactId + "-") && file.length() > artifactId.length() + 1
                    && Character.isDigit(file.charAt(artifactId.length() + 1)) && file.endsWith(".jar")
                    && !file.contains("-tests")) {
                return entry;
            }
        }
        throw new IllegalStateException("no " + artifactId + " jar on the test class path");
    }

    @Override
    public void close() throws InterruptedException, BundleException {
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        System.clearProperty(HOME);
    }

    /** What the framework runs; see {@link EmbeddedFelix}. */
    public static final class Builder {

        private final Path storage;
        private final List<String> exports = new ArrayList<>();
        private final List<String> bundles = new ArrayList<>();

        private Builder(Path storage) {
            this.storage = storage;
        }

        /**
         * SCR and ConfigAdmin as the launcher runs them: the bundles, and from the class path slf4j (both versions its
         * manifest exports: Jedis imports [1.7,2)), the DS API with the promise and function
         * packages it uses, and the ConfigAdmin API (so the test uses {@link #configurationAdmin()} directly).
         */
        public Builder withScrAndConfigAdmin() throws IOException {
            return exportFromClassPath("slf4j-api", "org.osgi.util.function", "org.osgi.util.promise",
                    "org.osgi.service.component", "org.osgi.service.cm")
                    .install("org.apache.felix.scr", "org.apache.felix.configadmin");
        }

        /** The system bundle exports what these jars of the class path export (their manifests' Export-Package). */
        public Builder exportFromClassPath(String... artifactIds) throws IOException {
            for (String artifactId : artifactIds) {
                try (JarFile jar = new JarFile(jarOf(artifactId))) {
                    String header = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
                    if (header == null) {
                        throw new IllegalStateException(artifactId + " exports nothing");
                    }
                    exports.add(header);
                }
            }
            return this;
        }

        /** The system bundle also exports this package clause, e.g. {@code io.herald.launcher.spi;version=1.0.0}. */
        public Builder export(String clause) {
            exports.add(clause);
            return this;
        }

        /** Installs the jars of these artifacts of the class path as bundles, in this order. */
        public Builder install(String... artifactIds) {
            for (String artifactId : artifactIds) {
                bundles.add(new File(jarOf(artifactId)).toURI().toString());
            }
            return this;
        }

        /**
         * Installs a module's classes with the manifest bnd wrote: a module's tests run before its jar is packaged.
         */
        public Builder installClasses(Path classes) {
            bundles.add("reference:" + classes.toAbsolutePath().toUri());
            return this;
        }

        /**
         * Starts the framework and every bundle (fragments are only installed); each must become active. The storage
         * directory is the node's home ({@code herald.home}) until {@link #close()}.
         */
        public EmbeddedFelix start() throws BundleException {
            System.setProperty(HOME, storage.toString());
            Map<String, String> properties = new HashMap<>();
            properties.put(Constants.FRAMEWORK_STORAGE, storage.resolve("felix-cache").toString());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", exports));
            properties.put("felix.service.urlhandlers", "false");
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
            framework.init();
            List<Bundle> installed = new ArrayList<>();
            for (String location : bundles) {
                installed.add(framework.getBundleContext().installBundle(location));
            }
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && bundle.getState() != Bundle.ACTIVE) {
                    throw new IllegalStateException(bundle.getSymbolicName() + " is not active: " + bundle.getState());
                }
            }
            return new EmbeddedFelix(framework);
        }
    }
}
