package io.herald.dashboard.internal;

import java.util.Map;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;

/**
 * The dashboard's settings, checked: a path must be a plain URL path of its own (not {@code /}, which would take every
 * request of the web server), so a typo fails loudly instead of serving the page somewhere unexpected.
 */
record DashboardSettings(boolean enabled, String path, String apiPath, int refreshSeconds) {

    private static final String URL_PATH = "(/[A-Za-z0-9._~-]+)+";

    /** @throws InvalidPropertyException naming the property that is wrong */
    static DashboardSettings read(Map<String, ?> properties) {
        return new DashboardSettings(ServiceProperties.bool(properties, "enabled", false),
                path(properties, "path", "/resque"), path(properties, "apiPath", "/api"), refresh(properties));
    }

    private static String path(Map<String, ?> properties, String key, String fallback) {
        String path = ServiceProperties.string(properties, key, fallback).trim();
        if (!path.matches(URL_PATH)) {
            throw new InvalidPropertyException(key, key + " must be a URL path such as " + fallback
                    + " (letters, digits, . _ ~ - between slashes, not / alone, no trailing /), was \"" + path + "\"");
        }
        return path;
    }

    private static int refresh(Map<String, ?> properties) {
        int seconds = ServiceProperties.integer(properties, "refreshSeconds", 5);
        if (seconds < 0) {
            throw new InvalidPropertyException("refreshSeconds", "refreshSeconds must be 0 (no refresh) or more, was "
                    + seconds);
        }
        return seconds;
    }
}
