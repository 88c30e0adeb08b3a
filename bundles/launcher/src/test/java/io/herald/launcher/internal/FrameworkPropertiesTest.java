package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The launch properties in a real Felix with Configuration Admin. */
class FrameworkPropertiesTest {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    @TempDir
    Path root;

    @Test
    void configurations_are_kept_in_memory_and_never_written_under_the_cache() throws Exception {
        Layout layout = new Layout(root, root, root.resolve("data"));
        assertEquals("hello", storeAndReadBack(layout, Map.of()));
        assertEquals(List.of(), persisted(layout), "nothing under " + layout.frameworkCache());
    }

    @Test
    void a_felix_property_given_to_the_jvm_wins_here_the_file_persistence() throws Exception {
        // Also what shows that the test above can see a persisted configuration.
        Layout layout = new Layout(root, root, root.resolve("data"));
        assertEquals("hello", storeAndReadBack(layout, Map.of("felix.cm.pm", "file")));
        assertEquals(1, persisted(layout).size(), persisted(layout).toString());
    }

    /** Starts a framework with Configuration Admin, stores {@code greeting=hello} under a PID and reads it back. */
    private String storeAndReadBack(Layout layout, Map<String, String> overrides) throws Exception {
        Path bundles = Files.createDirectories(root.resolve("bundle"));
        List<Feature.BundleSpec> specs = TestBundles.runtime(bundles,
                List.of("org.osgi.util.function", "org.osgi.util.promise", "org.apache.felix.configadmin"));
        RoleFramework role = RoleFramework.init(FrameworkProperties.of(layout,
                SystemPackages.extraExports(getClass().getClassLoader()), overrides), new FrameworkLog());
        try {
            role.install(bundles, specs);
            assertTrue(role.start(30_000));
            ServiceReference<?> reference = role.context().getServiceReference(CONFIGURATION_ADMIN);
            // The API's classes are the Configuration Admin bundle's: reached through its class loader.
            ClassLoader api = reference.getBundle().adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader();
            Class<?> admin = api.loadClass(CONFIGURATION_ADMIN);
            Class<?> configuration = api.loadClass("org.osgi.service.cm.Configuration");
            Object service = role.context().getService(reference);
            Object stored = admin.getMethod("getConfiguration", String.class, String.class)
                    .invoke(service, "test.greeting", null);
            configuration.getMethod("update", Dictionary.class).invoke(stored, new Hashtable<>(Map.of("greeting", "hello")));
            Object read = admin.getMethod("getConfiguration", String.class, String.class)
                    .invoke(service, "test.greeting", null);
            Dictionary<?, ?> properties = (Dictionary<?, ?>) configuration.getMethod("getProperties").invoke(read);
            return (String) properties.get("greeting");
        } finally {
            role.framework().stop();
            role.framework().waitForStop(30_000);
        }
    }

    /** Configuration Admin's files for the test's PID under the framework's storage. */
    private static List<Path> persisted(Layout layout) throws Exception {
        try (Stream<Path> files = Files.walk(layout.frameworkCache())) {
            return files.filter(f -> f.getFileName().toString().equals("greeting.config")).toList();
        }
    }
}
