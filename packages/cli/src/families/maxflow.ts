import type { Graph, Result } from '@emplace/core';
import { solveMaxFlow, type MaxFlowResult } from '@emplace/graph';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { EDGE_GRAPH_FORMATS, loadGraphs } from './mst.js';
import { CliUsageError } from '../usage-error.js';

function nodeArg(args: CliArgs, name: 'source' | 'sink'): string {
  const v = args.extra[name];
  if (v === undefined || v === true || v === false) throw new CliUsageError(`maxflow needs --${name} <node id or index>`);
  return String(v);
}

/** The `maxflow` family of `emplace solve`: maximum s-t flow and minimum cut (--source, --sink, --directed). */
export const families: CliFamily[] = [
  {
    name: 'maxflow',
    description: 'Maximum s-t flow and minimum cut (Dinic); --source and --sink name the nodes (id or index), --directed reads edges as arcs',
    formats: EDGE_GRAPH_FORMATS,
    methods: ['auto', 'dinic'],
    options: [
      { name: 'source', type: 'string', value: '<node>', required: true, description: 'source node (id or index)' },
      { name: 'sink', type: 'string', value: '<node>', required: true, description: 'sink node (id or index)' },
      { name: 'directed', type: 'boolean', description: 'read edges as arcs (default: undirected)' },
    ],
    load: loadGraphs,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      return solveMaxFlow(problem.model as Graph, {
        source: nodeArg(args, 'source'),
        sink: nodeArg(args, 'sink'),
        directed: args.extra['directed'] === true || args.extra['directed'] === 'true',
        ...(args.signal !== undefined ? { signal: args.signal } : {}),
      });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.model as Graph;
      const out: Record<string, string | number | boolean | null> = { nodes: g.n, edges: g.m };
      if (result.solution) {
        const f = result.solution as MaxFlowResult;
        out['cutEdges'] = f.cutEdges.length;
        out['sourceSide'] = f.cut.reduce((a, b) => a + b, 0);
      }
      return out;
    },
  },
];
