// A headless Chromium driven by puppeteer-core, for the Java tests (io.herald.itests.Chromium).
//
//   CHROMIUM=/usr/bin/chromium node browser.js
//
// Prints {"ready":true,"version":"..."} once the browser runs, then reads one JSON command per stdin line and answers
// each with one JSON line, in order: {"ok":true,"value":...} or {"ok":false,"error":"..."}. Commands:
//   {"op":"open","url":"file:///...index.html?url=ws://..."}          a new page at that URL
//   {"op":"eval","js":"document.title"}                               the expression's value (JSON-serialisable)
//   {"op":"waitFor","js":"expr","timeoutMs":15000}                    waits until the expression is truthy; its value
//   {"op":"type","selector":"#message","text":"hi"}                   types into an element
//   {"op":"click","selector":"#send"}
// The page's console messages and errors go to stderr, prefixed with "page:". Closing stdin closes the browser.
'use strict';

const readline = require('readline');
const os = require('os');
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

function answer(value) {
  process.stdout.write(JSON.stringify(value) + '\n');
}

async function main() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    // --no-sandbox: CI machines run the tests as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  let page = null;
  const commands = {
    async open(command) {
      if (page) {
        await page.close();
      }
      page = await browser.newPage();
      page.on('console', (m) => process.stderr.write('page: ' + m.type() + ': ' + m.text() + '\n'));
      page.on('pageerror', (e) => process.stderr.write('page: error: ' + e.message + '\n'));
      await page.goto(command.url, {waitUntil: 'load', timeout: 30000});
      return page.url();
    },
    async eval(command) {
      return page.evaluate(command.js);
    },
    async waitFor(command) {
      const handle = await page.waitForFunction(command.js, {timeout: command.timeoutMs || 15000, polling: 50});
      return handle.jsonValue();
    },
    async type(command) {
      await page.type(command.selector, command.text);
      return null;
    },
    async click(command) {
      await page.click(command.selector);
      return null;
    },
  };

  answer({ready: true, version: await browser.version()});
  const lines = readline.createInterface({input: process.stdin});
  try {
    for await (const line of lines) {
      if (!line.trim()) {
        continue;
      }
      try {
        const command = JSON.parse(line);
        const run = commands[command.op];
        if (!run) {
          throw new Error('unknown op ' + command.op);
        }
        if (command.op !== 'open' && !page) {
          throw new Error('no page: open one first');
        }
        const value = await run(command);
        answer({ok: true, value: value === undefined ? null : value});
      } catch (e) {
        answer({ok: false, error: String(e && e.message || e)});
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
}

main().catch((e) => {
  process.stderr.write('browser.js: ' + (e && e.stack || e) + '\n');
  answer({ready: false, error: String(e && e.message || e)});
  process.exit(1);
});
