package io.herald.launcher.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * Writes log events from a background thread in batches, so callers never wait for the disk and never wake the writer.
 *
 * <p>Logback's {@code AsyncAppender} takes events from a blocking queue, so each event logged while the writer is idle
 * costs the caller a thread wake-up. Every action logs a line (Actionhero's default), and on a busy node those wake-ups
 * cost more than the action: this appender's writer instead sleeps {@code flushIntervalMillis} between batches. Lines
 * reach the file at most that much later. An attached appender with {@code <immediateFlush>false</immediateFlush>} is
 * flushed once per batch rather than once per line. After {@value #IDLE_MILLIS} ms without an event the writer waits
 * for the next one instead, so an idle node's writer does not wake 50 times a second; only the caller of that next
 * event wakes it.
 *
 * <p>When the queue is full (the disk has stalled for most of a second), callers wait for room, and nothing is lost;
 * with {@code <neverBlock>true</neverBlock>} (Logback's {@code AsyncAppender} option of that name, set in production)
 * they never wait: the event is dropped and counted instead, and once the writer catches up it writes one warning
 * saying how many were dropped, so a request never waits for the log and the log says where it has a gap.
 *
 * <pre>{@code
 * <appender name="ASYNC_FILE" class="io.herald.launcher.logging.BatchingAsyncAppender">
 *   <queueSize>16384</queueSize>
 *   <flushIntervalMillis>20</flushIntervalMillis>
 *   <appender-ref ref="FILE"/>
 * </appender>
 * }</pre>
 */
public class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    static final long IDLE_MILLIS = 1000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
    /** What {@link #stop()} queues to wake a writer waiting for an event; never appended. */
    private static final ILoggingEvent WAKE_UP = new LoggingEvent();

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private int queueSize = 16384;
    private long flushIntervalMillis = 20;
    private long maxStopMillis = 5000;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    private volatile boolean stopping;
    private boolean neverBlock;
    private final AtomicLong dropped = new AtomicLong();

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setFlushIntervalMillis(long flushIntervalMillis) {
        this.flushIntervalMillis = flushIntervalMillis;
    }

    /** Whether a caller finding the queue full drops its event (counted, then reported) instead of waiting for room. */
    public void setNeverBlock(boolean neverBlock) {
        this.neverBlock = neverBlock;
    }

    /** How long {@link #stop()} may take to write what is still queued. */
    public void setMaxStopMillis(long maxStopMillis) {
        this.maxStopMillis = maxStopMillis;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1 || flushIntervalMillis < 1) {
            addError("queueSize and flushIntervalMillis must be positive");
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("no appender attached to " + getName());
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        stopping = false;
        writer = new Thread(this::writeLoop, "logback-batching-" + getName());
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // The message, MDC and thread name must be taken now, on the caller's thread.
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            if (neverBlock) {
                dropped.incrementAndGet();
                return;
            }
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLoop() {
        List<ILoggingEvent> batch = new ArrayList<>(Math.min(queueSize, 4096));
        long emptySince = 0;
        while (!stopping || !queue.isEmpty()) {
            queue.drainTo(batch, 4096);
            if (batch.isEmpty()) {
                if (stopping) {
                    continue;
                }
                long now = System.nanoTime();
                if (emptySince == 0) {
                    emptySince = now;
                }
                if (now - emptySince < IDLE_NANOS) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
                    continue;
                }
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    continue; // nothing interrupts this thread but the JVM's end
                }
            }
            emptySince = 0;
            for (ILoggingEvent event : batch) {
                if (event != WAKE_UP) {
                    appenders.appendLoopOnAppenders(event);
                }
            }
            batch.clear();
            reportDropped();
            flushBuffered();
        }
    }

    /** After a batch: one warning for the events dropped since the last one (neverBlock), in the log they are missing from. */
    private void reportDropped() {
        long count = dropped.getAndSet(0);
        if (count == 0) {
            return;
        }
        String message = count + " log event" + (count == 1 ? " was" : "s were") + " dropped: the log's queue ("
                + queueSize + " events) was full, its writer could not keep up (neverBlock)";
        if (getContext() instanceof LoggerContext loggers) {
            LoggingEvent warning = new LoggingEvent(BatchingAsyncAppender.class.getName(),
                    loggers.getLogger(BatchingAsyncAppender.class), Level.WARN, message, null, null);
            appenders.appendLoopOnAppenders(warning);
        } else {
            addWarn(message);
        }
    }

    /**
     * Flushes the attached appenders that buffer ({@code immediateFlush} false): one write per batch instead of one per
     * line, a write system call saved per logged action on a busy node. Only this thread writes to them, so the stream
     * is not written meanwhile.
     */
    private void flushBuffered() {
        Iterator<Appender<ILoggingEvent>> attached = appenders.iteratorForAppenders();
        while (attached.hasNext()) {
            if (attached.next() instanceof OutputStreamAppender<ILoggingEvent> buffered && !buffered.isImmediateFlush()) {
                OutputStream stream = buffered.getOutputStream();
                if (stream == null) {
                    continue;
                }
                try {
                    stream.flush();
                } catch (IOException e) {
                    addError(getName() + ": cannot flush " + buffered.getName(), e);
                }
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        queue.offer(WAKE_UP); // a full queue has a writer at work, which sees stopping
        LockSupport.unpark(writer);
        try {
            writer.join(maxStopMillis);
            if (writer.isAlive()) {
                addWarn(getName() + ": " + queue.size() + " events still queued after " + maxStopMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
