/**
 * Development probe: the GAP root Lagrangian bound reached by the subgradient under
 * different Polyak targets (scratch, issue 17).
 *   npx tsx --conditions=source benchmarks/assignment/gap-dual-probe.ts TYPE M N SEED UB
 */
import { runSteps } from '@emplace/core';
import { generateGap, toGapInstance } from '@emplace/assignment';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../../packages/assignment/src/gap-lagrangian.js';

const [type, m, n, seed, ub] = process.argv.slice(2);
const inst = toGapInstance(generateGap(type as 'D', Number(m), Number(n), Number(seed)), 'min');
const UB = Number(ub);
for (const f of (process.env.FS ?? "0,0.01,0.03,0.1,0.3").split(",").map(Number)) {
  for (const it of (process.env.ITS ?? "300,1000,3000").split(",").map(Number)) {
    const lag = new GapLagrangian(inst);
    const t = performance.now();
    const r = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => UB * (1 + f), maxIterations: it }));
    console.log(`${type}${m}x${n}-${seed} f ${f} it ${it}: ${r.bound.toFixed(2)} used ${r.iterations} ${Math.round(performance.now() - t)} ms`);
  }
}
