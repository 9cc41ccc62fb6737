#!/usr/bin/env node
// First item visible with the driver quiet, for `cargo xtask bench`: the harness's first-item
// time again, for every column, without the harness's own work landing inside the load.
//
// Why: the harness waits for the `load` event, then calls Playwright's `waitForFunction`,
// which evaluates Playwright's injected script (hundreds of KB of JavaScript) on the page's
// main thread. A page whose `load` fires before its first item (ours and the floor's: they
// fetch their WebAssembly with fetch(), which `load` does not wait for) pays for that parse
// inside its first-item time; a page whose scripts delay `load` past its first item (SurveyJS)
// does not. Chromium tracing shows it as an EvaluateScript of that script in the middle of
// our start-up.
//
// How: the same pages served the same way (gzip -9, precompressed, Cache-Control: no-store,
// each folder on its own 127.0.0.1 port), the harness's Chromium flags, a new context per
// load, the harness's visibility rule (the first item's selector matches an element with the
// first item's text, a non-empty box, not hidden), watched by a MutationObserver on the
// document and on every shadow root (exact, no frame granularity). After `load` the driver
// only asks CDP `Runtime.evaluate` for one global every 100 ms (a one-line script) until
// the stamp is there. Loads are interleaved across columns like the harness's.
//
// Columns are the harness's own target files (`targets/vanilla.json`, ...; the same fields:
// `name`, `path` on the harness's folder or `dir` + `page`, `item` or `firstItem`,
// `firstItemText`), so both measure the same pages. Prints `quiet.<column>.<key>=value` lines
// (medians; `firstItem` at normal speed, `firstItemThrottled` at the CPU rate; `liveItem` and
// `liveItemThrottled` when the first item outside a `[data-preview]` showed), progress on
// stderr.
// With `--network-runs N`, also N loads per column on a slow mobile network at the CPU rate:
// CDP network emulation with the values Lighthouse uses for its DevTools-throttled "Slow 4G"
// (150 ms RTT and 1.6 Mbps down, 750 kbps up, times its adjustment factors: 562.5 ms latency,
// 1474.56 kbps down, 675 kbps up), printed as `firstItemNetwork` and `liveItemNetwork`. The
// harness does not throttle the network; this is where a module's size costs a patient most.
// Usage: node quiet-probe.mjs --harness DIR --target FILE [--target FILE ...] [--runs 5]
//        [--throttle-runs 5] [--cpu-rate 4] [--network-runs 0] [--chromium /usr/bin/chromium]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const opts = { harness: null, targets: [], runs: 5, throttleRuns: null, cpuRate: 4, networkRuns: 0,
  chromium: process.env.CHROMIUM || "/usr/bin/chromium" };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], next = () => process.argv[++i];
  if (a === "--harness") opts.harness = path.resolve(next());
  else if (a === "--target") opts.targets.push(path.resolve(next()));
  else if (a === "--runs") opts.runs = Math.max(1, parseInt(next(), 10));
  else if (a === "--throttle-runs") opts.throttleRuns = Math.max(0, parseInt(next(), 10));
  else if (a === "--cpu-rate") opts.cpuRate = Number(next());
  else if (a === "--network-runs") opts.networkRuns = Math.max(0, parseInt(next(), 10));
  else if (a === "--chromium") opts.chromium = next();
  else { console.error(`unknown option ${a}`); process.exit(2); }
}
if (!opts.harness || !opts.targets.length) {
  console.error("usage: node quiet-probe.mjs --harness DIR --target FILE [--target FILE ...]");
  process.exit(2);
}
opts.throttleRuns ??= opts.runs;

/** A harness target's first-item selector (its `firstItem`, else `item` for item 1). */
function firstItemSelector(t) {
  return (t.firstItem ?? t.item).replaceAll("{i}", "1").replaceAll("{i0}", "0")
    .replaceAll("{item}", t.itemTokens ? String(t.itemTokens[0]) : "");
}

const DEFAULT_FIRST_TEXT = "Little interest or pleasure";
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"];
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
  ".wasm": "application/wasm", ".svg": "image/svg+xml" };
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg"]);

/** Serves `root` on its own port as the harness does. */
function serve(root) {
  const cache = new Map();
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404, { "Cache-Control": "no-store" }).end(); return; }
    const ext = path.extname(file).toLowerCase();
    const headers = { "Content-Type": MIME[ext] || "application/octet-stream", "Cache-Control": "no-store" };
    let body;
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      body = cache.get(file);
      if (!body) { body = zlib.gzipSync(fs.readFileSync(file), { level: 9 }); cache.set(file, body); }
      headers["Content-Encoding"] = "gzip";
    } else body = fs.readFileSync(file);
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Runs in the page before its own scripts: the harness's visibility rule, checked on every
// mutation of the document and of every shadow root.
function instrument(cfg) {
  // `first`: the first item visible (the loader's inert preview counts, as in the harness);
  // `live`: the first item visible outside a preview (`[data-preview]`), i.e. answerable.
  const Q = (window.__quiet = { first: null, live: null });
  const roots = [document];
  const visible = (el) => {
    if (!el || !el.isConnected || !(el.textContent || "").includes(cfg.text)) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none" && cs.opacity !== "0";
  };
  const observers = [];
  const check = () => {
    if (Q.first === null && roots.some((root) => visible(root.querySelector(cfg.selector)))) {
      Q.first = performance.now();
    }
    if (Q.live === null && roots.some((root) => [...root.querySelectorAll(cfg.selector)]
      .some((el) => el.closest("[data-preview]") === null && visible(el)))) {
      Q.live = performance.now();
    }
    if (Q.first !== null && Q.live !== null) for (const o of observers) o.disconnect();
  };
  const watch = (root) => {
    const o = new MutationObserver(check);
    o.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    observers.push(o);
  };
  watch(document);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    watch(root);
    return root;
  };
}

const median = (a) => { const s = a.filter((x) => x != null).sort((x, y) => x - y); if (!s.length) return null; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** Lighthouse's DevTools-throttled "Slow 4G" (see the header). */
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8 };

async function coldLoad(browser, column, rate, network = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (rate > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    if (network) {
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", network);
    }
    await page.addInitScript(instrument, { selector: column.selector, text: column.text });
    await page.goto(column.url, { waitUntil: "load", timeout: 60000 });
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      const { result } = await cdp.send("Runtime.evaluate", { expression: "window.__quiet && window.__quiet.live !== null && [window.__quiet.first, window.__quiet.live]", returnByValue: true });
      if (Array.isArray(result.value)) return { first: result.value[0], live: result.value[1] };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${column.name}: no first item within 60 s`);
  } finally {
    await context.close();
  }
}

async function main() {
  const servers = [];
  const harnessServer = await serve(opts.harness);
  servers.push(harnessServer);
  const columns = [];
  for (const file of opts.targets) {
    const t = JSON.parse(fs.readFileSync(file, "utf8"));
    let url;
    if (t.path) url = `http://127.0.0.1:${harnessServer.address().port}${t.path}`;
    else if (t.dir) {
      const server = await serve(path.resolve(path.dirname(file), t.dir));
      servers.push(server);
      url = `http://127.0.0.1:${server.address().port}/${t.page || "index.html"}`;
    } else { console.error(`${file}: no path or dir`); process.exit(2); }
    columns.push({ name: t.name, url, selector: firstItemSelector(t), text: t.firstItemText ?? DEFAULT_FIRST_TEXT });
  }
  const browser = await chromium.launch({ executablePath: opts.chromium, args: LAUNCH_ARGS, headless: true });
  const times = Object.fromEntries(columns.map((c) => [c.name, { normal: [], throttled: [], network: [], normalLive: [], throttledLive: [], networkLive: [] }]));
  try {
    // One untimed load per column first (as the harness's inventory load), then interleaved.
    for (const column of columns) await coldLoad(browser, column, 1);
    for (const [rate, runs, key, network] of [[1, opts.runs, "normal", null],
      [opts.cpuRate, opts.throttleRuns, "throttled", null], [opts.cpuRate, opts.networkRuns, "network", SLOW_4G]]) {
      for (let run = 0; run < runs; run++) {
        for (const column of columns) {
          const t = await coldLoad(browser, column, rate, network);
          times[column.name][key].push(t.first);
          times[column.name][`${key}Live`].push(t.live);
          console.error(`[quiet-probe] ${column.name} @${rate}x${network ? " slow 4G" : ""} load ${run + 1}/${runs}: first item ${t.first.toFixed(1)} ms, answerable ${t.live.toFixed(1)} ms`);
        }
      }
    }
  } finally {
    await browser.close();
    for (const server of servers) server.close();
  }
  const out = [`quiet.runs=${opts.runs}`, `quiet.throttleRuns=${opts.throttleRuns}`, `quiet.cpuRate=${opts.cpuRate}`,
    `quiet.networkRuns=${opts.networkRuns}`];
  for (const [name, t] of Object.entries(times)) {
    out.push(`quiet.${name}.firstItem=${median(t.normal) ?? "null"}`);
    out.push(`quiet.${name}.firstItemThrottled=${median(t.throttled) ?? "null"}`);
    out.push(`quiet.${name}.liveItem=${median(t.normalLive) ?? "null"}`);
    out.push(`quiet.${name}.liveItemThrottled=${median(t.throttledLive) ?? "null"}`);
    if (opts.networkRuns > 0) {
      out.push(`quiet.${name}.firstItemNetwork=${median(t.network) ?? "null"}`);
      out.push(`quiet.${name}.liveItemNetwork=${median(t.networkLive) ?? "null"}`);
    }
  }
  console.log(out.join("\n"));
}

main().catch((error) => { console.error(error); process.exit(1); });
