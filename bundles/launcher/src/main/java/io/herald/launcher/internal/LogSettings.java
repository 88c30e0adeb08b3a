package io.herald.launcher.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.herald.launcher.logging.LogFormatEncoder;

/**
 * What {@code config/logback.xml} needs to know before Logback starts, passed as system properties:
 * <ul>
 * <li>{@value LogFormatEncoder#FORMAT_PROPERTY}: {@code text} or {@code json}, from {@code HERALD_LOG_FORMAT}
 * ({@link LogFormatEncoder}); the core reads it too, to log its action lines with fields;</li>
 * <li>{@value #FILE_PROPERTY}: the log file's name, {@code log/<title>.log} for a node started with a title
 * ({@code HERALD_TITLE}, as Actionhero names its file {@code log/<id>-<env>.log}), else {@code log/herald.log}: nodes
 * sharing a home (a cluster) each write their own file;</li>
 * <li>{@value LogFormatEncoder#NODE_ID_PROPERTY}: the node id each JSON line carries.</li>
 * </ul>
 */
final class LogSettings {

    static final String FORMAT_VARIABLE = "HERALD_LOG_FORMAT";
    static final String FILE_PROPERTY = "herald.log.file";
    static final List<String> FORMATS = List.of(LogFormatEncoder.TEXT, LogFormatEncoder.JSON);
    /** The core's configuration and its server id key (the core's {@code NodeIdentity}). */
    private static final String CORE_PID = "io.herald.core";

    private LogSettings() {
    }

    /**
     * @param value {@code HERALD_LOG_FORMAT}, any case; unset or empty means {@code text}
     * @throws ConfigException for any other value: a typo must not leave a node writing lines its log shipper cannot read
     */
    static String format(String value) throws ConfigException {
        if (value == null || value.isBlank()) {
            return LogFormatEncoder.TEXT;
        }
        String format = value.strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new ConfigException(FORMAT_VARIABLE + "=" + value + " is not a log format: use " + String.join(" or ", FORMATS));
        }
        return format;
    }

    /** The log file's base name: the requested title as a file name, else {@code herald}. */
    static String fileName(String requestedTitle) {
        return requestedTitle == null ? "herald" : LaunchOptions.fileName(requestedTitle);
    }

    /**
     * The server id the core will choose, by its precedence (Actionhero's {@code src/classes/process/id.ts}): the title,
     * else the configured {@code id} of {@code io.herald.core}, else the external IPv4 address. Known here before any
     * bundle starts, so even the framework's first lines carry it.
     *
     * @param config the staged values per PID
     */
    static String nodeId(String title, Map<String, Map<String, String>> config) {
        if (title != null && !title.isBlank()) {
            return title.strip();
        }
        String configured = config.getOrDefault(CORE_PID, Map.of()).get("id");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        return externalAddress();
    }

    /** Sets the system properties logback.xml and the core read; before the first logger is made. */
    static void apply(LaunchOptions options, String title, Map<String, Map<String, String>> config) {
        System.setProperty(LogFormatEncoder.FORMAT_PROPERTY, options.logFormat());
        System.setProperty(FILE_PROPERTY, fileName(options.title()));
        System.setProperty(LogFormatEncoder.NODE_ID_PROPERTY, nodeId(title, config));
    }

    /** The first IPv4 address of an interface that is up and not loopback: the core's rule for an id (getExternalIPAddress). */
    static String externalAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // No interfaces readable: loopback, as the core falls back to.
        }
        return "127.0.0.1";
    }
}
