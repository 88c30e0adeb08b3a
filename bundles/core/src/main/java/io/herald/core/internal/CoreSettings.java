package io.herald.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.osgi.service.cm.ConfigurationException;

import io.herald.core.properties.ServiceProperties;

/**
 * The {@code io.herald.core} configuration, checked. Every component of that PID reads it here, in its activate and
 * modified methods, so a wrong value is refused the same way everywhere: a {@link ConfigurationException} naming the
 * key, the value given and what is accepted (the launcher turns it into a one-line config error). Refused in a modified
 * method, an edit changes nothing: SCR logs the exception and the component keeps the settings it had.
 *
 * @param id the configured server id (HERALD_TITLE wins over it)
 * @param serverToken the shared secret of the cluster ({@code .serverToken}); never printed
 * @param exposeErrors {@code null} for {@code auto}: everywhere but in production
 * @param project the project's name, description and version, for the {@code status} action
 * @param maxResqueQueueLength the jobs waiting in the task queues above which {@code status} says Unhealthy
 */
public record CoreSettings(String id, String serverToken, int simultaneousActions, boolean disableParamScrubbing,
        Boolean exposeErrors, long replacementGraceMillis, int maxHeapPercent,
        Duration clusterHeartbeat, Duration clusterMemberTimeout, ProjectInfo project, long maxResqueQueueLength) {

    /** What config/io.herald.core.cfg ships as {@code .serverToken} when HERALD_SERVER_TOKEN is not set. */
    static final String PLACEHOLDER_SERVER_TOKEN = "change-me";

    /** The secrets of this PID, as their public (refused) key names. */
    private static final List<String> SECRETS = List.of("serverToken");

    /**
     * @param config the configuration as DS converts it
     * @param properties the same configuration as given (the component properties), to quote wrong values and find
     *     public secret keys
     * @throws ConfigurationException naming the key when a value is wrong, or when a secret is written under its
     *     public key
     */
    public static CoreSettings read(CoreConfig config, Map<String, ?> properties) throws ConfigurationException {
        refusePublicSecrets(properties);
        long heartbeat = whole(properties, "clusterHeartbeatMillis", config::clusterHeartbeatMillis, 100);
        long memberTimeout = whole(properties, "clusterMemberTimeoutMillis", config::clusterMemberTimeoutMillis, 200);
        if (memberTimeout <= heartbeat) {
            throw new ConfigurationException("clusterMemberTimeoutMillis", "must be longer than clusterHeartbeatMillis ("
                    + heartbeat + " ms), or every member would be forgotten between two heartbeats; was " + memberTimeout);
        }
        long maxHeap = whole(properties, "maxHeapPercent", config::maxHeapPercent, 1);
        if (maxHeap > 100) {
            throw new ConfigurationException("maxHeapPercent", "must be between 1 and 100, not " + maxHeap);
        }
        return new CoreSettings(config.id().trim(), config._serverToken(),
                (int) Math.min(Integer.MAX_VALUE, whole(properties, "simultaneousActions", config::simultaneousActions, 1)),
                bool(properties, "disableParamScrubbing", config.disableParamScrubbing()),
                exposeErrors(config.exposeErrors()),
                whole(properties, "replacementGraceMillis", config::replacementGraceMillis, 0), (int) maxHeap,
                Duration.ofMillis(heartbeat), Duration.ofMillis(memberTimeout),
                ProjectInfo.of(config.projectName(), config.projectDescription(), config.projectVersion()),
                whole(properties, "maxResqueQueueLength", config::maxResqueQueueLength, 0));
    }

    /** Empty, or the shipped placeholder: a token every Herald installation knows. */
    public boolean placeholderToken() {
        return serverToken == null || serverToken.isBlank() || serverToken.trim().equals(PLACEHOLDER_SERVER_TOKEN);
    }

    /**
     * Nodes authenticate each other's cluster messages with the token: a guessable one in production is a hole.
     *
     * @throws ConfigurationException when {@code production} and the token is a placeholder
     */
    public void requireSecretToken(boolean production) throws ConfigurationException {
        if (production && placeholderToken()) {
            throw new ConfigurationException(".serverToken", "is empty or the placeholder \"" + PLACEHOLDER_SERVER_TOKEN
                    + "\": production nodes need a secret one (set HERALD_SERVER_TOKEN)");
        }
    }

    /** Whether clients see unexpected exceptions' messages, for a node in {@code production} or not. */
    public boolean exposeErrors(boolean production) {
        return exposeErrors == null ? !production : exposeErrors;
    }

    /** Without the token: records print every component, and this one must never reach a log line. */
    @Override
    public String toString() {
        return "CoreSettings[id=" + id + ", serverToken=" + (serverToken.isEmpty() ? "(empty)" : "(set)")
                + ", simultaneousActions=" + simultaneousActions + ", disableParamScrubbing=" + disableParamScrubbing
                + ", exposeErrors=" + (exposeErrors == null ? "auto" : exposeErrors) + ", replacementGraceMillis=" + replacementGraceMillis + ", maxHeapPercent="
                + maxHeapPercent + ", clusterHeartbeat=" + clusterHeartbeat + ", clusterMemberTimeout="
                + clusterMemberTimeout + ", project=" + project + ", maxResqueQueueLength=" + maxResqueQueueLength + "]";
    }

    /**
     * A secret under a key without the leading dot would be a service property of every service of this PID, which
     * any bundle reads; ignoring it silently would run the node without the secret the operator meant to set. Under
     * OSGi, {@link PublicSecretsPlugin} has already taken the value out and left the key's name under
     * {@link PublicSecretsPlugin#REFUSED_KEY}.
     */
    static void refusePublicSecrets(Map<String, ?> properties) throws ConfigurationException {
        Object refused = properties.get(PublicSecretsPlugin.REFUSED_KEY);
        if (refused != null) {
            throw publicSecret(refused.toString());
        }
        for (String key : properties.keySet()) {
            if (isPublicSecret(key)) {
                throw publicSecret(key);
            }
        }
    }

    /** Whether {@code key} is a secret of this PID spelt without its leading dot (keys are case-insensitive, CM 104.4.3). */
    static boolean isPublicSecret(String key) {
        return SECRETS.stream().anyMatch(key::equalsIgnoreCase);
    }

    private static ConfigurationException publicSecret(String key) {
        return new ConfigurationException(key, "is a secret, and a key without a leading dot is published as a service"
                + " property every bundle can read: write ." + SECRETS.stream().filter(key::equalsIgnoreCase).findFirst()
                        .orElse(key) + " instead");
    }

    private static long whole(Map<String, ?> properties, String key, LongSupplier converted, long min)
            throws ConfigurationException {
        long value;
        try {
            value = converted.getAsLong();
        } catch (RuntimeException e) {
            // DS could not convert the value (Felix SCR: a ComponentException on access)
            throw new ConfigurationException(key, "must be a whole number, not '" + properties.get(key) + "'");
        }
        if (value < min) {
            throw new ConfigurationException(key, "must be at least " + min + ", not " + value);
        }
        return value;
    }

    /** DS would read any string but "true" as false; a typo must not silently turn a setting off. */
    private static boolean bool(Map<String, ?> properties, String key, boolean converted) throws ConfigurationException {
        Object raw = properties.get(key);
        if (raw == null || raw instanceof Boolean) {
            return converted;
        }
        String text = raw.toString().trim().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new ConfigurationException(key, "must be true or false, not '" + raw + "'");
        }
        return text.equals("true");
    }

    private static Boolean exposeErrors(String value) throws ConfigurationException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new ConfigurationException("exposeErrors", "must be auto, true or false, not '" + value + "'");
        };
    }
}
