import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { solveSurvivable, type SurvivableOptions, type SurvivableSolution } from '@emplace/kcenter';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';
import { commonOptions, describeOpen, loadCoverageInput, radiusArg } from './coverage-input.js';

const METHODS = ['auto', 'exact', 'greedy'] as const;

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = args.method ?? 'auto';
  const options: SurvivableOptions = { ...commonOptions(args), radius: radiusArg(args, 'survivable', 'the latency bound L') };
  const level = args.extra['level'];
  if (typeof level === 'string') {
    const v = Number(level);
    if (!Number.isInteger(v) || v < 1) throw new CliUsageError(`--level must be an integer >= 1, got ${JSON.stringify(level)}`);
    options.level = v;
  }
  if (args.extra['serving-cost'] === true) options.servingCost = true;
  const model = problem.model as PlacementModel;
  if (method !== 'exact' && method !== 'auto' && method !== 'greedy') throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  return solveSurvivable(model, { ...options, method });
}

const survivable = {
  name: 'survivable',
  description: 'N-1 survivable placement: every client keeps an open site within --radius L after any one site fails; objective = opening cost (sites opened when costs are 0)',
  formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
  methods: METHODS,
  options: [
    { name: 'radius', type: 'number', min: 0, value: 'L', required: true, description: 'latency bound L: a site serves a client at distance <= L' } as const,
    { name: 'level', type: 'integer', min: 1, value: 'N', description: 'open sites each client needs within L (default 2: survives one failure)' } as const,
    { name: 'serving-cost', type: 'boolean', description: 'add each client\'s distance to its nearest open site to the objective' } as const,
  ],
  load: (path: string, args: CliArgs) => loadCoverageInput(path, args, 'survivable'),
  solve,
  describe(problem: CliProblem, result: Result<unknown>) {
    const s = result.solution as SurvivableSolution | undefined;
    const out: Record<string, string | number> = describeOpen(problem.model as PlacementModel, s?.openIds);
    if (s) {
      out['minCoverage'] = s.minCoverage;
      out['servingCost'] = s.servingCost;
    }
    return out;
  },
};

// A variable rather than a literal in the array, so the family type-checks whether or not
// CliFamily declares `options` yet.
export const families: CliFamily[] = [survivable];
