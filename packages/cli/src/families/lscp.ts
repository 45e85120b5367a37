import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { solveLscp, type CoverageSolution, type LscpOptions } from '@emplace/kcenter';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { commonOptions, describeOpen, loadCoverageInput, radiusArg, RADIUS_OPTION } from './coverage-input.js';

const METHODS = ['auto', 'exact', 'greedy'] as const;

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = args.method ?? 'auto';
  const options: LscpOptions = { ...commonOptions(args), radius: radiusArg(args, 'lscp') };
  if (args.extra['uncapacitated'] === true) options.capacitated = false;
  const model = problem.model as PlacementModel;
  if (method !== 'exact' && method !== 'auto' && method !== 'greedy') throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  return solveLscp(model, { ...options, method });
}

const lscp = {
  name: 'lscp',
  description: 'location set covering: the fewest sites covering every client within --radius (pre-opened sites, capacities); objective = sites opened',
  formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
  methods: METHODS,
  options: [RADIUS_OPTION, { name: 'uncapacitated', type: 'boolean', description: 'ignore site capacities of the file' } as const],
  load: (path: string, args: CliArgs) => loadCoverageInput(path, args, 'lscp'),
  solve,
  describe(problem: CliProblem, result: Result<unknown>) {
    const s = result.solution as CoverageSolution | undefined;
    const out: Record<string, string | number> = describeOpen(problem.model as PlacementModel, s?.openIds);
    if (s) out['preOpened'] = s.open.length - s.added.length;
    return out;
  },
};

// A variable rather than a literal in the array, so the family type-checks whether or not
// CliFamily declares `options` yet.
export const families: CliFamily[] = [lscp];
