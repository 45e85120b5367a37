import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { solveMclp, type CoverageSolution, type MclpOptions } from '@emplace/kcenter';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { commonOptions, describeOpen, K_OPT, kArg, loadCoverageInput, radiusArg, RADIUS_OPTION } from './coverage-input.js';

const METHODS = ['auto', 'exact', 'greedy'] as const;

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = args.method ?? 'auto';
  const options: MclpOptions = { ...commonOptions(args), radius: radiusArg(args, 'mclp'), k: kArg(args, problem, 'mclp') };
  const model = problem.model as PlacementModel;
  if (method !== 'exact' && method !== 'auto' && method !== 'greedy') throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  return solveMclp(model, { ...options, method });
}

const mclp = {
  name: 'mclp',
  description: 'maximal covering location: --k sites covering the most client demand within --radius; objective = demand covered (maximised)',
  formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
  methods: METHODS,
  options: [K_OPT, RADIUS_OPTION],
  load: (path: string, args: CliArgs) => loadCoverageInput(path, args, 'mclp'),
  solve,
  describe(problem: CliProblem, result: Result<unknown>) {
    const s = result.solution as CoverageSolution | undefined;
    const out: Record<string, string | number> = describeOpen(problem.model as PlacementModel, s?.openIds);
    if (s) {
      out['covered'] = `${s.covered}/${s.assignment.length}`;
      out['coveredPct'] = s.totalDemand > 0 ? Math.round((1000 * s.coveredDemand) / s.totalDemand) / 10 : 100;
    }
    return out;
  },
};

// A variable rather than a literal in the array, so the family type-checks whether or not
// CliFamily declares `options` yet.
export const families: CliFamily[] = [mclp];
