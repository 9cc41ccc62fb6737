#!/usr/bin/env node
// The measurements the peers harness cannot make on a widget inside a shadow root, for
// `cargo xtask bench`. It runs from the harness's copy (so `playwright-core` resolves from
// its node_modules), serves the bench page folder on 127.0.0.1 itself, and on headless
// Chromium with the harness's flags does:
//   - N cold loads (new context each), recording in the page
//       * when the first item becomes visible, found by a MutationObserver on the shadow root
//         (exact, as the harness finds light-DOM items), and by a requestAnimationFrame poll
//         (as the harness finds ours): the difference is the harness's frame-granularity bias;
//       * when the live form's first item is visible (firstLive: not in the inert preview the
//         loader shows while the module loads), from when on it can be answered;
//       * after render and a forced GC: the JS heap used (CDP Performance.getMetrics, as the
//         harness), the ArrayBuffer backing stores (Runtime.getHeapUsage, as the harness) and
//         the WebAssembly linear memory (the byteLength of every Memory the page's wasm
//         instances export, caught by wrapping WebAssembly.instantiate*), which this
//         Chromium does not count among the backing stores;
//   - the harness's keyboard probe on a fresh load, with focus and items looked up through
//     open shadow roots (the harness looks only in the light DOM): Tab from the top into
//     item 1, Space then ArrowDown (the total must go up by exactly 1), whether that radio is
//     exposed as checked, Tab on to item 2 and the same again.
//       * when the loader script and the WebAssembly module arrived and when the module was
//         instantiated (loaderEnd, wasmEnd, instantiated): the phases of the first-item time;
//   - one traced load (Chromium tracing, `v8.wasm`): how many WebAssembly functions V8
//     compiled lazily on the main thread before the live form's first item showed, and for how long
//     (lazyCompiles, lazyCompileMs);
// Prints `key=value` lines (medians over the loads); progress goes to stderr.
// Usage: node shadow-probe.mjs --dir PAGE_DIR [--page index.html] [--runs 3]
//        [--chromium /usr/bin/chromium]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const opts = { dir: null, page: "index.html", runs: 3, chromium: process.env.CHROMIUM || "/usr/bin/chromium" };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], next = () => process.argv[++i];
  if (a === "--dir") opts.dir = path.resolve(next());
  else if (a === "--page") opts.page = next();
  else if (a === "--runs") opts.runs = Math.max(1, parseInt(next(), 10));
  else if (a === "--chromium") opts.chromium = next();
  else { console.error(`unknown option ${a}`); process.exit(2); }
}
if (!opts.dir) { console.error("usage: node shadow-probe.mjs --dir PAGE_DIR [--page P] [--runs N]"); process.exit(2); }

const ITEM = (i) => `[data-item='phq9_${i}']`;
const SCORE = "[data-score-total]";
const FIRST_TEXT = "Little interest or pleasure";
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"];
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm",
  ".json": "application/json", ".css": "text/css; charset=utf-8" };

function serve(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": MIME[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Runs in the page before its own scripts.
function instrument(cfg) {
  const P = (window.__probe = { firstMutation: null, firstRaf: null, firstLive: null, memories: [] });
  const roots = [];
  const visible = (el) => {
    if (!el || !el.isConnected || !(el.textContent || "").includes(cfg.firstText)) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none" && cs.opacity !== "0";
  };
  const found = () => roots.some((root) => visible(root.querySelector(cfg.firstItem)));
  const foundLive = () => roots.some((root) => [...root.querySelectorAll(cfg.firstItem)]
    .some((el) => el.closest("[data-preview]") === null && visible(el)));
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    const mo = new MutationObserver(() => {
      if (P.firstMutation === null && found()) { P.firstMutation = performance.now(); performance.mark("kapforms-first-item"); }
      if (P.firstLive === null && foundLive()) { P.firstLive = performance.now(); performance.mark("kapforms-live-item"); }
      if (P.firstMutation !== null && P.firstLive !== null) mo.disconnect();
    });
    mo.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    return root;
  };
  const poll = () => { if (P.firstRaf === null && found()) P.firstRaf = performance.now(); else if (P.firstRaf === null) requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
  const keep = (instance) => { for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) P.memories.push(v); };
  const streaming = WebAssembly.instantiateStreaming, plain = WebAssembly.instantiate;
  WebAssembly.instantiateStreaming = async (...args) => { const r = await streaming.apply(WebAssembly, args); P.instantiated ??= performance.now(); keep(r.instance); return r; };
  WebAssembly.instantiate = async (...args) => { const r = await plain.apply(WebAssembly, args); P.instantiated ??= performance.now(); keep(r.instance || r); return r; };
  // When each phase of the first load ended: the loader script and the module arrived
  // (resource timing), the module was compiled and instantiated (above).
  P.phases = () => {
    const ended = (suffix) => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(suffix)).map((e) => e.responseEnd)[0] ?? null;
    return { loaderEnd: ended("/kapforms.js"), wasmEnd: ended("_bg.wasm"), instantiated: P.instantiated ?? null };
  };
  P.wasmBytes = () => P.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
  P.deepQuery = (sel, root = document) => {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) { const h = P.deepQuery(sel, el.shadowRoot); if (h) return h; }
    return null;
  };
  P.deepActive = () => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a; };
}

const median = (a) => { const s = a.filter((x) => x != null && !Number.isNaN(x)).sort((x, y) => x - y); if (!s.length) return null; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function open(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(instrument, { firstItem: ITEM(1), firstText: FIRST_TEXT });
  await page.goto(url, { waitUntil: "load", timeout: 60000 });
  await page.waitForFunction(() => window.__probe.firstMutation !== null && window.__probe.firstRaf !== null, null, { timeout: 60000, polling: 50 });
  await page.waitForLoadState("networkidle", { timeout: 30000 }).catch(() => {});
  await page.waitForFunction((sel) => window.__probe.deepQuery(sel) !== null, SCORE, { timeout: 30000, polling: 50 });
  return { context, page };
}

async function main() {
  const server = await serve(opts.dir);
  const url = `http://127.0.0.1:${server.address().port}/${opts.page}`;
  const browser = await chromium.launch({ executablePath: opts.chromium, args: LAUNCH_ARGS, headless: true });
  const out = {};
  try {
    const loads = [];
    for (let run = 0; run < opts.runs; run++) {
      const { context, page } = await open(browser, url);
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      await cdp.send("HeapProfiler.collectGarbage");
      const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
      const usage = await cdp.send("Runtime.getHeapUsage");
      const p = await page.evaluate(() => ({ m: __probe.firstMutation, r: __probe.firstRaf, live: __probe.firstLive, wasm: __probe.wasmBytes(), phases: __probe.phases() }));
      const load = { firstMutation: p.m, firstRaf: p.r, firstLive: p.live, bias: p.r - p.m, heap: metrics.JSHeapUsedSize, backing: usage.backingStorageSize ?? null, wasm: p.wasm, ...p.phases };
      loads.push(load);
      console.error(`[shadow-probe] load ${run + 1}/${opts.runs}: first item ${p.m.toFixed(1)} ms (mutation) / ${p.r.toFixed(1)} ms (raf), live form ${p.live?.toFixed(1)} ms, wasm memory ${p.wasm} B`);
      await context.close();
    }
    out.runs = loads.length;
    for (const key of ["firstMutation", "firstRaf", "firstLive", "bias", "heap", "backing", "wasm", "loaderEnd", "wasmEnd", "instantiated"]) out[key] = median(loads.map((l) => l[key]));
    out.heapPlusBackingPlusWasm = median(loads.map((l) => l.heap + (l.backing || 0) + l.wasm));

    // One traced load: the WebAssembly functions V8 compiles lazily (on their first call, on
    // the page's main thread) before the live form's first item shows, and the time that takes.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(instrument, { firstItem: ITEM(1), firstText: FIRST_TEXT });
      await browser.startTracing(page, { categories: ["v8.wasm", "blink.user_timing"] });
      await page.goto(url, { waitUntil: "load", timeout: 60000 });
      await page.waitForFunction(() => window.__probe.firstLive !== null, null, { timeout: 60000, polling: 50 });
      const trace = JSON.parse((await browser.stopTracing()).toString());
      const events = trace.traceEvents ?? trace;
      const mark = events.find((e) => e.name === "kapforms-live-item");
      const lazy = events.filter((e) => e.name === "wasm.CompileLazy" && e.ph === "X" && mark && e.ts <= mark.ts);
      out.lazyCompiles = mark ? lazy.length : null;
      out.lazyCompileMs = mark ? lazy.reduce((sum, e) => sum + (e.dur || 0), 0) / 1000 : null;
      console.error(`[shadow-probe] traced load: ${out.lazyCompiles} functions compiled lazily before the live form's first item, ${out.lazyCompileMs} ms`);
      await context.close();
    }

    // keyboard only, fresh load, looking through shadow roots
    const { context, page } = await open(browser, url);
    const focusIn = (i) => page.evaluate((sel) => { const it = __probe.deepQuery(sel), a = __probe.deepActive(); return !!(it && a && a !== document.body && it.contains(a)); }, ITEM(i));
    const total = async () => { const t = await page.evaluate((sel) => (__probe.deepQuery(sel)?.textContent || "").trim(), SCORE); const m = /-?\d+(?:\.\d+)?/.exec(t); return m ? parseFloat(m[0]) : 0; };
    const settle = () => page.waitForTimeout(150);
    let tabs = 0;
    for (; tabs < 40 && !(await focusIn(1)); tabs++) await page.keyboard.press("Tab");
    out.tabsToItem1 = (await focusIn(1)) ? tabs : null;
    if (out.tabsToItem1 !== null) {
      const n0 = await total();
      await page.keyboard.press("Space"); await settle();
      await page.keyboard.press("ArrowDown"); await settle();
      const n1 = await total();
      out.item1ByKeyboard = n1 - n0 === 1;
      out.item1CheckedInA11yTree = (await page.locator(ITEM(1)).getByRole("radio", { checked: true }).count()) > 0;
      let t2 = 0;
      for (; t2 < 10 && !(await focusIn(2)); t2++) await page.keyboard.press("Tab");
      out.tabsItem1to2 = (await focusIn(2)) ? t2 : null;
      if (out.tabsItem1to2 !== null) {
        await page.keyboard.press("Space"); await settle();
        await page.keyboard.press("ArrowDown"); await settle();
        out.item2ByKeyboard = (await total()) - n1 === 1;
      }
      out.totalAfterKeyboard = await total();
    }
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  console.log(Object.entries(out).map(([k, v]) => `${k}=${v == null ? "null" : v}`).join("\n"));
}

main().catch((e) => { console.error(e); process.exit(1); });
