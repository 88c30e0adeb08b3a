package io.herald.server.web.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The web server's configuration, checked and resolved once at activation. Every mistake is reported with the
 * attribute's name so the operator can fix the {@code .cfg} file.
 *
 * @param enabled false: open no port
 * @param tcpPort the TCP port, or -1 when listening on a unix socket
 * @param unixSocket the unix domain socket, or {@code null} for TCP
 * @param bindHost the address to bind, or {@code null} for every interface
 * @param actionsPath the segments of urlPathForActions ({@code ["api"]}); empty when actions are served at the root
 * @param maxBodySize the largest request body accepted, in bytes
 * @param maxDrainSize the most bytes of a body refused with 413 read and discarded before the connection closes
 * @param drainTimeoutMillis the longest that draining lasts
 * @param shutdownTimeoutMillis how long a graceful stop waits for requests in flight
 * @param serverInformation whether responses carry {@code serverInformation}
 * @param requesterInformation whether responses carry {@code requesterInformation}
 * @param routesFile the routes file; it need not exist
 * @param fingerprintCookie the name of the fingerprint cookie
 * @param responseHeaders headers added to every response
 */
record WebSettings(boolean enabled, int tcpPort, Path unixSocket, String bindHost, List<String> actionsPath,
        long maxBodySize, long maxDrainSize, long drainTimeoutMillis, long shutdownTimeoutMillis,
        boolean serverInformation, boolean requesterInformation, Path routesFile, String fingerprintCookie,
        List<Header> responseHeaders) {

    /** Bodies are read into one array. */
    static final long MAX_BODY_SIZE = Integer.MAX_VALUE - 8;

    /** One configured response header. */
    record Header(String name, String value) {
    }

    /**
     * @param production whether the node runs in the production environment (turns {@code auto} metadata off)
     * @param heraldHome the {@code herald.home} directory, for the default routes file
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    static WebSettings from(WebServerConfig config, boolean production, String heraldHome) {
        String port = config.port() == null ? "" : config.port().trim();
        int tcpPort = -1;
        Path unixSocket = null;
        if (!port.isEmpty() && port.chars().allMatch(Character::isDigit)) {
            tcpPort = parsePort(port);
        } else if (port.indexOf('/') >= 0) {
            // Actionhero treats a port containing a slash as a socket path.
            unixSocket = Path.of(port).toAbsolutePath();
        } else {
            throw new IllegalArgumentException("port must be a TCP port (0-65535) or a unix socket path, was \"" + port + "\"");
        }
        String bindHost = blankToNull(config.bindHost());
        if (config.maxBodySize() < 0 || config.maxBodySize() > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("maxBodySize must be between 0 and " + MAX_BODY_SIZE + " bytes, was "
                    + config.maxBodySize());
        }
        if (config.maxDrainSize() < 0) {
            throw new IllegalArgumentException("maxDrainSize must be 0 or more bytes, was " + config.maxDrainSize());
        }
        if (config.drainTimeout() < 0) {
            throw new IllegalArgumentException("drainTimeout must be 0 or more milliseconds, was " + config.drainTimeout());
        }
        if (config.shutdownTimeout() < 0) {
            throw new IllegalArgumentException("shutdownTimeout must be 0 or more milliseconds, was " + config.shutdownTimeout());
        }
        String cookie = blankToNull(config.fingerprintCookie());
        if (cookie == null || !cookie.chars().allMatch(WebSettings::isTokenChar)) {
            throw new IllegalArgumentException("fingerprintCookie must be a cookie name, was \"" + config.fingerprintCookie() + "\"");
        }
        return new WebSettings(config.enabled(), tcpPort, unixSocket, bindHost, segments(config.urlPathForActions()),
                config.maxBodySize(), config.maxDrainSize(), config.drainTimeout(), config.shutdownTimeout(),
                metadata("serverInformation", config.serverInformation(), production),
                metadata("requesterInformation", config.requesterInformation(), production),
                routesFile(config.routesFile(), heraldHome), cookie, headers(config.responseHeaders()));
    }

    /** The actions path as a URL path: {@code /api}, or {@code ""} at the root. */
    String actionsPathPrefix() {
        return actionsPath.isEmpty() ? "" : "/" + String.join("/", actionsPath);
    }

    /** Where the server listens, for log lines and error messages. */
    String listenDescription() {
        if (unixSocket != null) {
            return "unix socket " + unixSocket;
        }
        return (bindHost == null ? "all interfaces" : bindHost) + " port " + tcpPort;
    }

    private static int parsePort(String port) {
        try {
            int value = Integer.parseInt(port);
            if (value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // too many digits: reported below
        }
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }

    private static boolean metadata(String name, String value, boolean production) {
        String mode = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "auto", "":
                // Actionhero turns both metadata blocks off in its production config.
                return !production;
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be auto, true or false, was \"" + value + "\"");
        }
    }

    private static Path routesFile(String configured, String heraldHome) {
        String home = heraldHome == null || heraldHome.isBlank() ? "." : heraldHome;
        String file = blankToNull(configured);
        if (file == null) {
            return Path.of(home, "config", "routes.json").toAbsolutePath();
        }
        // Also accepted literally, for config sources that do not substitute system properties.
        return Path.of(file.replace("${herald.home}", home)).toAbsolutePath();
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

    private static List<Header> headers(String[] entries) {
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
                if (name.isEmpty() || !name.chars().allMatch(WebSettings::isTokenChar)) {
                    throw new IllegalArgumentException("responseHeaders entries must read \"Name: value\", was \"" + one.trim() + "\"");
                }
                String value = one.substring(colon + 1).trim();
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
