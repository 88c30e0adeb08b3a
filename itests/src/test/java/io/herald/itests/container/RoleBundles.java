package io.herald.itests.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The bundles of a node role as the built distribution defines them: the closure of the role's feature in
 * {@code features/herald-features.xml} (nested features followed), each {@code mvn:g/a/v} taken from
 * {@code bundle/<a>-<v>.jar} with its start level. The test installs the same set a node of that role runs, so a
 * change to the features file is tested here too.
 */
final class RoleBundles {

    static final Path DISTRIBUTION = Path.of(System.getProperty("herald.distribution", "../distribution/target/herald"))
            .toAbsolutePath().normalize();

    /** A bundle of a role: its jar and the start level the feature gives it. */
    record RoleBundle(Path jar, int startLevel) {
    }

    private RoleBundles() {
    }

    /** The role's bundles, without duplicates, in the order the features file lists them. */
    static List<RoleBundle> of(String role) {
        Path file = DISTRIBUTION.resolve("features/herald-features.xml");
        Map<String, Element> features = new LinkedHashMap<>();
        for (Element feature : children(read(file))) {
            if ("feature".equals(feature.getLocalName())) {
                features.put(feature.getAttribute("name"), feature);
            }
        }
        Map<String, RoleBundle> bundles = new LinkedHashMap<>();
        collect(role, features, new HashSet<>(), bundles);
        return List.copyOf(bundles.values());
    }

    private static void collect(String name, Map<String, Element> features, Set<String> seen, Map<String, RoleBundle> bundles) {
        Element feature = features.get(name);
        if (feature == null) {
            throw new IllegalStateException("no feature '" + name + "' in the features file; defined: " + features.keySet());
        }
        if (!seen.add(name)) {
            return;
        }
        for (Element child : children(feature)) {
            String text = child.getTextContent().strip();
            if ("feature".equals(child.getLocalName())) {
                collect(text, features, seen, bundles);
            } else if ("bundle".equals(child.getLocalName())) {
                String level = child.getAttribute("start-level").strip();
                bundles.putIfAbsent(text, new RoleBundle(jar(text), level.isEmpty() ? 3 : Integer.parseInt(level)));
            }
        }
    }

    /** {@code mvn:group/artifact/version} is {@code bundle/artifact-version.jar}, as the launcher maps it. */
    private static Path jar(String location) {
        String[] gav = location.split("/");
        if (!location.startsWith("mvn:") || gav.length < 3) {
            throw new IllegalStateException("bundle " + location + ": only mvn:group/artifact/version locations are supported");
        }
        Path jar = DISTRIBUTION.resolve("bundle").resolve(gav[1] + "-" + gav[2] + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bundle " + location + ": no " + jar + ", build the distribution");
        }
        return jar;
    }

    private static Element read(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
