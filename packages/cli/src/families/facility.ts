import { createPlacementModel, hasSolution, ModelError, type PlacementModel, type Result } from '@emplace/core';
import { CFL_TABLE, PMEDIAN_TABLE, SSCFL_TABLE, UFL_TABLE, type FacilitySolution } from '@emplace/facility';
import { readOrlibPmedAsync, readTextFile } from '@emplace/io';
import { CAPACITY_OPTION, K_OPTION, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { instanceName, loadCap } from './placement-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/** Extra JSON/table fields of a facility result. */
export function describeFacility(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null> {
  const m = problem.model as PlacementModel;
  const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients };
  const p = problem.params?.['p'];
  if (typeof p === 'number') out['p'] = p;
  if (hasSolution(result)) {
    const s = result.solution as FacilitySolution;
    out['open'] = s.openSites.length;
    out['openingCost'] = s.openingCost;
    out['servingCost'] = s.servingCost;
    if (s.flows) {
      const shares = new Int32Array(m.nClients);
      for (const f of s.flows) shares[f.client]!++;
      out['splitClients'] = shares.filter((k) => k > 1).length;
    }
  }
  const nodes = result.stats['nodes'];
  if (typeof nodes === 'number') out['nodes'] = nodes;
  return out;
}

/** UFL reads a cap file without its capacities (the solver ignores them anyway; this keeps the output honest). */
async function loadUncapacitated(path: string, args: CliArgs): Promise<CliProblem[]> {
  const problems = await loadCap(path, { ...args, capacity: args.capacity ?? 0 });
  return problems.map((p) => {
    const m = p.model as PlacementModel;
    const model = createPlacementModel({ sites: m.siteIds.map((id) => ({ id })), clients: m.clientIds.map((id) => ({ id })), cost: m.cost, openingCost: m.openingCost, demand: m.demand });
    return { ...p, model };
  });
}

/** p-median on an OR-Library pmed file; `--k` overrides its p. */
async function loadPmed(path: string, args: CliArgs): Promise<CliProblem[]> {
  // The async reader yields during the distance closure, so Ctrl-C is seen while it runs.
  const inst = await readOrlibPmedAsync(await readTextFile(path), { name: instanceName(path), signal: args.signal });
  const p = args.k ?? inst.p;
  if (!Number.isInteger(p) || p < 1) throw new ModelError('--k', `must be a positive integer, got ${String(p)}`);
  return [{ instance: inst.name, model: inst.model, params: { p } }];
}

const CAP_FILES = 'OR-Library cap files; --capacity N for capa/capb/capc';

export const families: CliFamily[] = [
  tableFamily({
    name: 'ufl',
    description: 'uncapacitated facility location (OR-Library cap files, capacities ignored)',
    formats: ['orlib-cap'],
    methods: methodsOf(UFL_TABLE),
    load: loadUncapacitated,
    describe: describeFacility,
  }),
  tableFamily({
    name: 'cfl',
    description: `capacitated facility location, split demand (${CAP_FILES})`,
    formats: ['orlib-cap'],
    methods: methodsOf(CFL_TABLE),
    inputOptions: [CAPACITY_OPTION],
    load: loadCap,
    describe: describeFacility,
  }),
  tableFamily({
    name: 'sscfl',
    description: `single-source capacitated facility location (${CAP_FILES})`,
    formats: ['orlib-cap'],
    methods: methodsOf(SSCFL_TABLE),
    inputOptions: [CAPACITY_OPTION],
    load: loadCap,
    describe: describeFacility,
  }),
  tableFamily({
    name: 'pmedian',
    description: 'p-median (OR-Library pmed files; --k overrides p)',
    formats: ['orlib-pmed'],
    methods: methodsOf(PMEDIAN_TABLE),
    // The file's p is the table's required option p; --k, as for every p / k of a file, overrides it.
    inputOptions: [K_OPTION],
    hidden: ['p'],
    load: loadPmed,
    problemOptions: (problem) => ({ p: problem.params?.['p'] }),
    describe: describeFacility,
  }),
];
