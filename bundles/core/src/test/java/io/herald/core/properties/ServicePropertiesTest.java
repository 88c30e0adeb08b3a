package io.herald.core.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServicePropertiesTest {

    @Test
    void lists_come_as_arrays_collections_or_comma_separated_strings() {
        assertEquals(List.of("a", "b"), ServiceProperties.strings(Map.of("k", new String[] {"a", "b"}), "k"));
        assertEquals(List.of("a", "b", "c"), ServiceProperties.strings(Map.of("k", new String[] {"a, b", " c "}), "k"),
                "a .cfg file delivers one comma-separated string even for an array attribute");
        assertEquals(List.of("x", "y"), ServiceProperties.strings(Map.of("k", List.of("x", "y")), "k"));
        assertEquals(List.of("p", "q"), ServiceProperties.strings(Map.of("k", "p,q"), "k"));
        assertEquals(List.of(), ServiceProperties.strings(Map.of(), "k"));
    }

    @Test
    void numbers_and_booleans_accept_strings_from_configuration_files() {
        assertEquals(7, ServiceProperties.integer(Map.of("k", "7"), "k", 0));
        assertEquals(3, ServiceProperties.integer(Map.of(), "k", 3));
        assertEquals(true, ServiceProperties.bool(Map.of("k", "true"), "k", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceProperties.integer(Map.of("k", "seven"), "k", 0));
        assertEquals("k must be a whole number, was \"seven\"", e.getMessage());
    }
}
