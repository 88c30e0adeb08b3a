package io.herald.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.json.JsonMapper;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A running node takes a new token, heartbeat and member timeout without leaving the cluster (live config). */
class ReconfigureTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration FAST = Duration.ofMillis(200);

    private final LoopbackTransport loopback = new LoopbackTransport();
    private final ClusterNode a = node(new ClusterNode.Settings("a", "shared", FAST, HOUR));
    private final ClusterNode b = node(new ClusterNode.Settings("b", "other", HOUR, HOUR.plusHours(1)));

    private static ClusterNode node(ClusterNode.Settings settings) {
        return new ClusterNode(settings, JsonMapper.builder().build(), new CallHandlers(), connection -> false);
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    @Test
    void a_new_token_and_heartbeat_apply_to_the_running_node() throws Exception {
        a.start(loopback);
        b.start(loopback);
        // b signs with another token and beats once an hour: a dropped its join and hears nothing more from it
        assertEquals(Set.of("a"), Members.ids(a));

        b.reconfigure(new ClusterNode.Settings("b", "shared", FAST, Duration.ofSeconds(10)));
        // only a heartbeat signed with the new token, at the new period, can make b known to a
        Members.await(a, Set.of("a", "b"));
        Members.await(b, Set.of("a", "b"));
    }

    @Test
    void a_new_member_timeout_forgets_a_silent_member_sooner() throws Exception {
        b.reconfigure(new ClusterNode.Settings("b", "shared", FAST, HOUR));
        a.start(loopback);
        b.start(loopback);
        Members.await(a, Set.of("a", "b"));

        b.reconfigure(new ClusterNode.Settings("b", "other", FAST, HOUR)); // a drops everything b sends from now on
        a.reconfigure(new ClusterNode.Settings("a", "shared", FAST, Duration.ofMillis(600)));
        Members.await(a, Set.of("a"));
    }

    @Test
    void the_id_of_a_node_is_fixed_for_its_life() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.reconfigure(ClusterNode.Settings.of("c", "shared")));
        assertTrue(e.getMessage().contains("cannot become c"), e.getMessage());
    }

    @Test
    void the_settings_never_print_the_token() {
        assertFalse(new ClusterNode.Settings("a", "s3cret", FAST, HOUR).toString().contains("s3cret"));
    }
}
