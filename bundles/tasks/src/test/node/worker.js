"use strict";
// Runs a node-resque Worker (or, with --multi, a MultiWorker) that knows the job classes of lib/jobs.js.
//
//   node worker.js [--queues 'a,b' | --queues '*'] [--name host:pid] [--poll-ms 250] [--jobs N] [--run-ms 60000]
//                  [--multi [--min 1] [--max 3] [--check-ms 200]] [--record-key interop:record]
//
// Stops (gracefully: node-resque's end() waits for the job in flight and untracks the worker) after N jobs have
// completed (successes plus failures) when --jobs is given, at --run-ms, or on SIGTERM/SIGINT.
// Prints {"event":"started"} once the worker is tracked and has pinged (single worker), then one line per
// "job", "success", "failure", "error" and finally {"event":"end",...}. Exits 2 when --jobs was not reached in time.
const { Worker, MultiWorker } = require("node-resque");
const common = require("./lib/common");
const { jobs } = require("./lib/jobs");

common.run(async () => {
  const options = common.parseArgs(process.argv.slice(2));
  const queuesOption = typeof options.queues === "string" ? options.queues : "*";
  const queues = queuesOption === "*" ? "*" : queuesOption.split(",").filter((q) => q.length > 0);
  const pollMs = common.intOption(options, "poll-ms", 250);
  const wanted = common.intOption(options, "jobs", null);
  const runMs = common.intOption(options, "run-ms", 60000);
  const recordKey = typeof options["record-key"] === "string" ? options["record-key"] : "interop:record";
  const connection = common.connectionOptions();
  const definitions = jobs(recordKey);

  let succeeded = 0;
  let failed = 0;
  let stopping = null;
  let runner;

  const stop = (reason) => {
    if (stopping) return stopping;
    stopping = (async () => {
      clearTimeout(deadline);
      if (runner) await runner.end();
      const reached = wanted === null || succeeded + failed >= wanted;
      common.emit({ event: "end", reason, succeeded, failed });
      common.exit(reason === "deadline" && !reached ? 2 : 0);
    })().catch((error) => {
      process.stderr.write(`stopping failed: ${error && error.stack ? error.stack : error}\n`);
      common.exit(1);
    });
    return stopping;
  };
  const completed = () => {
    if (wanted !== null && succeeded + failed >= wanted) stop("jobs");
  };
  const deadline = setTimeout(() => stop("deadline"), runMs);
  process.on("SIGTERM", () => stop("signal"));
  process.on("SIGINT", () => stop("signal"));

  if (options.multi) {
    runner = new MultiWorker(
      {
        connection,
        queues: queues === "*" ? ["*"] : queues,
        timeout: pollMs,
        checkTimeout: common.intOption(options, "check-ms", 200),
        minTaskProcessors: common.intOption(options, "min", 1),
        maxTaskProcessors: common.intOption(options, "max", 3),
        ...(typeof options.name === "string" ? { name: options.name } : {}),
      },
      definitions,
    );
    runner.on("start", (id) => common.emit({ event: "workerStart", id }));
    runner.on("job", (id, queue, job) => common.emit({ event: "job", id, queue, job }));
    runner.on("success", (id, queue, job, result, duration) => {
      succeeded++;
      common.emit({ event: "success", id, queue, job, result: result ?? null, duration });
      completed();
    });
    runner.on("failure", (id, queue, job, failure, duration) => {
      failed++;
      common.emit({ event: "failure", id, queue, job, error: common.describeError(failure), duration });
      completed();
    });
    runner.on("error", (error, id, queue, job) =>
      common.emit({ event: "error", id: id ?? null, queue: queue ?? null, job: job ?? null, error: common.describeError(error) }),
    );
    runner.start();
    common.emit({ event: "started", name: runner.name, multi: true });
  } else {
    runner = new Worker(
      { connection, queues, timeout: pollMs, ...(typeof options.name === "string" ? { name: options.name } : {}) },
      definitions,
    );
    runner.on("job", (queue, job) => common.emit({ event: "job", worker: runner.name, queue, job }));
    runner.on("success", (queue, job, result, duration) => {
      succeeded++;
      common.emit({ event: "success", worker: runner.name, queue, job, result: result ?? null, duration });
      completed();
    });
    runner.on("failure", (queue, job, failure, duration) => {
      failed++;
      common.emit({ event: "failure", worker: runner.name, queue, job, error: common.describeError(failure), duration });
      completed();
    });
    runner.on("error", (error, queue, job) =>
      common.emit({ event: "error", queue: queue ?? null, job: job ?? null, error: common.describeError(error) }),
    );
    await runner.connect();
    await runner.start();
    common.emit({ event: "started", name: runner.name, queues: runner.queues });
  }
});
