import { hasSolution, type PlacementModel, type Result } from '@emplace/core';
import { measureOnlineFacility, ONLINE_UFL_TABLE, type OnlineFacilitySolution } from '@emplace/facility';
import { KCENTER_TABLE, measureIncrementalKCenter } from '@emplace/kcenter';
import { solveOptions, type CliArgs, type CliFamily, type CliOption, type CliProblem } from '../family.js';
import { fileK, loadPlacements } from './placement-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/** Most replays: each re-runs the online method and the replays do not watch the time limit (`--runs 1e308` grew until the process died). */
const MAX_RUNS = 10_000;
const RUNS: CliOption = { name: 'runs', type: 'integer', min: 1, max: MAX_RUNS, description: 'replay N seeded orders and report the measured ratio against the exact offline optimum' };

function runsOf(args: CliArgs): number | undefined {
  return args.extra['runs'] === undefined ? undefined : Number(args.extra['runs']);
}

function orderOf(args: CliArgs): 'given' | 'random' {
  return args.extra['order'] === 'random' ? 'random' : 'given';
}

/** Measured competitive ratios of --runs replays, added to the result's stats and shown by describe. */
const MEASURED = ['offline', 'meanRatio', 'maxRatio', 'ratioGuarantee'] as const;

function describeMeasured(result: Result<unknown>, out: Record<string, string | number | boolean | null>): Record<string, string | number | boolean | null> {
  for (const key of MEASURED) {
    const v = result.stats[key];
    if (v !== undefined) out[key] = v as string | number;
  }
  return out;
}

/** A family whose solve is followed, with --runs N, by N seeded replays measured against the exact offline optimum. */
function measured(family: CliFamily, measure: (model: PlacementModel, problem: CliProblem, args: CliArgs, runs: number) => Promise<Record<string, unknown>>): CliFamily {
  return {
    ...family,
    options: [...(family.options ?? []), RUNS],
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const result = await family.solve(problem, args);
      const runs = runsOf(args);
      if (runs !== undefined && hasSolution(result)) Object.assign(result.stats, await measure(problem.model as PlacementModel, problem, args, runs));
      return result;
    },
  };
}

const seedOf = (args: CliArgs) => (args.seed !== undefined ? { seed: args.seed } : {});
const ONLINE_FORMATS = ['emplace-json', 'orlib-cap', 'orlib-pmed', 'aws-latency'] as const;

/**
 * `emplace solve online-ufl <file> [--order given|random] [--runs N]`: Meyerson's online
 * facility location; `emplace solve online-kcenter <file> --k K [--order] [--runs N]`: the
 * incremental doubling k-center. With --runs the table adds the mean and largest measured
 * ratio over N seeded replays against emplace's exact offline solver.
 */
export const families: CliFamily[] = [
  measured(
    tableFamily({
      name: 'online-ufl',
      description: 'online facility location (Meyerson): clients arrive one at a time, sites open irrevocably',
      formats: ONLINE_FORMATS,
      methods: methodsOf(ONLINE_UFL_TABLE),
      load: (path, args) => loadPlacements('online-ufl', path, args, ONLINE_FORMATS),
      describe(_problem: CliProblem, result: Result<unknown>) {
        const out: Record<string, string | number | boolean | null> = {};
        if (hasSolution(result)) {
          const s = result.solution as OnlineFacilitySolution;
          out['opened'] = s.openSites.length;
          out['openingCost'] = s.openingCost;
          out['servingCost'] = s.servingCost;
        }
        return describeMeasured(result, out);
      },
    }),
    async (model, _problem, args, runs) => {
      const report = await measureOnlineFacility(model, { runs, order: orderOf(args), ...seedOf(args), offline: solveOptions(args) });
      return { offline: report.offline, offlineProven: report.offlineProven, meanRatio: report.meanRatio, maxRatio: report.maxRatio, ratioGuarantee: report.guarantee ?? 'O(log n)' };
    },
  ),
  measured(
    tableFamily({
      name: 'online-kcenter',
      description: 'incremental k-center (doubling algorithm, 8-competitive): clients arrive one at a time',
      formats: ['orlib-pmed', 'emplace-json', 'aws-latency'],
      methods: methodsOf(KCENTER_TABLE, { only: ['incremental'] }),
      fromFile: ['k'],
      hidden: ['capacitated', 'outliers'],
      load: (path, args) => loadPlacements('online-kcenter', path, args, ['orlib-pmed', 'emplace-json', 'aws-latency']),
      problemOptions: fileK,
      describe(problem: CliProblem, result: Result<unknown>) {
        const out: Record<string, string | number | boolean | null> = { k: fileK(problem).k ?? null };
        if (hasSolution(result)) out['centres'] = (result.solution as { open: Int32Array }).open.length;
        return describeMeasured(result, out);
      },
    }),
    async (model, problem, args, runs) => {
      const k = args.k ?? fileK(problem).k ?? 0;
      const report = await measureIncrementalKCenter(model, { k, runs, order: orderOf(args), ...seedOf(args), offline: solveOptions(args) });
      return { offline: report.offline, offlineProven: report.offlineProven, meanRatio: report.meanRatio, maxRatio: report.maxRatio, ratioGuarantee: 8 };
    },
  ),
];
