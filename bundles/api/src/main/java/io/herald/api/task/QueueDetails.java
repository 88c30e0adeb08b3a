package io.herald.api.task;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the whole task system, as Actionhero's {@code task.details()}.
 *
 * @param queues every queue with its length
 * @param workers every registered worker and what it does
 * @param stats the Resque counters ({@code processed}, {@code failed}, and per worker)
 * @param failed the length of the failed queue
 * @param delayed the number of delayed jobs
 * @param leader the name of the scheduler holding the leader lock, or {@code null} when none does
 * @since 1.0
 */
public record QueueDetails(Map<String, Long> queues, List<WorkerStatus> workers, Map<String, Long> stats, long failed,
        long delayed, String leader) {

    public QueueDetails {
        queues = Map.copyOf(queues);
        workers = List.copyOf(workers);
        stats = Map.copyOf(stats);
    }
}
