import type { Graph, Result } from '@emplace/core';
import { solveMst, type SpanningForest } from '@emplace/graph';
import { readInstanceFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { GRAPH_FORMATS, graphsOf } from './graph-input.js';
import { CliUsageError } from '../usage-error.js';

/** Graph formats the mst / maxflow families read. */
export const EDGE_GRAPH_FORMATS = GRAPH_FORMATS;

export async function loadGraphs(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readInstanceFile(path, args.format);
  return graphsOf(data).map(({ name, graph }) => ({ instance: name, model: graph }));
}

/** The `mst` family of `emplace solve`: minimum spanning tree / forest of a weighted graph. */
export const families: CliFamily[] = [
  {
    name: 'mst',
    description: 'Minimum spanning tree (forest when disconnected) of a weighted graph: Kruskal or Prim',
    formats: EDGE_GRAPH_FORMATS,
    methods: ['auto', 'kruskal', 'prim'],
    options: [],
    load: loadGraphs,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const method = args.method ?? 'auto';
      if (method !== 'auto' && method !== 'kruskal' && method !== 'prim') throw new CliUsageError(`--method must be auto, kruskal or prim, got ${JSON.stringify(method)}`);
      return solveMst(problem.model as Graph, { algorithm: method, ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}), ...(args.signal !== undefined ? { signal: args.signal } : {}) });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.model as Graph;
      const out: Record<string, string | number | boolean | null> = { nodes: g.n, edges: g.m };
      if (result.solution) {
        const f = result.solution as SpanningForest;
        out['treeEdges'] = f.edges.length;
        out['components'] = f.components;
      }
      return out;
    },
  },
];
