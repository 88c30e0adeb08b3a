package io.herald.launcher.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Bundles generated for the launcher's tests: a manifest, Declarative Services descriptors, and test classes. */
final class TestBundles {

    private TestBundles() {
    }

    /**
     * Copies the real bundles {@code names} (artifact ids, from the build's {@code herald.test.bundles} directory) into
     * {@code bundleDir} as the launcher finds bundles there, and returns them as a feature's bundles at start level 1.
     */
    static List<Feature.BundleSpec> runtime(Path bundleDir, List<String> names) throws IOException {
        Path source = Path.of(System.getProperty("herald.test.bundles"));
        List<Feature.BundleSpec> specs = new ArrayList<>();
        for (String name : names) {
            try (Stream<Path> files = Files.list(source)) {
                Path jar = files.filter(f -> f.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
                Files.copy(jar, bundleDir.resolve(name + "-1.jar"));
            }
            specs.add(new Feature.BundleSpec("mvn:test/" + name + "/1", 1, true));
        }
        return specs;
    }

    /** A bundle's bytes: these manifest headers and one DS descriptor per element of {@code components}. */
    static byte[] jar(String symbolicName, String version, Map<String, String> headers, List<String> components)
            throws IOException {
        return jar(symbolicName, version, headers, components, List.of());
    }

    /** Like {@link #jar(String, String, Map, List)}, with the class files of {@code classes} (from the test class path). */
    static byte[] jar(String symbolicName, String version, Map<String, String> headers, List<String> components,
            List<Class<?>> classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        headers.forEach(main::putValue);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            names.add("OSGI-INF/c" + i + ".xml");
        }
        if (!names.isEmpty()) {
            main.putValue("Service-Component", String.join(",", names));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (int i = 0; i < components.size(); i++) {
                jar.putNextEntry(new JarEntry(names.get(i)));
                jar.write(components.get(i).getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A DS 1.3 component descriptor. */
    static String component(String name, String attributes, String implementation, String body) {
        return "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" " + attributes
                + "><implementation class=\"" + implementation + "\"/>" + body + "</scr:component>";
    }
}
