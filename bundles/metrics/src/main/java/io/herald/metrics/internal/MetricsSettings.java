package io.herald.metrics.internal;

import java.util.Map;
import java.util.OptionalInt;

import io.herald.core.properties.InvalidPropertyException;
import io.herald.core.properties.ServiceProperties;

/**
 * The metrics settings, checked.
 *
 * @param port the endpoint's own port, empty for none
 */
record MetricsSettings(boolean enabled, String path, String role, boolean requireAuthentication, OptionalInt port,
        String bindHost) {

    /** @throws InvalidPropertyException naming the property that is wrong */
    static MetricsSettings read(Map<String, ?> properties) {
        String path = ServiceProperties.string(properties, "path", "/metrics").trim();
        if (!path.matches("/[A-Za-z0-9._~!$&'()*+,=:@/-]*") || path.equals("/") || path.contains("//")) {
            throw new InvalidPropertyException("path", "path must be a URL path such as /metrics, was \"" + path + "\"");
        }
        String role = ServiceProperties.string(properties, "role", "metrics").trim();
        if (role.isEmpty() || !role.matches("[^\\s,;:]+")) {
            throw new InvalidPropertyException("role", "role must be one role name (no spaces, commas, semicolons or "
                    + "colons), was \"" + role + "\"");
        }
        String portText = ServiceProperties.string(properties, "port", "").trim();
        OptionalInt port = OptionalInt.empty();
        if (!portText.isEmpty()) {
            try {
                int value = Integer.parseInt(portText);
                if (value < 0 || value > 65535) {
                    throw new NumberFormatException();
                }
                port = OptionalInt.of(value);
            } catch (NumberFormatException e) {
                throw new InvalidPropertyException("port", "port must be empty or a TCP port 0-65535, was \"" + portText
                        + "\"");
            }
        }
        return new MetricsSettings(ServiceProperties.bool(properties, "enabled", true),
                path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path, role,
                ServiceProperties.bool(properties, "requireAuthentication", false), port,
                ServiceProperties.string(properties, "bindHost", "").trim());
    }
}
