import { EmplaceError } from '@emplace/core';

/**
 * Karmada's scheduler would fail on this input. `message` is the text Karmada's error carries at
 * the level of the function reproduced (e.g. `AssignReplicas` gives
 * `failed to scale up: Clusters available replicas 3 are not enough to schedule.`);
 * `unschedulable` is true when Karmada's error wraps a `framework.UnschedulableError` (not enough
 * capacity), false for other failures (no candidate cluster, unsupported strategy, spread
 * constraints that cannot be met).
 */
export class KarmadaSchedulingError extends EmplaceError {
  readonly unschedulable: boolean;
  constructor(message: string, unschedulable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.unschedulable = unschedulable;
  }
}
