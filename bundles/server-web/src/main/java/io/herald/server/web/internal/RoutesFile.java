package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.json.HeraldJson;

/**
 * The routes file ({@code config/routes.json}): Actionhero's {@code config/routes.ts} as JSON, e.g.
 * <pre>{@code
 * {"get":  [{"path": "/users/:id(^\\d+$)", "action": "user", "apiVersion": 2}],
 *  "post": [{"path": "/login", "action": "login"}],
 *  "all":  [{"path": "/files/:path", "action": "file", "matchTrailingPathParts": true}]}
 * }</pre>
 * Verbs: get, post, put, patch, delete, head, all. Paths are relative to urlPathForActions. A missing file means no
 * custom routes. The file is checked for changes at most once a second, on the request path; a broken new version is
 * logged and the previous routes stay in force.
 */
final class RoutesFile {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesFile.class);
    private static final Set<String> VERBS = Set.of("get", "post", "put", "patch", "delete", "head", "all");

    private final Path file;
    private final ObjectMapper mapper;
    private final Throttle throttle;
    private volatile RouteSet routes = RouteSet.EMPTY;
    /** What the file looked like when last read: guarded by {@code this}. */
    private Stamp loaded;

    RoutesFile(Path file, ObjectMapper mapper, LongSupplier nanoClock) {
        this.file = file;
        this.mapper = mapper;
        this.throttle = new Throttle(TimeUnit.SECONDS.toNanos(1), nanoClock);
    }

    Path file() {
        return file;
    }

    /**
     * Reads the file at start-up.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    synchronized void load() {
        Stamp stamp = stamp();
        routes = stamp == null ? RouteSet.EMPTY : read();
        loaded = stamp;
        if (stamp == null) {
            LOG.info("no routes file at {}: only the automatic routes are served", file);
        } else {
            LOG.info("loaded {} route(s) from {}", routes.declared().size(), file);
        }
    }

    /** The routes now in force, after reloading the file if it changed (checked at most once a second). */
    RouteSet current() {
        if (throttle.due()) {
            reloadIfChanged();
        }
        return routes;
    }

    synchronized void reloadIfChanged() {
        Stamp stamp;
        try {
            stamp = stamp();
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; keeping the routes in force", e.getMessage());
            return;
        }
        if (stamp == null ? loaded == null : stamp.equals(loaded)) {
            return;
        }
        // Remember this version even when it is broken, so the error is logged once and not every second.
        loaded = stamp;
        if (stamp == null) {
            routes = RouteSet.EMPTY;
            LOG.info("routes file {} was removed: only the automatic routes are served", file);
            return;
        }
        try {
            routes = read();
            LOG.info("reloaded {} route(s) from {}", routes.declared().size(), file);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the routes in force", e.getMessage());
        }
    }

    private RouteSet read() {
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("routes file " + file + " is not valid JSON: " + HeraldJson.describe(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("routes file " + file + " cannot be read: " + e);
        }
        return parse(root, "routes file " + file);
    }

    /**
     * Compiles a routes document.
     *
     * @param source names the document in error messages
     * @throws IllegalArgumentException saying which entry is wrong and how
     */
    static RouteSet parse(JsonNode root, String source) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return RouteSet.EMPTY;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object of verbs, e.g. {\"get\": [...]}");
        }
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String verb = entry.getKey().toLowerCase(Locale.ROOT);
            if (!VERBS.contains(verb)) {
                throw new IllegalArgumentException(source + ": unknown verb \"" + entry.getKey()
                        + "\" (use get, post, put, patch, delete, head or all)");
            }
            if (!entry.getValue().isArray()) {
                throw new IllegalArgumentException(source + ": \"" + entry.getKey() + "\" must be a list of routes");
            }
            int index = 0;
            for (JsonNode node : entry.getValue()) {
                String where = source + ": " + verb + "[" + index++ + "]";
                Route route = route(verb, node, where);
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        return new RouteSet(routes);
    }

    private static Route route(String verb, JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with a path and an action");
        }
        if (node.hasNonNull("dir")) {
            // Actionhero's static-file routes: Herald serves files in a later version.
            LOG.warn("{}: routes with a dir (static files) are not supported yet; skipped", where);
            return null;
        }
        String path = text(node, "path", where);
        String action = text(node, "action", where);
        int apiVersion = apiVersion(node.get("apiVersion"), where);
        JsonNode trailing = node.get("matchTrailingPathParts");
        if (trailing != null && !trailing.isNull() && !trailing.isBoolean()) {
            throw new IllegalArgumentException(where + ": matchTrailingPathParts must be true or false");
        }
        try {
            return new Route(verb, path, action, apiVersion, trailing != null && trailing.asBoolean());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": path " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + field + " is missing (a non-empty string is needed)");
        }
        return value.asText().trim();
    }

    private static int apiVersion(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return 0;
        }
        // Actionhero's own routes write it as a number or as a string ("1").
        String text = value.asText().trim();
        if ((value.isIntegralNumber() || value.isTextual()) && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                && text.length() < 10 && Integer.parseInt(text) > 0) {
            return Integer.parseInt(text);
        }
        throw new IllegalArgumentException(where + ": apiVersion must be a positive whole number, was " + value);
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("routes file " + file + " cannot be read: " + e);
        }
    }

    /** What identifies one version of the file. */
    private record Stamp(FileTime modified, long size) {
    }
}
