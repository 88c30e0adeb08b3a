package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** Bundles added to a running framework, as when the Redis feature is switched on while a node runs. */
class RoleFrameworkTest {

    @TempDir
    Path root;

    private RoleFramework role;

    @AfterEach
    void stop() throws Exception {
        if (role != null) {
            role.framework().stop();
            role.framework().waitForStop(30_000);
        }
    }

    private RoleFramework started(List<Feature.BundleSpec> bundles) throws Exception {
        role = RoleFramework.init(Map.of(
                Constants.FRAMEWORK_STORAGE, root.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "4"), new FrameworkLog());
        role.install(root, bundles);
        assertTrue(role.start(30_000), "the framework reached its start level");
        assertEquals(List.of(), role.bundleProblems());
        return role;
    }

    private void bundle(String file, Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test." + file.substring(0, file.indexOf('-')));
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        try (OutputStream stream = Files.newOutputStream(root.resolve(file));
                JarOutputStream jar = new JarOutputStream(stream, manifest)) {
            jar.flush();
        }
    }

    private static Feature.BundleSpec spec(String artifact) {
        return new Feature.BundleSpec("mvn:test/" + artifact + "/1", Feature.BundleSpec.DEFAULT_START_LEVEL, true);
    }

    private static Bundle bundleNamed(RoleFramework role, String symbolicName) {
        return role.roleBundles().stream().filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst().orElseThrow();
    }

    private static List<String> packageProviders(Bundle bundle) {
        return bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(BundleWire::getProvider).map(provider -> provider.getBundle().getSymbolicName()).toList();
    }

    @Test
    void added_bundles_start_and_an_optional_import_they_export_gets_wired() throws Exception {
        bundle("user-1.jar", Map.of("Import-Package", "test.redisapi;version=\"[1,2)\";resolution:=optional"));
        bundle("provider-1.jar", Map.of("Export-Package", "test.redisapi;version=\"1.0\""));
        RoleFramework role = started(List.of(spec("user")));
        assertEquals(List.of(), packageProviders(bundleNamed(role, "test.user")), "resolved without the package");

        List<String> problems = role.add(root, List.of(spec("provider")));

        assertEquals(List.of(), problems);
        assertEquals(Bundle.ACTIVE, bundleNamed(role, "test.provider").getState());
        Bundle user = bundleNamed(role, "test.user");
        assertEquals(Bundle.ACTIVE, user.getState(), "refreshed and started again");
        assertEquals(List.of("test.provider"), packageProviders(user));
        assertEquals(List.of(), role.bundleProblems());
    }

    @Test
    void an_added_bundle_that_does_not_resolve_is_reported_and_the_rest_runs_on() throws Exception {
        bundle("user-1.jar", Map.of());
        bundle("broken-1.jar", Map.of("Import-Package", "test.nowhere"));
        RoleFramework role = started(List.of(spec("user")));

        List<String> problems = role.add(root, List.of(spec("broken")));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("bundle test.broken 1.0.0 (broken-1.jar) is INSTALLED (not resolved): "),
                problems.get(0));
        assertTrue(problems.get(0).contains("test.nowhere"), problems.get(0));
        assertEquals(Bundle.ACTIVE, bundleNamed(role, "test.user").getState());
    }

    @Test
    void a_dynamic_import_wired_once_a_class_is_loaded_is_not_a_mandatory_wire() throws Exception {
        // herald-tasks imports io.herald.redis dynamically: with Redis configured it uses it, and the wire appears.
        bundle("user-1.jar", Map.of("DynamicImport-Package", "test.redisapi"));
        bundle("provider-1.jar", Map.of("Export-Package", "test.redisapi;version=\"1.0\""));
        RoleFramework role = started(List.of(spec("provider"), spec("user")));
        Bundle user = bundleNamed(role, "test.user");

        assertThrows(ClassNotFoundException.class, () -> user.loadClass("test.redisapi.Connection"));

        assertEquals(List.of("test.provider"), packageProviders(user), "the class load wired the package");
        assertEquals(List.of(), role.mandatoryWiresInto(List.of(spec("provider")), "redis"));
    }

    @Test
    void an_import_wired_at_resolution_is_a_mandatory_wire() throws Exception {
        bundle("user-1.jar", Map.of("Import-Package", "test.redisapi;version=\"[1,2)\""));
        bundle("provider-1.jar", Map.of("Export-Package", "test.redisapi;version=\"1.0\""));
        RoleFramework role = started(List.of(spec("provider"), spec("user")));

        List<String> problems = role.mandatoryWiresInto(List.of(spec("provider")), "redis");

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("bundle test.user (user-1.jar) needs osgi.wiring.package=test.redisapi"
                + " from test.provider of feature redis"), problems.get(0));
    }
}
