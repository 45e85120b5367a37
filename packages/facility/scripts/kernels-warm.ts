// Warm throughput of the capacitated relaxation's evaluate, WebAssembly kernels against the
// TypeScript ones, on one generated instance (deterministic work: the same subgradient path).
//   npx tsx packages/facility/scripts/kernels-warm.ts capb 5000 [rounds]
import { generateCapLike } from '../../../benchmarks/facility/generate.js';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem } from '../src/problem.js';

const set = (process.argv[2] ?? 'capb') as 'capa' | 'capb' | 'capc';
const prep = prepareProblem(generateCapLike(set, Number(process.argv[3] ?? 5000)), 'cfl');
if (prep.kind !== 'ok') throw new Error('not ok');
const pr = prep.problem;
const rounds = Number(process.argv[4] ?? 5);

/** 300 Polyak-like subgradient steps from the initial multipliers; returns ms and the last bound. */
function ascent(lr: LagrangianRelaxation): [number, number] {
  const v = lr.initialMultipliers();
  const fixed = new Int8Array(pr.nSites).fill(-1);
  const t = performance.now();
  let L = 0;
  for (let it = 0; it < 300; it++) {
    L = lr.evaluate(v, fixed);
    let norm = 0;
    for (let j = 0; j < pr.nClients; j++) norm += lr.g[j]! * lr.g[j]!;
    if (norm === 0) break;
    const step = (0.05 * Math.abs(L)) / norm / (1 + it / 30);
    for (let j = 0; j < pr.nClients; j++) v[j]! += step * lr.g[j]!;
  }
  return [performance.now() - t, L];
}

for (let r = 0; r < rounds; r++) {
  for (const on of [false, true]) {
    useWasmKernels(on);
    const [ms, L] = ascent(new LagrangianRelaxation(pr));
    console.log(`${set} ${on ? 'wasm' : 'js  '} ${ms.toFixed(1)} ms  L=${L}`);
  }
}
