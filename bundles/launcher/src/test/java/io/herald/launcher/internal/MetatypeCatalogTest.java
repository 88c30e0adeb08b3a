package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Staged values against a bundle's metatype, read from a bundle file as bnd writes it. */
class MetatypeCatalogTest {

    private static final String METATYPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0">
              <OCD id="test.Config" name="Test">
                <AD id="enabled" type="Boolean" default="true"/>
                <AD id="processors" type="Integer" min="0" max="64" default="1"/>
                <AD id="timeout" type="Long" default="5000"/>
                <AD id="ratio" type="Double" default="0.5"/>
                <AD id="exposeErrors" type="String" default="auto">
                  <Option label="" value="auto"/><Option label="" value="true"/><Option label="" value="false"/>
                </AD>
                <AD id="level" type="String" default="info">
                  <Option label="" value="info"/><Option label="" value="debug"/>
                </AD>
                <AD id="name" type="String" default=""/>
                <AD id="queues" type="String" cardinality="100" default="*"/>
              </OCD>
              <Designate pid="test.pid"><Object ocdref="test.Config"/></Designate>
              <Designate factoryPid="test.factory"><Object ocdref="test.Config"/></Designate>
            </metatype:MetaData>
            """;

    @TempDir
    Path root;

    private MetatypeCatalog catalog;

    @BeforeEach
    void bundleFile() throws IOException {
        Path jar = root.resolve("test.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream stream = new JarOutputStream(out, manifest)) {
            stream.putNextEntry(new JarEntry("OSGI-INF/metatype/test.Config.xml"));
            stream.write(METATYPE.getBytes(StandardCharsets.UTF_8));
            stream.closeEntry();
        }
        catalog = MetatypeCatalog.of(new Bundle[0], List.of(jar));
    }

    private String reason(String pid, String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> catalog.check(pid, key, value)).getMessage();
    }

    @Test
    void booleans_take_true_false_yes_no_1_0_in_any_case_and_are_staged_as_true_or_false() {
        for (Map.Entry<String, String> entry : Map.of("TRUE", "true", "yes", "true", "1", "true", " No ", "false",
                "0", "false", "False", "false").entrySet()) {
            assertEquals(entry.getValue(), catalog.check("test.pid", "enabled", entry.getKey()), entry.getKey());
        }
        assertEquals("is not a boolean: use true, false, yes, no, 1 or 0", reason("test.pid", "enabled", "maybe"));
        assertEquals("is not a boolean: use true, false, yes, no, 1 or 0", reason("test.pid", "enabled", "on"));
    }

    @Test
    void numbers_must_parse_and_respect_the_declared_bounds() {
        assertEquals("4", catalog.check("test.pid", "processors", " 4 "));
        assertEquals("is not a whole number", reason("test.pid", "processors", "four"));
        assertEquals("is not a whole number", reason("test.pid", "timeout", "1h"));
        assertEquals("is below the smallest value accepted, 0", reason("test.pid", "processors", "-1"));
        assertEquals("is above the largest value accepted, 64", reason("test.pid", "processors", "65"));
        assertEquals("is not a number", reason("test.pid", "ratio", "half"));
    }

    @Test
    void an_empty_typed_value_means_the_default_and_is_left_out() {
        assertNull(catalog.check("test.pid", "enabled", ""));
        assertNull(catalog.check("test.pid", "processors", " "));
        assertEquals("", catalog.check("test.pid", "name", ""));
    }

    @Test
    void options_must_be_one_of_them_and_boolean_like_options_take_yes_and_no() {
        assertEquals("true", catalog.check("test.pid", "exposeErrors", "yes"));
        assertEquals("auto", catalog.check("test.pid", "exposeErrors", "auto"));
        assertEquals("is not one of auto, true, false", reason("test.pid", "exposeErrors", "sometimes"));
        assertEquals("is not one of info, debug", reason("test.pid", "level", "1"));
    }

    @Test
    void factory_configurations_unknown_keys_and_multiple_values_are_as_given() {
        assertEquals("false", catalog.check("test.factory-client", "enabled", "0"));
        assertEquals("whatever", catalog.check("test.pid", "unknown", "whatever"));
        assertEquals("a,b", catalog.check("test.pid", "queues", "a,b"));
        assertEquals("x", catalog.check("other.pid", "enabled", "x"));
    }
}
