package io.herald.server.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The configuration of the web server, PID {@code io.herald.server.web} (file {@code config/io.herald.server.web.cfg}).
 * Defaults follow Actionhero's {@code config/web.ts}. Types, options and minimums are what the launcher checks a staged
 * value against; {@link WebSettings} checks the rest (a port or a socket path, a host, a path, header syntax).
 */
@ObjectClassDefinition(name = "Herald web server",
        description = "Serves actions over HTTP (Actionhero's web server). The server runs only while this configuration exists.")
public @interface WebServerConfig {

    @AttributeDefinition(description = "false: no port is opened at all (Actionhero's web.enabled).")
    boolean enabled() default true;

    @AttributeDefinition(description = "A TCP port 0-65535 (0 picks a free one), or the path of a unix domain socket, "
            + "containing '/', such as /tmp/herald.sock (for nginx: proxy_pass http://unix:/tmp/herald.sock).")
    String port() default "8080";

    @AttributeDefinition(description = "The address to listen on: an IP address or a host name. Empty: every interface. "
            + "Ignored for a unix socket.")
    String bindHost() default "";

    @AttributeDefinition(description = "The URL path actions are served under: <urlPathForActions>/<action>. / serves "
            + "them at the root.")
    String urlPathForActions() default "/api";

    @AttributeDefinition(description = "The largest request body accepted, in bytes; larger ones get 413.",
            min = "0", max = "2147483639")
    long maxBodySize() default 1048576;

    @AttributeDefinition(description = "After a body over maxBodySize is refused with 413, at most this many more bytes of it "
            + "are read and discarded before the connection is closed, so a client still sending it reads the 413 instead "
            + "of a connection reset. 0: close at once.", min = "0")
    long maxDrainSize() default 16777216;

    @AttributeDefinition(description = "The longest the rest of a refused body is read and discarded (see maxDrainSize), in "
            + "milliseconds; then the connection is closed. No thread waits meanwhile. 0: close at once.", min = "0")
    long drainTimeout() default 5000;

    @AttributeDefinition(description = "On stop, how long requests in flight may take to finish, in milliseconds. New "
            + "connections are refused at once; requests arriving on open connections meanwhile get 503.", min = "0")
    long shutdownTimeout() default 10000;

    @AttributeDefinition(description = "Add serverInformation to responses. auto: on unless the environment is production.",
            options = { @Option(value = "auto"), @Option(value = "true"), @Option(value = "false") })
    String serverInformation() default "auto";

    @AttributeDefinition(description = "Add requesterInformation to responses. auto: on unless the environment is production.",
            options = { @Option(value = "auto"), @Option(value = "true"), @Option(value = "false") })
    String requesterInformation() default "auto";

    @AttributeDefinition(description = "The routes file (JSON, Actionhero's routes shape). Empty: "
            + "<herald.home>/config/routes.json. A missing file means no custom routes; the file is reloaded when it changes.")
    String routesFile() default "";

    @AttributeDefinition(description = "The cookie that carries the client's fingerprint (Actionhero's fingerprintOptions.cookieKey).")
    String fingerprintCookie() default "sessionID";

    @AttributeDefinition(description = "Headers added to every response, each \"Name: value\". Several in one string are "
            + "separated by |. A header with an empty value is not sent.")
    String[] responseHeaders() default { "X-Powered-By: Herald" };

    @AttributeDefinition(description = "Proxies whose X-Forwarded-For, X-Forwarded-Port, X-Forwarded-Proto and X-Real-IP "
            + "headers are believed: IP addresses and CIDR ranges, comma-separated. Connections over a unix domain socket "
            + "count as from a trusted proxy. Headers from anyone else are ignored.")
    String[] trustedProxies() default { "127.0.0.0/8", "::1" };

    // HTTPS (Actionhero's web.secure with serverOptions key/cert). PEM files or a key store: one or the other.

    @AttributeDefinition(description = "HTTPS: the server's certificate chain, PEM (its own certificate first, then the "
            + "intermediates). With tlsPrivateKey. Empty, and tlsKeyStore empty: plain HTTP.")
    String tlsCertificate() default "";

    @AttributeDefinition(description = "HTTPS: the private key of tlsCertificate, PEM, unencrypted: PKCS#8 (BEGIN PRIVATE KEY), "
            + "PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY).")
    String tlsPrivateKey() default "";

    @AttributeDefinition(description = "HTTPS: a PKCS12 or JKS key store with the server's key and certificate, instead of "
            + "the PEM files. Its key must open with the store's password.")
    String tlsKeyStore() default "";

    /** Written {@code .tlsKeyStorePassword} in the file: private, never in the component's properties' public view. */
    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD,
            description = "The password of tlsKeyStore (private: written .tlsKeyStorePassword).")
    String _tlsKeyStorePassword() default "";

    @AttributeDefinition(description = "With HTTPS: offer HTTP/2 in the TLS handshake (ALPN), HTTP/1.1 for clients without it.")
    boolean http2() default true;

    @AttributeDefinition(description = "Without HTTPS: also accept HTTP/2 in clear text (h2c: prior knowledge or an "
            + "Upgrade: h2c request), for a proxy that speaks HTTP/2 to its backends.")
    boolean h2c() default false;

    @AttributeDefinition(description = "Send Strict-Transport-Security on HTTPS responses. auto: in production only.",
            options = { @Option(value = "auto"), @Option(value = "true"), @Option(value = "false") })
    String hsts() default "auto";

    @AttributeDefinition(description = "The max-age of Strict-Transport-Security, in seconds (one year).", min = "0")
    long hstsMaxAge() default 31536000;

    @AttributeDefinition(description = "Add includeSubDomains to Strict-Transport-Security.")
    boolean hstsIncludeSubDomains() default false;
}
