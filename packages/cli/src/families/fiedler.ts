import { ModelError, type Graph, type Result } from '@emplace/core';
import { readInstanceFile } from '@emplace/io';
import { largestComponent, solveFiedler, type FiedlerSolution, type LaplacianKind, type EigenMethod } from '@emplace/spectral';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { GRAPH_FORMATS, graphsOf } from './graph-input.js';
import { CliUsageError } from '../usage-error.js';

export { GRAPH_FORMATS, graphsOf } from './graph-input.js';

/**
 * Loads the graphs of a file. `--component largest` (the default, as the published
 * algebraic-connectivity references use) keeps the largest connected component;
 * `--component all` keeps the whole graph (lambda2 = 0 when it is disconnected).
 */
export async function loadGraphProblems(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readInstanceFile(path, args.format);
  const which = String(args.extra['component'] ?? 'largest');
  if (which !== 'largest' && which !== 'all') throw new ModelError('--component', `must be "largest" or "all", got ${JSON.stringify(which)}`);
  return graphsOf(data).map(({ name, graph }) => {
    if (which === 'all' || graph.n < 2) return { instance: name, model: graph, params: { component: 'all', components: undefined, wholeNodes: graph.n } };
    const lc = largestComponent(graph);
    return { instance: name, model: lc.graph, params: { component: lc.components > 1 ? 'largest' : 'all', components: lc.components, wholeNodes: graph.n } };
  });
}

function numberArg(args: CliArgs, name: string): number | undefined {
  const v = args.extra[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new CliUsageError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return x;
}

function laplacianArg(args: CliArgs): LaplacianKind {
  const v = String(args.extra['laplacian'] ?? 'combinatorial');
  if (v !== 'combinatorial' && v !== 'normalized') throw new CliUsageError(`--laplacian must be "combinatorial" or "normalized", got ${JSON.stringify(v)}`);
  return v;
}

export const families: CliFamily[] = [
  {
    name: 'fiedler',
    description: 'Algebraic connectivity lambda2 and the Fiedler vector (largest component by default; --component all, --laplacian normalized, --tolerance)',
    formats: GRAPH_FORMATS,
    methods: ['auto', 'lobpcg', 'dense'],
    options: [
      { name: 'component', type: 'string', choices: ['largest', 'all'], description: 'largest connected component (default) or the whole graph' },
      { name: 'laplacian', type: 'string', choices: ['combinatorial', 'normalized'], description: 'Laplacian (default combinatorial)' },
      { name: 'tolerance', type: 'number', min: 0, description: 'eigensolver tolerance' },
    ],
    load: loadGraphProblems,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const tolerance = numberArg(args, 'tolerance');
      return solveFiedler(problem.model as Graph, {
        method: (args.method ?? 'auto') as EigenMethod,
        laplacian: laplacianArg(args),
        ...(tolerance !== undefined ? { tolerance } : {}),
        ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.signal !== undefined ? { signal: args.signal } : {}),
        ...(args.onProgress !== undefined ? { onProgress: args.onProgress } : {}),
      });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const g = problem.model as Graph;
      const out: Record<string, string | number | boolean | null> = {
        nodes: g.n,
        edges: g.m,
        component: String(problem.params?.['component'] ?? 'all'),
        componentsInFile: (problem.params?.['components'] as number | undefined) ?? null,
      };
      if (result.solution) {
        const s = result.solution as FiedlerSolution;
        Object.assign(out, {
          lambda2: s.lambda2,
          residual: s.residual,
          relativeResidual: s.relativeResidual,
          normL: s.normL,
          laplacian: s.laplacian,
          connected: s.connected,
          eigenMethod: String(result.stats['eigenMethod'] ?? ''),
        });
      }
      return out;
    },
  },
];
