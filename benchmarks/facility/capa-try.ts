import { generateCapLike } from './generate.js';
import { solveCfl } from '@emplace/facility';
const set = (process.argv[2] ?? 'capc') as 'capa';
const cap = Number(process.argv[3] ?? 5000);
const m = generateCapLike(set, cap);
const t0 = performance.now();
const r = await solveCfl(m, { method: process.argv[4] ?? 'auto', timeLimitMs: Number(process.argv[5] ?? 55000), onProgress: (e) => { if (e.phase !== 'greedy') console.error(e.phase, (e.elapsedMs/1000).toFixed(1), e.incumbent, e.bound); }, progressIntervalMs: 5000 });
console.log(set, cap, r.status, r.objective, r.bound, r.gap, (performance.now() - t0).toFixed(0), JSON.stringify(r.stats));
