package io.herald.server.web.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.cm.ConfigurationException;

/** A {@link WebServerConfig} as DS would build it: the annotation's defaults, overridden by the given values. */
final class TestConfig {

    private TestConfig() {
    }

    static WebServerConfig of(Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>(overrides);
        return (WebServerConfig) Proxy.newProxyInstance(WebServerConfig.class.getClassLoader(),
                new Class<?>[] { WebServerConfig.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "TestConfig" + values;
                        };
                    }
                    if (method.getName().equals("annotationType")) {
                        return WebServerConfig.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** Settings for a test server: a free port, no routes file unless given, metadata on. */
    static WebSettings settings(Map<String, ?> overrides) {
        return settings(overrides, false);
    }

    /** The same, for a node in production or not. */
    static WebSettings settings(Map<String, ?> overrides, boolean production) {
        Map<String, Object> values = new HashMap<>();
        values.put("port", "0");
        values.put("bindHost", "127.0.0.1");
        values.put("routesFile", "/nonexistent/herald-test-routes.json");
        values.put("shutdownTimeout", 10_000L);
        values.putAll(overrides);
        try {
            return WebSettings.from(of(values), production, null);
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("the test's settings are wrong: " + e.getMessage(), e);
        }
    }
}
