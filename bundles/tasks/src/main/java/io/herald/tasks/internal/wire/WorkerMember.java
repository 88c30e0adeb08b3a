package io.herald.tasks.internal.wire;

import java.util.Objects;

/**
 * One member of the {@code workers} set: {@code <worker>:<queues>}, where the worker name itself holds one
 * {@code :} ({@code host:pid+N}). Read with node-resque's rule ({@code Queue.workers()}): split on {@code :}; one part
 * is a name without queues, two parts are name and queues, more parts are a two-part name and the rest (joined again
 * by {@code :}) the queues.
 *
 * @param worker the worker's name
 * @param queues its queues joined by {@code ,} (or {@code *}); {@code null} for a one-part member
 */
public record WorkerMember(String worker, String queues) {

    public WorkerMember {
        Objects.requireNonNull(worker, "worker");
    }

    /** Parses a {@code workers} set member as node-resque does. */
    public static WorkerMember parse(String member) {
        String[] parts = member.split(":", -1);
        if (parts.length == 1) {
            return new WorkerMember(parts[0], null);
        }
        if (parts.length == 2) {
            return new WorkerMember(parts[0], parts[1]);
        }
        int second = member.indexOf(':', member.indexOf(':') + 1);
        return new WorkerMember(member.substring(0, second), member.substring(second + 1));
    }

    /** The set member: {@code <worker>:<queues>}, or the name alone when it has no queues. */
    public String member() {
        return queues == null ? worker : worker + ":" + queues;
    }
}
