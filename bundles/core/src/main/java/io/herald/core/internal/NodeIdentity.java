package io.herald.core.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.util.Collections;
import java.util.function.Function;

import io.herald.api.spi.ServerIdentity;

/**
 * Who this node is. The id follows Actionhero's precedence ({@code src/classes/process/id.ts}): the title given at start
 * ({@code HERALD_TITLE}), else the configured id, else the external IPv4 address.
 */
final class NodeIdentity implements ServerIdentity {

    private final String id;
    private final String environment;
    private final Instant startedAt;

    NodeIdentity(String id, String environment, Instant startedAt) {
        this.id = id;
        this.environment = environment;
        this.startedAt = startedAt;
    }

    /**
     * @param settings system properties, then environment variables, by name
     */
    static NodeIdentity resolve(String configuredId, Function<String, String> settings, Instant startedAt) {
        String title = firstNonBlank(settings.apply("herald.title"), settings.apply("HERALD_TITLE"));
        String id = firstNonBlank(title, configuredId);
        if (id == null) {
            id = externalAddress();
        }
        String environment = firstNonBlank(settings.apply("herald.env"), settings.apply("HERALD_ENV"));
        return new NodeIdentity(id, environment == null ? "development" : environment, startedAt);
    }

    /** Reads a setting from the system properties, then from the environment. */
    static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return HeraldVersion.VALUE;
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    /** The first IPv4 address of an interface that is up and not loopback (Actionhero's getExternalIPAddress). */
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
            // No interfaces readable: fall through to loopback.
        }
        return "127.0.0.1";
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
