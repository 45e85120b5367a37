import type { PlacementModel, Result } from '@emplace/core';
import {
  KCENTER_TABLE,
  LSCP_TABLE,
  MCLP_TABLE,
  PDISPERSION_TABLE,
  SURVIVABLE_TABLE,
  type CoverageSolution,
  type DispersionSolution,
  type KCenterSolution,
  type SurvivableSolution,
} from '@emplace/kcenter';
import { CAPACITY_OPTION, type CliArgs, type CliFamily, type CliOption, type CliProblem } from '../family.js';
import { describeOpen, fileK, idList, loadPlacements, type PlacementFormat } from './placement-input.js';
import { methodsOf, tableFamily, type TableFamilySpec } from './table-family.js';

/*
 * k-center and the coverage families (lscp, mclp, pdispersion, survivable): the files k-center
 * reads; the file's p (a pmed file) is the default --k.
 */

const COVERAGE_FORMATS: readonly PlacementFormat[] = ['orlib-pmed', 'emplace-json', 'aws-latency'];
const UNCAPACITATED: CliOption = { name: 'uncapacitated', type: 'boolean', description: 'ignore site capacities of the file' };

/** `--uncapacitated` is the command line's spelling of `capacitated: false`. */
function capacitated(_problem: CliProblem, args: CliArgs): Readonly<Record<string, unknown>> {
  return args.extra['uncapacitated'] === true ? { capacitated: false } : {};
}

function coverageFamily(spec: Omit<TableFamilySpec, 'formats' | 'load'>): CliFamily {
  return tableFamily({ ...spec, formats: COVERAGE_FORMATS, load: (path, args) => loadPlacements(spec.name, path, args, COVERAGE_FORMATS) });
}

function describeCoverage(problem: CliProblem, result: Result<unknown>): Record<string, string | number> {
  const s = result.solution as CoverageSolution | undefined;
  return describeOpen(problem.model as PlacementModel, s?.openIds);
}

export const families: CliFamily[] = [
  tableFamily({
    name: 'kcenter',
    description: 'k-center / p-center: open k sites minimising the largest (weighted) client distance; outliers, capacities',
    formats: ['orlib-pmed', 'emplace-json', 'orlib-cap', 'aws-latency'],
    // Online arrival has its own family (online-kcenter).
    methods: methodsOf(KCENTER_TABLE, { only: KCENTER_TABLE.names.filter((m) => m !== 'incremental') }),
    inputOptions: [CAPACITY_OPTION, UNCAPACITATED],
    fromFile: ['k'],
    hidden: ['capacitated'],
    load: (path, args) => loadPlacements('kcenter', path, args, ['orlib-pmed', 'emplace-json', 'orlib-cap', 'aws-latency']),
    problemOptions: (problem, args) => ({ ...fileK(problem), ...capacitated(problem, args) }),
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as PlacementModel;
      const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients, ...(fileK(problem).k !== undefined ? { p: fileK(problem).k! } : {}) };
      if (result.solution) {
        const s = result.solution as KCenterSolution;
        out['radius'] = s.radius;
        out['open'] = s.open.length;
        out['centres'] = idList(s.openIds);
        if (s.outliers.length > 0) out['outliers'] = s.outliers.length;
      }
      return out;
    },
  }),
  coverageFamily({
    name: 'lscp',
    description: 'location set covering: the fewest sites covering every client within --radius (pre-opened sites, capacities); objective = sites opened',
    methods: methodsOf(LSCP_TABLE),
    inputOptions: [UNCAPACITATED],
    hidden: ['capacitated'],
    problemOptions: capacitated,
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = describeCoverage(problem, result);
      const s = result.solution as CoverageSolution | undefined;
      if (s) out['preOpened'] = s.open.length - s.added.length;
      return out;
    },
  }),
  coverageFamily({
    name: 'mclp',
    description: 'maximal covering location: --k sites covering the most client demand within --radius; objective = demand covered (maximised)',
    methods: methodsOf(MCLP_TABLE),
    fromFile: ['k'],
    problemOptions: fileK,
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = describeCoverage(problem, result);
      const s = result.solution as CoverageSolution | undefined;
      if (s) {
        out['covered'] = `${s.covered}/${s.assignment.length}`;
        out['coveredPct'] = s.totalDemand > 0 ? Math.round((1000 * s.coveredDemand) / s.totalDemand) / 10 : 100;
      }
      return out;
    },
  }),
  coverageFamily({
    name: 'pdispersion',
    description: 'p-dispersion: --k sites as far apart as possible (sites are the clients of the file); objective = smallest distance between chosen sites (maximised)',
    methods: methodsOf(PDISPERSION_TABLE),
    fromFile: ['k'],
    problemOptions: fileK,
    describe(problem: CliProblem, result: Result<unknown>) {
      const s = result.solution as DispersionSolution | undefined;
      const m = problem.model as PlacementModel;
      const out = describeOpen(m, s?.openIds);
      if (s) out['closestPair'] = `${m.siteIds[s.closestPair[0]]} ${m.siteIds[s.closestPair[1]]}`;
      return out;
    },
  }),
  coverageFamily({
    name: 'survivable',
    description: 'N-1 survivable placement: every client keeps an open site within --radius L after any one site fails; objective = opening cost (sites opened when costs are 0)',
    methods: methodsOf(SURVIVABLE_TABLE),
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = describeCoverage(problem, result);
      const s = result.solution as SurvivableSolution | undefined;
      if (s) {
        out['minCoverage'] = s.minCoverage;
        out['servingCost'] = s.servingCost;
      }
      return out;
    },
  }),
];
