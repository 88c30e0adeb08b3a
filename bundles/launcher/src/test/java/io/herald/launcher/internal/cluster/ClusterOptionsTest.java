package io.herald.launcher.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClusterOptionsTest {

    @Test
    void workers_come_from_the_option_in_either_spelling() {
        assertEquals(3, ClusterOptions.parse(List.of("--workers", "3"), 2).workers());
        assertEquals(5, ClusterOptions.parse(List.of("--workers=5"), 2).workers());
    }

    @Test
    void without_the_option_one_node_per_cpu() {
        assertEquals(2, ClusterOptions.parse(List.of(), 2).workers());
        assertEquals(ClusterOptions.MAX_WORKERS, ClusterOptions.parse(List.of(), 512).workers());
    }

    @Test
    void a_bad_number_of_workers_is_refused_saying_what_is_accepted() {
        for (String bad : List.of("0", "-1", "two", "65", "1.5", "", "99999999999")) {
            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                    () -> ClusterOptions.parse(List.of("--workers=" + bad), 2));
            assertEquals("--workers must be a whole number from 1 to 64, was '" + bad + "'", failure.getMessage());
        }
        assertEquals("--workers needs a value: the number of nodes, 1 to 64",
                assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parse(List.of("--workers"), 2)).getMessage());
    }

    @Test
    void other_arguments_are_refused() {
        assertEquals("unknown option --nodes after cluster (see: herald help)",
                assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parse(List.of("--nodes", "2"), 2)).getMessage());
        assertEquals("unexpected argument now after cluster (see: herald help)",
                assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parse(List.of("now"), 2)).getMessage());
    }
}
