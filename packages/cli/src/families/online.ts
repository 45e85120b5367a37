import { createPlacementModel, hasSolution, ModelError, type PlacementModel, type Result } from '@emplace/core';
import { measureOnlineFacility, onlineFacilityLocation, type OnlineFacilitySolution } from '@emplace/facility';
import { readInstanceFile } from '@emplace/io';
import { incrementalKCenter, measureIncrementalKCenter } from '@emplace/kcenter';
import { K_OPTION, solveOptions, type CliArgs, type CliFamily, type CliOption, type CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

const ORDER_OPTIONS: readonly CliOption[] = [
  { name: 'order', type: 'string', choices: ['given', 'random'], description: 'arrival order of the clients (default given: file order)' },
  { name: 'runs', type: 'integer', min: 1, description: 'replay N seeded orders and report the measured ratio against the exact offline optimum' },
];

/** Placement problems of emplace JSON, OR-Library cap (capacities ignored) or pmed files. */
async function loadPlacements(path: string, args: CliArgs, family: string): Promise<CliProblem[]> {
  const data = await readInstanceFile(path, args.format !== undefined ? { format: args.format } : undefined);
  switch (data.format) {
    case 'orlib-pmed':
      return [{ instance: data.name, model: data.data.model, params: { k: data.data.p } }];
    case 'orlib-cap':
      return [{ instance: data.name, model: data.data.model, params: {} }];
    case 'emplace-json':
      return data.data.flatMap((item) => (item.kind === 'placement' ? [{ instance: item.name, model: item.model, params: {} }] : []));
    case 'aws-latency': {
      const { regions, matrix } = data.data;
      return [{ instance: data.name, model: createPlacementModel({ sites: regions.map((id) => ({ id })), clients: regions.map((id) => ({ id })), cost: matrix }), params: {} }];
    }
    default:
      throw new CliUsageError(`${family} reads emplace-json (placement), orlib-cap, orlib-pmed or aws-latency files, not ${data.format}`);
  }
}

function orderOf(args: CliArgs): 'given' | 'random' {
  return args.extra['order'] === 'random' ? 'random' : 'given';
}

function runsOf(args: CliArgs): number | undefined {
  return args.extra['runs'] === undefined ? undefined : Number(args.extra['runs']);
}

/**
 * `emplace solve online-ufl <file> [--order given|random] [--runs N]`: Meyerson's online
 * facility location; `emplace solve online-kcenter <file> --k K [--order] [--runs N]`: the
 * incremental doubling k-center. With --runs the table adds the mean and largest measured
 * ratio over N seeded replays against emplace's exact offline solver.
 */
export const families: CliFamily[] = [
  {
    name: 'online-ufl',
    description: "online facility location (Meyerson): clients arrive one at a time, sites open irrevocably",
    formats: ['emplace-json', 'orlib-cap', 'orlib-pmed', 'aws-latency'],
    methods: ['meyerson'],
    options: ORDER_OPTIONS,
    load: (path, args) => loadPlacements(path, args, 'online-ufl'),
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const model = problem.model as PlacementModel;
      const order = orderOf(args);
      const result = onlineFacilityLocation(model, { ...solveOptions(args), order });
      const runs = runsOf(args);
      if (runs !== undefined && hasSolution(result)) {
        const report = await measureOnlineFacility(model, { runs, order, ...(args.seed !== undefined ? { seed: args.seed } : {}), offline: solveOptions(args) });
        Object.assign(result.stats, { offline: report.offline, offlineProven: report.offlineProven, meanRatio: report.meanRatio, maxRatio: report.maxRatio, ratioGuarantee: report.guarantee ?? 'O(log n)' });
      }
      return result;
    },
    describe(_problem: CliProblem, result: Result<unknown>) {
      const out: Record<string, string | number | boolean | null> = {};
      if (hasSolution(result)) {
        const s = result.solution as OnlineFacilitySolution;
        out['opened'] = s.openSites.length;
        out['openingCost'] = s.openingCost;
        out['servingCost'] = s.servingCost;
      }
      for (const key of ['offline', 'meanRatio', 'maxRatio', 'ratioGuarantee'] as const) {
        const v = result.stats[key];
        if (v !== undefined) out[key] = v;
      }
      return out;
    },
  },
  {
    name: 'online-kcenter',
    description: 'incremental k-center (doubling algorithm, 8-competitive): clients arrive one at a time',
    formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
    methods: ['incremental'],
    options: [K_OPTION, ...ORDER_OPTIONS],
    load: (path, args) => loadPlacements(path, args, 'online-kcenter'),
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const model = problem.model as PlacementModel;
      const k = args.k ?? (problem.params?.['k'] as number | undefined);
      if (k === undefined) throw new ModelError('--k', 'is required (the file gives no k)');
      const order = orderOf(args);
      const result = incrementalKCenter(model, { ...solveOptions(args), k, order });
      const runs = runsOf(args);
      if (runs !== undefined && hasSolution(result)) {
        const report = await measureIncrementalKCenter(model, { k, runs, order, ...(args.seed !== undefined ? { seed: args.seed } : {}), offline: solveOptions(args) });
        Object.assign(result.stats, { offline: report.offline, offlineProven: report.offlineProven, meanRatio: report.meanRatio, maxRatio: report.maxRatio, ratioGuarantee: 8 });
      }
      return result;
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const out: Record<string, string | number | boolean | null> = { k: args0(problem) };
      if (hasSolution(result)) out['centres'] = (result.solution as { open: Int32Array }).open.length;
      for (const key of ['offline', 'meanRatio', 'maxRatio', 'ratioGuarantee'] as const) {
        const v = result.stats[key];
        if (v !== undefined) out[key] = v;
      }
      return out;
    },
  },
];

function args0(problem: CliProblem): number | null {
  return (problem.params?.['k'] as number | undefined) ?? null;
}
