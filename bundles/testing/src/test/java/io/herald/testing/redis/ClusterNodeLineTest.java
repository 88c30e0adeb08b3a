package io.herald.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ClusterNodeLineTest {

    @Test
    void parses_masters_replicas_slot_ranges_and_failure_flags() {
        List<ClusterNodeLine> lines = ClusterNodeLine.parseAll(String.join("\n",
                "07c3 127.0.0.1:30004@40004,host-a slave e7d1 0 1426238317239 4 connected",
                "67ed 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected 5461-10922 [10923->-292f]",
                "e7d1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 16000",
                "292f 127.0.0.1:30003@40003 master,fail - 1426238317741 1426238316232 3 disconnected",
                ""));

        assertEquals(4, lines.size());
        ClusterNodeLine replica = lines.get(0);
        assertEquals(new RedisAddress("127.0.0.1", 30004), replica.address());
        assertTrue(replica.isReplica());
        assertEquals("e7d1", replica.masterId());
        assertEquals(0, replica.slotCount());

        ClusterNodeLine migrating = lines.get(1);
        assertEquals(5462, migrating.slotCount());
        assertFalse(migrating.ownsSlot(10923));

        ClusterNodeLine myself = lines.get(2);
        assertEquals(Set.of("myself", "master"), myself.flags());
        assertTrue(myself.ownsSlot(0) && myself.ownsSlot(5460) && myself.ownsSlot(16000));
        assertFalse(myself.ownsSlot(5461));
        assertEquals(5462, myself.slotCount());
        assertTrue(myself.isHealthy());

        assertFalse(lines.get(3).isHealthy());
    }
}
