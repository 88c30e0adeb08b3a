package io.herald.launcher.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles generated for the launcher's tests: a manifest, Declarative Services descriptors, and test classes. */
final class TestBundles {

    private TestBundles() {
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
