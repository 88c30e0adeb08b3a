package io.herald.redis.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A named Redis connection: factory PID {@value ConnectionConfig#FACTORY_PID}, one file
 * {@code io.herald.redis.connection-<name>.cfg} per connection. Values that may come from empty environment variables
 * are strings, parsed by {@link ConnectionSettings} with messages that name the key.
 *
 * <p>The secrets are private keys, written with a leading dot ({@code .password}, {@code .sentinelPassword},
 * {@code .sslTrustStorePassword}; the {@code _} of the element names), the ConfigAdmin convention for what must not
 * become a service property (DS 112.6); their public spelling is refused.
 */
@ObjectClassDefinition(name = "Herald Redis connection",
        description = "One named Redis connection (standalone, Sentinel or Cluster).")
@interface ConnectionConfig {

    String FACTORY_PID = "io.herald.redis.connection";

    @AttributeDefinition(description = "The connection's name (client, subscriber, tasks, ...); empty: the part of"
            + " the file name after the factory PID")
    String name() default "";

    @AttributeDefinition(description = "auto, standalone, sentinel or cluster; auto: cluster when clusterNodes is set,"
            + " sentinel when sentinels is set, standalone when host is set, else not configured")
    String mode() default "auto";

    String host() default "";

    // Typed, so the launcher refuses REDIS_PORT=x before anything starts (an empty value means the default).
    @AttributeDefinition(description = "empty: 6379", min = "1", max = "65535")
    int port() default 6379;

    @AttributeDefinition(description = "the database number (not on Cluster); empty: 0", min = "0")
    int db() default 0;

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "the data nodes' password (private: written .password)")
    String _password() default "";

    @AttributeDefinition(name = "URL", type = AttributeType.PASSWORD, description = "the server as one URL, "
            + "redis://[[user]:password@]host[:port][/db] or rediss:// for TLS, instead of host, port, db, user and "
            + ".password (private: written .url)")
    String _url() default "";

    @AttributeDefinition(description = "the user for Redis ACLs; empty: the default user")
    String user() default "";

    @AttributeDefinition(description = "true: TLS to the data nodes (standalone server, Sentinel leader, Cluster nodes)")
    String ssl() default "false";

    @AttributeDefinition(description = "PEM file of the CA certificate(s) to trust for TLS; empty: the JVM's trust store")
    String sslCaFile() default "";

    @AttributeDefinition(description = "PKCS12 or JKS trust store to use for TLS instead of sslCaFile")
    String sslTrustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD,
            description = "the password of sslTrustStore (private: written .sslTrustStorePassword)")
    String _sslTrustStorePassword() default "";

    @AttributeDefinition(description = "false: accept a certificate that does not name the host dialled (the CA is"
            + " still checked)")
    String sslVerifyHostname() default "true";

    @AttributeDefinition(description = "comma-separated host:port of the sentinels")
    String sentinels() default "";

    String masterName() default "";

    @AttributeDefinition(name = "Sentinel password", type = AttributeType.PASSWORD,
            description = "the sentinels' password (private: written .sentinelPassword)")
    String _sentinelPassword() default "";

    @AttributeDefinition(description = "comma-separated host:port seed nodes of a Redis Cluster")
    String clusterNodes() default "";

    String connectTimeoutMillis() default "2000";

    String socketTimeoutMillis() default "2000";

    String poolMaxTotal() default "32";

    @AttributeDefinition(description = "how long commands that failed on a connection error are retried")
    String retryWindowMillis() default "5000";
}
