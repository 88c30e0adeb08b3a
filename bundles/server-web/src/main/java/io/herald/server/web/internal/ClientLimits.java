package io.herald.server.web.internal;

import org.osgi.service.cm.ConfigurationException;

import io.herald.api.spi.HeraldError;

/**
 * What a slow or greedy client may hold of the server (the hostile-input settings of {@link WebServerConfig}): how
 * long its request may take to arrive, how slowly its body may come, how many connections one address may hold, and
 * how many connections may wait to be accepted.
 *
 * @param idleTimeoutMillis a connection that receives nothing for this long is closed (Jetty's idle timeout)
 * @param requestHeaderTimeoutMillis a request's headers must be complete within this (0: no limit)
 * @param requestBodyTimeoutMillis a request's body must be complete within this (0: no limit)
 * @param minRequestDataRate after the first {@link #RATE_GRACE_MILLIS} of a body, the bytes per second it must average
 *        (0: no minimum)
 * @param maxConnectionsPerAddress connections one client address may hold; trusted proxies are exempt (0: no limit)
 * @param acceptBacklog connections the kernel queues before they are accepted
 */
record ClientLimits(long idleTimeoutMillis, long requestHeaderTimeoutMillis, long requestBodyTimeoutMillis,
        long minRequestDataRate, int maxConnectionsPerAddress, int acceptBacklog) {

    /** The minimum data rate is checked from this long after the body's first read on. */
    static final long RATE_GRACE_MILLIS = 1000;

    static ClientLimits from(WebServerConfig config) throws ConfigurationException {
        return new ClientLimits(atLeast("idleTimeout", config.idleTimeout(), 1),
                atLeast("requestHeaderTimeout", config.requestHeaderTimeout(), 0),
                atLeast("requestBodyTimeout", config.requestBodyTimeout(), 0),
                atLeast("minRequestDataRate", config.minRequestDataRate(), 0),
                (int) Math.min(Integer.MAX_VALUE, atLeast("maxConnectionsPerAddress", config.maxConnectionsPerAddress(), 0)),
                (int) Math.min(65535, atLeast("acceptBacklog", config.acceptBacklog(), 1)));
    }

    /**
     * Why a body {@code elapsedMillis} into its arrival with {@code received} bytes so far is too slow (408), or
     * {@code null} while it keeps within requestBodyTimeout and minRequestDataRate. One wording for every kind of body
     * ({@link BodyReader}, {@link MultipartBody}).
     */
    WebException tooSlow(long elapsedMillis, long received) {
        if (requestBodyTimeoutMillis > 0 && elapsedMillis >= requestBodyTimeoutMillis) {
            return new WebException(HeraldError.REQUEST_TIMEOUT,
                    "the body was not complete after " + requestBodyTimeoutMillis + " ms (requestBodyTimeout)");
        }
        if (minRequestDataRate > 0 && elapsedMillis >= RATE_GRACE_MILLIS
                && received * 1000L < minRequestDataRate * elapsedMillis) {
            return new WebException(HeraldError.REQUEST_TIMEOUT,
                    "the body arrived slower than " + minRequestDataRate + " bytes per second (minRequestDataRate)");
        }
        return null;
    }

    /** Whether a body needs the periodic check of {@link #tooSlow}. */
    boolean bodyChecked() {
        return requestBodyTimeoutMillis > 0 || minRequestDataRate > 0;
    }

    private static long atLeast(String name, long value, long min) throws ConfigurationException {
        if (value < min) {
            throw new ConfigurationException(name, "must be " + min + " or more, was " + value);
        }
        return value;
    }
}
