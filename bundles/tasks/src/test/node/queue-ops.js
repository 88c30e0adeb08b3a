"use strict";
// Runs node-resque Queue operations, in order, and prints one result line per operation:
//   {"op":"<name>","ok":true,"value":<result>}  or  {"op":"<name>","ok":false,"error":{"name":..,"message":..}}
// Exits 1 when any operation failed.
//
//   node queue-ops.js '{"op":"failed","start":0,"stop":-1}' '{"op":"removeFailed","index":0}' ...
//
// Operations (fields in braces):
//   encode {queue,class,args}        queues                         length {queue}
//   queued {queue,start=0,stop=-1}   enqueue {queue,class,args}     enqueueAt {timestamp(ms),queue,class,args,suppressDuplicate}
//   enqueueIn {delay(ms),...}        del {queue,class,args,count=0} delByFunction {queue,class}
//   delQueue {queue}                 delDelayed {queue,class,args}  scheduledAt {queue,class,args}
//   timestamps                       delayedAt {timestamp(s)}       allDelayed
//   locks                            delLock {key}                  workers
//   workingOn {worker,queues}        allWorkingOn                   forceCleanWorker {worker}
//   cleanOldWorkers {age(ms)}        failedCount                    failed {start=0,stop=-1}
//   removeFailed {index | failure}   retryAndRemoveFailed {index | failure}
//   retryStuckJobs                   stats                          leader
//   details (Actionhero's api.tasks.details: {queues:{<q>:{length}},workers:allWorkingOn,stats,leader})
//   parseDate {text}: Date.parse(text) in ms, null when JavaScript cannot read it (node-resque's cleanOldWorkers reads
//                     run_at so)
// removeFailed / retryAndRemoveFailed with {index} read failed(index, index) and pass the parsed object back, as an
// operator's tool does: node-resque then re-serializes it with JSON.stringify and LREMs that string, so this only
// succeeds when the stored entry is byte-identical to node-resque's serialization of it.
const { Queue } = require("node-resque");
const common = require("./lib/common");

async function failedEntry(queue, spec) {
  if (spec.failure !== undefined) return spec.failure;
  if (!Number.isInteger(spec.index)) throw new Error(`${spec.op} needs {index} or {failure}`);
  const entries = await queue.failed(spec.index, spec.index);
  if (entries.length === 0) throw new Error(`no failed entry at index ${spec.index}`);
  return entries[0];
}

const operations = {
  encode: (q, s) => q.encode(s.queue, s.class, s.args),
  queues: (q) => q.queues(),
  length: (q, s) => q.length(s.queue),
  queued: (q, s) => q.queued(s.queue, s.start ?? 0, s.stop ?? -1),
  enqueue: (q, s) => q.enqueue(s.queue, s.class, s.args),
  enqueueAt: (q, s) => q.enqueueAt(s.timestamp, s.queue, s.class, s.args, s.suppressDuplicate === true),
  enqueueIn: (q, s) => q.enqueueIn(s.delay, s.queue, s.class, s.args, s.suppressDuplicate === true),
  del: (q, s) => q.del(s.queue, s.class, s.args, s.count ?? 0),
  delByFunction: (q, s) => q.delByFunction(s.queue, s.class),
  delQueue: (q, s) => q.delQueue(s.queue),
  delDelayed: (q, s) => q.delDelayed(s.queue, s.class, s.args),
  scheduledAt: (q, s) => q.scheduledAt(s.queue, s.class, s.args),
  timestamps: (q) => q.timestamps(),
  delayedAt: (q, s) => q.delayedAt(s.timestamp),
  allDelayed: (q) => q.allDelayed(),
  locks: (q) => q.locks(),
  delLock: (q, s) => q.delLock(s.key),
  workers: (q) => q.workers(),
  workingOn: (q, s) => q.workingOn(s.worker, s.queues),
  allWorkingOn: (q) => q.allWorkingOn(),
  forceCleanWorker: (q, s) => q.forceCleanWorker(s.worker),
  cleanOldWorkers: (q, s) => q.cleanOldWorkers(s.age),
  failedCount: (q) => q.failedCount(),
  failed: (q, s) => q.failed(s.start ?? 0, s.stop ?? -1),
  removeFailed: async (q, s) => q.removeFailed(await failedEntry(q, s)),
  retryAndRemoveFailed: async (q, s) => q.retryAndRemoveFailed(await failedEntry(q, s)),
  retryStuckJobs: (q) => q.retryStuckJobs(),
  stats: (q) => q.stats(),
  leader: (q) => q.leader(),
  parseDate: (q, s) => {
    const ms = Date.parse(s.text);
    return Number.isNaN(ms) ? null : ms;
  },
  details: async (q) => {
    const details = { queues: {}, workers: await q.allWorkingOn(), stats: await q.stats(), leader: await q.leader() };
    for (const name of await q.queues()) details.queues[name] = { length: await q.length(name) };
    return details;
  },
};

common.run(async () => {
  const specs = process.argv.slice(2).map((raw, i) => {
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new Error(`operation ${i} is not JSON (${error.message}): ${raw}`);
    }
  });
  if (specs.length === 0) throw new Error("no operation given; see the comment at the top of queue-ops.js");
  const errors = [];
  const queue = new Queue({ connection: common.connectionOptions() });
  // node-resque emits some problems (e.g. forceCleanWorker of an unknown worker) instead of throwing
  queue.on("error", (error) => errors.push(error));
  await queue.connect();
  let failures = 0;
  for (const spec of specs) {
    const operation = operations[spec.op];
    try {
      if (!operation) throw new Error(`unknown operation "${spec.op}"`);
      errors.length = 0;
      const value = await operation(queue, spec);
      const line = { op: spec.op, ok: true, value: value === undefined ? null : value };
      if (errors.length > 0) line.emitted = errors.map((e) => common.describeError(e));
      common.emit(line);
    } catch (error) {
      failures++;
      common.emit({ op: spec.op, ok: false, error: common.describeError(error) });
    }
  }
  await queue.end();
  common.exit(failures === 0 ? 0 : 1);
});
