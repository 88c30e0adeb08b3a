"use strict";
// The job classes node-resque workers know in the interop tests. node-resque calls perform(...job.args) with the
// worker as `this`; a job enqueued the Actionhero way has args [inputsObject], a plain Resque job a list of values.

const FAIL_MESSAGE = "interop job failed on purpose";

/** Sums every number in the args, looking one level into objects ({"a":1,"b":2}), so both styles work. */
function sum(args) {
  let total = 0;
  for (const arg of args) {
    if (typeof arg === "number") total += arg;
    else if (arg && typeof arg === "object") {
      for (const value of Object.values(arg)) if (typeof value === "number") total += value;
    }
  }
  return total;
}

function jobs(recordKey) {
  return {
    // returns the sum of its numeric args
    add: { perform: async (...args) => sum(args) },
    // returns its args unchanged
    echo: { perform: async (...args) => args },
    // throws an Error whose message is args[0].message, or FAIL_MESSAGE
    fail: {
      perform: async (...args) => {
        const first = args[0];
        const message = first && typeof first === "object" && typeof first.message === "string" ? first.message : FAIL_MESSAGE;
        throw new Error(message);
      },
    },
    // RPUSHes JSON.stringify(args) to the record list (not namespaced) so the Java side can read what ran, and how
    record: {
      perform: async function (...args) {
        return this.connection.redis.rpush(recordKey, JSON.stringify(args));
      },
    },
    // waits args[0] ms (or args[0].ms), default 1000: a job that is still running when the test needs it to be
    sleep: {
      perform: async (...args) => {
        const first = args[0];
        const ms = typeof first === "number" ? first : first && typeof first.ms === "number" ? first.ms : 1000;
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      },
    },
  };
}

module.exports = { jobs, FAIL_MESSAGE };
