package io.herald.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A recurring task ({@link TaskDefinition#frequency()} above 0) registered on this node, and when its next run is due:
 * what an operator checks when a periodic job seems to have stopped (Actionhero keeps its periodic tasks in
 * {@code api.tasks.tasks}; ah-resque-ui shows them only as delayed jobs).
 *
 * @param name the task's name
 * @param queue the queue its runs go to
 * @param frequency the time from one run to the next
 * @param scheduledAt when its job is delayed to (normally one time); empty while the job is queued or running, or when
 *     it is lost (the scheduler's leader enqueues it again when it takes the lead)
 * @since 1.1
 */
public record RecurringTask(String name, String queue, Duration frequency, List<Instant> scheduledAt) {

    public RecurringTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(frequency, "frequency");
        scheduledAt = scheduledAt == null ? List.of() : List.copyOf(scheduledAt);
    }
}
