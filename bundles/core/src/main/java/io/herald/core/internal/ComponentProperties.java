package io.herald.core.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service properties Declarative Services derives from a component property type annotation (DS 1.4, 112.8.2):
 * {@code PREFIX_} plus each element's name. Used when actions run without OSGi, so they carry the same metadata.
 */
public final class ComponentProperties {

    private ComponentProperties() {
    }

    public static Map<String, Object> of(Annotation annotation) {
        Class<? extends Annotation> type = annotation.annotationType();
        String prefix = "";
        try {
            prefix = (String) type.getField("PREFIX_").get(null);
        } catch (ReflectiveOperationException e) {
            // No prefix declared: element names are the property names.
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Method element : type.getDeclaredMethods()) {
            if (element.getParameterCount() != 0) {
                continue;
            }
            try {
                properties.put(prefix + element.getName(), element.invoke(annotation));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + element.getName(), e);
            }
        }
        return properties;
    }
}
