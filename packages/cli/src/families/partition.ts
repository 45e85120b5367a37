import type { Graph, Result } from '@emplace/core';
import { solvePartition, type EigenMethod, type PartitionSolution } from '@emplace/spectral';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { K_OPTION } from '../family.js';
import { GRAPH_FORMATS, loadGraphProblems } from './fiedler.js';

export const families: CliFamily[] = [
  {
    name: 'partition',
    description: 'Spectral partitioning into --k parts (default 2): least-conductance sweep cuts, Cheeger interval (largest component by default)',
    formats: GRAPH_FORMATS,
    methods: ['spectral'],
    options: [
      { ...K_OPTION, description: 'number of parts (default 2)' },
      { name: 'component', type: 'string', choices: ['largest', 'all'], description: 'largest connected component (default) or the whole graph' },
      { name: 'laplacian', type: 'string', choices: ['combinatorial', 'normalized'], description: 'Laplacian (default normalized)' },
      { name: 'eigen', type: 'string', choices: ['auto', 'lobpcg', 'dense'], description: 'eigensolver (default auto)' },
    ],
    load: loadGraphProblems,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const eig = args.extra['eigen'];
      return solvePartition(problem.model as Graph, {
        k: args.k ?? 2,
        ...(eig !== undefined ? { method: String(eig) as EigenMethod } : {}),
        ...(args.extra['laplacian'] === 'combinatorial' ? { laplacian: 'combinatorial' as const } : {}),
        ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.signal !== undefined ? { signal: args.signal } : {}),
        ...(args.onProgress !== undefined ? { onProgress: args.onProgress } : {}),
      });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.model as Graph;
      const out: Record<string, string | number | boolean | null> = { nodes: g.n, edges: g.m, component: String(problem.params?.['component'] ?? 'all') };
      if (result.solution) {
        const s = result.solution as PartitionSolution;
        Object.assign(out, {
          parts: s.parts,
          sizes: Array.from(s.sizes).join('/'),
          cutWeight: s.cutWeight,
          conductance: s.maxConductance,
          balance: s.balance,
          cheegerLower: s.cheeger ? s.cheeger.lower : null,
          cheegerUpper: s.cheeger ? s.cheeger.upper : null,
        });
      }
      return out;
    },
  },
];
