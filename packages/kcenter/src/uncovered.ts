import { hasSolution, type PlacementModel } from '@emplace/core';
import type { KCenterResult } from './common.js';
import { exact } from './exact.js';
import type { KCenterOptions } from './types.js';

/**
 * The dead end of a k-center method on data whose `allowed` pairs (or forbidden sites) may
 * leave no k sites that serve every client: a heuristic that found no such sites ends with
 * `no-solution` although nothing stopped it, or with a plan of radius Infinity. Neither says
 * what is known (docs/concepts.md): only the exact search can prove that no cover exists.
 */
export function isUncovered(result: KCenterResult): boolean {
  if (hasSolution(result)) return result.objective === Infinity;
  return result.status === 'no-solution' && result.stoppedBy === 'converged';
}

/**
 * Settles a heuristic's dead end with the exact search, in what is left of the time limit
 * and with the same signal: `infeasible` with its certificate when no k sites cover every
 * client, otherwise the exact answer (reported under the heuristic's name, with a warning).
 */
export async function settleUncovered(model: PlacementModel, options: KCenterOptions | undefined, result: KCenterResult): Promise<KCenterResult> {
  const limit = options?.timeLimitMs;
  const remaining = limit === undefined ? undefined : Math.max(0, limit - result.stats.elapsedMs);
  const settled = await exact(model, { ...options, ...(remaining === undefined ? {} : { timeLimitMs: remaining }) });
  const method = result.stats.method;
  return {
    ...settled,
    stats: { ...settled.stats, method, elapsedMs: result.stats.elapsedMs + settled.stats.elapsedMs },
    warnings: [...(result.warnings ?? []), `${method} found no k sites that serve every client through \`allowed\`: kcenter:exact decided it`, ...(settled.warnings ?? [])],
  } as KCenterResult;
}
