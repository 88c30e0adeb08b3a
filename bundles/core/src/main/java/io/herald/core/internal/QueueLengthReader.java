package io.herald.core.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.api.spi.TaskQueueLength;

/**
 * Asks a {@link TaskQueueLength} for the {@code status} action, so that a slow or unreachable store costs a caller at
 * most {@code timeout} and never a thread per caller: the question runs on one thread of its own, one at a time, and
 * callers that come while it runs wait for that same answer instead of asking again. A store that does not answer
 * therefore holds one thread, however many clients ask for the status meanwhile. Actionhero's {@code status} awaits
 * {@code task.details()} with no limit; a Redis that hangs hangs its status too.
 */
final class QueueLengthReader implements AutoCloseable {

    /**
     * What a question gave.
     *
     * @param length the jobs waiting, or {@code null} when they could not be counted
     * @param problem why they could not be counted, or {@code null}
     */
    record Reading(Long length, String problem) {

        /** No {@link TaskQueueLength} on this node: no task queues, so no job waits. */
        static final Reading NO_QUEUES = new Reading(0L, null);
    }

    private final Duration timeout;
    private final ExecutorService thread;
    private final AtomicReference<CompletableFuture<Long>> inFlight = new AtomicReference<>();

    QueueLengthReader(Duration timeout) {
        this.timeout = timeout;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread reader = new Thread(task, "herald-status-queues");
            reader.setDaemon(true);
            return reader;
        });
    }

    /** @param source {@code null} when no bundle publishes the queues' length */
    Reading read(TaskQueueLength source) {
        if (source == null) {
            return Reading.NO_QUEUES;
        }
        try {
            return new Reading(question(source).get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            return unknown("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return unknown(cause.getMessage() == null || cause.getMessage().isBlank() ? "the store failed"
                    : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown("interrupted");
        }
    }

    private static Reading unknown(String why) {
        return new Reading(null, "the task queues could not be read: " + why);
    }

    /** The question running now, or a new one. */
    private CompletableFuture<Long> question(TaskQueueLength source) {
        while (true) {
            CompletableFuture<Long> running = inFlight.get();
            if (running != null && !running.isDone()) {
                return running;
            }
            CompletableFuture<Long> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(running, next)) {
                try {
                    thread.execute(() -> {
                        try {
                            next.complete(source.totalQueueLength());
                        } catch (RuntimeException | Error e) {
                            next.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException closed) {
                    next.completeExceptionally(new IllegalStateException("the status action is stopping"));
                }
                return next;
            }
        }
    }

    /** Leaves a question still running to end on its own: it holds a daemon thread, and nobody waits for it. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
