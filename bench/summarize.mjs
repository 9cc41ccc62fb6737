#!/usr/bin/env node
// Reads the peers harness's raw-latest.json and prints, for each column, the exact medians
// `cargo xtask bench` needs for its goal ratios, as `column.key=value` lines (one per line,
// numbers unrounded, `null` when there is no value). Medians, min and max are taken the way
// the harness's own run.mjs takes them (nulls dropped; even counts average the middle two),
// so they match its table up to its rounding.
// Usage: node summarize.mjs path/to/raw-latest.json
import fs from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node summarize.mjs RAW-LATEST.json");
  process.exit(2);
}
const raw = JSON.parse(fs.readFileSync(file, "utf8"));

const values = (a) => a.filter((x) => x != null && !Number.isNaN(x));
const median = (a) => {
  const s = values(a).sort((x, y) => x - y);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const out = [];
const put = (key, value) => out.push(`${key}=${value == null ? "null" : value}`);

put("env.date", raw.env.date);
put("env.chromium", raw.env.chromium);
put("env.cpu", raw.env.cpu);
put("env.cores", raw.env.cores);
put("env.runs", raw.env.runs);
put("env.throttleRuns", raw.env.throttleRuns);
put("env.cpuRate", raw.env.cpuRate);
put("env.loadavgStart", (raw.env.loadavgStart || []).join("/"));
put("env.loadavgEnd", (raw.env.loadavgEnd || []).join("/"));

for (const [name, res] of Object.entries(raw.results)) {
  const cold = res.cold || [], thr = res.throttled || [], inv = res.inventory || { bodies: [] };
  const bodies = inv.bodies || [];
  const clicks = (runs) => runs.flatMap((r) => (r.clicks || []).map((c) => c.dom));
  const frames = (runs) => runs.flatMap((r) => (r.clicks || []).map((c) => c.frame));
  const p = (key, value) => put(`${name}.${key}`, value);
  p("runs", cold.length);
  p("throttledRuns", thr.length);
  p("requests", median(cold.map((r) => r.requests.length)));
  p("bytesRaw", bodies.reduce((a, b) => a + b.raw, 0));
  p("bytesGzip", bodies.reduce((a, b) => a + b.gz, 0));
  p("files", bodies.map((b) => `${new URL(b.url).pathname}:${b.gz}`).join(" "));
  p("firstItem", median(cold.map((r) => r.firstItemAt)));
  p("firstItemPainted", median(cold.map((r) => r.firstItemPainted)));
  p("firstItemThrottled", median(thr.map((r) => r.firstItemAt)));
  p("firstItemPaintedThrottled", median(thr.map((r) => r.firstItemPainted)));
  p("firstItemVia", [...new Set([...cold, ...thr].map((r) => r.via))].join("/"));
  p("heapPostGC", median(cold.map((r) => r.heapPostGC)));
  p("backingStore", median(cold.map((r) => r.backingStore)));
  p("heapPlusBacking", median(cold.map((r) => (r.heapPostGC == null ? null : r.heapPostGC + (r.backingStore || 0)))));
  p("clickDom", median(clicks(cold)));
  p("clickFrame", median(frames(cold)));
  p("clickDomThrottled", median(clicks(thr)));
  p("clicksMeasured", values(clicks(cold)).length + values(clicks(thr)).length);
  p("clicksUnseen", [...clicks(cold), ...clicks(thr)].filter((x) => x == null).length);
  p("clickVia", [...new Set([...cold, ...thr].flatMap((r) => (r.clicks || []).map((c) => c.via)).filter(Boolean))].join("/"));
  p("scoreOk", [...cold, ...thr].length > 0 && [...cold, ...thr].every((r) => r.scoreOk));
  p("errors", [...new Set([...cold, ...thr, inv].flatMap((r) => [...(r.pageErrors || []), ...(r.consoleErrors || [])]))].length);
}
console.log(out.join("\n"));
