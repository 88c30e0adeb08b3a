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

    // Static files and compression (Actionhero's flat files: urlPathForFiles, rootEndpointType, flatFileCacheDuration).

    @AttributeDefinition(description = "Directories whose files are served, in order (the first that has a path serves "
            + "it), comma-separated. A relative path is under the node's home (PROJECT_ROOT). Empty: no static files. A "
            + "directory that does not exist is skipped.")
    String[] staticDirectories() default { "public" };

    @AttributeDefinition(description = "Files are served under this URL path: /public/app.js is app.js of the first "
            + "static directory that has it (Actionhero's urlPathForFiles).")
    String urlPathForFiles() default "/public";

    @AttributeDefinition(description = "file: paths outside urlPathForActions and urlPathForFiles are files too, so / "
            + "serves index.html (Actionhero's default); api: only urlPathForFiles serves files.",
            options = { @Option(value = "file"), @Option(value = "api") })
    String rootEndpointType() default "file";

    @AttributeDefinition(description = "Seconds browsers may keep a file before asking again: Cache-Control: "
            + "max-age=<this>, must-revalidate, public (Actionhero's flatFileCacheDuration). ETag and Last-Modified "
            + "let them ask cheaply (304).", min = "0")
    long flatFileCacheDuration() default 60;

    @AttributeDefinition(description = "Serve files reached through symbolic links in the static directories. false: a "
            + "path through a link answers 404.")
    boolean followSymlinks() default false;

    @AttributeDefinition(description = "Compress responses (JSON and files) with brotli or gzip for clients that accept it "
            + "(Accept-Encoding), above compressionMinSize bytes.")
    boolean compression() default true;

    @AttributeDefinition(description = "Responses smaller than this many bytes are sent uncompressed.", min = "0",
            max = "2147483647")
    long compressionMinSize() default 1024;

    // ---- Requests: CORS, JSONP, bracket params, query length, uploads (Actionhero's httpHeaders, padding/callback,
    // queryParseOptions and formOptions). Read by RequestSettings.

    @AttributeDefinition(description = "CORS: the origins allowed to call from a browser (https://app.example.com; "
            + "https://*.example.com for subdomains; * for any), comma-separated. auto: * unless the environment is "
            + "production (Actionhero's Access-Control-Allow-Origin: *), none in production. Empty: no CORS headers.")
    String[] corsAllowedOrigins() default { "auto" };

    @AttributeDefinition(description = "CORS: the methods a preflight allows, comma-separated.")
    String[] corsAllowedMethods() default { "GET, HEAD, POST, PUT, PATCH, DELETE" };

    @AttributeDefinition(description = "CORS: the request headers a preflight allows, comma-separated.")
    String[] corsAllowedHeaders() default { "Content-Type, Authorization, X-API-Key, X-Request-Id" };

    @AttributeDefinition(description = "CORS: the response headers a page may read besides the simple ones, "
            + "comma-separated (X-Request-Id: the id to quote when reporting a problem).")
    String[] corsExposedHeaders() default { "X-Request-Id" };

    @AttributeDefinition(description = "CORS: let pages send cookies and credentials (Access-Control-Allow-Credentials: true).")
    boolean corsAllowCredentials() default false;

    @AttributeDefinition(description = "CORS: how long a browser may cache a preflight answer, in seconds.", min = "0")
    long corsMaxAge() default 600;

    @AttributeDefinition(description = "JSONP: a callback param wraps the response as callback(json); "
            + "auto: on unless the environment is production.",
            options = { @Option(value = "auto"), @Option(value = "true"), @Option(value = "false") })
    String jsonp() default "auto";

    @AttributeDefinition(description = "The most name=value pairs (query string and body together, files included) "
            + "one request may carry; more get 422 (qs's parameterLimit).", min = "1")
    int maxFormFields() default 1000;

    @AttributeDefinition(description = "The most brackets in one param name (user[address][city] has 2); more get 422 "
            + "(qs's depth).", min = "0")
    int maxBracketDepth() default 5;

    @AttributeDefinition(description = "The longest query string accepted, in bytes as sent (percent-encoded); "
            + "longer ones get 414.", min = "0")
    int maxQueryLength() default 4096;

    @AttributeDefinition(description = "Where uploaded files are written while their action runs; deleted after it. "
            + "Empty: herald-uploads in the system's temporary directory.")
    String uploadDir() default "";

    @AttributeDefinition(description = "The largest multipart/form-data request (files and fields), in bytes; larger ones "
            + "get 413. 0: uploads are refused (415).", min = "0")
    long maxUploadSize() default 209715200;

    @AttributeDefinition(description = "The largest single uploaded file, in bytes; a larger one gets 413.", min = "0")
    long maxUploadFileSize() default 209715200;

    // Hostile clients (ClientLimits): slow requests, connection hoarding.

    @AttributeDefinition(description = "A connection that receives nothing for this long is closed, in milliseconds "
            + "(Jetty's idle timeout; also the longest wait between two parts of a body).", min = "1")
    long idleTimeout() default 30000;

    @AttributeDefinition(description = "A request's headers must be complete within this, in milliseconds, or the "
            + "connection is closed without an answer (a slowloris client); over HTTPS the TLS handshake too. 0: no limit.",
            min = "0")
    long requestHeaderTimeout() default 10000;

    @AttributeDefinition(description = "A request's body must be complete within this, in milliseconds, or it is "
            + "answered 408 and the connection closed. 0: no limit.", min = "0")
    long requestBodyTimeout() default 60000;

    @AttributeDefinition(description = "From one second into a body on, the bytes per second it must average, or it is "
            + "answered 408 and the connection closed. 0: no minimum.", min = "0")
    long minRequestDataRate() default 1024;

    @AttributeDefinition(description = "The connections one client address may hold at once; more are answered 503 and "
            + "closed. Trusted proxies (trustedProxies) are exempt. 0: no limit.", min = "0")
    long maxConnectionsPerAddress() default 256;

    @AttributeDefinition(description = "How many connections the kernel queues before the server accepts them (the "
            + "listen backlog; the kernel caps it at net.core.somaxconn). Applies when the port is next opened.", min = "1")
    long acceptBacklog() default 1024;

    @AttributeDefinition(description = "Let several nodes on this host listen on the same TCP port (SO_REUSEPORT): the "
            + "kernel spreads new connections over them (`herald cluster` turns it on). A stopping node then lets its "
            + "connections finish on it and reconnect to the others before it answers 503. Ignored for a unix socket. "
            + "Applies when the port is next opened.")
    boolean reusePort() default false;

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
