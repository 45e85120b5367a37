/** Solves one generated capa/capb/capc-like instance: `one.ts capb 5000 [method] [limitMs]` (for tuning). */
import { solveCfl } from '@emplace/facility';
import { generateCapLike } from './generate.js';
const set = (process.argv[2] ?? 'capc') as 'capa' | 'capb' | 'capc';
const cap = Number(process.argv[3] ?? 5000);
const r = await solveCfl(generateCapLike(set, cap), { method: process.argv[4] ?? 'auto', timeLimitMs: Number(process.argv[5] ?? 55_000) });
console.log(set, cap, r.status, r.objective, r.bound, r.gap, JSON.stringify(r.stats));
