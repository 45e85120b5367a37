/**
 * Development probe for the proof of GAP types D/E (issue 17): gap:auto with its clock
 * replaced by process CPU time (as gap-cpu-clock.ts), the time each incumbent was found
 * (phase, CPU ms), and, with --bnb, branch-and-bound alone from the root started with
 * a given incumbent cost (the proof's own price, without the heuristics).
 *
 *   npx tsx --conditions=source benchmarks/assignment/gap-proof.ts TYPE M N SEED [CPU_S=40] [--bnb COST [--root-upper R]
 *     [--root-iters N] [--node-iters N] [--node-patience N] [--lower-bound B]] [--trace] [--wall]
 * --bnb: the root's subgradient toward R (default COST) for --root-iters iterations (500), then the
 * search with nodes of --node-iters iterations halving their step after --node-patience without a
 * better bound (25 / 6; gap:auto uses 50 / 50 above 1,200 pairs) and, with --lower-bound, a bound
 * proven before it (GapBnbOptions.lowerBound).
 * SRC=<a copy of packages/assignment/src> runs that version instead (A/B).
 */
// process.cpuUsage is a system call (40 % of a profile when polled at every checkpoint):
// it is read at most every 2 ms of wall time, and wall time is added in between.
const wallNow = performance.now.bind(performance);
let cpuAt = 0;
let wallAt = -Infinity;
const cpuNow = (): number => {
  const w = wallNow();
  if (w - wallAt < 2) return cpuAt + (w - wallAt);
  const c = process.cpuUsage();
  cpuAt = (c.user + c.system) / 1000;
  wallAt = w;
  return cpuAt;
};
// --wall keeps wall-clock time (the published runs' clock) for A/B runs under the bench lock.
if (!process.argv.includes('--wall')) performance.now = cpuNow;
// SRC=<a copy of packages/assignment/src> runs another version (A/B in one process setup).
const src = process.env['SRC'] || '../../packages/assignment/src';
const { gapAuto, generateGap, toGapInstance } = (await import(`${src}/index.js`)) as typeof import('../../packages/assignment/src/index.js');
const { runSteps } = await import('@emplace/core');
const { gapBranchAndBoundSteps } = (await import(`${src}/gap-branch-and-bound.js`)) as typeof import('../../packages/assignment/src/gap-branch-and-bound.js');
const { GapLagrangian, gapSubgradientSteps, initialMultipliers } = (await import(`${src}/gap-lagrangian.js`)) as typeof import('../../packages/assignment/src/gap-lagrangian.js');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const [type, m, n, seed, seconds] = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1]!.startsWith('--')));
const model = generateGap(type as 'D', Number(m), Number(n), Number(seed));
const name = `${type!.toLowerCase()}${m}-${n}-s${seed}`;
const limit = 1000 * Number(seconds ?? 40);
const bnb = flag('--bnb');
if (bnb !== undefined) {
  const inst = toGapInstance(model, 'min');
  const c0 = cpuNow();
  const lag = new GapLagrangian(inst);
  const upper = Number(bnb);
  const rootUpper = Number(flag('--root-upper') ?? upper);
  const res = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => rootUpper, maxIterations: Number(flag('--root-iters') ?? 500) }));
  const c1 = cpuNow();
  // gap:auto's node run above 1,200 pairs is --node-iters 50 --node-patience 50 (gap.ts NODE_ITERATIONS); the defaults are the search's own (25 / 6).
  const nodeIterations = Number(flag('--node-iters') ?? 25);
  const nodePatience = Number(flag('--node-patience') ?? 6);
  const lowerBound = flag('--lower-bound');
  const b = runSteps(gapBranchAndBoundSteps(inst, { stop: () => cpuNow() - c1 > limit, incumbentCost: upper, rootU: res.u, rootIterations: 100, nodeIterations, nodePatience, ...(lowerBound !== undefined ? { lowerBound: Number(lowerBound) } : {}) }));
  console.log(`${name} bnb from ${upper}: root ${Math.round(c1 - c0)} ms bound ${res.bound.toFixed(2)}; search ${Math.round(cpuNow() - c1)} ms complete ${b.complete} nodes ${b.nodes} fixings ${b.fixings} bound ${b.bound} cost ${b.cost}`);
} else {
  const t0 = cpuNow();
  let last = Infinity;
  const trace = argv.includes('--trace');
  const r = await gapAuto(model, {
    timeLimitMs: limit,
    seed: 1,
    progressIntervalMs: 0,
    onProgress: (e) => {
      if (!trace || e.incumbent === undefined || e.incumbent >= last) return;
      last = e.incumbent;
      console.log(`  ${(cpuNow() - t0).toFixed(0).padStart(6)} ms ${e.phase.padEnd(16)} ${e.incumbent} bound ${e.bound ?? ''}`);
    },
  });
  console.log(`${name} cpu ${seconds ?? 40} s: ${r.status} ${r.objective} bound ${r.bound} cpu ${Math.round(cpuNow() - t0)} ${JSON.stringify(r.stats)}`);
}
