package io.herald.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingAsyncAppenderTest {

    /** Records what reaches it, from the writer thread. */
    static class Recording extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
            threads.add(Thread.currentThread().getName());
        }
    }

    private static LoggerContext startedContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        return context;
    }

    private static Logger logger(LoggerContext context, BatchingAsyncAppender appender) {
        Logger logger = context.getLogger("test");
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return logger;
    }

    private static BatchingAsyncAppender appender(LoggerContext context, Recording target, int queueSize) {
        target.setContext(context);
        target.start();
        BatchingAsyncAppender appender = new BatchingAsyncAppender();
        appender.setContext(context);
        appender.setName("batching");
        appender.setQueueSize(queueSize);
        appender.setFlushIntervalMillis(5);
        appender.addAppender(target);
        appender.start();
        return appender;
    }

    @Test
    void every_event_reaches_the_attached_appender_in_order_from_the_writer_thread() throws Exception {
        LoggerContext context = startedContext();
        Recording target = new Recording();
        BatchingAsyncAppender appender = appender(context, target, 16);
        Logger logger = logger(context, appender);
        for (int i = 0; i < 1000; i++) {
            logger.info("line {}", i);
        }
        appender.stop();
        assertEquals(1000, target.lines.size(), "a full queue makes callers wait; nothing is dropped");
        for (int i = 0; i < 1000; i++) {
            assertEquals("line " + i, target.lines.get(i));
        }
        assertTrue(target.threads.stream().allMatch(t -> t.equals("logback-batching-batching")));
        assertFalse(target.isStarted(), "stopping stops the attached appenders");
    }

    /** Holds the writer in its first append until released: a disk that has stalled. */
    static final class Stalled extends Recording {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent event) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.append(event);
        }
    }

    @Test
    void after_a_second_without_events_the_writer_waits_for_the_next_one_and_a_stop_still_ends_it() throws Exception {
        LoggerContext context = startedContext();
        Recording target = new Recording();
        BatchingAsyncAppender appender = appender(context, target, 16);
        Logger logger = logger(context, appender);
        logger.info("before");
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("logback-batching-batching")).findFirst().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Waiting for an event, the writer sits in the queue's take(): WAITING, not TIMED_WAITING as between batches.
        while (writer.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the idle writer waits for an event: " + writer.getState());
            Thread.sleep(20);
        }

        logger.info("after");
        while (target.lines.size() < 2) {
            assertTrue(System.nanoTime() < deadline, "the event woke the writer: " + target.lines);
            Thread.sleep(5);
        }
        while (writer.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "idle again: " + writer.getState());
            Thread.sleep(20);
        }
        appender.stop();

        assertEquals(List.of("before", "after"), target.lines);
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(writer.isAlive(), "the stop woke the waiting writer, which ended");
    }

    @Test
    void with_never_block_a_full_queue_drops_and_counts_instead_of_making_the_caller_wait() throws Exception {
        LoggerContext context = startedContext();
        Stalled target = new Stalled();
        target.setContext(context);
        target.start();
        BatchingAsyncAppender appender = new BatchingAsyncAppender();
        appender.setContext(context);
        appender.setName("batching");
        appender.setQueueSize(4);
        appender.setFlushIntervalMillis(5);
        appender.setNeverBlock(true);
        appender.addAppender(target);
        appender.start();
        Logger logger = logger(context, appender);

        logger.info("first");
        assertTrue(target.entered.await(10, TimeUnit.SECONDS), "the writer holds the first line, stalled");
        for (int i = 0; i < 100; i++) {
            logger.info("line {}", i); // would wait for ever without neverBlock: the writer is stalled
        }
        target.release.countDown();
        appender.stop();

        // The warning comes with the batch during which the drops happened: after the stalled line.
        assertEquals(List.of("first", "96 log events were dropped: the log's queue (4 events) was full, its writer could"
                + " not keep up (neverBlock)", "line 0", "line 1", "line 2", "line 3"), target.lines,
                "the queue's four lines are kept, in order, and the gap is said");
    }

    @Test
    void many_callers_lose_nothing() throws Exception {
        LoggerContext context = startedContext();
        Recording target = new Recording();
        BatchingAsyncAppender appender = appender(context, target, 64);
        Logger logger = logger(context, appender);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    logger.info("t{} {}", thread, i);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        appender.stop();
        assertEquals(2000, target.lines.size());
    }

    @Test
    void a_buffered_file_gets_each_batch_without_waiting_for_the_stop(@TempDir Path directory) throws Exception {
        LoggerContext context = startedContext();
        Path file = directory.resolve("herald.log");
        FileAppender<ILoggingEvent> buffered = new FileAppender<>();
        buffered.setContext(context);
        buffered.setName("FILE");
        buffered.setFile(file.toString());
        buffered.setImmediateFlush(false);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        buffered.setEncoder(encoder);
        buffered.start();
        BatchingAsyncAppender appender = new BatchingAsyncAppender();
        appender.setContext(context);
        appender.setName("batching");
        appender.setFlushIntervalMillis(5);
        appender.addAppender(buffered);
        appender.start();
        Logger logger = logger(context, appender);
        logger.info("one line, far less than the file's 8 KB buffer");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.size(file) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("one line, far less than the file's 8 KB buffer"), Files.readAllLines(file),
                "the batch's end flushes the buffer while the appender runs");
        appender.stop();
    }

    @Test
    void without_an_attached_appender_it_does_not_start() {
        LoggerContext context = startedContext();
        BatchingAsyncAppender appender = new BatchingAsyncAppender();
        appender.setContext(context);
        appender.setName("lonely");
        appender.start();
        assertFalse(appender.isStarted());
    }
}
