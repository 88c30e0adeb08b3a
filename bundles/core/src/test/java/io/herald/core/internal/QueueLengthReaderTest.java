package io.herald.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.api.spi.TaskQueueLength;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The status action's question to the task queues: bounded, one at a time, never a hang. */
class QueueLengthReaderTest {

    private final QueueLengthReader reader = new QueueLengthReader(Duration.ofMillis(200));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        reader.close();
    }

    @Test
    void a_node_without_task_queues_has_no_job_waiting() {
        assertEquals(new QueueLengthReader.Reading(0L, null), reader.read(null));
    }

    @Test
    void the_length_is_asked_for_on_each_read() {
        AtomicInteger asked = new AtomicInteger();
        TaskQueueLength queues = () -> 40L + asked.incrementAndGet();
        assertEquals(41L, reader.read(queues).length());
        assertEquals(42L, reader.read(queues).length(), "nothing is kept between two status answers");
    }

    @Test
    void a_store_that_fails_is_a_problem_in_its_own_words() {
        QueueLengthReader.Reading reading = reader.read(() -> {
            throw new IllegalStateException("Redis is unreachable (tasks)");
        });
        assertNull(reading.length());
        assertEquals("the task queues could not be read: Redis is unreachable (tasks)", reading.problem());
    }

    @Test
    void a_store_that_does_not_answer_costs_each_caller_the_timeout_and_holds_one_question_only() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        TaskQueueLength hanging = () -> {
            long question = asked.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return question;
        };
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<QueueLengthReader.Reading>> readings = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                readings.add(callers.submit(() -> reader.read(hanging)));
            }
            for (Future<QueueLengthReader.Reading> reading : readings) {
                assertEquals(new QueueLengthReader.Reading(null, "the task queues could not be read: no answer within 200 ms"),
                        reading.get());
            }
            assertEquals(1, asked.get(), "callers that come while the store is asked share that question");

            release.countDown();
            // a caller may still meet the first question finishing; the one after it asks again
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Long answer = reader.read(hanging).length();
            while (answer != null && answer == 1L && System.nanoTime() < deadline) {
                answer = reader.read(hanging).length();
            }
            assertEquals(2L, answer, "once the store answers, the next caller gets a fresh answer");
        } finally {
            callers.shutdownNow();
        }
    }
}
