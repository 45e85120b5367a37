import type { SolveRun } from './run.js';
import { runSteps, runStepsAsync, type Steps } from './steps.js';

/**
 * One subgradient driver for every Lagrangian dual in the project (facility location,
 * GAP, ...): maximises a concave, piecewise-linear L(u) given an oracle that evaluates
 * L at u and leaves a subgradient in `g`.
 *
 * Step (Polyak / Held-Karp): u += theta * (target - L(u)) / ||g||^2 * g, with the target
 * the best known primal value (`upper()`), or L + `noTargetGap` * max(1, |L|) while there
 * is none. theta starts at `theta` and is halved after `patience` evaluations that did
 * not improve the best bound (optionally going back to the best multipliers). The best
 * bound and its multipliers are tracked: every L(u) is a valid lower bound, so the result
 * is the best one seen, not the last.
 *
 * The loop allocates nothing per iteration: `u` is updated in place and `bestU` (given or
 * allocated once per call) receives the best multipliers.
 */
export interface SubgradientOptions {
  /** Evaluates L(u) and fills `g` with a subgradient at u; +Infinity means the dual is unbounded (infeasible primal): stop. */
  evaluate: (u: Float64Array) => number;
  /**
   * `evaluate` as steps, used in its place when given: checkpoints inside one evaluation
   * (yields only, never a stop, so L and g are left whole) where one evaluation is long.
   */
  evaluateSteps?: ((u: Float64Array) => Steps<number>) | undefined;
  /** Where `evaluate` leaves the subgradient (same length as u). */
  g: Float64Array;
  /** Best primal value known (the Polyak target); re-read every iteration. Infinity when none. */
  upper: () => number;
  maxIterations: number;
  /** Initial step factor (default 1). */
  theta?: number | undefined;
  /** Evaluations without improvement before theta is halved (default 20). */
  patience?: number | undefined;
  /** Stop once theta falls below this (default 1e-4). */
  minTheta?: number | undefined;
  /** On a halving, return to the best multipliers and evaluate there again (default false: keep stepping from the current point). */
  restoreOnHalve?: boolean | undefined;
  /** Relative amount by which L must exceed the best bound to count as an improvement (default 1e-9, times max(1, |best|)). */
  improvement?: number | undefined;
  /** Gap assumed while `upper()` is not above L, as a fraction of max(1, |L|) (default 0.01). */
  noTargetGap?: number | undefined;
  /** Project the multipliers onto u >= 0 after each step (duals of inequality constraints). */
  nonNegative?: boolean | undefined;
  /** Polled before every evaluation (deadline, abort, a phase budget): true stops the loop. */
  stop?: (() => boolean) | undefined;
  /** Stop once the best bound is good enough (e.g. prunes the node against the incumbent). */
  done?: ((best: number) => boolean) | undefined;
  /**
   * Sees every evaluation (after the best bound is updated): the place for a Lagrangian
   * heuristic, which may lower `upper()`. Returning true stops the loop.
   */
  onIterate?: ((value: number, u: Float64Array, improved: boolean, iteration: number) => boolean | undefined) | undefined;
  /** Receives the best multipliers (allocated once per call when omitted). */
  bestU?: Float64Array | undefined;
}

export type SubgradientStop = 'iterations' | 'stopped' | 'infeasible' | 'zero-subgradient' | 'done' | 'step-too-small' | 'callback';

export interface SubgradientResult {
  /** Best L(u) seen (a valid lower bound); -Infinity when nothing was evaluated, +Infinity when infeasible. */
  bound: number;
  /** The multipliers of `bound` (the `bestU` buffer). */
  u: Float64Array;
  /** Evaluations of L. */
  iterations: number;
  /** Step factor at the end (lets a caller warm-start a later run). */
  theta: number;
  stoppedBy: SubgradientStop;
}

/** The driver as steps: one checkpoint (yield) between evaluations; `u` is the start point and is updated in place. */
export function* subgradientSteps(u: Float64Array, opts: SubgradientOptions): Steps<SubgradientResult> {
  const n = u.length;
  const g = opts.g;
  const bestU = opts.bestU ?? new Float64Array(n);
  bestU.set(u);
  let theta = opts.theta ?? 1;
  const patience = opts.patience ?? 20;
  const minTheta = opts.minTheta ?? 1e-4;
  const improvement = opts.improvement ?? 1e-9;
  const noTargetGap = opts.noTargetGap ?? 0.01;
  let best = -Infinity;
  let stall = 0;
  let iterations = 0;
  let stoppedBy: SubgradientStop = 'iterations';
  const result = (): SubgradientResult => ({ bound: best, u: bestU, iterations, theta, stoppedBy });
  for (let it = 0; it < opts.maxIterations; it++) {
    if (it > 0) yield;
    if (opts.stop?.()) {
      stoppedBy = 'stopped';
      break;
    }
    const L = opts.evaluateSteps ? yield* opts.evaluateSteps(u) : opts.evaluate(u);
    iterations++;
    if (L === Infinity) {
      best = Infinity;
      stoppedBy = 'infeasible';
      return result();
    }
    const improved = best === -Infinity || L > best + improvement * Math.max(1, Math.abs(best));
    let halved = false;
    if (improved) {
      best = L;
      bestU.set(u);
      stall = 0;
    } else if (++stall >= patience) {
      theta *= 0.5;
      stall = 0;
      halved = true;
    }
    if (opts.onIterate?.(L, u, improved, it) === true) {
      stoppedBy = 'callback';
      break;
    }
    if (theta < minTheta) {
      stoppedBy = 'step-too-small';
      break;
    }
    if (halved && opts.restoreOnHalve) {
      u.set(bestU);
      continue;
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += g[j]! * g[j]!;
    // The relaxed solution satisfies the relaxed constraints: L is the optimum of the dual.
    if (norm < 1e-18) {
      stoppedBy = 'zero-subgradient';
      break;
    }
    if (opts.done?.(best)) {
      stoppedBy = 'done';
      break;
    }
    const scale = Math.max(1, Math.abs(L));
    const up = opts.upper();
    const gap = Number.isFinite(up) && up > L ? up - L : noTargetGap * scale;
    const step = (theta * Math.max(gap, 1e-9 * scale)) / norm;
    if (opts.nonNegative) {
      for (let j = 0; j < n; j++) {
        const x = u[j]! + step * g[j]!;
        u[j] = x > 0 ? x : 0;
      }
    } else {
      for (let j = 0; j < n; j++) u[j]! += step * g[j]!;
    }
  }
  return result();
}

/** Runs the driver to the end in one go (polling only `opts.stop`). */
export function subgradient(u: Float64Array, opts: SubgradientOptions): SubgradientResult {
  return runSteps(subgradientSteps(u, opts));
}

/** Runs the driver yielding to the event loop through `run.tick()` between evaluations (an abort is seen in-thread). */
export function subgradientAsync(u: Float64Array, opts: SubgradientOptions, run: SolveRun): Promise<SubgradientResult> {
  return runStepsAsync(subgradientSteps(u, opts), run);
}
