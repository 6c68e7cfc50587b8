// Headless Chromium for dossier's tests and screenshots, driven with puppeteer-core and checked
// with @axe-core/puppeteer. `tests/common/browser.rs` runs it as a child process and talks to it
// in JSON lines: one request per line on stdin, one reply per line on stdout.
//
//   node browser.js CHROMIUM PROFILE_DIR
//   > {"id":1,"op":"newPage"}                      < {"id":1,"ok":"p1"}
//   > {"id":2,"op":"eval","page":"p1","js":"1+2"}  < {"id":2,"ok":3}
//   > {"id":3,"op":"eval","page":"p1","js":"x"}    < {"id":3,"err":"ReferenceError: x is not defined"}
//
// Operations: version, newPage, closePage, goto, eval, viewport, dark, screenshot, console, axe.
// Only the given Chromium is used (nothing is downloaded) and it is told not to reach the network
// on its own; pages come from file:// or 127.0.0.1 URLs.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const puppeteer = require('puppeteer-core');
const { AxePuppeteer } = require('@axe-core/puppeteer');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--no-default-browser-check', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-extensions', '--mute-audio', '--hide-scrollbars',
  // Containers often have a small /dev/shm; Chromium then crashes without this.
  '--disable-dev-shm-usage',
  // Helper processes stay children of the browser process, so none outlives it.
  '--no-zygote',
  // Test pages load files next to them from file:// URLs.
  '--allow-file-access-from-files',
];

// The axe-core the project pins (tests/tools/package.json), not the one @axe-core/puppeteer bundles.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [chromium, profile] = process.argv.slice(2);
const pages = new Map();
const consoles = new Map();
let nextPage = 1;

function formatConsole(msg) {
  const args = msg.args().map((a) => {
    const v = a.remoteObject();
    return v.value !== undefined ? String(v.value) : (v.description || v.type);
  });
  return `console.${msg.type()}: ${args.join(' ')}`;
}

function page(id) {
  const found = pages.get(id);
  if (!found) throw new Error(`no page ${id}`);
  return found;
}

const ops = {
  version: (browser) => browser.version(),
  async newPage(browser) {
    const p = await browser.newPage();
    const id = `p${nextPage++}`;
    pages.set(id, p);
    consoles.set(id, []);
    p.on('console', (msg) => consoles.get(id).push(formatConsole(msg)));
    p.on('pageerror', (err) => consoles.get(id).push(`uncaught: ${err.message}`));
    return id;
  },
  async closePage(_, r) {
    await page(r.page).close();
    pages.delete(r.page);
    consoles.delete(r.page);
    return null;
  },
  async goto(_, r) {
    await page(r.page).goto(r.url, { waitUntil: 'load' });
    return null;
  },
  // `js` is an expression; a promise is awaited. `undefined` comes back as null.
  eval: async (_, r) => (await page(r.page).evaluate(r.js)) ?? null,
  async viewport(_, r) {
    await page(r.page).setViewport({ width: r.width, height: r.height });
    return null;
  },
  async dark(_, r) {
    const value = r.dark ? 'dark' : 'light';
    await page(r.page).emulateMediaFeatures([{ name: 'prefers-color-scheme', value }]);
    return null;
  },
  async screenshot(_, r) {
    fs.mkdirSync(path.dirname(r.path), { recursive: true });
    await page(r.page).screenshot({ path: r.path, fullPage: r.fullPage, type: 'png' });
    return null;
  },
  console(_, r) {
    const lines = consoles.get(r.page) || [];
    consoles.set(r.page, []);
    return lines;
  },
  // axe-core on the loaded page: with the given rule tags, or only the given rules.
  async axe(_, r) {
    const p = page(r.page);
    await p.evaluate('document.fonts.ready.then(() => true)');
    let axe = new AxePuppeteer(p, AXE_SOURCE).options({ resultTypes: ['violations', 'incomplete'] });
    axe = r.rules ? axe.withRules(r.rules) : axe.withTags(r.tags);
    const result = await axe.analyze();
    return {
      passes: result.passes.length,
      incomplete: result.incomplete.flatMap((v) => v.nodes.map((n) => [
        v.id + (n.any[0] && n.any[0].message ? `: ${n.any[0].message}` : ''),
        n.target.join(' '),
      ])),
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact || '',
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => [n.target.join(' '), n.failureSummary || '']),
      })),
    };
  },
};

async function main() {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    userDataDir: profile,
    headless: true,
    args: FLAGS,
    protocolTimeout: 30000,
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  const reply = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  reply({ id: 0, ok: 'ready' });
  const lines = readline.createInterface({ input: process.stdin });
  // One request at a time, in order: a test is a sequence of steps.
  for await (const line of lines) {
    if (!line.trim()) continue;
    let request = { id: null };
    try {
      request = JSON.parse(line);
      const op = ops[request.op];
      if (!op) throw new Error(`unknown operation ${request.op}`);
      reply({ id: request.id, ok: await op(browser, request) });
    } catch (err) {
      reply({ id: request.id, err: String((err && err.message) || err) });
    }
  }
  await browser.close();
}

main().catch((err) => {
  process.stderr.write(`browser.js: ${(err && err.stack) || err}\n`);
  process.exit(1);
});
