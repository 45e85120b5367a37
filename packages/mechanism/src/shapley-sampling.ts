import { ModelError, checkMemory, runStepsAsync, SolveRun, type GameModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { bernsteinHalfWidth, hoeffdingHalfWidth, normalHalfWidth, spentDelta } from './confidence.js';
import { CoalitionBuilder, checkGame, listEvaluator } from './evaluate.js';
import type { IntervalKind, SampledValues } from './types.js';

export type SamplingVariant = 'permutation' | 'antithetic' | 'stratified';

export interface SamplingOptions extends SolveOptions {
  /**
   * `permutation`: marginal contributions along random orders (Castro et al. 2009);
   * `antithetic`: each order paired with its reverse, the pair's mean is one sample;
   * `stratified`: per player, coalitions of each size sampled separately (Maleki et al. 2013).
   */
  variant?: SamplingVariant | undefined;
  /** Target half-width of every player's interval (absolute). Default: relativePrecision x |v(N)|. */
  precision?: number | undefined;
  /** Target half-width relative to |v(N)| when `precision` is not given. Default 0.01. */
  relativePrecision?: number | undefined;
  /** Confidence of each player's interval. Default 0.95. */
  confidence?: number | undefined;
  /** Interval kind. Default `bernstein` when the range is known, else `normal`. */
  interval?: IntervalKind | undefined;
  /**
   * Width of the interval every marginal contribution v(S + i) - v(S) lies in. Known for
   * weighted voting (1) and airport games (the largest cost); needed by Hoeffding/Bernstein.
   */
  range?: number | undefined;
  /** Cap on samples per player. Default 10^6. */
  maxSamples?: number | undefined;
  /** Samples before the first check. Default 32. */
  minSamples?: number | undefined;
}

/** Marginal-contribution range known from the game's structure, if any. */
export function knownRange(game: GameModel): number | undefined {
  const s = game.structure;
  if (!s) return undefined;
  if (s.type === 'weighted-voting') return 1;
  if (s.type === 'airport') {
    let m = 0;
    for (const c of s.costs) m = Math.max(m, c);
    return m;
  }
  return undefined;
}

/**
 * Monte Carlo Shapley values with a confidence interval per player, stopping as soon as
 * every half-width is at most the requested precision (or at the time/sample limit, with
 * the intervals reached so far). Intervals are checked on a geometric schedule and the
 * confidence is spent across checks (delta_j = 6 delta / (pi^2 j^2)), so stopping early
 * does not void the stated confidence.
 */
export function shapleySampling(game: GameModel, options: SamplingOptions = {}): Promise<Result<SampledValues>> {
  const variant = options.variant ?? 'permutation';
  const run = new SolveRun(options, `shapley:${variant === 'permutation' ? 'sampling' : variant}`, 'max');
  return runStepsAsync(samplingSteps(game, options, run), run);
}

/** The validated settings of one sampling run. */
interface SamplingPlan {
  readonly game: GameModel;
  readonly variant: SamplingVariant;
  readonly confidence: number;
  readonly range: number | undefined;
  readonly intervalKind: IntervalKind;
  readonly maxSamples: number;
  readonly minSamples: number;
  readonly precision: number;
  readonly grandValue: number;
}

function samplingPlan(input: GameModel, options: SamplingOptions): SamplingPlan {
  const variant = options.variant ?? 'permutation';
  const game = checkGame(input);
  if (variant !== 'permutation' && variant !== 'antithetic' && variant !== 'stratified') {
    throw new ModelError('options.variant', `must be 'permutation', 'antithetic' or 'stratified', got ${String(variant)}`);
  }
  const confidence = options.confidence ?? 0.95;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) throw new ModelError('options.confidence', `must be in (0, 1), got ${String(confidence)}`);
  const range = options.range ?? knownRange(game);
  if (range !== undefined && !(typeof range === 'number' && Number.isFinite(range) && range >= 0)) throw new ModelError('options.range', `must be a finite non-negative number, got ${String(range)}`);
  const intervalKind: IntervalKind = options.interval ?? (range !== undefined ? 'bernstein' : 'normal');
  if (intervalKind !== 'normal' && range === undefined) {
    throw new ModelError('options.range', `is required by ${intervalKind} intervals (the width of the interval every marginal contribution lies in)`);
  }
  const maxSamples = options.maxSamples ?? 1e6;
  if (typeof maxSamples !== 'number' || !(maxSamples >= 1)) throw new ModelError('options.maxSamples', `must be at least 1, got ${String(maxSamples)}`);
  if (options.minSamples !== undefined && !(typeof options.minSamples === 'number' && options.minSamples >= 0)) {
    throw new ModelError('options.minSamples', `must be a non-negative number, got ${String(options.minSamples)}`);
  }
  const minSamples = Math.max(2, options.minSamples ?? 32);
  const n = game.n;
  // Stratified sampling keeps n^2 running means and variances.
  checkMemory(`shapley:${variant}`, `${n} players' sample moments`, (variant === 'stratified' ? 2 * n * n : 6 * n) * 8, options);
  const grandValue = listEvaluator(game)(Array.from({ length: n }, (_, i) => i));
  let precision = options.precision;
  if (precision === undefined) {
    const rel = options.relativePrecision ?? 0.01;
    if (typeof rel !== 'number' || !(rel > 0)) throw new ModelError('options.relativePrecision', `must be positive, got ${String(rel)}`);
    // Relative to |v(N)| (v(empty) = 0); a game with v(N) = 0 falls back to the range (or 1).
    const scale = Math.abs(grandValue);
    precision = rel * (scale > 0 ? scale : range !== undefined && range > 0 ? range : 1);
  }
  // `true > 0` holds in JavaScript: a boolean from a hand-built options object must not pass.
  if (typeof precision !== 'number' || !(precision > 0)) throw new ModelError('options.precision', `must be positive, got ${String(precision)}`);
  return { game, variant, confidence, range, intervalKind, maxSamples, minSamples, precision, grandValue };
}

/** The sampler as steps: a checkpoint per sampled permutation (see core's runSteps). */
function* samplingSteps(input: GameModel, options: SamplingOptions, run: SolveRun): Steps<Result<SampledValues>> {
  const plan = samplingPlan(input, options);
  const { game, variant, intervalKind, range, confidence, precision, maxSamples } = plan;
  const n = game.n;
  const delta = 1 - confidence;
  const builder = new CoalitionBuilder(game);
  const state = variant === 'stratified'
    ? new StratifiedSampler(n, builder, run, 0, plan.grandValue)
    : new PermutationSampler(n, builder, run, 0, variant === 'antithetic');
  let evaluations = 1 + state.initialEvaluations;
  let check = 0;
  let nextCheck = plan.minSamples;
  const halfWidth = new Float64Array(n).fill(Infinity);
  let reached = false;
  // A checkpoint (an await in the async driver, ~1 us) every sample would triple the cost
  // of a cheap game (0.3 us per sample at n = 12): yield about once a millisecond instead,
  // reading the clock every 16 samples; the stop conditions are still polled every sample.
  let nextYieldAt = performance.now() + 1;
  while (state.samples < maxSamples) {
    if ((state.samples & 15) === 0 && performance.now() >= nextYieldAt) {
      yield;
      nextYieldAt = performance.now() + 1;
    }
    if (run.shouldStop()) break;
    evaluations += state.step();
    if (state.samples >= nextCheck || state.samples >= maxSamples) {
      check++;
      state.halfWidths(intervalKind, range ?? 0, spentDelta(delta, check), halfWidth);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, halfWidth[i]!);
      run.progress({ phase: 'sampling', iterations: state.samples, message: `max half-width ${worst.toPrecision(3)} (target ${precision.toPrecision(3)})` });
      if (worst <= precision) {
        reached = true;
        break;
      }
      nextCheck = Math.ceil(state.samples * 1.25);
    }
  }
  if (!reached && run.stoppedBy() === 'converged') run.hitIterationLimit();
  if (state.samples < 2) {
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'probabilistic', confidence }, stats: { samples: state.samples, evaluations } });
  }
  if (!reached) {
    // Intervals for the samples actually drawn (one more check of the confidence budget).
    check++;
    state.halfWidths(intervalKind, range ?? 0, spentDelta(delta, check), halfWidth);
  }
  return sampledResult(plan, state, { halfWidth, reached, evaluations, checks: check }, run);
}

function sampledResult(plan: SamplingPlan, state: Sampler, drawn: { halfWidth: Float64Array; reached: boolean; evaluations: number; checks: number }, run: SolveRun): Result<SampledValues> {
  const { game, confidence, precision } = plan;
  const { halfWidth, reached, evaluations } = drawn;
  const n = game.n;
  const values = state.estimates();
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    lower[i] = values[i]! - halfWidth[i]!;
    upper[i] = values[i]! + halfWidth[i]!;
    sum += values[i]!;
  }
  const warnings: string[] = [];
  if (plan.intervalKind === 'normal') warnings.push('normal (CLT) intervals are asymptotic; give options.range for distribution-free Bernstein/Hoeffding intervals');
  if (!reached) warnings.push(`stopped (${run.stoppedBy()}) before every half-width reached ${precision.toPrecision(3)}`);
  return run.solved({
    solution: {
      concept: 'shapley',
      players: game.players,
      values,
      grandValue: plan.grandValue,
      lower,
      upper,
      halfWidth,
      confidence,
      interval: plan.intervalKind,
      samples: state.samples,
      evaluations,
      reachedPrecision: reached,
      precision,
    },
    objective: sum,
    guarantee: { kind: 'probabilistic', confidence },
    iterations: state.samples,
    stats: { samples: state.samples, evaluations, checks: drawn.checks, variant: plan.variant },
    warnings,
  });
}

interface Sampler {
  samples: number;
  readonly initialEvaluations: number;
  /** Draws one more sample per player; returns the evaluations used. */
  step(): number;
  halfWidths(kind: IntervalKind, range: number, delta: number, out: Float64Array): void;
  estimates(): Float64Array;
}

/** Welford running mean and variance per player. */
class PermutationSampler implements Sampler {
  samples = 0;
  readonly initialEvaluations = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly order: Int32Array;
  private readonly first: Float64Array;
  private readonly second: Float64Array;

  constructor(
    private readonly n: number,
    private readonly builder: CoalitionBuilder,
    private readonly run: SolveRun,
    private readonly emptyValue: number,
    private readonly antithetic: boolean,
  ) {
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(n);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.first = new Float64Array(n);
    this.second = new Float64Array(n);
  }

  /** Marginal contributions along `order` (forward or reversed) into `out`. */
  private walk(reverse: boolean, out: Float64Array): void {
    const { n, order, builder } = this;
    builder.reset();
    let prev = this.emptyValue;
    for (let k = 0; k < n; k++) {
      const i = order[reverse ? n - 1 - k : k]!;
      builder.add(i);
      const v = builder.value();
      out[i] = v - prev;
      prev = v;
    }
  }

  step(): number {
    this.run.rng.shuffle(this.order);
    const x = this.first;
    this.walk(false, x);
    let evals = this.n;
    if (this.antithetic) {
      const y = this.second;
      this.walk(true, y);
      for (let i = 0; i < this.n; i++) x[i] = 0.5 * (x[i]! + y[i]!);
      evals += this.n;
    }
    const t = ++this.samples;
    for (let i = 0; i < this.n; i++) {
      const d = x[i]! - this.mean[i]!;
      this.mean[i]! += d / t;
      this.m2[i]! += d * (x[i]! - this.mean[i]!);
    }
    return evals;
  }

  halfWidths(kind: IntervalKind, range: number, delta: number, out: Float64Array): void {
    const t = this.samples;
    for (let i = 0; i < this.n; i++) {
      const variance = t > 1 ? this.m2[i]! / (t - 1) : Infinity;
      out[i] = kind === 'hoeffding'
        ? hoeffdingHalfWidth(t, range, delta)
        : kind === 'bernstein'
          ? bernsteinHalfWidth(t, variance, range, delta)
          : normalHalfWidth(t, variance, delta);
    }
  }

  estimates(): Float64Array {
    return Float64Array.from(this.mean);
  }
}

/**
 * Stratified by coalition size: phi_i = (1/n) sum_k E[v(S + i) - v(S)] over S uniform
 * among the k-subsets of the other players. Strata k = 0 and k = n-1 hold one coalition
 * each and are computed exactly; the others get one sample per round.
 */
class StratifiedSampler implements Sampler {
  samples = 0;
  readonly initialEvaluations: number;
  private readonly mean: Float64Array; // [i * n + k]
  private readonly m2: Float64Array;
  private readonly exactPart: Float64Array;
  private readonly others: Int32Array;
  private rounds = 0;

  constructor(
    private readonly n: number,
    private readonly builder: CoalitionBuilder,
    private readonly run: SolveRun,
    emptyValue: number,
    grandValue: number,
  ) {
    this.mean = new Float64Array(n * n);
    this.m2 = new Float64Array(n * n);
    this.exactPart = new Float64Array(n);
    this.others = new Int32Array(Math.max(0, n - 1));
    let evals = 0;
    for (let i = 0; i < n; i++) {
      builder.reset();
      const alone = builder.valueWith(i) - emptyValue;
      evals++;
      let last = alone;
      if (n > 1) {
        builder.reset();
        for (let j = 0; j < n; j++) if (j !== i) builder.add(j);
        last = grandValue - builder.value();
        evals++;
      }
      this.exactPart[i] = n > 1 ? alone + last : alone;
    }
    this.initialEvaluations = evals;
  }

  step(): number {
    const { n, builder, others } = this;
    const rng = this.run.rng;
    let evals = 0;
    this.rounds++;
    const t = this.rounds;
    for (let i = 0; i < n; i++) {
      for (let j = 0, p = 0; j < n; j++) if (j !== i) others[p++] = j;
      for (let k = 1; k <= n - 2; k++) {
        // Partial Fisher-Yates: the first k entries of `others` become a uniform k-subset.
        builder.reset();
        for (let a = 0; a < k; a++) {
          const b = a + rng.int(n - 1 - a);
          const tmp = others[a]!;
          others[a] = others[b]!;
          others[b] = tmp;
          builder.add(others[a]!);
        }
        const x = builder.valueWith(i) - builder.value();
        evals += 2;
        const idx = i * n + k;
        const d = x - this.mean[idx]!;
        this.mean[idx]! += d / t;
        this.m2[idx]! += d * (x - this.mean[idx]!);
      }
    }
    this.samples = t;
    return evals;
  }

  halfWidths(kind: IntervalKind, range: number, delta: number, out: Float64Array): void {
    const { n } = this;
    const t = this.rounds;
    const strata = n - 2;
    for (let i = 0; i < n; i++) {
      if (strata <= 0) {
        out[i] = 0;
        continue;
      }
      if (kind === 'hoeffding') {
        // Sum of independent terms, stratum k contributing t terms of range R/(n t).
        out[i] = t === 0 ? Infinity : (range / n) * Math.sqrt((Math.log(2 / delta) / 2) * (strata / t));
      } else if (kind === 'bernstein') {
        // One empirical-Bernstein interval per stratum at delta / strata, summed (union bound).
        let w = 0;
        for (let k = 1; k <= n - 2; k++) {
          const variance = t > 1 ? this.m2[i * n + k]! / (t - 1) : Infinity;
          w += bernsteinHalfWidth(t, variance, range, delta / strata);
        }
        out[i] = w / n;
      } else {
        let v = 0;
        for (let k = 1; k <= n - 2; k++) v += t > 1 ? this.m2[i * n + k]! / (t - 1) : Infinity;
        out[i] = normalHalfWidth(t, v / strata, delta) * Math.sqrt(strata) / n;
      }
    }
  }

  estimates(): Float64Array {
    const { n } = this;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = this.exactPart[i]!;
      for (let k = 1; k <= n - 2; k++) s += this.mean[i * n + k]!;
      out[i] = s / n;
    }
    return out;
  }
}
