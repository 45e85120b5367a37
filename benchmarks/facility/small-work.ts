/**
 * Work counts of the small split-demand CFL search (cfl-small.ts) on every OR-Library
 * cap41..cap134 file, in one process: nodes, subgradient iterations, transportations,
 * their augmenting paths and early exits. These do not depend on the machine's load, so
 * they tell an algorithmic change from timing noise (benchmarks/facility/small.ts times
 * the same files in fresh processes against HiGHS). Then the same counts on 10 generated
 * Cornuejols-type instances, 16-50 sites x 50-100 clients (generate.ts, seeds 1001..1010: not
 * tuned on), whose optimum is unknown (`proved` says the search closed).
 *
 *   pnpm exec tsx benchmarks/facility/small-work.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { SolveRun } from '@emplace/core';
import { readOrlibCap } from '@emplace/io';
import { smallCflSearch } from '../../packages/facility/src/cfl-small.js';
import { prepareProblem } from '../../packages/facility/src/problem.js';
import { instancePath, readOptima } from '../lib/instances.js';
import { generateCornuejols } from './generate.js';

const dir = instancePath('cflp');
const optima = readOptima('cflp');
const files = readdirSync(dir)
  .filter((x) => /^cap\d+\.txt$/.test(x))
  .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
type Counts = { nodes: number; iterations: number; transportations: number; augmentations: number; earlyExits: number };
const zero = (): Counts => ({ nodes: 0, iterations: 0, transportations: 0, augmentations: 0, earlyExits: 0 });

/** Solves one model, prints its line (against `opt` when known) and adds its counts to `total`. */
async function count(name: string, model: Parameters<typeof prepareProblem>[0], opt: number | undefined, total: Counts): Promise<void> {
  const prep = prepareProblem(model, 'cfl');
  if (prep.kind !== 'ok') return;
  const r = await smallCflSearch(prep.problem, new SolveRun({}, 'cfl:auto', 'min'));
  if (!r?.incumbent) return;
  const ok = opt === undefined ? r.incumbent.value.toFixed(4) : Math.abs(r.incumbent.value - opt) <= 1e-6 * opt ? 'opt' : `MISS ${r.incumbent.value} vs ${opt}`;
  console.log(name, ok, r.complete ? 'proved' : 'open', `nodes ${r.nodes} it ${r.iterations} tr ${r.transportations} aug ${r.augmentations} early ${r.earlyExits}`);
  total.nodes += r.nodes;
  total.iterations += r.iterations;
  total.transportations += r.transportations;
  total.augmentations += r.augmentations;
  total.earlyExits += r.earlyExits;
}

const total = zero();
for (const f of files) {
  const name = f.replace('.txt', '');
  const { model } = readOrlibCap(readFileSync(`${dir}/${f}`, 'utf8'), { name });
  await count(name, model, optima[name]?.value, total);
}
console.log('total', JSON.stringify(total));
const generated = zero();
const sizes: [number, number, number][] = [[16, 50, 3], [16, 50, 5], [25, 50, 2], [25, 75, 3], [30, 100, 5], [50, 50, 3], [50, 100, 2], [40, 80, 10], [20, 100, 1.5], [50, 75, 5]];
for (const [k, [nS, nC, ratio]] of sizes.entries()) await count(`gen${nS}x${nC}r${ratio}`, generateCornuejols(nS, nC, ratio, 1001 + k), undefined, generated);
console.log('generated total', JSON.stringify(generated));
