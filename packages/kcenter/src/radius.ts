import type { PlacementModel } from '@emplace/core';
import { evaluateOpen } from './evaluate.js';
import { prepareInstance } from './instance.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

/**
 * The k-center value of given open sites, recomputed from the model (weights, allowed
 * pairs, outliers and capacities as in `options`): for checking any answer independently.
 */
export function kcenterRadius(model: PlacementModel, open: ArrayLike<number>, options: Pick<KCenterOptions, 'outliers' | 'capacitated'> = {}): KCenterSolution {
  const prepared = prepareInstance(model, { ...options, k: Math.max(1, open.length) });
  if (prepared.kind === 'infeasible') {
    return { open: Int32Array.from(open), openIds: [], assignment: new Int32Array(model.nClients).fill(-1), radius: Infinity, outliers: new Int32Array(0), criticalClient: -1 };
  }
  return evaluateOpen(prepared.problem, open);
}
