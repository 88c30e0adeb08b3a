package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationException;

/** Reading the configuration: defaults, port or socket, metadata modes, headers, mistakes. */
class WebSettingsTest {

    private static WebSettings settings(Map<String, ?> values, boolean production) throws ConfigurationException {
        return WebSettings.from(TestConfig.of(values), production, "/opt/herald");
    }

    /** The property and the reason of the ConfigurationException the values cause. */
    private static String failure(Map<String, ?> values) {
        ConfigurationException failure = assertThrows(ConfigurationException.class, () -> settings(values, false));
        return failure.getProperty() + ": " + failure.getReason();
    }

    @Test
    void the_defaults_are_actionheros() throws Exception {
        WebSettings settings = settings(Map.of(), false);

        assertTrue(settings.enabled());
        assertEquals(ListenAddress.tcp(8080, null), settings.address());
        assertEquals(List.of("api"), settings.actionsPath());
        assertEquals("/api", settings.actionsPathPrefix());
        assertEquals(1_048_576, settings.maxBodySize());
        assertEquals(16_777_216, settings.maxDrainSize());
        assertEquals(5_000, settings.drainTimeoutMillis());
        assertEquals(10_000, settings.shutdownTimeoutMillis());
        assertTrue(settings.serverInformation());
        assertTrue(settings.requesterInformation());
        assertEquals(Path.of("/opt/herald/config/routes.json"), settings.routesFile());
        assertEquals("sessionID", settings.fingerprintCookie());
        assertEquals(List.of(new WebSettings.Header("X-Powered-By", "Herald")), settings.responseHeaders());
    }

    @Test
    void hostile_client_limits_have_safe_defaults_and_refuse_negative_values() throws Exception {
        assertEquals(new ClientLimits(30_000, 10_000, 60_000, 1024, 256, 1024), settings(Map.of(), false).clientLimits());
        assertEquals(new ClientLimits(1, 0, 0, 0, 0, 1), settings(Map.of("idleTimeout", 1L, "requestHeaderTimeout", 0L,
                "requestBodyTimeout", 0L, "minRequestDataRate", 0L, "maxConnectionsPerAddress", 0L, "acceptBacklog", 1L), false)
                .clientLimits());
        assertEquals("requestHeaderTimeout: must be 0 or more, was -1", failure(Map.of("requestHeaderTimeout", -1L)));
        assertEquals("idleTimeout: must be 1 or more, was 0", failure(Map.of("idleTimeout", 0L)));
        assertEquals("acceptBacklog: must be 1 or more, was 0", failure(Map.of("acceptBacklog", 0L)));
    }

    @Test
    void metadata_auto_is_off_in_production_and_explicit_values_win() throws Exception {
        WebSettings production = settings(Map.of(), true);
        assertFalse(production.serverInformation());
        assertFalse(production.requesterInformation());

        WebSettings explicit = settings(Map.of("serverInformation", "TRUE", "requesterInformation", "false"), true);
        assertTrue(explicit.serverInformation());
        assertFalse(explicit.requesterInformation());

        assertEquals("serverInformation: must be auto, true or false, was \"yes\"", failure(Map.of("serverInformation", "yes")));
    }

    @Test
    void a_port_with_a_slash_is_a_unix_socket() throws Exception {
        WebSettings settings = settings(Map.of("port", "/tmp/herald.sock", "bindHost", "127.0.0.1"), false);

        assertEquals(ListenAddress.unix(Path.of("/tmp/herald.sock")), settings.address());
        assertEquals("unix socket /tmp/herald.sock", settings.address().description());
        assertEquals("127.0.0.1 port 0", settings(Map.of("port", " 0 ", "bindHost", "127.0.0.1"), false).address().description());
    }

    @Test
    void a_port_is_a_tcp_port_or_a_socket_path() {
        String accepted = "port: must be a TCP port (0-65535) or a unix socket path containing '/', was ";
        assertEquals(accepted + "\"http\"", failure(Map.of("port", "http")));
        assertEquals(accepted + "\"70000\"", failure(Map.of("port", "70000")));
        assertEquals(accepted + "\"-1\"", failure(Map.of("port", "-1")));
        assertEquals(accepted + "\"\"", failure(Map.of("port", " ")));
        assertEquals(accepted + "\"80 80\"", failure(Map.of("port", "80 80")));
    }

    @Test
    void the_bind_host_is_an_address_or_a_host_name() throws Exception {
        for (String host : new String[] { "127.0.0.1", "::1", "[::1]", "2001:db8::1", "localhost", "api.example.com" }) {
            assertEquals(host, settings(Map.of("bindHost", " " + host + " "), false).address().bindHost());
        }
        String accepted = "bindHost: must be an IP address or a host name (empty: every interface), was ";
        assertEquals(accepted + "\"http://localhost\"", failure(Map.of("bindHost", "http://localhost")));
        assertEquals(accepted + "\"256.1.1.1\"", failure(Map.of("bindHost", "256.1.1.1")));
        assertEquals(accepted + "\"1.2.3\"", failure(Map.of("bindHost", "1.2.3")));
        assertEquals(accepted + "\"local host\"", failure(Map.of("bindHost", "local host")));
        assertEquals(accepted + "\"::g\"", failure(Map.of("bindHost", "::g")));
    }

    @Test
    void the_actions_path_is_normalised() throws Exception {
        assertEquals(List.of("v1", "api"), settings(Map.of("urlPathForActions", "v1/api/"), false).actionsPath());
        assertEquals("", settings(Map.of("urlPathForActions", "/"), false).actionsPathPrefix());
        assertEquals(List.of("api~v1", "a:b@c"), settings(Map.of("urlPathForActions", "/api~v1/a:b@c"), false).actionsPath());
    }

    @Test
    void the_actions_path_is_a_plain_url_path() {
        for (String path : new String[] { "/api v1", "/api?x=1", "/api#top", "/a%20b", "/api/../admin", "/./api", "/api;v=1" }) {
            assertEquals("urlPathForActions: must be a URL path such as /api (segments of letters, digits and "
                    + "-._~!$&'()*+,=:@; / alone serves actions at the root), was \"" + path + "\"",
                    failure(Map.of("urlPathForActions", path)));
        }
    }

    @Test
    void response_headers_are_name_value_pairs_and_an_empty_value_turns_one_off() throws Exception {
        WebSettings settings = settings(Map.of("responseHeaders",
                new String[] { "X-Powered-By:", "X-Frame-Options: DENY | Cache-Control: no-store, max-age=0" }), false);

        assertEquals(List.of(new WebSettings.Header("X-Frame-Options", "DENY"),
                new WebSettings.Header("Cache-Control", "no-store, max-age=0")), settings.responseHeaders());
        String accepted = "responseHeaders: entries must read \"Name: value\" (a header name, then a value without control "
                + "characters), several separated by |, was ";
        assertEquals(accepted + "\"no colon\"", failure(Map.of("responseHeaders", new String[] { "no colon" })));
        assertEquals(accepted + "\"Bad Name: x\"", failure(Map.of("responseHeaders", new String[] { "Bad Name: x" })));
        assertEquals(accepted + "\"X-Split: a\rb\"", failure(Map.of("responseHeaders", new String[] { "X-Split: a\rb" })));
    }

    @Test
    void the_routes_file_may_name_herald_home() throws Exception {
        assertEquals(Path.of("/opt/herald/etc/r.json"),
                settings(Map.of("routesFile", "${herald.home}/etc/r.json"), false).routesFile());
    }

    @Test
    void mistakes_name_the_attribute() {
        assertEquals("maxBodySize: must be between 0 and 2147483639 bytes, was -1", failure(Map.of("maxBodySize", -1L)));
        assertEquals("maxBodySize: must be between 0 and 2147483639 bytes, was 2147483640",
                failure(Map.of("maxBodySize", 2147483640L)));
        assertEquals("maxDrainSize: must be 0 or more bytes, was -1", failure(Map.of("maxDrainSize", -1L)));
        assertEquals("drainTimeout: must be 0 or more milliseconds, was -1", failure(Map.of("drainTimeout", -1L)));
        assertEquals("shutdownTimeout: must be 0 or more milliseconds, was -5", failure(Map.of("shutdownTimeout", -5L)));
        assertEquals("fingerprintCookie: must be a cookie name (letters, digits and !#$%&'*+-.^_`|~), was \"a b\"",
                failure(Map.of("fingerprintCookie", "a b")));
        assertEquals("routesFile: must be a file path (empty: <herald.home>/config/routes.json), was \"a\u0000b\": Nul character "
                + "not allowed", failure(Map.of("routesFile", "a\u0000b")));
        assertEquals("trustedProxies: \"proxy.example.com\" is neither an IP address nor a CIDR range",
                failure(Map.of("trustedProxies", new String[] {"10.0.0.0/8, proxy.example.com"})));
        assertEquals("trustedProxies: \"10.0.0.0/33\" is neither an IP address nor a CIDR range",
                failure(Map.of("trustedProxies", new String[] {"10.0.0.0/33"})));
    }

    @Test
    void trusted_proxies_default_to_loopback_and_take_ranges() throws Exception {
        assertEquals(List.of("127.0.0.0/8", "::1"), settings(Map.of(), false).trustedProxies().entries());
        TrustedProxies proxies = settings(Map.of("trustedProxies", new String[] {"10.0.0.0/8, 2001:db8::/32"}), false)
                .trustedProxies();
        assertTrue(proxies.trusts("10.1.2.3") && proxies.trusts("2001:db8::5"));
        assertFalse(proxies.trusts("127.0.0.1") || proxies.trusts("11.0.0.1") || proxies.trusts("localhost"));
    }

    // ---- static files and compression

    @Test
    void static_files_default_to_public_under_the_home_as_in_actionhero() throws Exception {
        WebSettings settings = settings(Map.of(), false);

        assertEquals(List.of(Path.of("/opt/herald/public")), settings.staticFiles().directories());
        assertEquals("/public", settings.staticFiles().urlPathPrefix());
        assertTrue(settings.staticFiles().atRoot());
        assertEquals("max-age=60, must-revalidate, public", settings.staticFiles().cacheControl());
        assertFalse(settings.staticFiles().followSymlinks());
        assertEquals(new CompressionSettings(true, 1024), settings.compression());
    }

    @Test
    void static_directories_are_in_order_relative_ones_under_the_home() throws Exception {
        WebSettings settings = settings(Map.of("staticDirectories", new String[] { "public, /srv/assets", "${herald.home}/x/../y" },
                "urlPathForFiles", "/static/files/", "rootEndpointType", "API", "flatFileCacheDuration", 0L), false);

        assertEquals(List.of(Path.of("/opt/herald/public"), Path.of("/srv/assets"), Path.of("/opt/herald/y")),
                settings.staticFiles().directories());
        assertEquals("/static/files", settings.staticFiles().urlPathPrefix());
        assertFalse(settings.staticFiles().atRoot());
        assertEquals("max-age=0, must-revalidate, public", settings.staticFiles().cacheControl());
        assertEquals(List.of(), settings(Map.of("staticDirectories", new String[] { "" }), false).staticFiles().directories());
        assertEquals("", settings(Map.of("urlPathForFiles", "/"), false).staticFiles().urlPathPrefix());
    }

    @Test
    void static_file_and_compression_mistakes_name_the_attribute() {
        assertEquals("urlPathForFiles: must be a URL path such as /public (segments of letters, digits and -._~!$&'()*+,=:@; "
                + "/ alone serves files at the root), was \"/a/../b\"", failure(Map.of("urlPathForFiles", "/a/../b")));
        assertEquals("rootEndpointType: must be file or api, was \"both\"", failure(Map.of("rootEndpointType", "both")));
        assertEquals("flatFileCacheDuration: must be 0 or more seconds, was -1", failure(Map.of("flatFileCacheDuration", -1L)));
        assertEquals("compressionMinSize: must be between 0 and 2147483647 bytes, was -1",
                failure(Map.of("compressionMinSize", -1L)));
        assertTrue(failure(Map.of("staticDirectories", new String[] { "a\u0000b" })).startsWith("staticDirectories: must be "
                + "directory paths"));
    }

    @Test
    void browser_settings_follow_actionhero_in_development_and_are_closed_in_production() throws Exception {
        RequestSettings development = settings(Map.of(), false).request();
        assertEquals(List.of("*"), development.cors().originPatterns());
        assertEquals(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"), development.cors().methods());
        assertEquals(List.of("Content-Type", "Authorization", "X-API-Key", "X-Request-Id"), development.cors().headers());
        assertEquals(List.of("X-Request-Id"), development.cors().exposedHeaders());
        assertFalse(development.cors().allowCredentials());
        assertEquals(600, development.cors().maxAgeSeconds());
        assertTrue(development.jsonp());
        assertEquals(1000, development.maxFormFields());
        assertEquals(5, development.maxBracketDepth());
        assertEquals(4096, development.maxQueryLength());
        assertEquals(209_715_200, development.maxUploadSize());
        assertEquals(209_715_200, development.maxUploadFileSize());
        assertTrue(development.uploadDir().endsWith("herald-uploads"));

        RequestSettings production = settings(Map.of(), true).request();
        assertEquals(null, production.cors());
        assertFalse(production.jsonp());
        assertEquals(null, settings(Map.of("corsAllowedOrigins", new String[] {""}), false).request().cors());
    }

    @Test
    void allowed_origins_are_literal_except_for_a_subdomain_wildcard() throws Exception {
        RequestSettings.Cors cors = settings(Map.of("corsAllowedOrigins",
                new String[] {"https://App.example.com, https://*.partner.org, http://localhost:3000"}), true).request().cors();
        assertEquals(3, cors.originPatterns().size());
        assertTrue("https://app.example.com".matches(cors.originPatterns().get(0)));
        assertFalse("https://appXexample.com".matches(cors.originPatterns().get(0)), "a dot is a dot");
        assertTrue("https://a.b.partner.org".matches(cors.originPatterns().get(1)));
        assertFalse("https://partner.org".matches(cors.originPatterns().get(1)));
        assertFalse("https://evil.net/x.partner.org".matches(cors.originPatterns().get(1)));
        assertTrue("http://localhost:3000".matches(cors.originPatterns().get(2)));
    }

    @Test
    void browser_setting_mistakes_name_the_attribute() {
        assertEquals("corsAllowedOrigins: entries must be * or an origin such as https://app.example.com, "
                + "http://localhost:3000 or https://*.example.com (no path), was \"https://example.com/app\"",
                failure(Map.of("corsAllowedOrigins", new String[] {"https://example.com/app"})));
        assertEquals("corsAllowedHeaders: entries must be header or method names, comma-separated, was \"X Bad\"",
                failure(Map.of("corsAllowedHeaders", new String[] {"Content-Type, X Bad"})));
        assertEquals("jsonp: must be auto, true or false, was \"maybe\"", failure(Map.of("jsonp", "maybe")));
        assertEquals("maxFormFields: must be 1 or more, was 0", failure(Map.of("maxFormFields", 0)));
        assertEquals("maxUploadSize: must be 0 or more, was -1", failure(Map.of("maxUploadSize", -1L)));
    }
}
