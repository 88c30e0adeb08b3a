package io.herald.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Herald's version, written into a resource by the build. */
final class HeraldVersion {

    static final String VALUE = read();

    private HeraldVersion() {
    }

    private static String read() {
        try (InputStream in = HeraldVersion.class.getResourceAsStream("herald-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
