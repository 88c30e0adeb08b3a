"use strict";
// Shared by the interop scripts: options from argv and the environment, the node-resque connection, and the one
// output format the Java side (io.herald.tasks.interop.NodeResque) parses: one JSON object per stdout line.
// Diagnostics go to stderr only, so stdout stays machine-readable.

const os = require("os");

/** `--key value` pairs and bare `--flag`s (true); everything else is positional. */
function parseArgs(argv) {
  const options = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        options[name] = true;
      } else {
        options[name] = next;
        i++;
      }
    } else {
      options._.push(arg);
    }
  }
  return options;
}

/** A JSON option (e.g. `--args '[1,2]'`) with a clear message when it is not JSON. */
function jsonOption(options, name, fallback) {
  const raw = options[name];
  if (raw === undefined) return fallback;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`--${name} is not JSON (${error.message}): ${raw}`);
  }
}

function intOption(options, name, fallback) {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`--${name} must be an integer, not ${raw}`);
  return value;
}

/** node-resque connection options from REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and NAMESPACE (default `resque`). */
function connectionOptions() {
  const port = Number(process.env.REDIS_PORT || "6379");
  const options = {
    host: process.env.REDIS_HOST || "127.0.0.1",
    port,
    namespace: process.env.NAMESPACE || "resque",
    // ioredis reconnects for ever by default: a test whose Redis is gone should fail, not hang
    options: { connectTimeout: 5000, maxRetriesPerRequest: 3 },
  };
  if (process.env.REDIS_PASSWORD) options.options.password = process.env.REDIS_PASSWORD;
  return options;
}

/** Writes one event line to stdout. */
function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

/** Exits once stdout has been flushed (a pipe to the JVM may still hold buffered lines). */
function exit(code) {
  process.stdout.write("", () => process.exit(code));
}

/** Runs `main`; a fatal error goes to stderr (with its stack) and exits 1. */
function run(main) {
  main().catch((error) => {
    process.stderr.write(`fatal: ${error && error.stack ? error.stack : error}\n`);
    emit({ event: "fatal", error: describeError(error) });
    exit(1);
  });
}

module.exports = {
  parseArgs,
  jsonOption,
  intOption,
  connectionOptions,
  emit,
  describeError,
  exit,
  run,
  hostname: os.hostname(),
};
