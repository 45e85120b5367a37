import { registerSolver, type Graph } from '@emplace/core';
import type { EigenMethod } from './eigensolver.js';
import { solveFiedler, solvePartition } from './solvers.js';

const fiedlerMethods: Record<EigenMethod, string> = {
  auto: 'Fiedler pair: components if disconnected, dense oracle up to 48 nodes, else multilevel-preconditioned LOBPCG',
  lobpcg: 'Fiedler pair by LOBPCG with an aggregation-AMG preconditioner and deflation of the null vector',
  dense: 'Fiedler pair by the dense symmetric eigensolver of ml-matrix, O(n^3): the oracle',
};

for (const method of Object.keys(fiedlerMethods) as EigenMethod[]) {
  registerSolver({
    family: 'fiedler',
    method,
    modelKind: 'graph',
    description: fiedlerMethods[method],
    guarantee: method === 'dense' ? 'exact (to rounding)' : 'residual ||Lv - lambda v|| <= tolerance x ||L|| (default 1e-10); exact 0 on disconnected graphs',
    // The async driver yields to the event loop every 10 ms (in-thread abort).
    solve: (model, options) => solveFiedler(model as Graph, { ...options, method }),
  });
}

for (const method of ['spectral', 'auto'] as const) {
  registerSolver({
    family: 'partition',
    method,
    modelKind: 'graph',
    description: 'Recursive spectral partitioning into options.k parts (default 2): least-conductance sweep of the normalized Fiedler vector',
    guarantee: 'sweep conductance <= sqrt(2 lambda2) (Cheeger) for each bisection',
    solve: (model, options) => {
      const { method: _m, ...rest } = options;
      return solvePartition(model as Graph, rest);
    },
  });
}
