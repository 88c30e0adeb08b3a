package io.herald.server.tcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the TCP server, PID {@code io.herald.server.tcp} (file {@code config/io.herald.server.tcp.cfg}).
 * Defaults follow Actionhero's socket server (port 5000, opt-in); the limits are Herald's. Types and minimums are what
 * the launcher checks a staged value against; {@link TcpSettings} checks the rest.
 */
@ObjectClassDefinition(name = "Herald TCP server",
        description = "Serves actions and chat over plain TCP, one JSON or text line per message (Actionhero's socket "
                + "server). The server runs only while this configuration exists and enabled is true.")
public @interface TcpServerConfig {

    @AttributeDefinition(description = "true: open the port (Actionhero's socket server was opt-in too).")
    boolean enabled() default false;

    @AttributeDefinition(description = "The TCP port, 0-65535 (0 picks a free one).", min = "0", max = "65535")
    int port() default 5000;

    @AttributeDefinition(description = "The address to listen on: an IP address or a host name. Empty: every interface.")
    String bindHost() default "";

    @AttributeDefinition(description = "The longest message (line) accepted, in bytes; a longer one is answered with an "
            + "error and the connection is closed, without reading it into memory.", min = "16")
    int maxLineLength() default 65536;

    @AttributeDefinition(description = "Messages one connection may send per second; the excess is refused with an error, "
            + "and a connection that sends twice as many in a second is closed.", min = "1")
    int maxMessagesPerSecond() default 100;

    @AttributeDefinition(description = "A connection without a message from its client for this many milliseconds is "
            + "closed (also closes half-open sockets). 0: never.", min = "0")
    long idleTimeout() default 300000;

    @AttributeDefinition(description = "The most connections open at once; more are answered with an error and closed.",
            min = "1")
    int maxConnections() default 10000;

    @AttributeDefinition(description = "The most messages that may wait for a client to read them; a client that falls "
            + "further behind is closed.", min = "1")
    int maxPendingMessages() default 1000;

    @AttributeDefinition(description = "On stop, how long actions in flight may take to finish, in milliseconds.",
            min = "0")
    long shutdownTimeout() default 10000;

    @AttributeDefinition(description = "TLS: the server's certificate chain, PEM (its own certificate first, then the "
            + "intermediates). With tlsPrivateKey. Empty, and tlsKeyStore empty: plain TCP.")
    String tlsCertificate() default "";

    @AttributeDefinition(description = "TLS: the private key of tlsCertificate, PEM, unencrypted: PKCS#8, PKCS#1 (RSA) or "
            + "SEC1 (EC).")
    String tlsPrivateKey() default "";

    @AttributeDefinition(description = "A PKCS12 or JKS key store with the server's key and certificate: TLS on the port, "
            + "instead of the PEM files. Empty: plain TCP.")
    String tlsKeyStore() default "";

    /** Written {@code .tlsKeyStorePassword} in the file: private, never in the component's properties' public view. */
    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD,
            description = "The password of tlsKeyStore (private: written .tlsKeyStorePassword).")
    String _tlsKeyStorePassword() default "";
}
