package io.herald.tasks.internal.store;

/**
 * The Lua scripts of {@link RedisResqueStore}: each makes one multi-key step of node-resque atomic (where node-resque
 * uses MULTI, or nothing) and touches only keys of the store's namespace, so with a hash-tagged namespace they run in
 * a Redis Cluster too. Keys that depend on stored data ({@code delayed:<ts>} from a {@code timestamps:} set) are
 * built from the namespace prefix passed in ARGV.
 */
final class ResqueScripts {

    private ResqueScripts() {
    }

    /**
     * Fails the script before its first write when a key it will write holds another type: Redis does not undo the
     * writes a script made before an error, so a late WRONGTYPE would leave a step half done (a job taken out of
     * {@code delayed:<ts>} or {@code failed} and never enqueued). ARGV-free; expects pairs (key index, type) in
     * {@code checks}.
     */
    private static final String EXPECT_TYPES = """
            local function wrongType(checks)
              for _, check in ipairs(checks) do
                local actual = redis.call('type', KEYS[check[1]]).ok
                if actual ~= 'none' and actual ~= check[2] then
                  return 'WRONGTYPE ' .. KEYS[check[1]] .. ' holds a ' .. actual .. ', not a ' .. check[2]
                end
              end
              return nil
            end
            """;

    /**
     * node-resque {@code Queue.enqueue}: {@code SADD queues q; RPUSH queue:q job}, of one job or of several in order
     * (one RPUSH of them all). KEYS: queues, queue:q. ARGV: q, job[, job...] (at most {@link #ENQUEUE_BATCH} jobs:
     * Lua's {@code unpack} has a bounded stack).
     */
    static final LuaScript ENQUEUE = new LuaScript("enqueue", EXPECT_TYPES + """
            local wrong = wrongType({{1, 'set'}, {2, 'list'}})
            if wrong then
              return redis.error_reply(wrong)
            end
            redis.call('sadd', KEYS[1], ARGV[1])
            return redis.call('rpush', KEYS[2], unpack(ARGV, 2))
            """);

    /** The most jobs one {@link #ENQUEUE} takes. */
    static final int ENQUEUE_BATCH = 1000;

    /** node-resque {@code Queue.delQueue}. KEYS: queue:q, queues. */
    static final LuaScript DELETE_QUEUE = new LuaScript("deleteQueue", """
            redis.call('del', KEYS[1])
            return redis.call('srem', KEYS[2], ARGV[1])
            """);

    /**
     * node-resque {@code Queue.enqueueAt}, with its duplicate check in the same atomic step (node-resque checks with a
     * separate SISMEMBER first). KEYS: timestamps:job, delayed:ts, delayed_queue_schedule. ARGV: delayed:ts, job, ts.
     */
    static final LuaScript SCHEDULE = new LuaScript("schedule", EXPECT_TYPES + """
            local wrong = wrongType({{1, 'set'}, {2, 'list'}, {3, 'zset'}})
            if wrong then
              return redis.error_reply(wrong)
            end
            if redis.call('sismember', KEYS[1], ARGV[1]) == 1 then
              return 0
            end
            redis.call('rpush', KEYS[2], ARGV[2])
            redis.call('sadd', KEYS[1], ARGV[1])
            redis.call('zadd', KEYS[3], ARGV[3], ARGV[3])
            return 1
            """);

    /**
     * node-resque {@code Queue.delDelayed} (LREM in every {@code delayed:<ts>} the job is scheduled in), atomic, also
     * taking emptied timestamps off the schedule. Returns the members it removed the job from. Members that are not a
     * {@code delayed:<ts>} list are skipped rather than failing half-way. KEYS: timestamps:job,
     * delayed_queue_schedule. ARGV: namespace prefix ("resque:"), job.
     */
    static final LuaScript UNSCHEDULE = new LuaScript("unschedule", """
            local removed = {}
            for _, member in ipairs(redis.call('smembers', KEYS[1])) do
              local key = ARGV[1] .. member
              if string.sub(member, 1, 8) == 'delayed:' and redis.call('type', key).ok == 'list' then
                if redis.call('lrem', key, 0, ARGV[2]) > 0 then
                  table.insert(removed, member)
                end
                if redis.call('llen', key) == 0 then
                  redis.call('zrem', KEYS[2], string.sub(member, 9))
                end
              end
            end
            redis.call('del', KEYS[1])
            return removed
            """);

    /**
     * The scheduler's move of one due job (node-resque {@code Scheduler.enqueueDelayedItemsForTimestamp}: LPOP, SREM,
     * enqueue; then WATCH/MULTI to drop an empty timestamp) in one atomic step, so a scheduler killed half-way neither
     * loses nor duplicates the job. KEYS: delayed:ts, timestamps:job, delayed_queue_schedule[, queues, queue:q].
     * ARGV: job, delayed:ts, ts[, q]. Without the last two keys the job is dropped (a plugin declined it).
     */
    static final LuaScript TRANSFER_DELAYED = new LuaScript("transferDelayed", EXPECT_TYPES + """
            local wrong = wrongType({{2, 'set'}, {3, 'zset'}})
            if not wrong and #KEYS == 5 then
              wrong = wrongType({{4, 'set'}, {5, 'list'}})
            end
            if wrong then
              return redis.error_reply(wrong)
            end
            if redis.call('lrem', KEYS[1], 1, ARGV[1]) == 0 then
              return 0
            end
            redis.call('srem', KEYS[2], ARGV[2])
            if #KEYS == 5 then
              redis.call('sadd', KEYS[4], ARGV[4])
              redis.call('rpush', KEYS[5], ARGV[1])
            end
            if redis.call('llen', KEYS[1]) == 0 then
              redis.call('zrem', KEYS[3], ARGV[3])
            end
            return 1
            """);

    /** The scheduler's cleanup of an empty timestamp (node-resque: WATCH, LLEN, MULTI DEL ZREM). */
    static final LuaScript CLEANUP_TIMESTAMP = new LuaScript("cleanupTimestamp", """
            if redis.call('llen', KEYS[1]) == 0 then
              redis.call('del', KEYS[1])
              redis.call('zrem', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """);

    /**
     * The job a worker's working-on record holds, as the text {@link #COMPLETE_AND_CLAIM} popped: the record is
     * {@code {"run_at":<string>,"queue":<string>,"payload":<job>,"worker":<string>}}, where the job is embedded as it
     * was popped (a JSON object) or as a JSON string (anything else). {@code ,"payload":} first appears after the two
     * strings (inside a JSON string every {@code "} is escaped), and the record ends with the worker's own field, so
     * what lies between is the job's text, byte for byte. A record of another shape (written by something else) gives
     * its payload, re-encoded when it is a JSON value, or else the whole record, so that the worker fails it visibly
     * rather than losing it. Same rule as {@code MemoryResqueStore}'s {@code heldJob}.
     */
    private static final String HELD_JOB = """
            local function heldJob(record, worker)
              local head = '{"run_at":'
              local tail = ',"worker":' .. cjson.encode(worker) .. '}'
              if string.sub(record, 1, #head) == head and #record > #head + #tail
                  and string.sub(record, -#tail) == tail then
                local at = string.find(record, ',"payload":', #head + 1, true)
                if at then
                  local job = string.sub(record, at + 11, #record - #tail)
                  local first = string.sub(job, 1, 1)
                  if first == '{' then
                    return job
                  end
                  if first == '"' then
                    local ok, text = pcall(cjson.decode, job)
                    if ok and type(text) == 'string' then
                      return text
                    end
                  end
                end
              end
              local ok, fields = pcall(cjson.decode, record)
              if ok and type(fields) == 'table' then
                if type(fields.payload) == 'string' then
                  return fields.payload
                end
                if type(fields.payload) == 'table' then
                  return cjson.encode(fields.payload)
                end
              end
              return record
            end
            """;

    /**
     * The working-on record's queue, read back for a job held already (its queue is not known to the caller: the pop
     * that took it had its reply lost). False when the record names none.
     */
    private static final String HELD_QUEUE = """
            local function heldQueue(record)
              local ok, fields = pcall(cjson.decode, record)
              if ok and type(fields) == 'table' and type(fields.queue) == 'string' then
                return fields.queue
              end
              return false
            end
            """;

    /**
     * A worker's step (node-resque's {@code Worker.completeJob} of the job it holds, then its {@code poll} of the queues
     * in order with {@code lua/popAndStoreJob.lua}) in one script, so a job costs one round trip.
     *
     * <p>The end: as {@link #COMPLETE_JOB}, but only when the worker's count of ended jobs ({@code stat:processed:<w>}
     * plus {@code stat:failed:<w>}) still reads ARGV[2], the count the claim of that job returned. The working-on key
     * alone cannot tell a step run again after its reply was lost (the next job is held now) from the first run.
     *
     * <p>The claim, node-resque's {@code popAndStoreJob.lua} (LPOP the queue, SET the working-on key) tried on each
     * queue in order until one has a job, with two changes. A worker holds at most one job: when its working-on key is
     * still set, the script pops nothing and returns the job the key holds (byte for byte as it was popped,
     * {@link #HELD_JOB}), so a pop whose reply was lost (a timeout, a cut connection, a failover), and that
     * {@code RedisConnection.execute} or the worker runs again, hands back the same job instead of taking another and
     * overwriting the record, which lost the first job. node-resque never pops for a worker that holds a job either (it
     * completes the job first), so peers see nothing new. And the job's text is embedded as it is: node-resque's
     * {@code cjson.decode} then {@code cjson.encode} of the job rewrites its numbers with 14 significant digits and
     * escapes {@code /}, and on a payload that is not JSON it fails after the LPOP, which Redis does not undo: the job
     * vanishes. Here such a payload is embedded as a JSON string, so the worker can fail it properly. Same keys, same
     * fields ({@code run_at}, {@code queue}, {@code payload}, {@code worker}), still readable by node-resque's
     * {@code JSON.parse}. A working-on key of another type than a string is not a record: it is overwritten, as
     * node-resque's SET does.
     *
     * <p>KEYS: worker:name:queues, stat:processed, stat:processed:name, stat:failed, stat:failed:name, failed,
     * queue:q1, queue:q2, ... ARGV: outcome ('' none, 'processed', 'failed'), ended count, failure or '', run_at, worker
     * name, q1, q2, ... Returns {queue or false, job or false, ended count}.
     */
    static final LuaScript COMPLETE_AND_CLAIM = new LuaScript("completeAndClaim", EXPECT_TYPES + HELD_JOB + HELD_QUEUE
            + """
            local function ended()
              return (tonumber(redis.call('get', KEYS[3])) or 0) + (tonumber(redis.call('get', KEYS[5])) or 0)
            end
            local held = redis.call('type', KEYS[1]).ok == 'string'
            if held and ARGV[1] ~= '' and ended() == tonumber(ARGV[2]) then
              local total, mine = 2, 3
              if ARGV[1] == 'failed' then
                total, mine = 4, 5
              end
              local wrong = wrongType({{total, 'string'}, {mine, 'string'}})
              if not wrong and ARGV[1] == 'failed' then
                wrong = wrongType({{6, 'list'}})
              end
              if wrong then
                return redis.error_reply(wrong)
              end
              redis.call('del', KEYS[1])
              if ARGV[1] == 'failed' then
                redis.call('rpush', KEYS[6], ARGV[3])
              end
              redis.call('incr', KEYS[total])
              redis.call('incr', KEYS[mine])
              held = false
            end
            if held then
              local record = redis.call('get', KEYS[1])
              return {heldQueue(record), heldJob(record, ARGV[5]), ended()}
            end
            for i = 7, #KEYS do
              local payload = redis.call('lpop', KEYS[i])
              if payload then
                local queue = ARGV[i - 1]
                local job = payload
                if string.sub(payload, 1, 1) ~= '{' or not pcall(cjson.decode, payload) then
                  job = cjson.encode(payload)
                end
                redis.call('set', KEYS[1], '{"run_at":' .. cjson.encode(ARGV[4]) .. ',"queue":' .. cjson.encode(queue)
                  .. ',"payload":' .. job .. ',"worker":' .. cjson.encode(ARGV[5]) .. '}')
                return {queue, payload, ended()}
              end
            end
            return {false, false, ended()}
            """);

    /**
     * node-resque {@code Worker.completeJob} + {@code succeed}/{@code fail}: DEL the working-on key, INCR the global
     * and per-worker counter, RPUSH the failure when there is one (before the counters: a broken counter must not cost
     * the entry). Idempotent: it ends the job the worker holds, and does nothing when the worker holds none (no
     * working-on key). A call whose reply was lost, or whose WAIT too few replicas acknowledged, is run again by the
     * connection or the worker, and must not count the job, or push its failure, twice. The types are checked before
     * anything is written, so a WRONGTYPE leaves the job held (and the caller retrying) instead of ending it without
     * its failure entry. KEYS: worker:name:queues, stat:x, stat:x:name, failed. ARGV: [failure].
     */
    static final LuaScript COMPLETE_JOB = new LuaScript("completeJob", EXPECT_TYPES + """
            if redis.call('exists', KEYS[1]) == 0 then
              return 0
            end
            local wrong = wrongType({{2, 'string'}, {3, 'string'}})
            if not wrong and ARGV[1] then
              wrong = wrongType({{4, 'list'}})
            end
            if wrong then
              return redis.error_reply(wrong)
            end
            redis.call('del', KEYS[1])
            if ARGV[1] then
              redis.call('rpush', KEYS[4], ARGV[1])
            end
            redis.call('incr', KEYS[2])
            redis.call('incr', KEYS[3])
            return 1
            """);

    /** node-resque {@code Worker.track} and {@code init}. KEYS: workers, worker:name:queues:started. ARGV: member, s */
    static final LuaScript REGISTER_WORKER = new LuaScript("registerWorker", """
            redis.call('sadd', KEYS[1], ARGV[1])
            redis.call('set', KEYS[2], ARGV[2])
            return 1
            """);

    /**
     * node-resque {@code Worker.untrack}. KEYS: workers, worker:ping:name, worker:name:queues, ...:started,
     * stat:failed:name, stat:processed:name. ARGV: member.
     */
    static final LuaScript UNREGISTER_WORKER = new LuaScript("unregisterWorker", """
            redis.call('srem', KEYS[1], ARGV[1])
            redis.call('del', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
            return 1
            """);

    /**
     * node-resque {@code Queue.forceCleanWorker}, also deleting the working-on key node-resque leaves behind. The
     * failure is written only while the working-on record it describes is still there: two cleaners of one dead worker
     * (two nodes starting on its host) write it, and retry the job, once. KEYS: workers, stat:failed,
     * stat:failed:name, stat:processed:name, worker:ping:name, ...:started, worker:name:queues, worker:name, failed.
     * ARGV: member[, failure]. Returns 1 when the failure was written.
     */
    static final LuaScript FORCE_CLEAN_WORKER = new LuaScript("forceCleanWorker", """
            local failed = 0
            if ARGV[2] and redis.call('exists', KEYS[7]) == 1 then
              redis.call('rpush', KEYS[9], ARGV[2])
              redis.call('incr', KEYS[2])
              failed = 1
            end
            redis.call('del', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
            redis.call('srem', KEYS[1], ARGV[1])
            return failed
            """);

    /** {@code retryAndRemoveFailed}, atomic: enqueue only if the entry is still there. KEYS: failed, queues, queue:q */
    static final LuaScript RETRY_FAILED = new LuaScript("retryFailed", EXPECT_TYPES + """
            local wrong = wrongType({{2, 'set'}, {3, 'list'}})
            if wrong then
              return redis.error_reply(wrong)
            end
            if redis.call('lrem', KEYS[1], 1, ARGV[1]) == 0 then
              return 0
            end
            redis.call('sadd', KEYS[2], ARGV[2])
            redis.call('rpush', KEYS[3], ARGV[3])
            return 1
            """);

    /**
     * node-resque {@code Scheduler.tryForLeader} (SET NX EX; else GET and, when held by us, EXPIRE) in one step, so the
     * lock cannot expire and pass to another between the GET and the EXPIRE. KEYS: leader lock. ARGV: name, ttl.
     */
    static final LuaScript TRY_FOR_LEADER = new LuaScript("tryForLeader", """
            if redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then
              return 1
            end
            if redis.call('get', KEYS[1]) == ARGV[1] then
              redis.call('expire', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """);

    /** node-resque {@code Scheduler.releaseLeaderLock} as compare-and-delete. KEYS: leader lock. ARGV: name. */
    static final LuaScript RELEASE_LEADER = new LuaScript("releaseLeader", """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0
            """);

    /** The Retry plugin's counter: INCR, then EXPIRE in the same step (no counter left without a TTL). ARGV: ttl. */
    static final LuaScript INCREMENT = new LuaScript("increment", """
            local value = redis.call('incr', KEYS[1])
            if tonumber(ARGV[1]) > 0 then
              redis.call('expire', KEYS[1], ARGV[1])
            end
            return value
            """);
}
