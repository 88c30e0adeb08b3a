package io.herald.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How many jobs wait in the task queues: the {@code resqueTotalQueueLength} of the {@code status} action (Actionhero's
 * {@code status} sums the lengths {@code task.details()} reports). Published by the bundle that owns the queues (the
 * tasks bundle); the core asks it only while the {@code status} action answers, never in the background, and waits a
 * short, fixed time for the answer: a store that is slow or down costs a caller that moment and a line in
 * {@code problems}, never a hang. A node without such a service has no task queues and reports 0.
 *
 * @since 1.7
 */
@ConsumerType
public interface TaskQueueLength {

    /**
     * The jobs waiting in every queue of the store this node uses (the whole cluster's, on a shared Redis); delayed,
     * running and failed jobs are not counted. It may take a round trip to the store per queue.
     *
     * @throws RuntimeException when the queues cannot be read, with a message that says why in the catalogue's or the
     *     store's words
     */
    long totalQueueLength();
}
