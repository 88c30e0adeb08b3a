package io.herald.tasks.internal.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * node-resque's key names, without the namespace, as {@code Connection.key(...)} builds them in its
 * {@code src/core/queue.ts}, {@code worker.ts} and {@code scheduler.ts}. Both stores use them, so the embedded store's
 * key space looks like Redis's.
 */
final class ResqueKeys {

    static final String QUEUES = "queues";
    static final String WORKERS = "workers";
    static final String FAILED = "failed";
    static final String SCHEDULE = "delayed_queue_schedule";
    /** node-resque 9's name; Ruby resque-scheduler and old node-resque used {@code resque_scheduler_master_lock}. */
    static final String LEADER_LOCK = "resque_scheduler_leader_lock";
    static final String PING_PREFIX = "worker:ping:";
    static final String STAT_PREFIX = "stat:";
    static final String DELAYED_PREFIX = "delayed:";

    private ResqueKeys() {
    }

    static String queue(String queue) {
        return "queue:" + queue;
    }

    static String delayed(long timestamp) {
        return DELAYED_PREFIX + timestamp;
    }

    /** The member of {@code timestamps:<job>}: {@code delayed:<ts>}, without namespace (as node-resque writes it). */
    static String delayedMember(long timestamp) {
        return DELAYED_PREFIX + timestamp;
    }

    /** The key suffix is the job's exact text: node-resque finds it by re-encoding the job. */
    static String timestamps(String job) {
        return "timestamps:" + job;
    }

    static String workingOn(String worker, String workerQueues) {
        return "worker:" + worker + ":" + workerQueues;
    }

    static String started(String worker, String workerQueues) {
        return workingOn(worker, workerQueues) + ":started";
    }

    static String ping(String worker) {
        return PING_PREFIX + worker;
    }

    /** {@code worker:<name>}: the key node-resque's forceCleanWorker deletes (the working-on key is not that one). */
    static String legacyWorker(String worker) {
        return "worker:" + worker;
    }

    static String workerMember(String worker, String workerQueues) {
        return worker + ":" + workerQueues;
    }

    static String stat(String name) {
        return STAT_PREFIX + name;
    }

    /** The seconds of {@code delayed:<ts>} members, ascending; members of another shape are skipped. */
    static List<Long> delayedSeconds(Collection<String> members) {
        List<Long> seconds = new ArrayList<>(members.size());
        for (String member : members) {
            if (member.startsWith(DELAYED_PREFIX)) {
                Long value = counter(member.substring(DELAYED_PREFIX.length()));
                if (value != null) {
                    seconds.add(value);
                }
            }
        }
        seconds.sort(null);
        return seconds;
    }

    /** A Redis integer string as a long, or null when it is not one. */
    static Long counter(String value) {
        if (value == null || value.isEmpty() || value.length() > 20) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
