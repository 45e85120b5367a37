import type { Result } from '@emplace/core';
import { readInstanceFile } from '@emplace/io';
import { createSteinerProblem, solveSteiner, STEINER_METHODS, type SteinerMethod, type SteinerProblem, type SteinerTree } from '@emplace/steiner';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

/** The `steiner` family of `emplace solve`: SteinLib .stp files (graph + terminals). */
export const families: CliFamily[] = [
  {
    name: 'steiner',
    description: 'Steiner tree in graphs (SteinLib .stp): reductions, dual ascent, heuristics, exact cut MIP (--roots N, --perturbations N)',
    formats: ['steinlib'],
    methods: STEINER_METHODS,
    options: [
      { name: 'roots', type: 'integer', min: 1, description: 'number of roots of the shortest-path heuristic' },
      { name: 'perturbations', type: 'integer', min: 0, description: 'perturbation rounds of the local search' },
    ],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      const data = await readInstanceFile(path, args.format ?? 'steinlib');
      if (data.format !== 'steinlib') throw new CliUsageError(`steiner reads SteinLib .stp files, got format ${data.format}`);
      const { name, graph, terminals } = data.data;
      return [{ instance: name, model: createSteinerProblem(graph, terminals, name), params: { terminals: terminals.length } }];
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const method = (args.method ?? 'auto') as SteinerMethod;
      const roots = args.extra['roots'] !== undefined ? Number(args.extra['roots']) : undefined;
      const perturbations = args.extra['perturbations'] !== undefined ? Number(args.extra['perturbations']) : undefined;
      return solveSteiner(
        problem.model as SteinerProblem,
        {
          method,
          ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}),
          ...(args.seed !== undefined ? { seed: args.seed } : {}),
          ...(args.signal !== undefined ? { signal: args.signal } : {}),
          ...(args.onProgress !== undefined ? { onProgress: args.onProgress } : {}),
          ...(roots !== undefined ? { roots } : {}),
          ...(perturbations !== undefined ? { perturbations } : {}),
        },
      );
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const p = problem.model as SteinerProblem;
      const out: Record<string, string | number | boolean | null> = { nodes: p.graph.n, edges: p.graph.m, terminals: p.terminals.length };
      if (result.solution) {
        const t = result.solution as SteinerTree;
        out['treeEdges'] = t.edges.length;
        out['treeNodes'] = t.nodes.length;
      }
      return out;
    },
  },
];
