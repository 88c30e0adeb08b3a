package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

import io.herald.launcher.internal.deploy.DeployDirectory;
import io.herald.launcher.spi.Deployment;

/**
 * Deploy transactions in a real Felix with Declarative Services: generated bundles (their components are JDK classes,
 * a {@code java.lang.Thread} published as a {@code Runnable} with a {@code test.version} property) dropped into a
 * watched directory, replaced by broken ones, removed, and copied together with what they need.
 */
class DeployDirectoryTest {

    private static final List<String> RUNTIME = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.apache.felix.configadmin", "org.apache.felix.scr");
    private static final long DEADLINE_MILLIS = 20_000;

    @TempDir
    Path root;

    private Path deploy;
    private RoleFramework role;
    private DeployDirectory directory;

    @BeforeEach
    void framework() throws Exception {
        Path bundles = Files.createDirectories(root.resolve("bundle"));
        List<Feature.BundleSpec> specs = TestBundles.runtime(bundles, RUNTIME);
        Map<String, String> properties = new LinkedHashMap<>(FrameworkProperties.of(
                new Layout(root, root, root.resolve("data")), SystemPackages.extraExports(getClass().getClassLoader()),
                Map.of()));
        role = RoleFramework.init(properties, new FrameworkLog());
        role.install(bundles, specs);
        assertTrue(role.start(30_000));
        assertEquals(List.of(), role.bundleProblems());
        deploy = Files.createDirectories(root.resolve("deploy"));
    }

    @AfterEach
    void stop() throws Exception {
        if (directory != null) {
            directory.close();
        }
        role.framework().stop();
        role.framework().waitForStop(30_000);
    }

    private DeployDirectory watching(long settleMillis) throws InterruptedException {
        return watching(settleMillis, DeployDirectory.IDLE_POLL_MILLIS);
    }

    /** With an idle poll of {@code idlePollMillis}, which a test makes so long that only file events remain. */
    private DeployDirectory watching(long settleMillis, long idlePollMillis) throws InterruptedException {
        directory = new DeployDirectory(role.context(), deploy, Set::of, FrameworkProperties.DEPLOY_START_LEVEL, settleMillis);
        directory.deployNow();
        directory.watch(idlePollMillis);
        return directory;
    }

    // ------------------------------------------------------------------------------------------------ the bundles

    /** A bundle publishing a Runnable with test.name and test.version, plus the given headers and extra components. */
    private static byte[] service(String symbolicName, String version, Map<String, String> headers, String... extra)
            throws IOException {
        List<String> components = new ArrayList<>(List.of(component(symbolicName + ".service", "",
                "java.lang.Thread", "<property name=\"test.name\" value=\"" + symbolicName + "\"/>"
                        + "<property name=\"test.version\" value=\"" + version + "\"/>"
                        + "<service><provide interface=\"java.lang.Runnable\"/></service>")));
        components.addAll(Arrays.asList(extra));
        return jar(symbolicName, version, headers, components);
    }

    private static byte[] jar(String symbolicName, String version, Map<String, String> headers, List<String> components)
            throws IOException {
        return TestBundles.jar(symbolicName, version, headers, components);
    }

    private static String component(String name, String attributes, String implementation, String body) {
        return TestBundles.component(name, attributes, implementation, body);
    }

    /** Copies to a hidden name, then moves into place, as the README says to. */
    private void drop(String file, byte[] bytes) throws IOException {
        Path hidden = deploy.resolve("." + file + ".tmp");
        Files.write(hidden, bytes);
        Files.move(hidden, deploy.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    // ------------------------------------------------------------------------------------------------ observing

    private List<String> versionsOf(String name) throws InvalidSyntaxException {
        ServiceReference<?>[] references = role.context().getServiceReferences(Runnable.class.getName(),
                "(test.name=" + name + ")");
        List<String> versions = new ArrayList<>();
        if (references != null) {
            for (ServiceReference<?> reference : references) {
                versions.add(String.valueOf(reference.getProperty("test.version")));
            }
        }
        versions.sort(null);
        return versions;
    }

    private Deployment deployment(String file) {
        return directory.deployments().stream().filter(d -> d.file().equals(file)).findFirst().orElse(null);
    }

    private Deployment awaitDeployment(String file, Deployment.State state, String version) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000;
        while (true) {
            Deployment found = deployment(file);
            if (found != null && found.state() == state && (version == null || version.equals(found.version()))) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                fail("deploy/" + file + " did not reach " + state + " " + version + ": " + directory.deployments());
            }
            Thread.sleep(20);
        }
    }

    private void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": " + directory.deployments());
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------------------------------------ the tests

    @Test
    void a_jar_dropped_in_is_deployed_on_the_file_systems_event_and_its_replacement_too() throws Exception {
        watching(5_000, 3_600_000); // after the first listing, only events lead to another

        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        awaitDeployment("hello.jar", Deployment.State.ACTIVE, "1.0.0");
        drop("hello.jar", service("test.hello", "1.1.0", Map.of()));
        awaitDeployment("hello.jar", Deployment.State.ACTIVE, "1.1.0");
        Files.delete(deploy.resolve("hello.jar"));
        awaitTrue("removed", () -> directory.deployments().isEmpty());

        assertEquals(List.of(), versionsOf("test.hello"));
    }

    @Test
    void a_deploy_directory_made_after_the_start_is_found_by_the_idle_poll_and_then_watched() throws Exception {
        Files.delete(deploy);
        watching(5_000, 200);

        Files.createDirectory(deploy);
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        awaitDeployment("hello.jar", Deployment.State.ACTIVE, "1.0.0");

        assertEquals(List.of("1.0.0"), versionsOf("test.hello"));
    }

    @Test
    void what_deploy_holds_at_start_is_live_when_deployNow_returns() throws Exception {
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));

        watching(5_000);

        assertEquals(List.of("1.0.0"), versionsOf("test.hello"));
        Deployment hello = deployment("hello.jar");
        assertEquals(Deployment.State.ACTIVE, hello.state());
        assertEquals("test.hello", hello.symbolicName());
        assertEquals("1.0.0", hello.version());
        assertNull(hello.problem());
    }

    @Test
    void a_replacement_that_does_not_resolve_leaves_the_running_version_serving_and_a_fixed_one_goes_live()
            throws Exception {
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        watching(5_000);

        drop("hello.jar", service("test.hello", "1.1.0", Map.of("Import-Package", "org.example.nowhere;version=\"[1.2,2)\"")));
        Deployment refused = awaitDeployment("hello.jar", Deployment.State.REFUSED, "1.0.0");

        assertEquals(List.of("1.0.0"), versionsOf("test.hello"), "the running version keeps serving, untouched");
        assertEquals("deploy/hello.jar (test.hello 1.1.0) was not deployed: needs package org.example.nowhere [1.2.0,2.0.0),"
                + " which no bundle exports; test.hello 1.0.0 keeps running", refused.problem());

        drop("hello.jar", service("test.hello", "1.2.0", Map.of()));
        Deployment fixed = awaitDeployment("hello.jar", Deployment.State.ACTIVE, "1.2.0");

        assertNull(fixed.problem(), "the fixed jar clears the problem");
        assertEquals(List.of("1.2.0"), versionsOf("test.hello"));
    }

    @Test
    void a_good_replacement_never_leaves_a_moment_without_the_service() throws Exception {
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        watching(5_000);
        AtomicInteger registered = new AtomicInteger(1);
        AtomicInteger lowest = new AtomicInteger(1);
        role.context().addServiceListener(event -> {
            int now = event.getType() == ServiceEvent.REGISTERED ? registered.incrementAndGet()
                    : event.getType() == ServiceEvent.UNREGISTERING ? registered.decrementAndGet() : registered.get();
            lowest.accumulateAndGet(now, Math::min);
        }, "(test.name=test.hello)");

        for (int version = 1; version <= 3; version++) {
            // The same symbolic name and version as what runs, as a rebuilt SNAPSHOT has: still beside it.
            drop("hello.jar", service("test.hello", "2.0.0", Map.of(), component("test.hello.marker" + version, "",
                    "java.lang.Object", "")));
            int expected = version;
            awaitTrue("replacement " + version, () -> directory.deployments().get(0).state() == Deployment.State.ACTIVE
                    && "2.0.0".equals(directory.deployments().get(0).version()) && registered.get() == 1
                    && markerOf(expected));
        }

        assertEquals(1, lowest.get(), "a replacement registers before the old version unregisters");
    }

    private boolean markerOf(int version) {
        return Arrays.stream(role.context().getBundles())
                .anyMatch(b -> b.getEntry("OSGI-INF/c1.xml") != null && b.getState() == org.osgi.framework.Bundle.ACTIVE
                        && new String(readEntry(b, "OSGI-INF/c1.xml"), StandardCharsets.UTF_8).contains("marker" + version));
    }

    private static byte[] readEntry(org.osgi.framework.Bundle bundle, String entry) {
        try (var in = bundle.getEntry(entry).openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_component_that_fails_or_waits_for_a_missing_service_is_refused() throws Exception {
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        watching(1_000);

        drop("hello.jar", service("test.hello", "1.1.0", Map.of(),
                component("test.hello.failing", "immediate=\"true\"", "java.lang.Runtime", "")));
        Deployment failing = awaitDeployment("hello.jar", Deployment.State.REFUSED, "1.0.0");
        assertTrue(failing.problem().startsWith("deploy/hello.jar (test.hello 1.1.0) was not deployed: component"
                + " test.hello.failing (bundle test.hello) failed to activate: "), failing.problem());

        drop("hello.jar", service("test.hello", "1.2.0", Map.of(), component("test.hello.waiting", "immediate=\"true\"",
                "java.lang.Object", "<reference name=\"mail\" interface=\"org.example.Mailer\" cardinality=\"1..1\"/>")));
        awaitTrue("the waiting version refused", () -> deployment("hello.jar").problem() != null
                && deployment("hello.jar").problem().contains("1.2.0"));

        assertEquals("deploy/hello.jar (test.hello 1.2.0) was not deployed: component test.hello.waiting (bundle"
                + " test.hello) is missing reference 'mail' (org.example.Mailer); test.hello 1.0.0 keeps running",
                deployment("hello.jar").problem());
        assertEquals(List.of("1.0.0"), versionsOf("test.hello"));
    }

    @Test
    void a_library_copied_with_the_bundle_that_needs_it_goes_live_with_it_and_one_arriving_later_completes_it()
            throws Exception {
        watching(5_000);
        byte[] library = jar("test.lib", "1.0.0", Map.of("Export-Package", "test.lib.api;version=\"1.0.0\""), List.of());
        byte[] user = service("test.user", "1.0.0", Map.of("Import-Package", "test.lib.api;version=\"[1,2)\""));

        drop("user.jar", user);
        Deployment waiting = awaitDeployment("user.jar", Deployment.State.REFUSED, null);
        assertEquals("deploy/user.jar (test.user 1.0.0) was not deployed: needs package test.lib.api [1.0.0,2.0.0), which no"
                + " bundle exports", waiting.problem());

        drop("lib.jar", library);
        awaitDeployment("lib.jar", Deployment.State.ACTIVE, "1.0.0");
        awaitDeployment("user.jar", Deployment.State.ACTIVE, "1.0.0");
        assertEquals(List.of("1.0.0"), versionsOf("test.user"));

        // Removing the library the user bundle is wired to would break it: kept, and said so.
        Files.delete(deploy.resolve("lib.jar"));
        Deployment kept = awaitDeployment("lib.jar", Deployment.State.KEPT, "1.0.0");
        assertEquals("the file was removed, but test.lib 1.0.0 keeps running: removing it would break bundle test.user"
                + " 1.0.0: it needs package test.lib.api [1.0.0,2.0.0)", kept.problem());
        assertEquals(List.of("1.0.0"), versionsOf("test.user"));

        // Once the user bundle goes, nothing needs the library any more.
        Files.delete(deploy.resolve("user.jar"));
        awaitTrue("both gone", () -> directory.deployments().isEmpty());
        assertEquals(List.of(), versionsOf("test.user"));
    }

    @Test
    void a_set_copied_together_is_one_change() throws Exception {
        watching(5_000);
        Path staging = Files.createDirectories(root.resolve("staging"));
        Files.write(staging.resolve("lib.jar"),
                jar("test.lib", "1.0.0", Map.of("Export-Package", "test.lib.api;version=\"1.0.0\""), List.of()));
        Files.write(staging.resolve("user.jar"),
                service("test.user", "1.0.0", Map.of("Import-Package", "test.lib.api;version=\"[1,2)\"")));

        // user.jar first, as `cp staging/*.jar deploy/` might: it must not be refused for want of lib.jar.
        Files.copy(staging.resolve("user.jar"), deploy.resolve("user.jar"));
        Files.copy(staging.resolve("lib.jar"), deploy.resolve("lib.jar"));

        awaitDeployment("user.jar", Deployment.State.ACTIVE, "1.0.0");
        assertEquals(Deployment.State.ACTIVE, deployment("lib.jar").state());
    }

    @Test
    void garbage_and_plain_jars_are_reported_and_ignored_and_a_half_written_jar_waits() throws Exception {
        watching(5_000);
        drop("plain.jar", plainJar());
        Deployment plain = awaitDeployment("plain.jar", Deployment.State.REFUSED, null);
        assertEquals("deploy/plain.jar was not deployed: not an OSGi bundle: its manifest has no Bundle-SymbolicName"
                + " (build it with bnd-maven-plugin, see the README); ignored until it changes", plain.problem());

        Files.write(deploy.resolve("garbage.jar"), "this is not a zip file".getBytes(StandardCharsets.UTF_8));
        Deployment garbage = awaitDeployment("garbage.jar", Deployment.State.REFUSED, null);
        assertEquals("deploy/garbage.jar was not deployed: not a jar (it does not read as a complete zip file); ignored"
                + " until it changes", garbage.problem());

        byte[] whole = service("test.slow", "1.0.0", Map.of());
        Files.write(deploy.resolve("slow.jar"), Arrays.copyOf(whole, whole.length / 2));
        awaitTrue("seen as pending", () -> deployment("slow.jar") != null
                && deployment("slow.jar").state() == Deployment.State.PENDING);
        Files.write(deploy.resolve("slow.jar"), whole);
        awaitDeployment("slow.jar", Deployment.State.ACTIVE, "1.0.0");
        assertEquals(List.of("1.0.0"), versionsOf("test.slow"));
    }

    private static byte[] plainJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("org/example/Lib.class"));
            jar.write(new byte[] {1, 2, 3});
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void a_versioned_file_name_upgrade_whose_new_version_is_broken_keeps_the_old_one() throws Exception {
        drop("hello-1.0.jar", service("test.hello", "1.0.0", Map.of()));
        watching(5_000);

        Path staging = Files.createDirectories(root.resolve("staging"));
        Files.write(staging.resolve("hello-1.1.jar"),
                service("test.hello", "1.1.0", Map.of("Import-Package", "org.example.nowhere")));
        Files.delete(deploy.resolve("hello-1.0.jar"));
        Files.move(staging.resolve("hello-1.1.jar"), deploy.resolve("hello-1.1.jar"), StandardCopyOption.ATOMIC_MOVE);

        awaitDeployment("hello-1.1.jar", Deployment.State.REFUSED, null);
        Deployment kept = awaitDeployment("hello-1.0.jar", Deployment.State.KEPT, "1.0.0");
        assertEquals("the file was removed, but test.hello 1.0.0 keeps running: its replacement deploy/hello-1.1.jar"
                + " was refused", kept.problem());
        assertEquals(List.of("1.0.0"), versionsOf("test.hello"));

        drop("hello-1.1.jar", service("test.hello", "1.1.0", Map.of()));
        awaitDeployment("hello-1.1.jar", Deployment.State.ACTIVE, "1.1.0");
        awaitTrue("the old one goes once its replacement runs", () -> deployment("hello-1.0.jar") == null);
        assertEquals(List.of("1.1.0"), versionsOf("test.hello"));
    }

    @Test
    void a_rescan_of_another_directory_switches_every_file_to_it() throws Exception {
        drop("hello.jar", service("test.hello", "1.0.0", Map.of()));
        drop("old.jar", service("test.old", "1.0.0", Map.of()));
        watching(5_000);
        Path release = Files.createDirectories(root.resolve("release-2/deploy"));
        Files.write(release.resolve("hello.jar"), service("test.hello", "2.0.0", Map.of()));
        Files.write(release.resolve("new.jar"), service("test.new", "1.0.0", Map.of()));

        directory.rescan(release).get();

        assertEquals(List.of("2.0.0"), versionsOf("test.hello"));
        assertEquals(List.of("1.0.0"), versionsOf("test.new"));
        assertEquals(List.of(), versionsOf("test.old"));
        assertEquals(List.of("hello.jar", "new.jar"), directory.deployments().stream().map(Deployment::file).toList());
    }
}
