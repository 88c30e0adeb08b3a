"use strict";
// Enqueues jobs with node-resque's Queue, as Actionhero's api.tasks.enqueue / enqueueAt / enqueueIn do.
//
//   node enqueue.js --class add --queue math --args '[1,2]' [--count N [--indexed]] [--at <ms> | --in <ms>]
//                   [--suppress-duplicate]
//   node enqueue.js --jobs '[{"queue":"q","class":"c","args":[..],"at":<ms>|"in":<ms>}, ...]'
//
// --indexed appends the job's index (0..N-1) to its args, so N jobs are N distinct payloads.
// Prints one {"event":"enqueued",...} line per job with node-resque's encoded payload (`encoded`) and, for a delayed
// job, every second it is now scheduled at (`scheduledAt`, from the timestamps:<job> set), or
// {"event":"rejected",...} when node-resque refused it (e.g. a delayed duplicate); then {"event":"done",...}.
// Exits 1 when any job was rejected.
const { Queue } = require("node-resque");
const common = require("./lib/common");

function jobsFrom(options) {
  if (options.jobs !== undefined) {
    const jobs = common.jsonOption(options, "jobs");
    if (!Array.isArray(jobs)) throw new Error("--jobs must be a JSON array");
    return jobs;
  }
  if (typeof options.class !== "string") throw new Error("--class <name> (or --jobs '<json array>') is required");
  const args = common.jsonOption(options, "args", []);
  const count = common.intOption(options, "count", 1);
  const jobs = [];
  for (let i = 0; i < count; i++) {
    jobs.push({
      queue: typeof options.queue === "string" ? options.queue : "default",
      class: options.class,
      args: options.indexed ? [...(Array.isArray(args) ? args : [args]), i] : args,
      at: options.at === undefined ? undefined : Number(options.at),
      in: options.in === undefined ? undefined : Number(options.in),
    });
  }
  return jobs;
}

common.run(async () => {
  const options = common.parseArgs(process.argv.slice(2));
  const jobs = jobsFrom(options);
  const suppress = options["suppress-duplicate"] === true;
  const queue = new Queue({ connection: common.connectionOptions() });
  queue.on("error", (error) => process.stderr.write(`queue error: ${error}\n`));
  await queue.connect();
  let rejected = 0;
  for (const job of jobs) {
    const event = {
      queue: job.queue,
      class: job.class,
      args: job.args,
      encoded: queue.encode(job.queue, job.class, job.args),
    };
    try {
      if (job.at !== undefined && job.at !== null) {
        event.mode = "at";
        event.result = (await queue.enqueueAt(job.at, job.queue, job.class, job.args, suppress)) ?? null;
        event.scheduledAt = await queue.scheduledAt(job.queue, job.class, job.args);
      } else if (job.in !== undefined && job.in !== null) {
        event.mode = "in";
        event.result = (await queue.enqueueIn(job.in, job.queue, job.class, job.args, suppress)) ?? null;
        event.scheduledAt = await queue.scheduledAt(job.queue, job.class, job.args);
      } else {
        event.mode = "now";
        event.result = await queue.enqueue(job.queue, job.class, job.args);
      }
      common.emit({ event: "enqueued", ...event });
    } catch (error) {
      rejected++;
      common.emit({ event: "rejected", ...event, error: common.describeError(error) });
    }
  }
  await queue.end();
  common.emit({ event: "done", count: jobs.length, rejected });
  common.exit(rejected === 0 ? 0 : 1);
});
