import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { solvePDispersion, type DispersionSolution, type PDispersionOptions } from '@emplace/kcenter';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { commonOptions, describeOpen, K_OPT, kArg, loadCoverageInput } from './coverage-input.js';

const METHODS = ['auto', 'exact', 'greedy'] as const;

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = args.method ?? 'auto';
  const options: PDispersionOptions = { ...commonOptions(args), k: kArg(args, problem, 'pdispersion') };
  const model = problem.model as PlacementModel;
  if (method !== 'exact' && method !== 'auto' && method !== 'greedy') throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  return solvePDispersion(model, { ...options, method });
}

const pdispersion = {
  name: 'pdispersion',
  description: 'p-dispersion: --k sites as far apart as possible (sites are the clients of the file); objective = smallest distance between chosen sites (maximised)',
  formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
  methods: METHODS,
  options: [K_OPT],
  load: (path: string, args: CliArgs) => loadCoverageInput(path, args, 'pdispersion'),
  solve,
  describe(problem: CliProblem, result: Result<unknown>) {
    const s = result.solution as DispersionSolution | undefined;
    const m = problem.model as PlacementModel;
    const out: Record<string, string | number> = describeOpen(m, s?.openIds);
    if (s) out['closestPair'] = `${m.siteIds[s.closestPair[0]]} ${m.siteIds[s.closestPair[1]]}`;
    return out;
  },
};

// A variable rather than a literal in the array, so the family type-checks whether or not
// CliFamily declares `options` yet.
export const families: CliFamily[] = [pdispersion];
