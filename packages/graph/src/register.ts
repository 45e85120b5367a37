import { registerSolver, type Graph } from '@emplace/core';
import { solveMaxFlow, solveMst } from './solvers.js';

for (const method of ['kruskal', 'prim', 'auto'] as const) {
  registerSolver({
    family: 'mst',
    method,
    modelKind: 'graph',
    description:
      method === 'kruskal'
        ? 'Minimum spanning forest: Kruskal (sort + union-find), O(m log m)'
        : method === 'prim'
          ? 'Minimum spanning forest: Prim with a binary heap, O(m log n)'
          : 'Minimum spanning forest: Prim on dense graphs, Kruskal otherwise',
    guarantee: 'exact',
    solve: (model, options) => solveMst(model as Graph, { ...options, algorithm: method }),
  });
}

for (const method of ['dinic', 'auto'] as const) {
  registerSolver({
    family: 'maxflow',
    method,
    modelKind: 'graph',
    description: 'Maximum s-t flow and minimum cut (Dinic); options.source / options.sink name the terminals',
    guarantee: 'exact',
    solve: (model, options) => solveMaxFlow(model as Graph, options),
  });
}
