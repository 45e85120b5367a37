/**
 * Work counts of the small split-demand CFL search (cfl-small.ts) on every OR-Library
 * cap41..cap134 file, in one process: nodes, subgradient iterations, transportations,
 * their augmenting paths and early exits. These do not depend on the machine's load, so
 * they tell an algorithmic change from timing noise (benchmarks/facility/small.ts times
 * the same files in fresh processes against HiGHS).
 *
 *   pnpm exec tsx benchmarks/facility/small-work.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { SolveRun } from '@emplace/core';
import { readOrlibCap } from '@emplace/io';
import { smallCflSearch } from '../../packages/facility/src/cfl-small.js';
import { prepareProblem } from '../../packages/facility/src/problem.js';
import { instancePath, readOptima } from '../lib/instances.js';

const dir = instancePath('cflp');
const optima = readOptima('cflp');
const files = readdirSync(dir)
  .filter((x) => /^cap\d+\.txt$/.test(x))
  .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
const total = { nodes: 0, iterations: 0, transportations: 0, augmentations: 0, earlyExits: 0 };
for (const f of files) {
  const name = f.replace('.txt', '');
  const { model } = readOrlibCap(readFileSync(`${dir}/${f}`, 'utf8'), { name });
  const prep = prepareProblem(model, 'cfl');
  if (prep.kind !== 'ok') continue;
  const r = await smallCflSearch(prep.problem, new SolveRun({}, 'cfl:auto', 'min'));
  if (!r?.incumbent) continue;
  const opt = optima[name]?.value;
  const ok = opt === undefined ? '?' : Math.abs(r.incumbent.value - opt) <= 1e-6 * opt ? 'opt' : `MISS ${r.incumbent.value} vs ${opt}`;
  console.log(name, ok, r.complete ? 'proved' : 'open', `nodes ${r.nodes} it ${r.iterations} tr ${r.transportations} aug ${r.augmentations} early ${r.earlyExits}`);
  total.nodes += r.nodes;
  total.iterations += r.iterations;
  total.transportations += r.transportations;
  total.augmentations += r.augmentations;
  total.earlyExits += r.earlyExits;
}
console.log('total', JSON.stringify(total));
