import type { Graph, Result } from '@emplace/core';
import { solveGomoryHu, type GomoryHuSolution } from '@emplace/flows';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { GRAPH_FORMATS } from './graph-input.js';
import { loadGraphs } from './mst.js';

/** The `gomoryhu` family of `emplace solve`: all-pairs minimum cuts of a graph (capacities = edge weights). */
export const families: CliFamily[] = [
  {
    name: 'gomoryhu',
    description: 'All-pairs minimum cuts: Gomory-Hu tree (Gusfield) of a graph with capacities = edge weights; solution.tree lists the n-1 edges {u, v, weight}',
    formats: GRAPH_FORMATS,
    methods: ['auto', 'gusfield'],
    options: [{ name: 'weakest', type: 'integer', min: 0, description: 'how many weakest cuts to list (default 10)' }],
    load: loadGraphs,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const k = args.extra['weakest'];
      return solveGomoryHu(problem.model as Graph, { ...solveOptions(args), ...(k !== undefined ? { weakest: Number(k) } : {}) });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.model as Graph;
      const out: Record<string, string | number | boolean | null> = { nodes: g.n, edges: g.m };
      if (result.solution) {
        const s = result.solution as GomoryHuSolution;
        const w = s.weakest[0];
        if (w) out['weakestCut'] = `${w.u}|${w.v} (${w.side.length} nodes)`;
      }
      return out;
    },
  },
];
