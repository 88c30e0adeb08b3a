package io.herald.tasks.internal.plugins;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.herald.api.task.Job;
import io.herald.api.task.TaskEvent;
import io.herald.api.task.TaskPlugin;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.tasks.internal.wire.StackLines;

/**
 * node-resque's {@code Retry} (a port of resque-retry), with its keys and arithmetic: after a job that threw, it counts
 * the attempt in {@code resque-retry:<class>:<argsKey>}, keeps the last error in
 * {@code failure-resque-retry:<class>:<argsKey>}, and while attempts remain schedules the job again after
 * {@code retryDelay} ms (or the {@code backoffStrategy} entry for this attempt) and clears the error, so the job does not
 * go to the failed queue; the attempt counts as failed, not processed, in {@code stat:*}. When no attempt remains the
 * error stands and the job goes to the failed queue. A success clears both keys.
 *
 * <p>Options: {@code retryLimit} (attempts in all, default 1, so by default nothing is retried, as in node-resque),
 * {@code retryDelay} (ms, default 5000), {@code backoffStrategy} (ms per attempt, the last one repeating).
 *
 * <p>Kept from node-resque on purpose: the keys' TTL is the largest delay in <em>milliseconds</em> used as seconds
 * ({@code Retry.maxDelay()} passed to {@code expire} and {@code setex}). Read as seconds that is a generous TTL, and it
 * has to be: the counter must outlive the delay plus the scheduler's polling and the queue's wait, or the count
 * restarts and the job retries forever. Sharing the value also keeps Herald and node-resque workers agreeing on the
 * keys' life.
 */
final class Retry implements TaskPlugin {

    private static final DateTimeFormatter FAILED_AT = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final Supplier<ResqueStore> store;

    Retry(Supplier<ResqueStore> store) {
        this.store = store;
    }

    @Override
    public void afterPerform(TaskEvent event) {
        Job job = event.job();
        ResqueStore redis = store.get();
        String counterKey = PluginKeys.retryCounter(job);
        String failureKey = PluginKeys.retryFailure(job);
        Throwable error = event.error();
        if (error == null) {
            redis.delete(counterKey);
            redis.delete(failureKey);
            return;
        }
        Map<String, Object> options = event.options();
        long retryLimit = PluginOptions.positive(options, "retryLimit", 1);
        long retryDelay = PluginOptions.positive(options, "retryDelay", 5000);
        List<Long> backoff = PluginOptions.numbers(options, "backoffStrategy");
        long maxDelay = retryDelay;
        for (long delay : backoff) {
            maxDelay = Math.max(maxDelay, delay);
        }

        redis.setIfAbsent(counterKey, "-1", maxDelay);
        long attempt = redis.increment(counterKey, maxDelay);
        long remaining = retryLimit - attempt - 1;
        redis.set(failureKey, lastError(job, error), maxDelay);
        if (remaining <= 0) {
            redis.delete(counterKey);
            redis.delete(failureKey);
            return;
        }
        long delay = retryDelay;
        if (!backoff.isEmpty()) {
            int index = (int) Math.min(retryLimit - remaining - 1, backoff.size() - 1);
            delay = backoff.get(Math.max(index, 0));
        }
        // already scheduled at that second (another failure of the same job): that copy is the retry
        redis.schedule(ResqueSeconds.of(System.currentTimeMillis() + delay), Payloads.encodeJob(job));
        String worker = event.workerName();
        redis.incrementStat("processed", -1);
        redis.incrementStat("failed", 1);
        if (worker != null) {
            redis.incrementStat("processed:" + worker, -1);
            redis.incrementStat("failed:" + worker, 1);
        }
        event.clearError();
    }

    /**
     * node-resque's {@code saveLastError} JSON: {@code failed_at} in local time without a zone, {@code payload} the
     * args, {@code exception} and {@code error} both {@code String(err)}, the whole stack, and {@code worker} the job's
     * class (sic, as node-resque writes it).
     */
    private static String lastError(Job job, Throwable error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("failed_at", FAILED_AT.format(LocalDateTime.now()));
        data.put("payload", job.args());
        data.put("exception", error.toString());
        data.put("error", error.toString());
        data.put("backtrace", StackLines.of(error));
        data.put("worker", job.taskName());
        data.put("queue", job.queue());
        return JsJson.stringify(data);
    }
}
