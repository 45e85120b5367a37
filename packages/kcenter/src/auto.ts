import type { PlacementModel } from '@emplace/core';
import type { KCenterResult } from './common.js';
import { exact } from './exact.js';
import type { KCenterOptions } from './types.js';

/**
 * kcenter:auto: the exact search. It starts from Gonzalez, Hochbaum-Shmoys and local
 * search (each a few milliseconds), so under a time limit it still returns a
 * 2-approximate answer with a proven bound, and the optimum when it finishes.
 */
export function auto(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return exact(model, options);
}
