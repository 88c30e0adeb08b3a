package io.herald.tasks.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.herald.api.spi.ParamChecker;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Job;
import io.herald.api.task.QueueDetails;
import io.herald.api.task.RecurringTask;
import io.herald.api.task.TaskException;
import io.herald.api.task.TaskQueue;
import io.herald.api.task.WorkerStatus;
import io.herald.core.json.HeraldJson;
import io.herald.tasks.internal.plugins.PluginKeys;
import io.herald.tasks.internal.store.ResqueStore;
import io.herald.tasks.internal.store.StoreUnavailableException;
import io.herald.tasks.internal.wire.JsDate;
import io.herald.tasks.internal.wire.Payloads;
import io.herald.tasks.internal.wire.ResqueSeconds;
import io.herald.tasks.internal.wire.WireFormatException;
import io.herald.tasks.internal.wire.WorkerMember;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TaskQueue} over a {@link ResqueStore}: Actionhero's {@code task} module on node-resque's {@code Queue}.
 *
 * <ul>
 *   <li>A job of a Herald task is {@code {"class":<task>,"queue":<queue>,"args":[<params>]}}, params validated and
 *       defaulted first by the core's {@link ParamChecker}, as Actionhero's {@code validateInput} does.</li>
 *   <li>{@code enqueue} runs the task's {@code preEnqueue}/{@code beforeEnqueue} hooks (any may decline: false), writes
 *       the job, then runs {@code postEnqueue}/{@code afterEnqueue}. {@code enqueueAt}/{@code enqueueIn} run no hook,
 *       as node-resque: the hooks run when the scheduler moves the job to its queue.</li>
 *   <li>{@code del}, {@code delDelayed}, {@code scheduledAt} find jobs by their exact bytes; the params go through the
 *       same defaults first (when they pass the inputs), so {@code del(q, task, {})} finds the job
 *       {@code enqueue(task, {})} wrote even when an input has a default.</li>
 * </ul>
 *
 * <p>The store can change while the node runs (the Redis connection appears after the in-process default started):
 * every call reads the current one once and uses it throughout.
 */
public final class ResqueTaskQueue implements TaskQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ResqueTaskQueue.class);
    static final String DUPLICATE_MESSAGE = "Job already enqueued at this time with same arguments";

    private final TaskRegistry registry;
    private final ParamChecker checker;
    private final ClusterWatch watch = new ClusterWatch();
    private final List<Consumer<String>> enqueueListeners = new CopyOnWriteArrayList<>();
    private final LoggedArgs loggedArgs = new LoggedArgs();
    private volatile ResqueStore store;

    public ResqueTaskQueue(TaskRegistry registry, ParamChecker checker, ResqueStore store) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.store = Objects.requireNonNull(store, "store");
    }

    public ResqueStore store() {
        return store;
    }

    /** The store later calls use. */
    public void useStore(ResqueStore next) {
        this.store = Objects.requireNonNull(next, "store");
    }

    public TaskRegistry registry() {
        return registry;
    }

    /** How job args appear in this processor's log lines. */
    public LoggedArgs loggedArgs() {
        return loggedArgs;
    }

    /** Called with the queue's name after this node put a job in it, so idle local workers can look at once. */
    public void onEnqueued(Consumer<String> listener) {
        enqueueListeners.add(listener);
    }

    // ---------------------------------------------------------------------------------------------- enqueue

    @Override
    public boolean enqueue(String task, Map<String, ?> params, String queue) {
        RegisteredTask registered = known(task);
        Job job = job(registered, params, queue);
        HookChain chain = chainOf(registered);
        ResqueStore current = store;
        JobEvent event = JobEvent.enqueuing(job, this);
        return call(() -> {
            if (!runBefore(chain, event)) {
                LOG.debug("job of task {} not enqueued on {}: {} declined it", task, job.queue(), event.declinedBy());
                return false;
            }
            current.enqueue(job.queue(), Payloads.encodeJob(job));
            jobArrived(job.queue());
            watch.enqueued(current, job.queue(), false);
            runAfterEnqueue(chain, event);
            return true;
        });
    }

    /**
     * Every job is validated first (one invalid refuses the batch, nothing written), then the before-hooks run one job
     * after another, and the accepted ones are encoded and written with {@link ResqueStore#enqueueAll} (over Redis one script per thousand jobs: {@code SADD queues},
     * {@code RPUSH} of them all, the layout node-resque's {@code enqueue} leaves); their after-hooks run once they are
     * stored.
     */
    @Override
    public int enqueueAll(String task, List<? extends Map<String, ?>> params, String queue) {
        Objects.requireNonNull(params, "params");
        RegisteredTask registered = known(task);
        List<Job> jobs = new ArrayList<>(params.size());
        for (Map<String, ?> one : params) {
            jobs.add(job(registered, one, queue));
        }
        if (jobs.isEmpty()) {
            return 0;
        }
        HookChain chain = chainOf(registered);
        ResqueStore current = store;
        String target = jobs.get(0).queue();
        return call(() -> {
            List<JobEvent> accepted = new ArrayList<>(jobs.size());
            List<String> payloads = new ArrayList<>(jobs.size());
            for (Job job : jobs) {
                JobEvent event = JobEvent.enqueuing(job, this);
                if (runBefore(chain, event)) {
                    accepted.add(event);
                    payloads.add(Payloads.encodeJob(job));
                } else {
                    LOG.debug("job of task {} not enqueued on {}: {} declined it", task, target, event.declinedBy());
                }
            }
            if (payloads.isEmpty()) {
                return 0;
            }
            current.enqueueAll(target, payloads);
            jobArrived(target);
            watch.enqueued(current, target, false);
            for (JobEvent event : accepted) {
                runAfterEnqueue(chain, event);
            }
            return payloads.size();
        });
    }

    @Override
    public boolean enqueueAt(Instant at, String task, Map<String, ?> params, String queue, boolean suppressDuplicate) {
        Objects.requireNonNull(at, "at");
        Job job = job(known(task), params, queue);
        ResqueStore current = store;
        return call(() -> {
            if (!current.schedule(ResqueSeconds.of(at.toEpochMilli()), Payloads.encodeJob(job))) {
                if (suppressDuplicate) {
                    return false;
                }
                throw new TaskException(TaskException.Reason.DUPLICATE, DUPLICATE_MESSAGE);
            }
            watch.enqueued(current, job.queue(), true);
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------- find and remove

    @Override
    public long del(String queue, String task, Map<String, ?> params) {
        String payload = payloadToFind(queue, task, params);
        String q = queueOf(queue, task);
        return call(() -> store.removeQueued(q, payload, 0));
    }

    @Override
    public List<Instant> delDelayed(String queue, String task, Map<String, ?> params) {
        String payload = payloadToFind(queue, task, params);
        return call(() -> instants(store.unschedule(payload)));
    }

    @Override
    public List<Instant> scheduledAt(String queue, String task, Map<String, ?> params) {
        String payload = payloadToFind(queue, task, params);
        return call(() -> instants(store.scheduledAt(payload)));
    }

    /**
     * Actionhero's {@code stopRecurrentTask}: removes the task's queued and delayed jobs (its recurring job
     * {@code args:[{}]}). Herald also drops the {@code QueueLock} lock of a removed queued copy, which would otherwise
     * keep the task from being enqueued again for the lock's hour. A run in progress still schedules the next one, as
     * in Actionhero.
     */
    @Override
    public long stopRecurrentTask(String task) {
        RegisteredTask registered = known(task);
        return call(() -> {
            ResqueStore current = store;
            Job job = recurringJob(registered);
            String payload = Payloads.encodeJob(job);
            long removed = current.removeQueued(job.queue(), payload, 0);
            if (removed > 0) {
                current.delete(PluginKeys.queueLock(job));
            }
            return removed + current.unschedule(payload).size();
        });
    }

    /**
     * The job a recurring task runs as: Actionhero's {@code enqueue(name, {})}, i.e. {@code {"class":<task>,
     * "queue":<queue>,"args":[{}]}} with the task's input defaults applied (params failing the inputs stay {@code {}}).
     */
    public Job recurringJob(RegisteredTask task) {
        return new Job(task.name(), task.queue(), List.of(defaulted(task, Map.of())));
    }

    // ---------------------------------------------------------------------------------------------- queues

    @Override
    public List<Job> queued(String queue, long start, long stop) {
        return call(() -> decodeJobs(store.queued(queue, start, stop), queue));
    }

    @Override
    public void delQueue(String queue) {
        call(() -> {
            store.deleteQueue(queue);
            return null;
        });
    }

    @Override
    public List<String> queues() {
        return call(() -> store.queues().stream().sorted().toList());
    }

    @Override
    public long length(String queue) {
        return call(() -> store.length(queue));
    }

    @Override
    public List<Instant> timestamps() {
        return call(() -> instants(store.delayedTimestamps()));
    }

    @Override
    public List<Job> delayedAt(Instant at) {
        return call(() -> decodeJobs(store.delayedAt(ResqueSeconds.of(at.toEpochMilli())), null));
    }

    @Override
    public Map<Instant, List<Job>> allDelayed() {
        return call(() -> {
            ResqueStore current = store;
            Map<Instant, List<Job>> all = new LinkedHashMap<>();
            for (long timestamp : current.delayedTimestamps()) {
                all.put(Instant.ofEpochSecond(timestamp), decodeJobs(current.delayedAt(timestamp), null));
            }
            return all;
        });
    }

    /**
     * The job is found by its bytes at that second ({@link Payloads#encodeJob} writes a listed job back byte for byte,
     * as node-resque's {@code JSON.stringify} wrote it), then moved as the scheduler moves a due job.
     */
    @Override
    public boolean runDelayed(Instant at, Job job) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(job, "job");
        long timestamp = ResqueSeconds.of(at.toEpochMilli());
        String raw = Payloads.encodeJob(job);
        return call(() -> {
            ResqueStore current = store;
            return current.delayedAt(timestamp).contains(raw)
                    && DelayedTransfer.move(this, current, timestamp, job, raw);
        });
    }

    @Override
    public List<RecurringTask> recurringTasks() {
        List<RegisteredTask> recurring = registry.tasks().stream().filter(RegisteredTask::recurring)
                .sorted(Comparator.comparing(RegisteredTask::name)).toList();
        return call(() -> {
            ResqueStore current = store;
            List<RecurringTask> found = new ArrayList<>(recurring.size());
            for (RegisteredTask task : recurring) {
                String payload = Payloads.encodeJob(recurringJob(task));
                found.add(new RecurringTask(task.name(), task.queue(), Duration.ofMillis(task.frequency()),
                        instants(current.scheduledAt(payload))));
            }
            return found;
        });
    }

    // ---------------------------------------------------------------------------------------------- stats, locks, workers

    @Override
    public Map<String, Long> stats() {
        return call(() -> store.stats());
    }

    @Override
    public Map<String, String> locks() {
        return call(() -> {
            ResqueStore current = store;
            Map<String, String> locks = new LinkedHashMap<>(current.scan("lock:*"));
            locks.putAll(current.scan("workerslock:*"));
            return locks;
        });
    }

    @Override
    public boolean delLock(String key) {
        return call(() -> store.delete(key));
    }

    @Override
    public List<WorkerStatus> workers() {
        return call(() -> {
            ResqueStore current = store;
            List<WorkerStatus> workers = new ArrayList<>();
            for (String member : current.workers()) {
                WorkerMember parsed = WorkerMember.parse(member);
                String workingOn = parsed.queues() == null ? null : current.workingOn(parsed.worker(), parsed.queues());
                workers.add(Payloads.workerStatus(parsed.worker(), parsed.queues(), workingOn));
            }
            workers.sort(Comparator.comparing(WorkerStatus::worker));
            return workers;
        });
    }

    @Override
    public WorkerStatus workingOn(String worker, String queues) {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(queues, "queues");
        return call(() -> Payloads.workerStatus(worker, queues, store.workingOn(worker, queues)));
    }

    // ---------------------------------------------------------------------------------------------- failed

    @Override
    public long failedCount() {
        return call(() -> store.failedCount());
    }

    @Override
    public List<FailedJob> failed(long start, long stop) {
        return call(() -> {
            List<FailedJob> failed = new ArrayList<>();
            for (String raw : store.failed(start, stop)) {
                failed.add(decodeFailure(raw));
            }
            return failed;
        });
    }

    @Override
    public boolean removeFailed(FailedJob job) {
        Objects.requireNonNull(job, "job");
        return call(() -> store.removeFailed(job.raw()));
    }

    /**
     * node-resque's {@code retryAndRemoveFailed}, in one atomic step: the entry leaves the failed queue and its job is
     * enqueued on the entry's queue, or neither happens (node-resque removes first, then enqueues, and loses the job if
     * it dies in between). No enqueue hook runs: the job already passed them once. An entry whose payload is not a
     * readable job cannot be enqueued: it stays, and this returns false.
     */
    @Override
    public boolean retryAndRemoveFailed(FailedJob job) {
        Objects.requireNonNull(job, "job");
        if (job.payload() == null) {
            // the unreadable payload is not logged: its args cannot be filtered
            LOG.warn("failed job not retried: its payload is not a readable job ({} characters in the failed queue)",
                    job.raw().length());
            return false;
        }
        String queue = job.queue() != null ? job.queue() : job.payload().queue();
        return call(() -> {
            boolean retried = store.retryFailed(job.raw(), queue, Payloads.encodeJob(job.payload()));
            if (retried) {
                jobArrived(queue);
            }
            return retried;
        });
    }

    @Override
    public List<String> cleanOldWorkers(Duration age) {
        Objects.requireNonNull(age, "age");
        return call(() -> {
            ResqueStore current = store;
            long now = System.currentTimeMillis();
            List<String> cleaned = new ArrayList<>();
            for (String member : current.workers()) {
                WorkerMember parsed = WorkerMember.parse(member);
                if (parsed.queues() == null) {
                    continue;
                }
                WorkerStatus status = Payloads.workerStatus(parsed.worker(), parsed.queues(),
                        current.workingOn(parsed.worker(), parsed.queues()));
                Instant runAt = status.runAt() == null ? null : JsDate.parse(status.runAt()).orElse(null);
                if (runAt != null && now - runAt.toEpochMilli() > age.toMillis()) {
                    WorkerCleaner.forceClean(current, parsed.worker(), parsed.queues());
                    cleaned.add(parsed.worker());
                }
            }
            return cleaned;
        });
    }

    /**
     * node-resque's {@code forceCleanWorker(workerName)}: the worker's queues come from its {@code workers} member (a
     * worker registered under several, as node-resque's {@code *} workers may be, is cleaned under each).
     */
    @Override
    public WorkerStatus forceCleanWorker(String worker) {
        Objects.requireNonNull(worker, "worker");
        return call(() -> {
            ResqueStore current = store;
            WorkerStatus found = null;
            for (String member : current.workers()) {
                WorkerMember parsed = WorkerMember.parse(member);
                if (!worker.equals(parsed.worker())) {
                    continue;
                }
                String queues = parsed.queues() == null ? "" : parsed.queues();
                WorkerStatus status = Payloads.workerStatus(worker, queues, current.workingOn(worker, queues));
                WorkerCleaner.forceClean(current, worker, queues);
                if (found == null || status.isWorking()) {
                    found = status;
                }
            }
            if (found != null) {
                LOG.warn("worker {} removed by an operator{}", worker, found.isWorking()
                        ? "; its job of task " + found.job().taskName() + " is in the failed queue" : "");
            }
            return found;
        });
    }

    @Override
    public QueueDetails details() {
        return call(() -> {
            ResqueStore current = store;
            Map<String, Long> queues = new LinkedHashMap<>();
            for (String queue : current.queues().stream().sorted().toList()) {
                queues.put(queue, current.length(queue));
            }
            long delayed = 0;
            for (long timestamp : current.delayedTimestamps()) {
                delayed += current.delayedAt(timestamp).size();
            }
            return new QueueDetails(queues, workers(), current.stats(), current.failedCount(), delayed,
                    current.leader());
        });
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The task, or {@link TaskException.Reason#UNKNOWN_TASK}. */
    RegisteredTask known(String task) {
        RegisteredTask registered = registry.task(task);
        if (registered == null) {
            throw new TaskException(TaskException.Reason.UNKNOWN_TASK, "unknown task: " + task
                    + " (no task of that name is registered on this node)");
        }
        return registered;
    }

    /**
     * The params as the job will carry them: a plain copy with the task's defaults and formatters applied.
     *
     * @throws TaskException {@link TaskException.Reason#INVALID_PARAMS} naming the first problem
     */
    Map<String, Object> validated(RegisteredTask task, Map<String, ?> params) {
        Map<String, Object> copy = plainCopy(params);
        if (!task.inputs().isEmpty()) {
            String problem = checker.check(task.inputs(), copy);
            if (problem != null) {
                throw new TaskException(TaskException.Reason.INVALID_PARAMS, "task " + task.name() + ": " + problem);
            }
            copy = plainCopy(copy);
        }
        return copy;
    }

    /** The params with the task's defaults and formatters applied when they pass its inputs, else as given. */
    private Map<String, Object> defaulted(RegisteredTask task, Map<String, ?> params) {
        Map<String, Object> copy = plainCopy(params);
        if (task == null || task.inputs().isEmpty()) {
            return copy;
        }
        Map<String, Object> normalized = plainCopy(copy);
        return checker.check(task.inputs(), normalized) == null ? plainCopy(normalized) : copy;
    }

    /**
     * A mutable copy of the params in their order, made of plain JSON values as {@link HeraldJson#plain} makes them (a
     * record becomes a map, a date its ISO text): the payload's bytes, and so {@code del}/{@code delDelayed}/the lock
     * keys, depend on that order. A value that cannot be written as JSON refuses the params, as
     * {@code JSON.stringify} throws in Actionhero's {@code enqueue}.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainCopy(Map<String, ?> params) {
        try {
            return params == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>((Map<String, Object>) HeraldJson.plain(params));
        } catch (IllegalArgumentException e) {
            throw new TaskException(TaskException.Reason.INVALID_PARAMS, "params cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The payload {@link #enqueue} and {@link #enqueueAt} write for these arguments: the params validated by the task's
     * inputs, on {@code queue} or the task's own.
     *
     * @throws TaskException as {@code enqueue} does for an unknown task or invalid params
     */
    public String payload(String task, Map<String, ?> params, String queue) {
        return Payloads.encodeJob(job(known(task), params, queue));
    }

    private Job job(RegisteredTask task, Map<String, ?> params, String queue) {
        return new Job(task.name(), queueOf(task, queue), List.of(validated(task, params)));
    }

    private String payloadToFind(String queue, String task, Map<String, ?> params) {
        Objects.requireNonNull(task, "task");
        return Payloads.encodeJob(task, queueOf(queue, task), List.of(defaulted(registry.task(task), params)));
    }

    private String queueOf(String queue, String task) {
        return queue != null ? queue : known(task).queue();
    }

    private static String queueOf(RegisteredTask task, String queue) {
        return queue == null || queue.isBlank() ? task.queue() : queue;
    }

    private HookChain chainOf(RegisteredTask task) {
        HookChain chain = registry.chainFor(task);
        if (chain.missing() != null) {
            throw new TaskException(TaskException.Reason.UNAVAILABLE, chain.missing());
        }
        return chain;
    }

    /** Before-enqueue hooks; what a hook throws reaches the caller (unchecked as it is, checked wrapped). */
    private static boolean runBefore(HookChain chain, JobEvent event) {
        try {
            return chain.beforeEnqueue(event);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("task " + event.job().taskName() + ": a preEnqueue/beforeEnqueue hook failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * After-enqueue hooks run once the job is stored: their failure is logged, and the caller still learns that the job
     * was enqueued (node-resque rejects the enqueue although the job is in the queue, and a caller that retries then
     * enqueues it twice).
     */
    static void runAfterEnqueue(HookChain chain, JobEvent event) {
        try {
            chain.afterEnqueue(event);
        } catch (Exception e) {
            LOG.error("task {}: job enqueued on {}, but a postEnqueue/afterEnqueue hook failed: {}", event.job().taskName(),
                    event.job().queue(), e.getMessage(), e);
        }
    }

    /** Tells listeners (the local worker pool) that {@code queue} got a job. */
    public void jobArrived(String queue) {
        for (Consumer<String> listener : enqueueListeners) {
            try {
                listener.accept(queue);
            } catch (RuntimeException e) {
                LOG.debug("enqueue listener failed: {}", e.getMessage(), e);
            }
        }
    }

    private static List<Instant> instants(List<Long> seconds) {
        return seconds.stream().sorted().map(Instant::ofEpochSecond).toList();
    }

    private static List<Job> decodeJobs(List<String> raws, String queue) {
        List<Job> jobs = new ArrayList<>(raws.size());
        for (String raw : raws) {
            try {
                jobs.add(Payloads.decodeJob(raw, queue));
            } catch (WireFormatException e) {
                LOG.debug("not listed, not a readable job: {}", e.getMessage());
            }
        }
        return jobs;
    }

    private static FailedJob decodeFailure(String raw) {
        try {
            return Payloads.decodeFailure(raw);
        } catch (WireFormatException e) {
            // still listed (and removable: raw is kept), with what is wrong with it as the error
            return new FailedJob(null, null, null, null, "unreadable failed-queue entry: " + e.getMessage(), List.of(),
                    null, raw);
        }
    }

    /** Runs a store operation; the store being unreachable is {@link TaskException.Reason#UNAVAILABLE}. */
    static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (StoreUnavailableException e) {
            throw new TaskException(TaskException.Reason.UNAVAILABLE, "task storage unavailable: " + e.getMessage(), e);
        }
    }
}
