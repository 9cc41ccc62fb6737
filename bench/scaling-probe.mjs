#!/usr/bin/env node
// How kapforms' cost grows with the size of a form, for `cargo xtask bench` (issue 8's scaling
// goal). For each size N (default 50, 500 and 2000) it writes a page whose <kap-form> carries a
// generated clinic definition as a child JSON script: N required single-choice items (four
// options scored 0-3) in ONE section (the worst case: the whole form on one page), a sum score
// over all of them shown as the running total, no start page. On headless Chromium, with the
// harness's flags, at normal speed and at 4x CPU throttling (CDP), it measures:
//   - first render: cold load (new context) until the LAST item is in the shadow root and laid
//     out (a MutationObserver on the shadow root), from navigation start;
//   - per click: CLICKS clicks on options of the last item, alternating, each timed inside the
//     page from the click to the running total's text changing (a MutationObserver), and from
//     the click to the element's `kap-change` event (which carries the whole response, so
//     grows with the form; it is sent just after the page shows the change); median and p95.
// It runs from the harness's copy (so `playwright-core` resolves from its node_modules) and
// serves DIR (dist/ plus the generated pages) on 127.0.0.1 itself. Prints a Markdown table on
// stdout; progress goes to stderr.
// Usage: node scaling-probe.mjs --dir DIR [--sizes 50,500,2000] [--loads 3] [--clicks 30]
//        [--chromium /usr/bin/chromium]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const opts = { dir: null, sizes: [50, 500, 2000], loads: 3, clicks: 30, chromium: process.env.CHROMIUM || "/usr/bin/chromium" };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], next = () => process.argv[++i];
  if (a === "--dir") opts.dir = path.resolve(next());
  else if (a === "--sizes") opts.sizes = next().split(",").map((s) => parseInt(s, 10));
  else if (a === "--loads") opts.loads = Math.max(1, parseInt(next(), 10));
  else if (a === "--clicks") opts.clicks = Math.max(2, parseInt(next(), 10));
  else if (a === "--chromium") opts.chromium = next();
  else { console.error(`unknown option ${a}`); process.exit(2); }
}
if (!opts.dir) { console.error("usage: node scaling-probe.mjs --dir DIR [--sizes 50,500,2000]"); process.exit(2); }

const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"];
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm",
  ".json": "application/json", ".css": "text/css; charset=utf-8" };

function definition(n) {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `q${i + 1}`, type: "single_choice", required: true, options: "frequency",
    text: `Generated question number ${i + 1} of the scaling form`,
  }));
  return {
    format: "kapforms-definition", schema_version: 1, id: `scaling${n}`, version: "1.0.0",
    title: `Generated ${n}-item form`,
    option_sets: { frequency: ["Not at all", "Several days", "More than half the days", "Nearly every day"]
      .map((label, score) => ({ value: String(score), label, score })) },
    sections: [{ id: "all", title: "All items", items }],
    scores: [{ id: "total", label: "Total", method: "sum", items: items.map((item) => item.id) }],
    running_total: "total",
  };
}

function writePage(n) {
  const json = JSON.stringify(definition(n)).replace(/</g, "\\u003c");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>kapforms scaling ${n}</title><script type="module" src="kapforms.js"></script></head>
<body><kap-form start="skip" patient-copy="off"><script type="application/json">${json}</script></kap-form></body></html>
`;
  fs.writeFileSync(path.join(opts.dir, `scaling-${n}.html`), html);
}

function serve(root) {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": MIME[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Runs in the page before its own scripts: notes when the last item is rendered.
function instrument(lastItem) {
  const P = (window.__scaling = { rendered: null, root: null });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    P.root = root;
    const mo = new MutationObserver(() => {
      const el = root.querySelector(lastItem);
      if (P.rendered === null && el && el.getBoundingClientRect().height > 0) { P.rendered = performance.now(); mo.disconnect(); }
    });
    mo.observe(root, { childList: true, subtree: true });
    return root;
  };
}

// Runs in the page: one click on `value` of the last item, timed to the total's change and to
// the host's kap-change event: `[total ms, kap-change ms]`.
function timedClick([lastItem, value]) {
  const root = window.__scaling.root;
  const total = root.querySelector("[data-score-total]");
  const input = root.querySelector(`${lastItem} input[type=radio][value="${value}"]`);
  return new Promise((resolve, reject) => {
    const before = total.textContent;
    const timer = setTimeout(() => reject(new Error("the total or kap-change did not come within 10 s")), 10000);
    let shown = null, changed = null;
    const done = () => {
      if (shown === null || changed === null) return;
      clearTimeout(timer);
      resolve([shown, changed]);
    };
    const mo = new MutationObserver(() => {
      if (total.textContent !== before) { mo.disconnect(); shown = performance.now() - start; done(); }
    });
    mo.observe(total, { childList: true, characterData: true, subtree: true });
    root.host.addEventListener("kap-change", () => { changed = performance.now() - start; done(); }, { once: true });
    const start = performance.now();
    input.click();
  });
}

const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return null;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};
const ms = (v) => (v == null ? "–" : `${v.toFixed(1)} ms`);

async function measure(browser, base, n, throttle) {
  const lastItem = `[data-item='q${n}']`;
  const renders = [];
  let clicks = [];
  for (let load = 0; load < opts.loads; load++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    await page.addInitScript(instrument, lastItem);
    await page.goto(`${base}scaling-${n}.html`, { waitUntil: "load", timeout: 120000 });
    await page.waitForFunction(() => window.__scaling.rendered !== null, null, { timeout: 120000, polling: 50 });
    renders.push(await page.evaluate(() => window.__scaling.rendered));
    if (load === 0) {
      // Settle, then click the last item's options in turn (each click changes the total).
      await page.waitForTimeout(300);
      for (let c = 0; c < opts.clicks; c++) {
        clicks.push(await page.evaluate(timedClick, [lastItem, String((c % 3) + 1)]));
      }
      clicks = clicks.slice(1); // the first click also builds what later ones reuse
    }
    await context.close();
  }
  const totals = clicks.map(([total]) => total), events = clicks.map(([, event]) => event);
  const result = { n, throttle, render: quantile(renders, 0.5), clickMedian: quantile(totals, 0.5), clickP95: quantile(totals, 0.95),
    eventMedian: quantile(events, 0.5), eventP95: quantile(events, 0.95) };
  console.error(`[scaling] ${n} items, ${throttle}x CPU: render ${ms(result.render)}, click median ${ms(result.clickMedian)}, p95 ${ms(result.clickP95)}; kap-change median ${ms(result.eventMedian)}, p95 ${ms(result.eventP95)}`);
  return result;
}

async function main() {
  for (const n of opts.sizes) writePage(n);
  const server = await serve(opts.dir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: opts.chromium, args: LAUNCH_ARGS, headless: true });
  const results = [];
  try {
    for (const throttle of [1, 4]) for (const n of opts.sizes) results.push(await measure(browser, base, n, throttle));
  } finally {
    await browser.close();
    server.close();
  }
  const lines = [
    "| items | CPU | first render (last item laid out, median) | click → total, median | click → total, p95 | click → kap-change, median | click → kap-change, p95 |",
    "|---|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.n} | ${r.throttle}x | ${ms(r.render)} | ${ms(r.clickMedian)} | ${ms(r.clickP95)} | ${ms(r.eventMedian)} | ${ms(r.eventP95)} |`),
  ];
  console.log(lines.join("\n"));
}

main().catch((e) => { console.error(e); process.exit(1); });
