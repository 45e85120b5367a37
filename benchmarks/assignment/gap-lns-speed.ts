/**
 * Development probe of the LNS's speed (not a result benchmark): the Lagrangian root (300
 * iterations) and MTHG for a start, then gap-lns.ts for a fixed number of rounds with a fixed
 * seed. The walk is bounded by work (calls of its stop predicate: one per round and one per
 * evaluation of a sub-problem), so two versions
 * of the code that make the same moves print the same cost and rounds, and the CPU time
 * compares their speed on the same work.
 *
 *   npx tsx --conditions=source benchmarks/assignment/gap-lns-speed.ts TYPE M N SEED [CALLS=60000] [RNG=1] [REPEAT=3]
 */
import { Rng, runSteps } from '@emplace/core';
import { generateGap, toGapInstance, type ChuBeasleyType } from '@emplace/assignment';
import { gapCost } from '../../packages/assignment/src/gap-instance.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../../packages/assignment/src/gap-lagrangian.js';
import { gapLns } from '../../packages/assignment/src/gap-lns.js';
import { mthg } from '../../packages/assignment/src/mthg.js';

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const [type, m, n, seed, roundsArg, rngArg, repeatArg] = process.argv.slice(2);
const inst = toGapInstance(generateGap(type as ChuBeasleyType, Number(m), Number(n), Number(seed)), 'min');
const start = mthg(inst)!;
const lag = new GapLagrangian(inst);
const u = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => gapCost(inst, start), maxIterations: 300 })).u;
const calls = Number(roundsArg ?? 60000);
const times: number[] = [];
for (let t = 0; t < Number(repeatArg ?? 3); t++) {
  let r = 0;
  const t0 = cpuNow();
  const res = gapLns(inst, start, { rng: new Rng(Number(rngArg ?? 1)), u, neighbourhood: inst.m <= 5 || inst.n <= 100 ? 'mixed' : 'agents', stop: () => ++r > calls });
  times.push(cpuNow() - t0);
  if (t === 0) console.log(`${type}${m}x${n} s${seed}: cost ${res.cost} (start ${gapCost(inst, start)}) rounds ${res.rounds} solved ${res.solved} skipped ${res.skipped}`);
}
console.log(`cpu ms: ${times.map((x) => x.toFixed(0)).join(' ')} (min ${Math.min(...times).toFixed(0)})`);
