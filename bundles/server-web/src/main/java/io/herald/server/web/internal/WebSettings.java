package io.herald.server.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * The web server's configuration, checked and resolved from {@link WebServerConfig}. Every mistake is a
 * {@link ConfigurationException} naming the attribute, saying what was given and what is accepted, so the operator can
 * fix the {@code .cfg} file (the launcher reports it in one line naming the environment variable, e.g. {@code PORT}).
 * Metatype checks types, options and ranges; this checks what metatype cannot express.
 *
 * @param enabled false: open no port
 * @param address where to listen
 * @param actionsPath the segments of urlPathForActions ({@code ["api"]}); empty when actions are served at the root
 * @param maxBodySize the largest request body accepted, in bytes
 * @param maxDrainSize the most bytes of a body refused with 413 read and discarded before the connection closes
 * @param drainTimeoutMillis the longest that draining lasts
 * @param shutdownTimeoutMillis how long a graceful stop (or the old listener after a re-bind) waits for requests in flight
 * @param serverInformation whether responses carry {@code serverInformation}
 * @param requesterInformation whether responses carry {@code requesterInformation}
 * @param routesFile the routes file; it need not exist
 * @param fingerprintCookie the name of the fingerprint cookie
 * @param responseHeaders headers added to every response
 * @param trustedProxies the proxies whose forwarding headers are believed
 * @param request CORS, JSONP, bracket params, the query length and uploads
 * @param clientLimits what a slow or greedy client may hold: header and body timeouts, data rate, connections
 * @param https HTTPS, or {@code null} for plain HTTP
 * @param h2c HTTP/2 in clear text beside HTTP/1.1 (plain HTTP only)
 * @param staticFiles what static files are served, from where
 * @param compression whether and above which size responses are compressed
 * @param reusePort whether the TCP port is shared with other nodes of the host (SO_REUSEPORT, {@code herald cluster})
 * @param pools the server's threads and buffers
 */
record WebSettings(boolean enabled, ListenAddress address, List<String> actionsPath,
        long maxBodySize, long maxDrainSize, long drainTimeoutMillis, long shutdownTimeoutMillis,
        boolean serverInformation, boolean requesterInformation, Path routesFile, String fingerprintCookie,
        List<Header> responseHeaders, TrustedProxies trustedProxies,
        RequestSettings request, ClientLimits clientLimits, HttpsSettings https, boolean h2c,
        StaticFilesSettings staticFiles, CompressionSettings compression, boolean reusePort, PoolSettings pools) {

    /** Bodies are read into one array. */
    static final long MAX_BODY_SIZE = Integer.MAX_VALUE - 8;

    /** Characters of a URL path segment that need no percent-encoding (RFC 3986 pchar, without ';' and '%'). */
    static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");
    /** A DNS host name (RFC 1123 labels). */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_LIKE = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    /** One configured response header. */
    record Header(String name, String value) {
    }

    /**
     * @param production whether the node runs in the production environment (turns {@code auto} metadata off)
     * @param heraldHome the {@code herald.home} directory, for the default routes file
     * @throws ConfigurationException naming the attribute that is wrong
     */
    static WebSettings from(WebServerConfig config, boolean production, String heraldHome) throws ConfigurationException {
        return new WebSettings(config.enabled(), address(config.port(), config.bindHost()),
                actionsPath(config.urlPathForActions()),
                range("maxBodySize", config.maxBodySize(), MAX_BODY_SIZE, "bytes"),
                range("maxDrainSize", config.maxDrainSize(), Long.MAX_VALUE, "bytes"),
                range("drainTimeout", config.drainTimeout(), Long.MAX_VALUE, "milliseconds"),
                range("shutdownTimeout", config.shutdownTimeout(), Long.MAX_VALUE, "milliseconds"),
                // Actionhero turns both metadata blocks off in its production config.
                autoFlag("serverInformation", config.serverInformation(), !production),
                autoFlag("requesterInformation", config.requesterInformation(), !production),
                routesFile(config.routesFile(), heraldHome), cookie(config.fingerprintCookie()),
                headers(config.responseHeaders()), trustedProxies(config.trustedProxies()),
                RequestSettings.from(config, production), ClientLimits.from(config), HttpsSettings.from(config, production),
                config.h2c(), StaticFilesSettings.from(config, heraldHome), CompressionSettings.from(config),
                config.reusePort(), PoolSettings.from(config));
    }

    /** What the listener speaks: HTTPS with or without HTTP/2, or plain HTTP with or without h2c. */
    Protocols protocols() {
        return https == null ? new Protocols(false, false, h2c) : new Protocols(true, https.http2(), false);
    }

    private static TrustedProxies trustedProxies(String[] configured) throws ConfigurationException {
        List<String> entries = ServiceProperties.strings(Map.of("trustedProxies", configured == null ? new String[0] : configured),
                "trustedProxies");
        try {
            return TrustedProxies.of(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("trustedProxies", e.getMessage());
        }
    }

    long idleTimeoutMillis() {
        return clientLimits.idleTimeoutMillis();
    }

    int acceptBacklog() {
        return clientLimits.acceptBacklog();
    }

    /** The actions path as a URL path: {@code /api}, or {@code ""} at the root. */
    String actionsPathPrefix() {
        return actionsPath.isEmpty() ? "" : "/" + String.join("/", actionsPath);
    }

    private static ListenAddress address(String configuredPort, String configuredHost) throws ConfigurationException {
        String port = configuredPort == null ? "" : configuredPort.trim();
        if (port.indexOf('/') >= 0) {
            // Actionhero treats a port containing a slash as a socket path.
            try {
                return ListenAddress.unix(Path.of(port).toAbsolutePath());
            } catch (InvalidPathException e) {
                throw new ConfigurationException("port", "must be a TCP port (0-65535) or a unix socket path containing '/', was \""
                        + port + "\", which is not a valid path: " + e.getReason());
            }
        }
        if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5
                || Integer.parseInt(port) > 65535) {
            throw new ConfigurationException("port", "must be a TCP port (0-65535) or a unix socket path containing '/', was \""
                    + port + "\"");
        }
        return ListenAddress.tcp(Integer.parseInt(port), bindHost(configuredHost));
    }

    private static String bindHost(String configured) throws ConfigurationException {
        String host = blankToNull(configured);
        if (host == null || isIpLiteral(host) || (!IPV4_LIKE.matcher(host).matches() && HOST_NAME.matcher(host).matches())) {
            return host;
        }
        throw new ConfigurationException("bindHost", "must be an IP address or a host name (empty: every interface), was \""
                + configured + "\"");
    }

    /** An IPv4 or IPv6 literal ({@code [::1]} too), recognised without a DNS lookup. */
    private static boolean isIpLiteral(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IPV4_LIKE.matcher(literal).matches()) {
            String[] parts = literal.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (literal.indexOf(':') < 0 || !IPV6_LIKE.matcher(literal).matches()) {
            return false;
        }
        try {
            // A text with a colon is parsed as an IPv6 literal and never looked up.
            InetAddress.getByName(literal);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static List<String> actionsPath(String path) throws ConfigurationException {
        List<String> segments = segments(path);
        for (String segment : segments) {
            if (!PATH_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new ConfigurationException("urlPathForActions", "must be a URL path such as /api (segments of letters, "
                        + "digits and -._~!$&'()*+,=:@; / alone serves actions at the root), was \"" + path + "\"");
            }
        }
        return segments;
    }

    private static long range(String name, long value, long max, String unit) throws ConfigurationException {
        if (value < 0 || value > max) {
            throw new ConfigurationException(name, "must be " + (max == Long.MAX_VALUE ? "0 or more" : "between 0 and " + max)
                    + " " + unit + ", was " + value);
        }
        return value;
    }

    /**
     * An {@code auto} / {@code true} / {@code false} setting: {@code whenAuto} for {@code auto} (or empty).
     *
     * @throws ConfigurationException naming {@code name} for anything else
     */
    static boolean autoFlag(String name, String value, boolean whenAuto) throws ConfigurationException {
        String mode = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "auto", "":
                return whenAuto;
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(name, "must be auto, true or false, was \"" + value + "\"");
        }
    }

    private static Path routesFile(String configured, String heraldHome) throws ConfigurationException {
        String home = heraldHome == null || heraldHome.isBlank() ? "." : heraldHome;
        String file = blankToNull(configured);
        try {
            if (file == null) {
                return Path.of(home, "config", "routes.json").toAbsolutePath();
            }
            // Also accepted literally, for config sources that do not substitute system properties.
            return Path.of(file.replace("${herald.home}", home)).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("routesFile", "must be a file path (empty: <herald.home>/config/routes.json), was \""
                    + configured + "\": " + e.getReason());
        }
    }

    private static String cookie(String configured) throws ConfigurationException {
        String cookie = blankToNull(configured);
        if (cookie == null || !cookie.chars().allMatch(WebSettings::isTokenChar)) {
            throw new ConfigurationException("fingerprintCookie", "must be a cookie name (letters, digits and "
                    + "!#$%&'*+-.^_`|~), was \"" + configured + "\"");
        }
        return cookie;
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        if (path != null) {
            for (String part : path.trim().split("/")) {
                if (!part.isEmpty()) {
                    segments.add(part);
                }
            }
        }
        return List.copyOf(segments);
    }

    private static List<Header> headers(String[] entries) throws ConfigurationException {
        List<Header> headers = new ArrayList<>();
        if (entries == null) {
            return headers;
        }
        for (String entry : entries) {
            for (String one : entry.split("\\|")) {
                if (one.isBlank()) {
                    continue;
                }
                int colon = one.indexOf(':');
                String name = colon < 0 ? "" : one.substring(0, colon).trim();
                String value = colon < 0 ? "" : one.substring(colon + 1).trim();
                if (name.isEmpty() || !name.chars().allMatch(WebSettings::isTokenChar)
                        || !value.chars().allMatch(c -> c == '\t' || (c >= ' ' && c != 127))) {
                    throw new ConfigurationException("responseHeaders", "entries must read \"Name: value\" (a header name, "
                            + "then a value without control characters), several separated by |, was \"" + one.trim() + "\"");
                }
                // Actionhero skips headers whose value is empty: that is how a default header is turned off.
                if (!value.isEmpty()) {
                    headers.add(new Header(name, value));
                }
            }
        }
        return List.copyOf(headers);
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
