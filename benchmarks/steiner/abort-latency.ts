/**
 * Abort latency of steiner in the caller's thread (issue 13): an AbortSignal fired by a timer at a
 * random moment; latency = from the moment the abort was due to the promise settling; plus the
 * longest event-loop stall seen by a 1 ms interval timer. Instances are STP files given on the
 * command line (SteinLib c18 in the shared set; D/E files from $STEINLIB_EXTRA).
 *
 *   pnpm exec tsx --conditions=source benchmarks/steiner/abort-latency.ts FILE[,FILE...] [repeats] [method] [max abort ms]
 */
import { readFileSync } from 'node:fs';
import { Rng } from '@emplace/core';
import { readSteinlib } from '@emplace/io';
import { createSteinerProblem, solveSteiner, type SteinerMethod } from '@emplace/steiner';
const files = process.argv[2]!.split(',');
const reps = Number(process.argv[3] ?? 10);
const method = (process.argv[4] ?? 'auto') as SteinerMethod;
const maxAt = Number(process.argv[5] ?? 4000);
function load(file: string) {
  const inst = readSteinlib(readFileSync(file, 'utf8'));
  return createSteinerProblem(inst.graph, inst.terminals);
}
const rng = new Rng(7);
const lat: number[] = [];
let stallMax = 0;
for (const file of files) {
  const p = load(file);
  for (let i = 0; i < reps; i++) {
    const at = rng.next() * maxAt;
    const ctrl = new AbortController();
    let firedAt = 0;
    const t0 = performance.now();
    setTimeout(() => { firedAt = performance.now(); ctrl.abort(); }, at);
    let last = performance.now();
    const iv = setInterval(() => { const now = performance.now(); stallMax = Math.max(stallMax, now - last - 1); last = now; }, 1);
    const r = await solveSteiner(p, { method, signal: ctrl.signal, timeLimitMs: 60000 });
    clearInterval(iv);
    const end = performance.now();
    if (firedAt > 0) lat.push(end - Math.max(firedAt, t0 + at));
    console.log(file.split('/').pop(), `abort at ${at.toFixed(0)} latency ${firedAt > 0 ? (end - Math.max(firedAt, t0 + at)).toFixed(1) : 'n/a (finished first)'} ms`, r.status, r.objective, r.stoppedBy);
  }
}
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
console.log(`stall max ${stallMax.toFixed(1)} ms`);
console.log(`n=${lat.length} p50 ${q(0.5).toFixed(1)} p99 ${q(0.99).toFixed(1)} max ${lat[lat.length - 1]!.toFixed(1)} ms`);
