package io.herald.server.web.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.cm.ConfigurationException;

import io.herald.core.properties.ServiceProperties;

/**
 * Where static files come from and how they are served (Actionhero's flat files: {@code urlPathForFiles},
 * {@code rootEndpointType}, {@code flatFileCacheDuration}), checked from {@link WebServerConfig}.
 *
 * @param directories the directories searched in order, absolute; none: no static files
 * @param urlPath the segments of urlPathForFiles ({@code ["public"]}); empty: files at the root
 * @param atRoot whether paths outside the actions and files paths are looked up as files too ({@code rootEndpointType = file})
 * @param cacheSeconds the {@code max-age} of {@code Cache-Control}
 * @param followSymlinks whether a path through a symbolic link is served
 */
record StaticFilesSettings(List<Path> directories, List<String> urlPath, boolean atRoot, long cacheSeconds,
        boolean followSymlinks) {

    /** @param heraldHome the node's home, which relative directories are under */
    static StaticFilesSettings from(WebServerConfig config, String heraldHome) throws ConfigurationException {
        String home = heraldHome == null || heraldHome.isBlank() ? "." : heraldHome;
        return new StaticFilesSettings(directories(config.staticDirectories(), home), urlPath(config.urlPathForFiles()),
                rootEndpointType(config.rootEndpointType()), cacheSeconds(config.flatFileCacheDuration()),
                config.followSymlinks());
    }

    /** The files path as a URL path: {@code /public}, or {@code ""} at the root. */
    String urlPathPrefix() {
        return urlPath.isEmpty() ? "" : "/" + String.join("/", urlPath);
    }

    /** Actionhero's header for flat files. */
    String cacheControl() {
        return "max-age=" + cacheSeconds + ", must-revalidate, public";
    }

    private static List<Path> directories(String[] configured, String home) throws ConfigurationException {
        List<String> entries = ServiceProperties.strings(
                Map.of("staticDirectories", configured == null ? new String[0] : configured), "staticDirectories");
        List<Path> directories = new ArrayList<>();
        for (String entry : entries) {
            String value = entry.trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                // Also accepted literally, for config sources that do not substitute system properties.
                Path path = Path.of(value.replace("${herald.home}", home));
                directories.add((path.isAbsolute() ? path : Path.of(home).resolve(path)).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                throw new ConfigurationException("staticDirectories", "must be directory paths, comma-separated (relative "
                        + "ones are under the node's home), was \"" + value + "\": " + e.getReason());
            }
        }
        return List.copyOf(directories);
    }

    private static List<String> urlPath(String path) throws ConfigurationException {
        List<String> segments = WebSettings.segments(path);
        for (String segment : segments) {
            if (!WebSettings.PATH_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new ConfigurationException("urlPathForFiles", "must be a URL path such as /public (segments of letters, "
                        + "digits and -._~!$&'()*+,=:@; / alone serves files at the root), was \"" + path + "\"");
            }
        }
        return segments;
    }

    private static boolean rootEndpointType(String value) throws ConfigurationException {
        String type = value == null ? "file" : value.trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "file", "" -> true;
            case "api" -> false;
            default -> throw new ConfigurationException("rootEndpointType", "must be file or api, was \"" + value + "\"");
        };
    }

    private static long cacheSeconds(long seconds) throws ConfigurationException {
        if (seconds < 0) {
            throw new ConfigurationException("flatFileCacheDuration", "must be 0 or more seconds, was " + seconds);
        }
        return seconds;
    }
}
