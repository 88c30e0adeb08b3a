package io.herald.middleware.params.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.ActionMiddleware;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Redactor;
import io.herald.core.properties.InvalidPropertyException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The enabled switch without OSGi: a publisher that records what is registered, as the bundle's context would. */
class ParamFilteringTest {

    /** Services registered now, by type; and how many registrations were made in all. */
    private final Map<Class<?>, Object> registered = new HashMap<>();
    private final List<Map<String, Object>> middlewareProperties = new ArrayList<>();
    private int publications;

    private final Publisher publisher = new Publisher() {
        @Override
        public <S> Published publish(Class<S> type, S service, Map<String, Object> properties) {
            if (registered.putIfAbsent(type, service) != null) {
                throw new AssertionError(type.getSimpleName() + " registered twice");
            }
            if (type == ActionMiddleware.class) {
                middlewareProperties.add(properties);
            }
            publications++;
            return () -> {
                if (registered.remove(type) == null) {
                    throw new AssertionError(type.getSimpleName() + " withdrawn twice");
                }
            };
        }
    };

    private final ParamFiltering filtering = new ParamFiltering(publisher, Messages::defaults);
    private final Logger log = (Logger) LoggerFactory.getLogger(ParamFiltering.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @AfterEach
    void detach() {
        log.detachAppender(lines);
    }

    @Test
    void without_configuration_both_services_run_with_the_defaults() {
        filtering.apply(Map.of());
        assertTrue(filtering.isOn());
        Redactor redactor = (Redactor) registered.get(Redactor.class);
        assertEquals(Redactor.FILTERED, redactor.params(Map.of("password", "x")).get("password"));
        assertSame(filtering.limits(), registered.get(ActionMiddleware.class));
        assertEquals(Map.of("herald.middleware.name", "paramLimits", "herald.middleware.global", true,
                "herald.middleware.priority", 10), middlewareProperties.get(0));
    }

    @Test
    void disabling_withdraws_both_and_enabling_registers_them_again() {
        filtering.apply(Map.of("enabled", "true"));
        filtering.applyEdit(Map.of("enabled", "false"));
        assertFalse(filtering.isOn());
        assertTrue(registered.isEmpty());
        filtering.applyEdit(Map.of("enabled", "yes"));
        assertTrue(filtering.isOn());
        assertEquals(2, registered.size());
        assertEquals(4, publications);
    }

    @Test
    void disabled_from_the_start_registers_nothing() {
        filtering.apply(Map.of("enabled", "false"));
        assertFalse(filtering.isOn());
        assertTrue(registered.isEmpty());
    }

    @Test
    void other_edits_apply_in_place_without_registering_again() {
        filtering.apply(Map.of());
        Object redactor = registered.get(Redactor.class);
        filtering.applyEdit(Map.of("filtered", "pin, *Code", "maxParams", "7"));
        assertEquals(2, publications);
        assertSame(redactor, registered.get(Redactor.class));
        Map<String, Object> shown = ((Redactor) redactor).params(Map.of("pin", "1", "authCode", "2", "password", "3"));
        assertEquals(Map.of("pin", Redactor.FILTERED, "authCode", Redactor.FILTERED, "password", "3"), shown);
        assertEquals(7, filtering.limits().limits().maxParams());
    }

    @Test
    void a_broken_edit_logs_one_line_and_withdraws_both_until_a_good_one_comes() {
        filtering.apply(Map.of());
        lines.start();
        log.addAppender(lines);
        filtering.applyEdit(Map.of("maxParams", "many"));
        assertFalse(filtering.isOn());
        assertTrue(registered.isEmpty());
        assertEquals(1, lines.list.size());
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.startsWith("io.herald.middleware.params.cfg not applied: maxParams must be a whole number, was \"many\""),
                line);
        filtering.applyEdit(Map.of("maxParams", "50"));
        assertTrue(filtering.isOn());
        assertEquals(50, filtering.limits().limits().maxParams());
    }

    @Test
    void a_broken_configuration_at_start_is_an_error_naming_the_key() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> filtering.apply(Map.of("maxParamDepth", "0")));
        assertEquals("maxParamDepth", e.property());
        assertEquals("maxParamDepth must be between 1 and 1000, was 0", e.getMessage());
        assertFalse(filtering.isOn());
    }

    @Test
    void withdrawing_when_the_component_stops() {
        filtering.apply(Map.of());
        assertTrue(filtering.withdraw());
        assertTrue(registered.isEmpty());
        assertFalse(filtering.withdraw());
    }

    @Test
    void settings_read_the_configuration_file_values() {
        ParamsSettings settings = ParamsSettings.from(Map.of("filtered", "a, b*", "filteredResponse", "", "enabled", "1",
                "maxLogStringLength", "20", "maxParamLength", "1024"));
        assertTrue(settings.enabled());
        assertEquals(List.of("a", "b*"), settings.redaction().params().patterns());
        assertTrue(settings.redaction().response().isEmpty());
        assertEquals(20, settings.redaction().maxStringLength());
        assertEquals(1024, settings.limits().maxParamLength());
        ParamsSettings defaults = ParamsSettings.DEFAULTS;
        assertNotNull(defaults);
        assertEquals(ParamsSettings.DEFAULT_FILTERED, defaults.redaction().params().patterns());
        assertEquals(ParamLimits.DEFAULTS, defaults.limits());
        assertEquals(256, defaults.redaction().maxStringLength());
    }

    @Test
    void a_present_but_empty_filtered_list_filters_nothing() {
        ParamsSettings settings = ParamsSettings.from(Map.of("filtered", ""));
        assertFalse(settings.redaction().params().matches("password"));
    }

    @Test
    void a_pattern_with_a_control_character_is_refused() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> ParamsSettings.from(Map.of("filtered", "a\u0001b")));
        assertEquals("filtered", e.property());
    }
}
