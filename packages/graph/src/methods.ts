import { defineMethods, type Graph } from '@emplace/core';
import type { MaxFlowResult } from './maxflow.js';
import type { SpanningForest } from './mst.js';
import { solveMaxFlow, solveMst, type MaxFlowSolveOptions, type MstSolveOptions } from './solvers.js';

/*
 * The method tables of @emplace/graph: the one place a method is declared. The registry
 * (register.ts), the CLI families, `emplace methods` and the README's methods table are
 * derived from them.
 */

const mst = (algorithm: 'kruskal' | 'prim' | 'auto') => (graph: Graph, options: MstSolveOptions) => solveMst(graph, { ...options, algorithm });

export const MST_TABLE = defineMethods<Graph, MstSolveOptions, SpanningForest>()({
  family: 'mst',
  modelKind: 'graph',
  summary: 'minimum spanning tree (forest when disconnected)',
  methods: [
    { method: 'auto', description: 'Prim on dense graphs (m > n log2 n), Kruskal otherwise', guarantee: 'exact', solve: mst('auto') },
    { method: 'kruskal', description: 'Kruskal: sort + union-find, O(m log m)', guarantee: 'exact', solve: mst('kruskal') },
    { method: 'prim', description: 'Prim with a binary heap, O(m log n)', guarantee: 'exact', solve: mst('prim') },
  ],
});

export const MAXFLOW_TABLE = defineMethods<Graph, MaxFlowSolveOptions, MaxFlowResult>()({
  family: 'maxflow',
  modelKind: 'graph',
  summary: 'maximum s-t flow and minimum cut',
  options: [
    { name: 'source', type: 'string', value: '<node>', required: true, description: 'source node (id or index)' },
    { name: 'sink', type: 'string', value: '<node>', required: true, description: 'sink node (id or index)' },
    { name: 'directed', type: 'boolean', default: false, description: 'read edges as arcs' },
  ],
  methods: [
    { method: 'auto', description: 'the dinic method', guarantee: 'exact (flow value = cut capacity)', solve: solveMaxFlow },
    { method: 'dinic', description: 'Dinic blocking flows on the residual level graph', guarantee: 'exact (flow value = cut capacity)', solve: solveMaxFlow },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [MST_TABLE, MAXFLOW_TABLE] as const;
