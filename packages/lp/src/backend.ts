import type { StoppedBy } from '@emplace/core';
import type { CompiledModel } from './linear-model.js';
import type { BackendCapabilities, BackendName, LpProgress, LpStatus } from './types.js';

/** Options after validation, in the form every backend reads. */
export interface ResolvedOptions {
  /** Absolute deadline on the `performance.now()` clock; Infinity without a limit. */
  deadline: number;
  signal: AbortSignal | undefined;
  mipRelGap: number;
  warmStart: Float64Array | undefined;
  onProgress: ((e: LpProgress) => void) | undefined;
  progressIntervalMs: number;
  startedAt: number;
  highsOptions: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Where HiGHS runs (LpOptions.offload). */
  offload: 'auto' | 'worker' | 'thread';
}

/** What a backend reports; `solveLp` recomputes the objective and gap from `x`. */
export interface BackendOutcome {
  status: LpStatus;
  x?: Float64Array;
  bound?: number;
  stoppedBy: StoppedBy;
  duals?: Float64Array;
  warnings?: string[];
  nodes?: number;
  iterations?: number;
  /** Where the solve ran (HiGHS only). */
  ranIn?: 'thread' | 'worker';
}

export interface Backend {
  readonly name: BackendName;
  readonly capabilities: BackendCapabilities;
  solve(model: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome>;
}

export const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** Seconds left before the deadline, or undefined without one. Never below 1 ms. */
export function remainingSeconds(options: ResolvedOptions): number | undefined {
  if (options.deadline === Infinity) return undefined;
  return Math.max(1e-3, (options.deadline - now()) / 1000);
}
