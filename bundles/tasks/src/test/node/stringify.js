"use strict";
// Prints JSON.stringify(JSON.parse(stdin)): the exact bytes node-resque would write for a value (key order as
// parsed, no whitespace, JS number forms). With --lines, every non-empty stdin line is one value and gives one
// output line. A line that is not JSON prints {"error":"..."} on its line instead (and the exit code is 1).
const common = require("./lib/common");

common.run(async () => {
  const options = common.parseArgs(process.argv.slice(2));
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = Buffer.concat(chunks).toString("utf8");
  const values = options.lines ? input.split("\n").filter((line) => line.trim().length > 0) : [input];
  let bad = 0;
  for (const text of values) {
    try {
      process.stdout.write(JSON.stringify(JSON.parse(text)) + "\n");
    } catch (error) {
      bad++;
      process.stdout.write(JSON.stringify({ error: error.message }) + "\n");
    }
  }
  common.exit(bad === 0 ? 0 : 1);
});
