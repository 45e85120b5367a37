import type { Result } from '@emplace/core';
import { solveMinCostFlow, type FlowNetwork, type MinCostFlowSolution } from '@emplace/flows';
import { baseName, readDimacsMinCost, readTextFile } from '@emplace/io';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

/** The `mincostflow` family of `emplace solve`: DIMACS min-cost flow files (p min / n / a lines). */
export const families: CliFamily[] = [
  {
    name: 'mincostflow',
    description: 'Minimum-cost flow on a directed network (DIMACS "p min" files: supplies, lower bounds, capacities, costs): network simplex with potentials',
    formats: ['dimacs-mincost'],
    methods: ['auto', 'network-simplex'],
    options: [{ name: 'block-size', type: 'integer', min: 1, description: 'arcs per block of the block-search pivot rule (default sqrt(arcs))' }],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      if (args.format !== undefined && args.format !== 'dimacs-mincost') throw new CliUsageError(`mincostflow reads DIMACS min-cost files (--format dimacs-mincost), got ${args.format}`);
      const name = baseName(path) ?? 'mincostflow';
      const inst = readDimacsMinCost(await readTextFile(path), { name, source: path });
      return [{ instance: name, model: inst.network }];
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const block = args.extra['block-size'];
      return solveMinCostFlow(problem.model as FlowNetwork, { ...solveOptions(args), ...(block !== undefined ? { blockSize: Number(block) } : {}) });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const net = problem.model as FlowNetwork;
      const out: Record<string, string | number | boolean | null> = { nodes: net.n, arcs: net.m };
      if (result.solution) {
        const s = result.solution as MinCostFlowSolution;
        let used = 0;
        for (const f of s.flow) if (f !== 0) used++;
        out['arcsUsed'] = used;
        out['integral'] = s.integral;
      }
      if (result.stats['pivots'] !== undefined) out['pivots'] = result.stats['pivots'] as number;
      return out;
    },
  },
];
