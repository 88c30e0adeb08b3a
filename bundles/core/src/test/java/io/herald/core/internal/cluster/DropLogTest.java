package io.herald.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class DropLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.herald.cluster.test-drops");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    DropLogTest() {
        lines.start();
        logger.addAppender(lines);
        logger.setAdditive(false);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void logs_one_line_per_interval_and_counts_the_lines_held_back() {
        AtomicLong now = new AtomicLong(1_000_000);
        DropLog drops = new DropLog(logger, now::get);
        drops.dropped("x", "bad signature");
        drops.dropped("y", "bad signature");
        drops.dropped("z", "bad signature");
        now.addAndGet(DropLog.INTERVAL_MILLIS);
        drops.dropped("w", "not JSON");
        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, logged.size(), logged.toString());
        assertEquals("dropped a cluster message claiming to come from x: bad signature", logged.get(0));
        assertTrue(logged.get(1).startsWith("dropped a cluster message claiming to come from w: not JSON (2 more"),
                logged.get(1));
        assertEquals(4, drops.count());
    }
}
