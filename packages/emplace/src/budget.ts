import type { SolveOptions } from '@emplace/core';
import type { PlanPhase } from './goals.js';
import type { PlanProgress } from './result.js';

/** Share of the time budget (and of the progress bar) each phase gets. */
export const PHASE_WEIGHTS: Readonly<Record<PlanPhase, number>> = {
  placement: 0.3,
  pareto: 0.25,
  'worst-case': 0.1,
  backbone: 0.1,
  connectivity: 0.05,
  shares: 0.2,
};

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Splits `timeLimitMs` across the phases that will run: each phase gets the time left
 * times its weight over the weights of the phases still to come, so time a phase does
 * not use passes on to the next ones. Also turns phase-local progress into the
 * fraction of the whole plan.
 */
export class PhaseBudget {
  private readonly start = now();
  private readonly deadline: number;
  private readonly remainingWeights: PlanPhase[];
  private doneWeight = 0;
  private readonly totalWeight: number;

  constructor(
    private readonly options: { timeLimitMs?: number; signal?: AbortSignal; seed?: number; onProgress?: (p: PlanProgress) => void },
    phases: readonly PlanPhase[],
  ) {
    this.deadline = options.timeLimitMs === undefined ? Infinity : this.start + options.timeLimitMs;
    this.remainingWeights = [...phases];
    this.totalWeight = phases.reduce((s, p) => s + PHASE_WEIGHTS[p], 0);
  }

  elapsedMs(): number {
    return now() - this.start;
  }

  expired(): boolean {
    return now() >= this.deadline || this.options.signal?.aborted === true;
  }

  /** SolveOptions for a phase: its slice of the remaining time, the caller's signal and seed. */
  optionsFor(phase: PlanPhase): SolveOptions {
    const opts: SolveOptions = {};
    if (this.deadline !== Infinity) {
      const left = Math.max(0, this.deadline - now());
      const w = this.remainingWeights.reduce((s, p) => s + PHASE_WEIGHTS[p], 0);
      opts.timeLimitMs = w > 0 ? (left * PHASE_WEIGHTS[phase]) / w : left;
    }
    if (this.options.signal) opts.signal = this.options.signal;
    if (this.options.seed !== undefined) opts.seed = this.options.seed;
    return opts;
  }

  /** Reports progress inside a phase (phaseFraction in [0, 1]). */
  report(phase: PlanPhase, phaseFraction: number, message?: string): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    const f = Math.min(1, Math.max(0, phaseFraction));
    const fraction = this.totalWeight > 0 ? Math.min(1, (this.doneWeight + f * PHASE_WEIGHTS[phase]) / this.totalWeight) : 1;
    cb({ phase, fraction, phaseFraction: f, elapsedMs: this.elapsedMs(), ...(message !== undefined ? { message } : {}) });
  }

  /** Marks a phase finished. */
  finish(phase: PlanPhase): void {
    const k = this.remainingWeights.indexOf(phase);
    if (k >= 0) this.remainingWeights.splice(k, 1);
    this.report(phase, 1);
    this.doneWeight += PHASE_WEIGHTS[phase];
  }
}
