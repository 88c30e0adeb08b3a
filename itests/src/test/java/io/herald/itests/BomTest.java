package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code herald-bom} has no parent (an import would bring herald-parent's whole dependencyManagement), so its versions
 * are written twice; this keeps them equal: its own version is the project's, and every version it manages is the
 * one herald-parent builds and ships with.
 */
class BomTest {

    private static final Path ROOT = Path.of(System.getProperty("herald.root", "..")).toAbsolutePath().normalize();

    @Test
    void the_bom_manages_the_versions_the_project_builds_with() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        Map<String, String> properties = new LinkedHashMap<>();
        String projectVersion = text(parent.getDocumentElement(), "version");
        properties.put("project.version", projectVersion);
        Element props = child(parent.getDocumentElement(), "properties");
        for (Node node = props.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element property) {
                properties.put(property.getTagName(), property.getTextContent().strip());
            }
        }
        Map<String, String> parentVersions = managed(parent, properties);

        assertEquals(projectVersion, text(bom.getDocumentElement(), "version"), "bom/pom.xml's own version");
        Map<String, String> bomVersions = managed(bom, Map.of("project.version", projectVersion));
        assertTrue(bomVersions.containsKey("io.herald:herald-api") && bomVersions.containsKey("io.herald:herald-testing"),
                bomVersions.toString());
        bomVersions.forEach((artifact, version) -> assertEquals(parentVersions.get(artifact), version,
                artifact + " in bom/pom.xml against the root pom's dependencyManagement"));
    }

    private static Map<String, String> managed(Document pom, Map<String, String> properties) {
        Map<String, String> versions = new LinkedHashMap<>();
        Element management = child(pom.getDocumentElement(), "dependencyManagement");
        NodeList dependencies = child(management, "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            versions.putIfAbsent(text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
                    interpolate(text(dependency, "version"), properties));
        }
        return versions;
    }

    private static String interpolate(String value, Map<String, String> properties) {
        Matcher reference = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder result = new StringBuilder();
        while (reference.find()) {
            String replacement = properties.get(reference.group(1));
            assertTrue(replacement != null, "undefined property " + reference.group());
            reference.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return reference.appendTail(result).toString();
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }
}
