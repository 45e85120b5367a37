import { defineMethods } from '@emplace/core';
import type { SteinerProblem, SteinerTree } from './problem.js';
import { solveSteiner, type SteinerMethod, type SteinerOptions } from './solve.js';

/*
 * The method table of @emplace/steiner: the one place a method is declared. The registry
 * (register.ts), the CLI family, `emplace methods` and the README's methods table are derived
 * from it.
 */

const PIPELINE = ['auto', 'heuristic', 'mip'] as const;
const BUDGET = 'default budget without timeLimitMs: 7.5 s up to 600 nodes and 20,000 edges, 22 s beyond';

const method = (name: SteinerMethod) => (problem: SteinerProblem, options: SteinerOptions) => solveSteiner(problem, { ...options, method: name });

export const STEINER_TABLE = defineMethods<SteinerProblem, SteinerOptions, SteinerTree>()({
  family: 'steiner',
  modelKind: 'steiner',
  summary: 'Steiner tree in graphs',
  options: [
    { name: 'roots', type: 'integer', min: 1, description: 'roots of the shortest-path heuristic (default: every terminal, up to 100)' },
    { name: 'perturbations', type: 'integer', min: 0, default: 60, methods: PIPELINE, description: 'perturbed restarts of the heuristic on the reduced graph (0 turns them off)' },
    { name: 'reduce', type: 'boolean', default: false, methods: ['sph', 'local-search'], description: 'apply the reductions before the heuristic' },
    { name: 'merge', type: 'boolean', default: true, methods: PIPELINE, description: 'solution merging: the exact pipeline on the union of the best trees found' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'reductions + dual ascent + shortest-path heuristic + local search, then the cut MIP (HiGHS) on the reduced graph',
      guarantee: `exact (status optimal) when it finishes within its budget (${BUDGET}); otherwise the best tree with the proven dual-ascent / MIP bound`,
      solve: method('auto'),
    },
    { method: 'kmb', description: 'Kou-Markowsky-Berman: MST of the terminal distance network, expanded', guarantee: '2-approximation', solve: method('kmb') },
    { method: 'mehlhorn', description: "Mehlhorn's KMB variant on Voronoi regions, O(m log n)", guarantee: '2-approximation', solve: method('mehlhorn') },
    { method: 'sph', description: 'shortest-path heuristic (Takahashi-Matsuyama) from many roots, pruned and re-steinerized', guarantee: '2-approximation', solve: method('sph') },
    { method: 'local-search', description: 'sph + key-path exchange, key-vertex elimination and vertex insertion', guarantee: '2-approximation', solve: method('local-search') },
    {
      method: 'heuristic',
      description: 'reductions + dual ascent (lower bound) + sph + local search on the reduced graph',
      guarantee: `2-approximation, with a proven lower bound (${BUDGET})`,
      solve: method('heuristic'),
    },
    {
      method: 'mip',
      description: 'the auto pipeline with the exact cut MIP always run',
      guarantee: `exact when it finishes within its budget (${BUDGET}); otherwise the best tree with the proven bound`,
      solve: method('mip'),
    },
    { method: 'dreyfus-wagner', description: 'Dreyfus-Wagner dynamic programme, for few terminals', guarantee: 'exact', solve: method('dreyfus-wagner') },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [STEINER_TABLE] as const;
