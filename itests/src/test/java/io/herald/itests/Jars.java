package io.herald.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Variants of a built bundle for deploy tests: the same classes under another manifest. */
final class Jars {

    private Jars() {
    }

    /** Copies {@code source} to {@code target} with its main manifest attributes changed by {@code edit}. */
    static Path withManifest(Path source, Path target, Consumer<Attributes> edit) throws IOException {
        try (JarFile jar = new JarFile(source.toFile())) {
            Manifest manifest = new Manifest(jar.getManifest());
            edit.accept(manifest.getMainAttributes());
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                    if (entry.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(copy);
                    }
                    copy.closeEntry();
                }
            }
        }
        return target;
    }

    /** The bundle under another Bundle-Version. */
    static Path version(Path source, Path target, String version) throws IOException {
        return withManifest(source, target, main -> main.putValue("Bundle-Version", version));
    }

    /** The bundle, also importing a package nothing exports: it cannot resolve. */
    static Path needing(Path source, Path target, String version, String missingPackage) throws IOException {
        return withManifest(source, target, main -> {
            main.putValue("Bundle-Version", version);
            main.putValue("Import-Package", missingPackage + ";version=\"[3.12,4)\"," + main.getValue("Import-Package"));
        });
    }
}
