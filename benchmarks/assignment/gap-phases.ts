/**
 * Development probe for the GAP improvement phases (not a result benchmark): the Lagrangian
 * root, then one phase alone for a CPU-time budget, on generated D/E instances, so that
 * phases can be compared on a loaded machine.
 *
 *   npx tsx --conditions=source benchmarks/assignment/gap-phases.ts --phase lns|tabu|ec [--cpu S] [--types D] [--sizes 10x200] [--seeds 1,2]
 *   [--agents K] [--per-job E]   (LNS: see GapLnsOptions; RNG=<seed> in the environment: the phase's random seed)
 */
import { Rng, runSteps } from '@emplace/core';
import { generateGap, toGapInstance, type ChuBeasleyType } from '@emplace/assignment';
import { gapCost } from '../../packages/assignment/src/gap-instance.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../../packages/assignment/src/gap-lagrangian.js';
import { gapLnsSteps } from '../../packages/assignment/src/gap-lns.js';
import { gapTabuSteps } from '../../packages/assignment/src/gap-tabu.js';
import { gapEjectionSteps } from '../../packages/assignment/src/gap-ejection.js';
import { lagrangianRepair, mthg } from '../../packages/assignment/src/mthg.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : dflt;
};
const phase = arg('--phase', 'lns');
const cpuMs = 1000 * Number(arg('--cpu', '10'));
const types = arg('--types', 'D').split(',') as ChuBeasleyType[];
const sizes = arg('--sizes', '10x200').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const seeds = arg('--seeds', '1').split(',').map(Number);
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

for (const t of types)
  for (const [m, n] of sizes)
    for (const s of seeds) {
      const seed = 7_000_000 + 10_000 * s + 100 * m + n;
      const inst = toGapInstance(generateGap(t, m, n, seed), 'min');
      const c0 = cpuNow();
      let best = mthg(inst)!;
      let bestCost = gapCost(inst, best);
      const lag = new GapLagrangian(inst);
      let ev = 0;
      const res = runSteps(
        gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), {
          upper: () => bestCost,
          maxIterations: 500,
          onIterate: () => {
            if (ev++ % 5 !== 0) return;
            const a = lagrangianRepair(inst, lag.x, undefined, inst.cost);
            if (a && gapCost(inst, a) < bestCost) {
              best = a;
              bestCost = gapCost(inst, a);
            }
          },
        }),
      );
      const rootMs = cpuNow() - c0;
      const c1 = cpuNow();
      const stop = (): boolean => cpuNow() - c1 > cpuMs;
      const trace: string[] = [];
      const onImprove = (c: number): void => void trace.push(`${Math.round(cpuNow() - c1)}:${c}`);
      const rng = new Rng(Number(process.env['RNG'] ?? 1));
      let out = bestCost;
      let info = '';
      if (phase === 'lns') {
        const l = runSteps(gapLnsSteps(inst, best, { agents: Number(arg('--agents', '0')) || undefined, evaluationsPerJob: Number(arg('--per-job', '6')), related: arg('--related', '1') === '1', neighbourhood: arg('--nb', 'agents') as 'agents', rng, stop, u: res.u, lowerBound: Math.ceil(res.bound - 1e-6) - 1, onImprove }));
        out = l.cost;
        info = ` rounds ${l.rounds} solved ${l.solved} skipped ${l.skipped}`;
      }
      else if (phase === 'ec') {
        const e = runSteps(gapEjectionSteps(inst, best, { rng, stop, lowerBound: Math.ceil(res.bound - 1e-6), onImprove }));
        out = e.cost;
        info = ` rounds ${e.rounds}`;
      }
      else if (phase === 'hyb' || phase === 'tabu+lns') {
        // The first phase of gap:auto (ejection chains or tabu until stale, at most 10 %), then LNS.
        const firstMs = 0.1 * cpuMs;
        const stop1 = (): boolean => cpuNow() - c1 > firstMs;
        const first =
          phase === 'hyb'
            ? runSteps(gapEjectionSteps(inst, best, { rng, stop: stop1, maxStaleRounds: 4 * Math.max(30, 2 * m), lowerBound: Math.ceil(res.bound - 1e-6), onImprove })).assignment
            : runSteps(gapTabuSteps(inst, best, { rng, stop: stop1, maxIterations: Infinity, maxStale: Math.max(500, 5 * n), onImprove })).assignment;
        const firstCost = gapCost(inst, first);
        const l = runSteps(gapLnsSteps(inst, first, { rng, stop, u: res.u, lowerBound: Math.ceil(res.bound - 1e-6) - 1, onImprove }));
        out = l.cost;
        info = ` first ${firstCost} at ${Math.round(cpuNow() - c1)} lns rounds ${l.rounds}`;
      }
      else if (phase === 'tabu') out = runSteps(gapTabuSteps(inst, best, { rng, stop, maxIterations: Infinity, onImprove })).cost;
      const bound = Math.ceil(res.bound - 1e-6);
      console.log(
        `${t}${m}-${n}-s${seed} ${phase} root ${bestCost} in ${Math.round(rootMs)} ms, bound ${bound}; final ${out} (${((100 * (out - bound)) / bound).toFixed(3)} % over bound)${info} trace ${trace.slice(-6).join(' ')}`,
      );
    }
