// Warm/large A/B of the WebAssembly knapsack kernels: one generated capa/capb/capc-like instance
// (benchmarks/facility/generate.ts) solved by solveCfl `auto`, kernels on or off.
//   npx tsx packages/facility/scripts/kernels-ab-large.ts capb 5000 wasm|js
import { generateCapLike } from '../../../benchmarks/facility/generate.js';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { solveCfl } from '../src/index.js';

const set = (process.argv[2] ?? 'capb') as 'capa' | 'capb' | 'capc';
const cap = Number(process.argv[3] ?? 5000);
useWasmKernels(process.argv[4] !== 'js');
const model = generateCapLike(set, cap);
const t = performance.now();
const r = await solveCfl(model, { timeLimitMs: 60_000 });
console.log(set, cap, process.argv[4] ?? 'wasm', `${(performance.now() - t).toFixed(0)} ms`, r.status, r.objective, JSON.stringify(r.stats));
