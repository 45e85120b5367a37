import { registerSolver } from '@emplace/core';
import type { SteinerProblem } from './problem.js';
import { solveSteiner, type SteinerMethod } from './solve.js';

const entries: { method: SteinerMethod; description: string; guarantee: string }[] = [
  { method: 'auto', description: 'Reductions + dual ascent + shortest-path heuristic + local search, then the cut MIP (HiGHS) on the reduced graph', guarantee: 'exact (bound when stopped early)' },
  { method: 'kmb', description: 'Kou-Markowsky-Berman: MST of the terminal distance network, expanded', guarantee: '2-approximation' },
  { method: 'mehlhorn', description: "Mehlhorn's KMB variant on Voronoi regions, O(m log n)", guarantee: '2-approximation' },
  { method: 'sph', description: 'Shortest-path heuristic (Takahashi-Matsuyama) from many roots, pruned and re-steinerized', guarantee: '2-approximation' },
  { method: 'local-search', description: 'sph + key-path exchange, key-vertex elimination and vertex insertion', guarantee: '2-approximation' },
  { method: 'heuristic', description: 'Reductions + dual ascent (lower bound) + sph + local search on the reduced graph', guarantee: '2-approximation, with a lower bound' },
  { method: 'mip', description: 'The auto pipeline with the exact cut MIP always run (to the time limit)', guarantee: 'exact (bound when stopped early)' },
  { method: 'dreyfus-wagner', description: 'Dreyfus-Wagner dynamic programme, for few terminals', guarantee: 'exact' },
];

for (const entry of entries) {
  registerSolver({
    family: 'steiner',
    method: entry.method,
    modelKind: 'steiner',
    description: entry.description,
    guarantee: entry.guarantee,
    solve: (model, options) => solveSteiner(model as SteinerProblem, { ...options, method: entry.method }),
  });
}
