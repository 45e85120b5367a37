/** Solves one generated pmed-like instance: `one-pmed.ts n p [method] [limitMs]` (for tuning). */
import { readOrlibPmed } from '@emplace/io';
import { solvePMedian } from '@emplace/facility';
import { generatePmedText } from './generate.js';
const n = Number(process.argv[2] ?? 900);
const p = Number(process.argv[3] ?? 200);
const t0 = performance.now();
const inst = readOrlibPmed(generatePmedText(n, Math.round((n * n) / 50), p, n + p), { name: `gen-pmed-${n}-${p}` });
const t1 = performance.now();
const r = await solvePMedian(inst.model, { p, method: process.argv[4] ?? 'auto', ...(process.argv[5] ? { timeLimitMs: Number(process.argv[5]) } : {}) });
console.log(inst.name, `read ${((t1 - t0) / 1000).toFixed(1)} s`, r.status, r.objective, r.bound, r.gap, r.stoppedBy, JSON.stringify(r.stats));
