package io.herald.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A Karaf features file ({@code http://karaf.apache.org/xmlns/features/v1.x}), the subset Herald uses:
 * {@code <feature name version description>} with nested {@code <feature>}, {@code <bundle start-level
 * start>} and {@code <config name>}. Other elements ({@code repository}, {@code configfile},
 * {@code conditional}, ...) are ignored, so the same file stays loadable by Karaf.
 *
 * <p>Unlike Karaf there is no resolver: a role's bundles are exactly the closure of its nested features.
 */
final class FeaturesFile {

    private final String source;
    private final Map<String, Feature> features;

    private FeaturesFile(String source, Map<String, Feature> features) {
        this.source = source;
        this.features = features;
    }

    static FeaturesFile read(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read features: " + e.getMessage(), e);
        }
    }

    static FeaturesFile parse(InputStream in, String source) throws ConfigException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e; // reported once, by the caller, instead of also on stderr
                }
            });
            document = builder.parse(in, source);
        } catch (SAXParseException e) {
            throw new ConfigException(source + ":" + e.getLineNumber() + ": not a valid features file: " + e.getMessage(), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new ConfigException(source + ": not a valid features file: " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        if (!"features".equals(root.getLocalName())) {
            throw new ConfigException(source + ": root element is <" + root.getLocalName() + ">, expected <features>");
        }
        Map<String, Feature> features = new LinkedHashMap<>();
        for (Element element : children(root, "feature")) {
            Feature feature = readFeature(element, source);
            if (features.putIfAbsent(feature.name(), feature) != null) {
                throw new ConfigException(source + ": feature '" + feature.name() + "' is defined twice");
            }
        }
        return new FeaturesFile(source, features);
    }

    Set<String> names() {
        return features.keySet();
    }

    /** The feature as written (its own bundles only), or null. */
    Feature feature(String name) {
        return features.get(name);
    }

    /**
     * The bundles and configs of a feature and everything it nests, depth first: nested features come before
     * the feature's own bundles, a bundle listed twice keeps its first place, and for a config PID given
     * twice the feature resolved later (the outer one) wins key by key.
     *
     * @throws ConfigException for an unknown feature (naming who asked for it) or a cycle (naming the path)
     */
    Resolution resolve(String name) throws ConfigException {
        return resolve(name, Set.of());
    }

    /**
     * Like {@link #resolve(String)}, but the nested features named in {@code leftOut} (and what only they nest) are
     * skipped wherever they appear: the role as a node runs it when a feature is deferred (see {@link DeferredFeatures}).
     * A bundle that another feature of the role lists too stays.
     */
    Resolution resolve(String name, Set<String> leftOut) throws ConfigException {
        if (!features.containsKey(name)) {
            throw new ConfigException(source + ": unknown feature '" + name + "' (defined: "
                    + String.join(", ", features.keySet()) + ")");
        }
        Map<String, Feature.BundleSpec> bundles = new LinkedHashMap<>();
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        Set<String> included = new LinkedHashSet<>();
        collect(name, new ArrayDeque<>(), included, leftOut, bundles, configs);
        return new Resolution(name, List.copyOf(included), List.copyOf(bundles.values()), configs);
    }

    private void collect(String name, Deque<String> path, Set<String> done, Set<String> leftOut,
            Map<String, Feature.BundleSpec> bundles, Map<String, Map<String, String>> configs)
            throws ConfigException {
        if (!path.isEmpty() && leftOut.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>();
            path.descendingIterator().forEachRemaining(cycle::add);
            cycle.add(name);
            throw new ConfigException(source + ": features form a cycle: " + String.join(" -> ", cycle));
        }
        if (done.contains(name)) {
            return;
        }
        Feature feature = features.get(name);
        if (feature == null) {
            throw new ConfigException(source + ": feature '" + path.peek() + "' needs feature '" + name
                    + "', which is not defined");
        }
        path.push(name);
        for (String nested : feature.features()) {
            collect(nested, path, done, leftOut, bundles, configs);
        }
        path.pop();
        done.add(name);
        for (Feature.BundleSpec bundle : feature.bundles()) {
            bundles.putIfAbsent(bundle.location(), bundle);
        }
        feature.configs().forEach((pid, values) -> configs.computeIfAbsent(pid, p -> new LinkedHashMap<>()).putAll(values));
    }

    private static Feature readFeature(Element element, String source) throws ConfigException {
        String name = element.getAttribute("name").strip();
        if (name.isEmpty()) {
            throw new ConfigException(source + ": a <feature> has no name");
        }
        String where = source + ": feature '" + name + "'";
        List<String> nested = new ArrayList<>();
        List<Feature.BundleSpec> bundles = new ArrayList<>();
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        for (Element child : children(element, null)) {
            switch (child.getLocalName()) {
                case "feature" -> nested.add(requireText(child, where + ": nested <feature>"));
                case "bundle" -> bundles.add(readBundle(child, where));
                case "config" -> {
                    String pid = child.getAttribute("name").strip();
                    if (pid.isEmpty()) {
                        throw new ConfigException(where + ": a <config> has no name");
                    }
                    configs.put(pid, CfgParser.parse(child.getTextContent(), where + " <config name=\"" + pid + "\">"));
                }
                default -> {
                    // details, configfile, conditional, capability, requirement: not used by Herald's launcher
                }
            }
        }
        return new Feature(name, element.getAttribute("version").strip(), element.getAttribute("description").strip(),
                List.copyOf(nested), List.copyOf(bundles), configs);
    }

    private static Feature.BundleSpec readBundle(Element element, String where) throws ConfigException {
        String location = requireText(element, where + ": <bundle>");
        int startLevel = Feature.BundleSpec.DEFAULT_START_LEVEL;
        String level = element.getAttribute("start-level").strip();
        if (!level.isEmpty()) {
            try {
                startLevel = Integer.parseInt(level);
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": bundle " + location + ": start-level '" + level + "' is not a number");
            }
            if (startLevel < 1) {
                throw new ConfigException(where + ": bundle " + location + ": start-level must be at least 1");
            }
        }
        boolean start = !"false".equals(element.getAttribute("start").strip());
        return new Feature.BundleSpec(location, startLevel, start);
    }

    private static String requireText(Element element, String what) throws ConfigException {
        String text = element.getTextContent().strip();
        if (text.isEmpty()) {
            throw new ConfigException(what + " is empty");
        }
        return text;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (localName == null || localName.equals(element.getLocalName()))) {
                result.add(element);
            }
        }
        return result;
    }

    /**
     * A feature's closure.
     *
     * @param features every feature included, the requested one last
     * @param bundles  bundles in install order, without duplicates
     * @param configs  default config per PID
     */
    record Resolution(String name, List<String> features, List<Feature.BundleSpec> bundles,
            Map<String, Map<String, String>> configs) {
    }
}
