package io.herald.server.web.internal;

import org.osgi.service.cm.ConfigurationException;

/**
 * Response compression, checked from {@link WebServerConfig}.
 *
 * @param enabled whether responses are compressed for clients that accept it
 * @param minSize responses smaller than this many bytes are sent as they are
 */
record CompressionSettings(boolean enabled, int minSize) {

    static CompressionSettings from(WebServerConfig config) throws ConfigurationException {
        long minSize = config.compressionMinSize();
        if (minSize < 0 || minSize > Integer.MAX_VALUE) {
            throw new ConfigurationException("compressionMinSize", "must be between 0 and " + Integer.MAX_VALUE
                    + " bytes, was " + minSize);
        }
        return new CompressionSettings(config.compression(), (int) minSize);
    }
}
