package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationException;

/** The io.herald.core configuration: what is refused, with which words, and what is read. */
class CoreSettingsTest {

    private static CoreSettings read(Map<String, ?> properties) throws ConfigurationException {
        return CoreSettings.read(CoreConfigs.of(properties), properties);
    }

    private static ConfigurationException refused(Map<String, ?> properties) {
        return assertThrows(ConfigurationException.class, () -> read(properties));
    }

    @Test
    void the_defaults_are_the_documented_ones() throws ConfigurationException {
        CoreSettings settings = read(Map.of());
        assertEquals("", settings.id());
        assertEquals("", settings.serverToken());
        assertEquals(5, settings.simultaneousActions());
        assertFalse(settings.disableParamScrubbing());
        assertNull(settings.exposeErrors(), "auto");
        assertEquals(1500, settings.replacementGraceMillis());
        assertEquals(90, settings.maxHeapPercent());
        assertEquals(Duration.ofSeconds(5), settings.clusterHeartbeat());
        assertEquals(Duration.ofSeconds(15), settings.clusterMemberTimeout());
        assertEquals(new ProjectInfo("herald", "A Herald API server", HeraldVersion.VALUE), settings.project());
        assertEquals(1000, settings.maxResqueQueueLength(), "Actionhero's maxResqueQueueLength");
    }

    @Test
    void the_project_and_the_queue_maximum_are_read() throws ConfigurationException {
        CoreSettings settings = read(Map.of("projectName", "shop-api", "projectDescription", "The shop's API",
                "projectVersion", "2.0.1", "maxResqueQueueLength", "50"));
        assertEquals(new ProjectInfo("shop-api", "The shop's API", "2.0.1"), settings.project());
        assertEquals(50, settings.maxResqueQueueLength());
        assertEquals(HeraldVersion.VALUE, read(Map.of("projectVersion", "")).project().version(),
                "the shipped file leaves it empty unless HERALD_PROJECT_VERSION is set");
    }

    @Test
    void the_token_is_read_from_the_private_key_and_never_printed() throws ConfigurationException {
        CoreSettings settings = read(Map.of(".serverToken", "s3cret-token"));
        assertEquals("s3cret-token", settings.serverToken());
        assertFalse(settings.toString().contains("s3cret-token"), settings.toString());
    }

    @Test
    void the_token_under_its_public_key_is_refused_in_any_case() {
        for (String key : List.of("serverToken", "servertoken", "SERVERTOKEN")) {
            ConfigurationException e = refused(Map.of(key, "s3cret-token"));
            assertEquals(key, e.getProperty());
            assertTrue(e.getReason().contains("write .serverToken instead"), e.getReason());
            assertFalse(e.getMessage().contains("s3cret-token"), "the refusal does not print the secret");
        }
        ConfigurationException both = refused(Map.of(".serverToken", "a", "serverToken", "a"));
        assertEquals("serverToken", both.getProperty(), "the private key does not excuse the public one");
    }

    @Test
    void the_shipped_placeholder_and_an_empty_token_are_placeholders() throws ConfigurationException {
        for (String token : List.of("change-me", " change-me ", "", "   ")) {
            assertTrue(read(Map.of(".serverToken", token)).placeholderToken(), "'" + token + "'");
        }
        for (String token : List.of("test-server-token", "change-me-please", "Change-Me")) {
            assertFalse(read(Map.of(".serverToken", token)).placeholderToken(), "'" + token + "'");
        }
    }

    @Test
    void production_needs_a_secret_token() throws ConfigurationException {
        CoreSettings placeholder = read(Map.of(".serverToken", "change-me"));
        placeholder.requireSecretToken(false);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> placeholder.requireSecretToken(true));
        assertEquals(".serverToken", e.getProperty());
        assertTrue(e.getReason().contains("HERALD_SERVER_TOKEN"), e.getReason());
        read(Map.of(".serverToken", "a real secret")).requireSecretToken(true);
    }

    @Test
    void expose_errors_is_auto_true_or_false() throws ConfigurationException {
        assertTrue(read(Map.of("exposeErrors", "auto")).exposeErrors(false));
        assertFalse(read(Map.of("exposeErrors", "AUTO")).exposeErrors(true), "auto: off in production");
        assertTrue(read(Map.of("exposeErrors", "true")).exposeErrors(true));
        assertFalse(read(Map.of("exposeErrors", "false")).exposeErrors(false));
        ConfigurationException e = refused(Map.of("exposeErrors", "maybe"));
        assertEquals("exposeErrors", e.getProperty());
        assertEquals("must be auto, true or false, not 'maybe'", e.getReason());
    }

    @Test
    void numbers_must_be_whole_and_not_below_their_minimum() {
        ConfigurationException words = refused(Map.of("simultaneousActions", "many"));
        assertEquals("simultaneousActions", words.getProperty());
        assertEquals("must be a whole number, not 'many'", words.getReason());
        assertEquals("must be at least 1, not 0", refused(Map.of("simultaneousActions", "0")).getReason());
        assertEquals("must be at least 0, not -1", refused(Map.of("replacementGraceMillis", "-1")).getReason());
        assertEquals("maxResqueQueueLength", refused(Map.of("maxResqueQueueLength", "-1")).getProperty());
        assertEquals("must be at least 100, not 10", refused(Map.of("clusterHeartbeatMillis", "10")).getReason());
        assertEquals("must be between 1 and 100, not 101", refused(Map.of("maxHeapPercent", "101")).getReason());
    }

    @Test
    void the_member_timeout_must_be_longer_than_the_heartbeat() {
        ConfigurationException e = refused(Map.of("clusterHeartbeatMillis", "5000", "clusterMemberTimeoutMillis", "5000"));
        assertEquals("clusterMemberTimeoutMillis", e.getProperty());
        assertTrue(e.getReason().contains("longer than clusterHeartbeatMillis (5000 ms)"), e.getReason());
    }

    @Test
    void booleans_are_true_or_false_not_anything_else_read_as_false() throws ConfigurationException {
        assertTrue(read(Map.of("disableParamScrubbing", "TRUE")).disableParamScrubbing());
        assertTrue(read(Map.of("disableParamScrubbing", Boolean.TRUE)).disableParamScrubbing());
        ConfigurationException e = refused(Map.of("disableParamScrubbing", "yes please"));
        assertEquals("disableParamScrubbing", e.getProperty());
        assertEquals("must be true or false, not 'yes please'", e.getReason());
    }
}
