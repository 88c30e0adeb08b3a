package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

class SystemPackagesTest {

    @Test
    void exports_slf4j_at_both_versions_and_the_ds_api_with_its_uses_constraints() {
        String exports = SystemPackages.extraExports(SystemPackagesTest.class.getClassLoader());

        assertTrue(exports.contains("org.slf4j;uses:=\"org.slf4j.event,org.slf4j.helpers,org.slf4j.spi\";version=\"2.0.17\""), exports);
        assertTrue(exports.contains("org.slf4j;version=\"1.7.36\""), exports);
        assertTrue(exports.contains("org.osgi.service.component.runtime;version=\"1.5\";uses:=\"org.osgi.framework,"
                + "org.osgi.service.component.runtime.dto,org.osgi.util.promise\""), exports);
        assertTrue(exports.contains("org.osgi.util.promise;version=\"1.3.0\""), exports);
        assertTrue(exports.contains("org.osgi.util.function;version=\"1.2\""), exports);
        assertTrue(exports.contains("org.osgi.service.log;version=\"1.5\""), exports);
    }

    @Test
    void exports_the_launcher_spi_at_the_version_its_package_info_declares() throws java.io.IOException {
        String exports = SystemPackages.extraExports(SystemPackagesTest.class.getClassLoader());
        String packageInfo = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/java/io/herald/launcher/spi/package-info.java"));
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("@org.osgi.annotation.versioning.Version\\(\"([^\"]+)\"\\)")
                .matcher(packageInfo);
        assertTrue(version.find(), packageInfo);

        assertTrue(exports.endsWith(",io.herald.launcher.spi;version=\"" + version.group(1) + "\""), exports);
    }

    @Test
    void a_missing_class_path_bundle_is_named() {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> SystemPackages.extraExports(empty));
            assertEquals("slf4j.api is not on the launcher class path (lib/)", error.getMessage());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
