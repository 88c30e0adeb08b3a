package io.herald.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What the bundles say their configurations hold: the OSGi Metatype descriptions ({@code OSGI-INF/metatype/*.xml}, which
 * bnd writes from {@code @ObjectClassDefinition} and {@code @Designate}), by PID. The launcher checks every staged value
 * against them before ConfigAdmin sees it, because Declarative Services converts what it is given without complaint:
 * {@code ENABLE_WEB_SERVER=1} would become {@code false}, {@code MAX_TASK_PROCESSORS=four} a component failure deep in a
 * stack trace. So a boolean accepts true/false/yes/no/1/0 in any case (and is staged as true or false), a number must
 * parse and respect the declared {@code min} and {@code max}, a value with declared options must be one of them.
 */
final class MetatypeCatalog {

    private static final String METATYPE_DIR = "OSGI-INF/metatype/";
    static final List<String> TRUE = List.of("true", "yes", "1");
    static final List<String> FALSE = List.of("false", "no", "0");

    /** By designated PID (or factory PID). */
    private final Map<String, Map<String, Attribute>> byPid;

    private MetatypeCatalog(Map<String, Map<String, Attribute>> byPid) {
        this.byPid = byPid;
    }

    static final MetatypeCatalog EMPTY = new MetatypeCatalog(Map.of());

    /**
     * One declared attribute.
     *
     * @param type the metatype type name ({@code String}, {@code Boolean}, {@code Integer}, {@code Long}, ...)
     * @param multiple whether it holds several values (cardinality other than 0): not checked here
     * @param options the declared option values, empty when any value goes
     */
    record Attribute(String type, boolean multiple, List<String> options, String min, String max) {
    }

    /**
     * Reads the metatype of {@code bundles} (installed or resolved: entries are read without resolving) and of
     * {@code jars}, bundle files not installed (the Redis feature of a node without Redis: its values are checked all
     * the same, so a bad REDIS_PORT is an error before anyone turns Redis on).
     */
    static MetatypeCatalog of(Bundle[] bundles, List<Path> jars) {
        Map<String, Map<String, Attribute>> byPid = new HashMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : java.util.Collections.list(file.entries())) {
                    if (entry.getName().startsWith(METATYPE_DIR) && entry.getName().endsWith(".xml")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            read(in, byPid);
                        }
                    }
                }
            } catch (IOException e) {
                // a missing or broken bundle file is reported when it is installed
            }
        }
        for (Bundle bundle : bundles) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            Enumeration<String> paths = bundle.getEntryPaths(METATYPE_DIR);
            while (paths != null && paths.hasMoreElements()) {
                String path = paths.nextElement();
                URL entry = path.endsWith(".xml") ? bundle.getEntry(path) : null;
                if (entry != null) {
                    try (InputStream in = entry.openStream()) {
                        read(in, byPid);
                    } catch (IOException e) {
                        // unreadable: its values are staged unchecked
                    }
                }
            }
        }
        return new MetatypeCatalog(byPid);
    }

    /** The attribute {@code key} of PID {@code pid} (a staged name: {@code factoryPid-name} for a factory), or null. */
    Attribute attribute(String pid, String key) {
        Map<String, Attribute> attributes = byPid.get(pid);
        if (attributes == null && pid.indexOf('-') > 0) {
            // FileInstall's convention: <factoryPid>-<name>.cfg is a factory configuration.
            attributes = byPid.get(pid.substring(0, pid.indexOf('-')));
        }
        return attributes == null ? null : attributes.get(key);
    }

    /**
     * The value to stage for {@code key}: as given, or normalised (a boolean as true or false); null to leave the key
     * out (an empty value of a typed attribute means its default).
     *
     * @throws IllegalArgumentException saying what is wrong and what is accepted
     */
    String check(String pid, String key, String value) {
        Attribute attribute = attribute(pid, key);
        if (attribute == null || attribute.multiple()) {
            return value;
        }
        String trimmed = value.strip();
        String type = attribute.type();
        if (type.equals("Boolean")) {
            if (trimmed.isEmpty()) {
                return null;
            }
            return bool(trimmed);
        }
        if (List.of("Integer", "Long", "Short", "Byte").contains(type)) {
            if (trimmed.isEmpty()) {
                return null;
            }
            long number;
            try {
                number = Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a whole number");
            }
            long min = bound(attribute.min(), Long.MIN_VALUE);
            long max = bound(attribute.max(), Long.MAX_VALUE);
            if (type.equals("Integer")) {
                min = Math.max(min, Integer.MIN_VALUE);
                max = Math.min(max, Integer.MAX_VALUE);
            }
            if (number < min || number > max) {
                throw new IllegalArgumentException(number < min ? "is below the smallest value accepted, " + min
                        : "is above the largest value accepted, " + max);
            }
            return trimmed;
        }
        if (List.of("Double", "Float").contains(type)) {
            if (trimmed.isEmpty()) {
                return null;
            }
            try {
                Double.parseDouble(trimmed);
                return trimmed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a number");
            }
        }
        if (!attribute.options().isEmpty()) {
            String candidate = booleanLike(attribute.options()) && isBoolean(trimmed) ? bool(trimmed) : trimmed;
            if (!attribute.options().contains(candidate)) {
                throw new IllegalArgumentException("is not one of " + String.join(", ",
                        attribute.options().stream().map(o -> o.isEmpty() ? "\"\" (empty)" : o).toList()));
            }
            return candidate;
        }
        return value;
    }

    private static String bool(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return "true";
        }
        if (FALSE.contains(lower)) {
            return "false";
        }
        throw new IllegalArgumentException("is not a boolean: use true, false, yes, no, 1 or 0");
    }

    private static boolean isBoolean(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return TRUE.contains(lower) || FALSE.contains(lower);
    }

    /** Options like {true, false, auto}: yes/no/1/0 mean true and false there too. */
    private static boolean booleanLike(List<String> options) {
        return options.contains("true") && options.contains("false");
    }

    private static long bound(String text, long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void read(InputStream in, Map<String, Map<String, Attribute>> byPid) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(in);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            return; // a bundle's broken metatype is its own problem: its values are staged unchecked
        }
        Map<String, Map<String, Attribute>> byOcd = new HashMap<>();
        NodeList ocds = document.getElementsByTagName("OCD");
        for (int i = 0; i < ocds.getLength(); i++) {
            Element ocd = (Element) ocds.item(i);
            Map<String, Attribute> attributes = new HashMap<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int j = 0; j < ads.getLength(); j++) {
                Element ad = (Element) ads.item(j);
                List<String> options = new ArrayList<>();
                NodeList optionNodes = ad.getElementsByTagName("Option");
                for (int k = 0; k < optionNodes.getLength(); k++) {
                    options.add(((Element) optionNodes.item(k)).getAttribute("value"));
                }
                String cardinality = ad.getAttribute("cardinality");
                attributes.put(ad.getAttribute("id"), new Attribute(ad.getAttribute("type"),
                        !cardinality.isEmpty() && !cardinality.equals("0"), List.copyOf(options),
                        ad.getAttribute("min"), ad.getAttribute("max")));
            }
            byOcd.put(ocd.getAttribute("id"), attributes);
        }
        NodeList designates = document.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element designate = (Element) designates.item(i);
            String pid = designate.getAttribute("factoryPid").isEmpty() ? designate.getAttribute("pid")
                    : designate.getAttribute("factoryPid");
            NodeList objects = designate.getElementsByTagName("Object");
            if (objects.getLength() > 0) {
                Map<String, Attribute> attributes = byOcd.get(((Element) objects.item(0)).getAttribute("ocdref"));
                if (attributes != null && !pid.isEmpty()) {
                    byPid.put(pid, attributes);
                }
            }
        }
    }
}
