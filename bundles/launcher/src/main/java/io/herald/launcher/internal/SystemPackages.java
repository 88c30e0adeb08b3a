package io.herald.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Builds {@code org.osgi.framework.system.packages.extra} from the OSGi manifests of jars on the launcher's
 * class path, so the system bundle exports exactly what those jars would export as bundles, with their
 * versions and {@code uses:=} constraints. slf4j-api's own manifest carries both the 2.0.17 and the 1.7.36
 * exports that libraries importing {@code [1.7,2)} need (several slf4j 1.x-era bundles import that range); the DS API's {@code uses:=}
 * on {@code org.osgi.util.promise} keeps SCR wired to the same Promise class as the launcher; the Log API lets
 * the launcher offer SCR, ConfigAdmin and FileInstall a log service ({@link Slf4jLogService}).
 */
final class SystemPackages {

    /** Bundle-SymbolicNames whose packages the system bundle exports. */
    static final List<String> CLASS_PATH_BUNDLES = List.of(
            "slf4j.api",
            "org.osgi.service.component",
            "org.osgi.util.promise",
            "org.osgi.util.function",
            "org.osgi.service.log");

    /**
     * The launcher's own package for the bundles ({@code io.herald.launcher.spi}); the version is the one its
     * {@code package-info.java} declares (SystemPackagesTest compares them).
     */
    static final String LAUNCHER_SPI = "io.herald.launcher.spi;version=\"1.1.0\"";

    private SystemPackages() {
    }

    /**
     * @throws IllegalStateException when one of {@link #CLASS_PATH_BUNDLES} is not on the class path (a broken
     *         {@code lib/}): starting anyway would fail later with far less obvious resolver errors
     */
    static String extraExports(ClassLoader classLoader) {
        Map<String, String> exportsBySymbolicName = new LinkedHashMap<>();
        try {
            Enumeration<URL> manifests = classLoader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                try (InputStream in = url.openStream()) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    String symbolicName = main.getValue("Bundle-SymbolicName");
                    String exports = main.getValue("Export-Package");
                    if (symbolicName != null && exports != null) {
                        exportsBySymbolicName.putIfAbsent(symbolicName.split(";")[0].strip(), exports);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the class path manifests: " + e.getMessage(), e);
        }
        List<String> exports = new ArrayList<>();
        for (String symbolicName : CLASS_PATH_BUNDLES) {
            String header = exportsBySymbolicName.get(symbolicName);
            if (header == null) {
                throw new IllegalStateException(symbolicName + " is not on the launcher class path (lib/)");
            }
            exports.add(header);
        }
        exports.add(LAUNCHER_SPI);
        return String.join(",", exports);
    }
}
