package io.herald.tasks.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.tasks.internal.store.MemoryResqueStore;

class ClusterWatchTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ClusterWatch.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.WARN);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    @Test
    void enqueueing_with_no_worker_and_no_scheduler_in_the_cluster_warns_once_for_each_and_not_on_every_job() {
        MemoryResqueStore store = new MemoryResqueStore();
        ClusterWatch watch = new ClusterWatch();

        for (int i = 0; i < 100; i++) {
            watch.enqueued(store, "mail", false);
        }

        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith("a job was enqueued on queue mail but no task worker is registered in the"
                + " cluster (resque:workers is empty)"), messages.get(0));
        assertTrue(messages.get(1).contains("no scheduler runs in the cluster"), messages.get(1));
    }

    @Test
    void with_a_worker_and_a_leader_it_stays_quiet() {
        MemoryResqueStore store = new MemoryResqueStore();
        store.registerWorker("host:1+1", "*", 1);
        store.tryForLeader("host:1", 180);

        new ClusterWatch().enqueued(store, "mail", true);

        assertEquals(List.of(), lines.list);
    }
}
