package io.herald.core.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * {@link CoreConfig} instances for unit tests, converting the given properties as Declarative Services does (DS
 * 112.8.2): {@code _serverToken} reads {@code .serverToken}, strings are parsed to the element's type, a value that
 * cannot be converted throws on access, an absent one gives the element's default.
 */
final class CoreConfigs {

    private CoreConfigs() {
    }

    static CoreConfig of(Map<String, ?> properties) {
        return (CoreConfig) Proxy.newProxyInstance(CoreConfig.class.getClassLoader(), new Class<?>[] {CoreConfig.class},
                (proxy, method, args) -> value(method, properties));
    }

    private static Object value(Method element, Map<String, ?> properties) {
        String name = element.getName();
        Object raw = properties.get(name.startsWith("_") ? "." + name.substring(1) : name);
        if (raw == null) {
            return element.getDefaultValue();
        }
        Class<?> type = element.getReturnType();
        String text = raw.toString().trim();
        if (type == int.class) {
            return raw instanceof Number n ? n.intValue() : Integer.parseInt(text);
        } else if (type == long.class) {
            return raw instanceof Number n ? n.longValue() : Long.parseLong(text);
        } else if (type == boolean.class) {
            return raw instanceof Boolean b ? b : Boolean.parseBoolean(text);
        } else if (type == String[].class) {
            return raw instanceof String[] array ? array : new String[] {raw.toString()};
        }
        return raw.toString();
    }
}
