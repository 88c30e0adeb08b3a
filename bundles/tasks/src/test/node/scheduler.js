"use strict";
// Runs a node-resque Scheduler: leader election on <ns>:resque_scheduler_leader_lock, delayed jobs moved to their
// queues, stuck workers (ping key older than the stuck-worker timeout) force-cleaned into the failed list.
//
//   node scheduler.js [--name host:pid] [--poll-ms 250] [--leader-lock-timeout 180 (s)]
//                     [--stuck-worker-timeout-ms 3600000] [--retry-stuck-jobs] [--run-ms 60000]
//                     [--until-transferred N] [--until-cleaned N] [--verbose]
//
// Stops gracefully (end() finishes the poll in flight and releases the leader lock it holds) when the --until-*
// counts are reached, at --run-ms, or on SIGTERM/SIGINT. Prints {"event":"started"} once connected, then "leader",
// "transferredJob", "cleanStuckWorker" and "error" lines ("poll" too with --verbose), and {"event":"end",...}.
// Exits 2 when an --until-* count was not reached in time.
const { Scheduler } = require("node-resque");
const common = require("./lib/common");

common.run(async () => {
  const options = common.parseArgs(process.argv.slice(2));
  const untilTransferred = common.intOption(options, "until-transferred", null);
  const untilCleaned = common.intOption(options, "until-cleaned", null);
  const runMs = common.intOption(options, "run-ms", 60000);
  const scheduler = new Scheduler({
    connection: common.connectionOptions(),
    timeout: common.intOption(options, "poll-ms", 250),
    leaderLockTimeout: common.intOption(options, "leader-lock-timeout", 180),
    stuckWorkerTimeout: common.intOption(options, "stuck-worker-timeout-ms", 60 * 60 * 1000),
    retryStuckJobs: options["retry-stuck-jobs"] === true,
    ...(typeof options.name === "string" ? { name: options.name } : {}),
  });

  let transferred = 0;
  let cleaned = 0;
  let stopping = null;
  const reached = () =>
    (untilTransferred === null || transferred >= untilTransferred) && (untilCleaned === null || cleaned >= untilCleaned);
  const stop = (reason) => {
    if (stopping) return stopping;
    stopping = (async () => {
      clearTimeout(deadline);
      await scheduler.end();
      common.emit({ event: "end", reason, transferred, cleaned });
      common.exit(reason === "deadline" && (untilTransferred !== null || untilCleaned !== null) && !reached() ? 2 : 0);
    })().catch((error) => {
      process.stderr.write(`stopping failed: ${error && error.stack ? error.stack : error}\n`);
      common.exit(1);
    });
    return stopping;
  };
  const check = () => {
    if ((untilTransferred !== null || untilCleaned !== null) && reached()) stop("until");
  };
  const deadline = setTimeout(() => stop("deadline"), runMs);
  process.on("SIGTERM", () => stop("signal"));
  process.on("SIGINT", () => stop("signal"));

  scheduler.on("leader", () => common.emit({ event: "leader", name: scheduler.name }));
  if (options.verbose) scheduler.on("poll", () => common.emit({ event: "poll" }));
  scheduler.on("transferredJob", (timestamp, job) => {
    transferred++;
    common.emit({ event: "transferredJob", timestamp, job });
    check();
  });
  scheduler.on("cleanStuckWorker", (worker, errorPayload, delta) => {
    cleaned++;
    common.emit({ event: "cleanStuckWorker", worker, errorPayload: errorPayload ?? null, delta });
    check();
  });
  scheduler.on("error", (error) => common.emit({ event: "error", error: common.describeError(error) }));

  await scheduler.connect();
  await scheduler.start();
  common.emit({ event: "started", name: scheduler.name });
});
