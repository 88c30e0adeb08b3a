package io.herald.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The metadata of one registered action version, as middleware and documentation see it.
 *
 * @since 1.0
 */
@ProviderType
public interface ActionDescriptor {

    String name();

    int version();

    String description();

    List<String> middleware();

    List<String> blockedConnectionTypes();

    String logLevel();

    boolean toDocument();

    /** Whether transports may add their metadata to the response ({@link ActionDefinition#responseMetadata()}). */
    boolean responseMetadata();

    /** The example response as JSON, or an empty string. */
    String outputExample();

    Inputs inputs();

    /**
     * Whether only an authenticated caller may run it: {@link ActionDefinition#authenticated()}, or any
     * {@link #roles()}.
     *
     * @since 1.1
     */
    boolean authenticated();

    /** The roles a caller must all have ({@link ActionDefinition#roles()}). @since 1.1 */
    List<String> roles();

    /**
     * Whether the params it does not declare are removed before it runs ({@link ActionDefinition#scrubParams()}).
     *
     * @since 1.1
     */
    default boolean scrubParams() {
        return true;
    }

    /**
     * Every service property of the action, including ones added by other annotations (for example an
     * authentication middleware's {@code herald.auth.*} properties).
     */
    Map<String, Object> properties();
}
