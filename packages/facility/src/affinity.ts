import { hasSolution, mergeAffinityUnits, SolveRun, type PlacementModel, type Result } from '@emplace/core';
import { FACILITY_FEATURES } from './features.js';
import type { FacilityVariant } from './problem.js';
import type { FacilitySolution } from './solution.js';

/**
 * The variants that place each client on exactly one site (UFL, p-median, single-source CFL)
 * honour affinity exactly by solving the model over affinity units: a unit's cost and demand are
 * its members' sums, so a plan of units is a plan of clients at the same cost and load (see core
 * mergeAffinityUnits). Split-demand CFL cannot: "share a site" has no meaning for split shares.
 */
export function honoursAffinityByUnits(variant: FacilityVariant, model: PlacementModel): boolean {
  // The affinity test of usedModelFeatures, alone: all of it scanned every pair of `allowed`
  // before each solve (11 ms of one stretch at 51 x 100,000 in stochastic:ufl-equivalent).
  return variant !== 'cfl' && model !== null && typeof model === 'object' && model.kind === 'placement' && model.replicas === undefined && model.affinity.some((g) => new Set(g).size > 1);
}

/**
 * Solves `model` through its affinity units with `solveUnits` (the same variant and options on
 * the merged model) and maps the plan back to the clients. Affinity that contradicts an
 * anti-affinity group is infeasible for a variant that honours anti-affinity (said with a
 * certificate); the variants here ignore it, so they answer for the model without it, with a warning.
 */
export async function solveOverAffinityUnits(
  model: PlacementModel,
  variant: FacilityVariant,
  method: string,
  options: { timeLimitMs?: number | undefined; signal?: AbortSignal | undefined; seed?: number | undefined },
  solveUnits: (merged: PlacementModel) => Promise<Result<FacilitySolution>>,
): Promise<Result<FacilitySolution>> {
  const merged = mergeAffinityUnits(model);
  // These variants ignore anti-affinity (FACILITY_FEATURES): the answer is then about the model
  // without it, where the conflict does not exist, and a warning says so.
  const conflictWarning = merged.conflict && FACILITY_FEATURES[variant].antiAffinity === 'ignored'
    ? `antiAffinity[${merged.conflict.group}] asks clients ${JSON.stringify(model.clientIds[merged.conflict.a])} and ${JSON.stringify(model.clientIds[merged.conflict.b])} to be apart, which their affinity forbids; ${variant} ignores anti-affinity, so the plan keeps them together`
    : undefined;
  if (merged.conflict && conflictWarning === undefined) {
    const { group, a, b } = merged.conflict;
    const run = new SolveRun(options, `${variant}:${method}`, 'min');
    return run.unsolved({
      status: 'infeasible',
      guarantee: { kind: 'exact' },
      certificate: {
        reason: `clients ${JSON.stringify(model.clientIds[a])} and ${JSON.stringify(model.clientIds[b])} must share a site (affinity) and be apart (antiAffinity[${group}])`,
        fields: [`antiAffinity[${group}]`, 'affinity'],
      },
    });
  }
  const result = await solveUnits(merged.model);
  if (conflictWarning !== undefined) result.warnings = [...(result.warnings ?? []), conflictWarning];
  const { unitOf, units } = merged.units;
  if (!hasSolution(result)) {
    if (result.certificate?.fields) {
      // Unit u of the merged model is the clients of units[u].
      result.certificate.fields = result.certificate.fields.flatMap((f) => {
        const m = /^clients\[(\d+)\]$/.exec(f);
        return m ? Array.from(units[Number(m[1])] ?? [], (j) => `clients[${j}]`) : [f];
      });
    }
    return result;
  }
  const s = result.solution;
  const assignment = Int32Array.from(unitOf, (u) => s.assignment[u]!);
  const flows = s.flows?.flatMap((f) => Array.from(units[f.client] ?? [], (j) => ({ ...f, client: j })));
  result.solution = { ...s, assignment, ...(flows ? { flows } : {}) };
  return result;
}
