package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class InterpolatorTest {

    private final Interpolator interpolator = new Interpolator(
            Map.of("PORT", "9090", "EMPTY", "", "NESTED", "${env:PORT}"),
            Map.of("herald.home", "/opt/herald")::get);

    private String expand(String value) throws ConfigException {
        return interpolator.expand(value, "config/a.cfg", "key");
    }

    @Test
    void plain_values_are_unchanged() throws ConfigException {
        assertEquals("8080", expand("8080"));
        assertEquals("costs $5 {maybe}", expand("costs $5 {maybe}"));
    }

    @Test
    void environment_variables_and_defaults() throws ConfigException {
        assertEquals("9090", expand("${env:PORT}"));
        assertEquals("9090", expand("${env:PORT:-8080}"));
        assertEquals("8080", expand("${env:UNSET:-8080}"));
        assertEquals("", expand("${env:UNSET:-}"));
        assertEquals("http://0.0.0.0:9090/api", expand("http://0.0.0.0:${env:PORT}/api"));
    }

    @Test
    void empty_variable_takes_the_default_like_the_shell() throws ConfigException {
        assertEquals("fallback", expand("${env:EMPTY:-fallback}"));
        assertEquals("", expand("${env:EMPTY}"));
    }

    @Test
    void system_properties_and_nested_defaults() throws ConfigException {
        assertEquals("/opt/herald/log", expand("${herald.home}/log"));
        assertEquals("/opt/herald/routes.json", expand("${env:ROUTES:-${herald.home}/routes.json}"));
        assertEquals("x", expand("${missing.property:-x}"));
    }

    @Test
    void expanded_values_are_not_expanded_again() throws ConfigException {
        assertEquals("${env:PORT}", expand("${env:NESTED}"));
    }

    @Test
    void double_dollar_is_a_literal() throws ConfigException {
        assertEquals("${env:PORT}", expand("$${env:PORT}"));
    }

    @Test
    void unset_variable_without_default_names_file_key_and_cause() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> interpolator.expand("${env:HERALD_SERVER_TOKEN}", "config/production/io.herald.core.cfg", "serverToken"));
        assertEquals("config/production/io.herald.core.cfg: key serverToken: environment variable HERALD_SERVER_TOKEN"
                + " is not set and ${env:HERALD_SERVER_TOKEN} has no default (write ${env:HERALD_SERVER_TOKEN:-default})",
                error.getMessage());
    }

    @Test
    void unset_system_property_unterminated_and_empty_names_are_errors() {
        assertEquals("config/a.cfg: key key: system property nope is not set and ${nope} has no default (write ${nope:-default})",
                assertThrows(ConfigException.class, () -> expand("${nope}")).getMessage());
        assertEquals("config/a.cfg: key key: unterminated ${ in 'a${env:PORT'",
                assertThrows(ConfigException.class, () -> expand("a${env:PORT")).getMessage());
        assertEquals("config/a.cfg: key key: empty variable name in ${env:}",
                assertThrows(ConfigException.class, () -> expand("${env:}")).getMessage());
    }
}
