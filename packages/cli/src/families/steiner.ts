import type { Result } from '@emplace/core';
import { readInstanceFile } from '@emplace/io';
import { createSteinerProblem, STEINER_TABLE, type SteinerProblem, type SteinerTree } from '@emplace/steiner';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';
import { methodsOf, tableFamily } from './table-family.js';

/** The `steiner` family of `emplace solve`: SteinLib .stp files (graph + terminals). */
export const families: CliFamily[] = [
  tableFamily({
    name: 'steiner',
    description: 'Steiner tree in graphs (SteinLib .stp): reductions, dual ascent, heuristics, exact cut MIP (--roots N, --perturbations N)',
    formats: ['steinlib'],
    methods: methodsOf(STEINER_TABLE),
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      const data = await readInstanceFile(path, { format: args.format ?? 'steinlib', signal: args.signal });
      if (data.format !== 'steinlib') throw new CliUsageError(`steiner reads SteinLib .stp files, got format ${data.format}`);
      const { name, graph, terminals } = data.data;
      return [{ instance: name, model: createSteinerProblem(graph, terminals, name), params: { terminals: terminals.length } }];
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
  }),
];
