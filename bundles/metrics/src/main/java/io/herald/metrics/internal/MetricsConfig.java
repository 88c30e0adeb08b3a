package io.herald.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the metrics endpoint, PID {@value MetricsComponent#PID} (file {@code config/io.herald.metrics.cfg}).
 */
@ObjectClassDefinition(name = "Herald metrics",
        description = "Prometheus metrics of the node at /metrics: actions, tasks, the health of its parts, JVM and Jetty.")
public @interface MetricsConfig {

    @AttributeDefinition(description = "false: no metrics are kept and /metrics is not served (ENABLE_METRICS).")
    boolean enabled() default true;

    @AttributeDefinition(description = "The path of the endpoint on the web server's port (and on the metrics port).")
    String path() default "/metrics";

    @AttributeDefinition(description = "While the authentication bundle runs: the role a caller needs to read the "
            + "metrics (HERALD_METRICS_ROLE).")
    String role() default "metrics";

    @AttributeDefinition(description = "true: answer 503 while no authentication runs; false: the endpoint is open "
            + "then (HERALD_METRICS_REQUIRE_AUTHENTICATION).")
    boolean requireAuthentication() default false;

    @AttributeDefinition(description = "A port of the endpoint's own (0-65535, 0 picks a free one), for nodes without a "
            + "web server (workers); empty: none (METRICS_PORT).")
    String port() default "";

    @AttributeDefinition(description = "The address the metrics port listens on; empty: every interface "
            + "(METRICS_BIND_HOST).")
    String bindHost() default "";
}
