/**
 * Where an mcf / link-upgrade run blocks the event loop: prints every event-loop gap over
 * 15 ms with its offset from the start, on the responsiveness sweep's input (grid 40 x 40,
 * 20-node gravity, 1140 commodities). Development aid for issue 13, not a benchmark.
 * Run: nice -n 10 npx tsx benchmarks/flows/stall-probe.ts [method] [timeLimitMs] [abortAtMs]
 * (with abortAtMs: also the abort latency, from the moment the abort was due to the settle).
 */
import { createGraph, Rng, solve } from '@emplace/core';
import * as flows from '@emplace/flows';
import { gravityCommodities } from '../lib/gravity.js';

const method = process.argv[2] ?? 'link-upgrade:auto';
const limit = Number(process.argv[3] ?? 1000);
const abortAt = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const side = 40;
const r = new Rng(8);
const u: number[] = [];
const v: number[] = [];
const w: number[] = [];
for (let a = 0; a < side; a++) {
  for (let b = 0; b < side; b++) {
    const x = a * side + b;
    if (b + 1 < side) u.push(x), v.push(x + 1), w.push(1 + r.int(20));
    if (a + 1 < side) u.push(x), v.push(x + side), w.push(1 + r.int(20));
  }
}
const graph = createGraph({ n: side * side, edges: { u, v, w } });
const commodities = gravityCommodities(graph.n, 20, r);
const model = flows.createMcfProblem({ graph, commodities });
const t0 = performance.now();
let last = t0;
const gaps: string[] = [];
const beat = setInterval(() => {
  const now = performance.now();
  if (now - last > 15) gaps.push(`${(last - t0).toFixed(0)}+${(now - last).toFixed(0)}`);
  last = now;
}, 1);
const ctl = new AbortController();
if (abortAt !== undefined) setTimeout(() => ctl.abort(), abortAt);
const res = await solve(model, { method, timeLimitMs: limit, signal: ctl.signal, unitCost: new Float64Array(graph.m).fill(1), onProgress: (p: { phase?: string }) => gaps.push(`[${(performance.now() - t0).toFixed(0)} ${p.phase}]`) });
clearInterval(beat);
const settled = performance.now() - t0;
console.log(method, res.status, res.stoppedBy, `${settled.toFixed(0)} ms`, abortAt === undefined ? '' : `abort latency ${(settled - abortAt).toFixed(1)} ms`, JSON.stringify(res.stats));
console.log('gaps (start ms + gap ms):', gaps.join(' '));
