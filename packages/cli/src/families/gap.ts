import { basename } from 'node:path';
import { ModelError, type PlacementModel, type Result, type Sense } from '@emplace/core';
import { gapAuto, gapBranchAndBoundSolve, gapLagrangian, gapMip, gapMthg, gapTabuSearch, type GapOptions, type GapSolution } from '@emplace/assignment';
import { readOrlibGap, readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

/**
 * `emplace solve gap <file>`: OR-Library GAP files (several problems per file, one
 * result line each). The file does not say whether to minimise or maximise, so `--sense`
 * is required: `min` for gapa..gapd (Chu-Beasley), `max` for OR-Library gap1..gap12.
 */
function senseOf(args: CliArgs): Sense {
  const s = args.extra['sense'];
  if (args.extra['max'] === true) return 'max';
  if (s === undefined) throw new CliUsageError('gap needs --sense min|max: OR-Library gap files do not say (gap1..gap12 are max, gapa..gapd min)');
  if (s === 'min') return 'min';
  if (s === 'max') return 'max';
  throw new ModelError('--sense', `must be min or max (written --sense=max), got ${JSON.stringify(s)}`);
}

const METHODS = {
  auto: gapAuto,
  mthg: gapMthg,
  lagrangian: gapLagrangian,
  tabu: gapTabuSearch,
  'branch-and-bound': gapBranchAndBoundSolve,
  mip: gapMip,
} as const;

export const families: CliFamily[] = [
  {
    name: 'gap',
    description: 'generalized assignment (OR-Library gap files; --sense max for gap1..gap12, min for gapa..gapd)',
    formats: ['orlib-gap'],
    methods: Object.keys(METHODS),
    options: [{ name: 'sense', type: 'string', choices: ['min', 'max'], required: true, description: 'minimise or maximise: OR-Library gap1..gap12 are max, gapa..gapd min (the file does not say)' }],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      const sense = senseOf(args);
      const name = basename(path).replace(/\.gz$/, '').replace(/\.[^.]*$/, '');
      const text = await readTextFile(path);
      return readOrlibGap(text, { name }).map((p) => ({ instance: p.name, model: p.model, params: { sense } }));
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const method = (args.method ?? 'auto') as keyof typeof METHODS;
      const f = METHODS[method];
      if (!f) throw new ModelError('--method', `unknown gap method ${JSON.stringify(args.method)}`);
      const options: GapOptions = { sense: (problem.params?.['sense'] as Sense | undefined) ?? 'min' };
      if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
      if (args.seed !== undefined) options.seed = args.seed;
      if (args.signal !== undefined) options.signal = args.signal;
      if (args.onProgress !== undefined) options.onProgress = args.onProgress;
      return f(problem.model as PlacementModel, options);
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as PlacementModel;
      const out: Record<string, string | number | boolean | null> = {
        sense: (problem.params?.['sense'] as string | undefined) ?? 'min',
        agents: m.nSites,
        jobs: m.nClients,
      };
      const lb = result.stats['lagrangianBound'];
      if (typeof lb === 'number') out['lagrangianBound'] = lb;
      const nodes = result.stats['nodes'];
      if (typeof nodes === 'number') out['nodes'] = nodes;
      if (result.solution) out['maxLoad'] = Math.max(...(result.solution as GapSolution).load);
      return out;
    },
  },
];
