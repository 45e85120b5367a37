import { basename } from 'node:path';
import { createPlacementModel, hasSolution, type PlacementModel, type Result } from '@emplace/core';
import { UFL_METHODS, solveUfl, type FacilityOptions, type FacilitySolution } from '@emplace/facility';
import { readOrlibCap, readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';

/** Instance name from a path: `cap41.txt.gz` -> `cap41`. */
export function instanceName(path: string): string {
  return basename(path).replace(/\.gz$/, '').replace(/\.[^.]*$/, '');
}

/** Options shared by the facility families: time limit, seed, method. */
export function facilityOptions(args: CliArgs): FacilityOptions {
  const options: FacilityOptions = { method: args.method ?? 'auto' };
  if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.signal !== undefined) options.signal = args.signal;
  if (args.onProgress !== undefined) options.onProgress = args.onProgress;
  return options;
}

/** Reads an OR-Library cap file (capa/b/c need --capacity). */
export async function loadCap(path: string, args: CliArgs): Promise<CliProblem[]> {
  const name = instanceName(path);
  const text = await readTextFile(path);
  const inst = readOrlibCap(text, { name, ...(args.capacity !== undefined ? { capacity: args.capacity } : {}) });
  return [{ instance: inst.name, model: inst.model }];
}

/** Extra JSON/table fields of a facility result. */
export function describeFacility(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null> {
  const m = problem.model as PlacementModel;
  const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients };
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

/** `emplace solve ufl <cap file>`: capacities in the file are ignored. */
export const families: CliFamily[] = [
  {
    name: 'ufl',
    description: 'uncapacitated facility location (OR-Library cap files, capacities ignored)',
    formats: ['orlib-cap'],
    methods: [...UFL_METHODS],
    options: [],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      const problems = await loadCap(path, { ...args, capacity: args.capacity ?? 0 });
      return problems.map((p) => {
        const m = p.model as PlacementModel;
        // Same model without capacities (the UFL solver ignores them anyway; this keeps the output honest).
        const model = createPlacementModel({
          sites: m.siteIds.map((id) => ({ id })),
          clients: m.clientIds.map((id) => ({ id })),
          cost: m.cost,
          openingCost: m.openingCost,
          demand: m.demand,
        });
        return { ...p, model };
      });
    },
    solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      return solveUfl(problem.model as PlacementModel, facilityOptions(args));
    },
    describe: describeFacility,
  },
];
