import { registerSolver, type PlacementModel, type SolveOptions } from '@emplace/core';
import { auto } from './auto.js';
import { capacitatedGreedy } from './capacitated.js';
import { exact } from './exact.js';
import { gonzalez } from './gonzalez.js';
import { hochbaumShmoys } from './hochbaum-shmoys.js';
import { localSearch } from './local-search.js';
import { outliersGreedy } from './outliers.js';
import type { KCenterOptions } from './types.js';
import { incrementalKCenter, type IncrementalOptions } from './incremental.js';

type Entry = (model: PlacementModel, options?: KCenterOptions) => unknown;

const methods: { method: string; description: string; guarantee: string; solve: Entry }[] = [
  { method: 'gonzalez', description: 'farthest-first traversal, O(k (sites + clients))', guarantee: '2-approximation on metric vertex k-center (3 for k-supplier), packing lower bound', solve: gonzalez },
  { method: 'hochbaum-shmoys', description: 'bottleneck threshold search (Hochbaum-Shmoys / Plesnik for weights)', guarantee: '2-approximation on metric vertex k-center (3 for k-supplier), proven lower bound', solve: hochbaumShmoys },
  { method: 'local', description: 'swap local search on the critical client from Gonzalez or options.initial', guarantee: 'heuristic', solve: localSearch },
  { method: 'exact', description: 'radius search over sorted distances with reduced set-cover MIPs on growing client subsets (HiGHS)', guarantee: 'exact (proven optimum or bound with gap on time limit)', solve: exact },
  { method: 'outliers', description: 'Charikar-Khuller-Mount-Narasimhan greedy for k-center with z outliers', guarantee: '3-approximation on metric unweighted input', solve: outliersGreedy },
  { method: 'capacitated', description: 'capacity-aware greedy opening over a radius search, max-flow assignment', guarantee: 'heuristic, packing lower bound', solve: capacitatedGreedy },
  { method: 'auto', description: 'exact search (best solution and bound so far on time limit)', guarantee: 'exact when it finishes', solve: auto },
];

for (const m of methods) {
  registerSolver({
    family: 'kcenter',
    method: m.method,
    modelKind: 'placement',
    description: m.description,
    guarantee: m.guarantee,
    solve: (model: unknown, options: SolveOptions & Record<string, unknown>) => m.solve(model as PlacementModel, options as KCenterOptions) as ReturnType<typeof exact>,
  });
}

// Online: clients arrive one at a time (options.order), centres open irrevocably.
registerSolver({
  family: 'kcenter',
  method: 'incremental',
  modelKind: 'placement',
  description: 'incremental doubling algorithm (Charikar-Chekuri-Feder-Motwani): clients arrive in options.order, centres merge, never move',
  guarantee: '8-competitive after every arrival (metric, unit weights, a site at every client)',
  solve: (model: unknown, options: SolveOptions & Record<string, unknown>) => incrementalKCenter(model as PlacementModel, options as IncrementalOptions),
});
