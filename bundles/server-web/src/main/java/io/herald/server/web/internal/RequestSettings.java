package io.herald.server.web.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.cm.ConfigurationException;

import io.herald.core.properties.ServiceProperties;

/**
 * What the web server accepts from browsers and forms, checked from {@link WebServerConfig}: CORS, JSONP, bracket
 * params, the query string's length and uploads. Kept apart from {@link WebSettings}' listener settings.
 *
 * @param cors the CORS policy, or {@code null} when no origin is allowed (no CORS headers at all)
 * @param jsonp whether a {@code callback} param turns a response into JSONP
 * @param maxFormFields the most name=value pairs in one request
 * @param maxBracketDepth the most brackets in one param name
 * @param maxQueryLength the longest query string, in bytes as sent
 * @param uploadDir where uploaded files are written
 * @param maxUploadSize the largest multipart request; 0: uploads refused
 * @param maxUploadFileSize the largest uploaded file
 */
record RequestSettings(Cors cors, boolean jsonp, int maxFormFields, int maxBracketDepth, int maxQueryLength,
        Path uploadDir, long maxUploadSize, long maxUploadFileSize) {

    /** {@code https://app.example.com}, {@code http://localhost:3000}, {@code https://*.example.com}. */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://(\\*\\.)?[a-z0-9.-]+(:[0-9]{1,5})?|null",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * A CORS policy for Jetty's {@code CrossOriginHandler}.
     *
     * @param originPatterns Jetty's origin patterns (regular expressions, or {@code *})
     * @param origins the origins as configured, for messages
     */
    record Cors(List<String> originPatterns, List<String> origins, List<String> methods, List<String> headers,
            List<String> exposedHeaders, boolean allowCredentials, long maxAgeSeconds) {
    }

    static RequestSettings from(WebServerConfig config, boolean production) throws ConfigurationException {
        // Actionhero's production config turns JSONP's padding off: a callback param there lets any site read an API
        // response in a script tag.
        return new RequestSettings(cors(config, production), WebSettings.autoFlag("jsonp", config.jsonp(), !production),
                atLeast("maxFormFields", config.maxFormFields(), 1), atLeast("maxBracketDepth", config.maxBracketDepth(), 0),
                atLeast("maxQueryLength", config.maxQueryLength(), 0), uploadDir(config.uploadDir()),
                atLeast("maxUploadSize", config.maxUploadSize(), 0), atLeast("maxUploadFileSize", config.maxUploadFileSize(), 0));
    }

    private static Cors cors(WebServerConfig config, boolean production) throws ConfigurationException {
        List<String> origins = list("corsAllowedOrigins", config.corsAllowedOrigins());
        if (origins.size() == 1 && origins.get(0).equalsIgnoreCase("auto")) {
            // Actionhero's default httpHeaders send Access-Control-Allow-Origin: * everywhere; in production a browser
            // API should name its sites, so auto allows none there.
            origins = production ? List.of() : List.of("*");
        }
        if (origins.isEmpty()) {
            return null;
        }
        List<String> patterns = new ArrayList<>();
        for (String origin : origins) {
            if (origin.equals("*")) {
                patterns.add("*");
            } else if (ORIGIN.matcher(origin).matches()) {
                patterns.add(pattern(origin));
            } else {
                throw new ConfigurationException("corsAllowedOrigins", "entries must be * or an origin such as "
                        + "https://app.example.com, http://localhost:3000 or https://*.example.com (no path), was \""
                        + origin + "\"");
            }
        }
        long maxAge = atLeast("corsMaxAge", config.corsMaxAge(), 0);
        return new Cors(List.copyOf(patterns), origins, tokens("corsAllowedMethods", config.corsAllowedMethods()),
                tokens("corsAllowedHeaders", config.corsAllowedHeaders()),
                tokens("corsExposedHeaders", config.corsExposedHeaders()), config.corsAllowCredentials(), maxAge);
    }

    /** An origin as a regular expression for Jetty: literal, but {@code *.} stands for any subdomains. */
    private static String pattern(String origin) {
        int star = origin.indexOf("*.");
        if (star < 0) {
            return Pattern.quote(origin.toLowerCase(Locale.ROOT));
        }
        return Pattern.quote(origin.substring(0, star).toLowerCase(Locale.ROOT)) + "([a-z0-9-]+\\.)+"
                + Pattern.quote(origin.substring(star + 2).toLowerCase(Locale.ROOT));
    }

    private static List<String> tokens(String name, String[] configured) throws ConfigurationException {
        List<String> tokens = list(name, configured);
        for (String token : tokens) {
            if (!TOKEN.matcher(token).matches()) {
                throw new ConfigurationException(name, "entries must be header or method names, comma-separated, was \""
                        + token + "\"");
            }
        }
        return tokens;
    }

    private static List<String> list(String name, String[] configured) {
        return ServiceProperties.strings(Map.of(name, configured == null ? new String[0] : configured), name);
    }

    private static int atLeast(String name, int value, int min) throws ConfigurationException {
        if (value < min) {
            throw new ConfigurationException(name, "must be " + min + " or more, was " + value);
        }
        return value;
    }

    private static long atLeast(String name, long value, long min) throws ConfigurationException {
        if (value < min) {
            throw new ConfigurationException(name, "must be " + min + " or more, was " + value);
        }
        return value;
    }

    private static Path uploadDir(String configured) throws ConfigurationException {
        try {
            if (configured == null || configured.isBlank()) {
                return Path.of(System.getProperty("java.io.tmpdir"), "herald-uploads").toAbsolutePath();
            }
            return Path.of(configured.trim()).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("uploadDir", "must be a directory path (empty: herald-uploads in the "
                    + "temporary directory), was \"" + configured + "\": " + e.getReason());
        }
    }
}
