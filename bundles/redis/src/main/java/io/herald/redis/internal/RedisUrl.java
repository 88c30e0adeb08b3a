package io.herald.redis.internal;

import java.net.URI;
import java.net.URISyntaxException;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A Redis server named by one URL, {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...} for TLS:
 * how Heroku, Render, Railway and most managed Redis services hand it out ({@code REDIS_URL}). Read with Jedis's own URI
 * rules ({@link JedisURIHelper}), so a URL means here what it means to any Jedis client.
 */
record RedisUrl(String host, int port, int db, String user, String password, boolean tls) {

    /** Without the password: records print every component, and this one must never reach a log line. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + db;
    }

    /**
     * @return the URL's parts, or {@code null} for an empty text
     * @throws IllegalArgumentException naming the key and the expected form, never the text (it holds a password)
     */
    static RedisUrl parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("is not a URL (" + e.getReason() + ")");
        }
        if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
            throw invalid("must start with redis:// or rediss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("names no host");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().matches("/\\d*")) {
            throw invalid("has a path that is not a database number");
        }
        HostAndPort address = JedisURIHelper.getHostAndPort(uri);
        int port = uri.getPort() == -1 ? ConnectionSettings.DEFAULT_PORT : address.getPort();
        return new RedisUrl(address.getHost(), port, JedisURIHelper.getDBIndex(uri), blankToNull(JedisURIHelper.getUser(uri)),
                blankToNull(JedisURIHelper.getPassword(uri)), JedisURIHelper.isRedisSSLScheme(uri));
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(".url " + problem + ": write redis://[[user]:password@]host[:port][/db], or "
                + "rediss:// for TLS");
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
