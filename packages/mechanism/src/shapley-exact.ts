import { ModelError, checkMemory, runStepsAsync, SolveRun, maskMembers, type GameModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { checkGame, coalitionName, maskEvaluator } from './evaluate.js';
import { factorial, fractionString } from './rational.js';
import type { ShapleySolution } from './types.js';

export interface ExactShapleyOptions extends SolveOptions {
  /**
   * Values are multiples of 1/denominator (e.g. 100 for cents). Exact fractions are
   * reported when every v(S) x denominator is an integer (default 1: integer games).
   */
  denominator?: number | undefined;
  /**
   * An incremental characteristic function: the enumeration walks the coalitions in
   * Gray-code order, so each step adds or removes exactly one player, and `toggle`
   * returns v of the new coalition (e.g. updating a running sum instead of recomputing
   * v from scratch). `reset` is called once first: the coalition is then empty. The
   * game's own value function is still used for v(N) and error messages.
   */
  incremental?: IncrementalValue | undefined;
}

export interface IncrementalValue {
  reset(): void;
  /** Player `player` joins (`joined`) or leaves the current coalition; returns v of the result. */
  toggle(player: number, joined: boolean): number;
}

/** Largest n for exact enumeration: 2^n evaluations, no 2^n storage. */
export const MAX_EXACT_PLAYERS = 30;

/**
 * Exact Shapley and Banzhaf values by enumerating all 2^n coalitions once, in Gray-code
 * order (consecutive coalitions differ by one player, so the size is updated in O(1)
 * and an incremental characteristic function sees one change per step).
 *
 * Streaming: with w(s) = s!(n-s-1)!/n!,
 *   phi_i = sum_{S containing i} w(|S|-1) v(S) - sum_{S not containing i} w(|S|) v(S),
 * so it suffices to accumulate, per player i and size s, A_i(s) = sum of v(S) over the
 * coalitions of size s containing i, and T(s) = sum over all coalitions of size s:
 * (n+1)^2 numbers instead of the 2^n table (256 MiB at n = 25). Each coalition adds its
 * value to the members' sums when |S| <= n/2 and to the non-members' complementary sums
 * otherwise, so the work is min(|S|, n-|S|) additions per coalition.
 *
 * When all values are integers (after scaling by `denominator`) and the sum of their
 * magnitudes stays below 2^53, every accumulator is an exact integer, and the values
 * are also returned as exact fractions (BigInt arithmetic over n!).
 */
export function shapleyExact(game: GameModel, options: ExactShapleyOptions = {}): Promise<Result<ShapleySolution>> {
  const run = new SolveRun(options, 'shapley:exact', 'max');
  return runStepsAsync(exactSteps(game, options, run), run);
}

/** The accumulators of one enumeration (see shapleyExact). */
interface Enumeration {
  readonly game: GameModel;
  readonly n: number;
  readonly count: number;
  readonly stride: number;
  readonly half: number;
  readonly full: number;
  /** Values are multiples of 1/scale (options.denominator). */
  readonly scale: number;
  readonly value: (mask: number) => number;
  readonly incremental: IncrementalValue | undefined;
  /** Sum of v(S) over S of size s containing i (small S), [i * stride + s]. */
  readonly accIn: Float64Array;
  /** Sum of v(S) over S of size s not containing i (large S). */
  readonly accOut: Float64Array;
  /** Sum of v(S) over all S of size s. */
  readonly total: Float64Array;
  exact: boolean;
  absSum: number;
  maxAbs: number;
}

/** The enumeration as steps: a checkpoint every 2^12 coalitions (see core's runSteps). */
function* exactSteps(game: GameModel, options: ExactShapleyOptions, run: SolveRun): Steps<Result<ShapleySolution>> {
  const e = startEnumeration(game, options);
  yield* enumerate(e, 1, run);
  // Values near the float64 limit overflow the sums over 2^n coalitions (the values came
  // back NaN, called optimal): scale them down by a power of two (exact) and enumerate again.
  let valueScale = 1;
  if (overflowed(e) && run.stoppedBy() === 'converged') {
    valueScale = 2 ** -(Math.ceil(Math.log2(e.maxAbs)) + e.n + 1);
    yield* enumerate(e, valueScale, run);
  }
  if (run.stoppedBy() !== 'converged') {
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: { players: e.n, coalitions: e.count } });
  }
  return exactResult(e, valueScale, run);
}

function startEnumeration(input: GameModel, options: ExactShapleyOptions): Enumeration {
  const game = checkGame(input);
  const n = game.n;
  if (n > MAX_EXACT_PLAYERS) {
    throw new ModelError('game.players', `exact Shapley enumerates 2^n coalitions and takes at most ${MAX_EXACT_PLAYERS} players, got ${n}; use method 'sampling'`);
  }
  const scale = options.denominator ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) throw new ModelError('options.denominator', `must be a positive number, got ${String(scale)}`);
  const incremental = options.incremental;
  if (incremental !== undefined && (incremental === null || typeof incremental.reset !== 'function' || typeof incremental.toggle !== 'function')) {
    throw new ModelError('options.incremental', 'must have reset() and toggle(player, joined) methods');
  }
  const stride = n + 1;
  // Streaming: (n+1)^2 sums instead of the 2^n table; a memoised game (cost sharing) keeps its own memo bounded.
  checkMemory('shapley:exact', `${n} players' size-by-player sums`, (2 * n + 1) * stride * 8, options);
  return {
    game,
    n,
    count: 2 ** n,
    stride,
    half: n / 2,
    full: (2 ** n - 1) | 0,
    scale,
    value: maskEvaluator(game),
    incremental,
    accIn: new Float64Array(n * stride),
    accOut: new Float64Array(n * stride),
    total: new Float64Array(stride),
    exact: true,
    absSum: 0,
    maxAbs: 0,
  };
}

/** v of the coalition just reached by a Gray-code step that toggled `bit`, from the incremental function. */
function incrementalValue(e: Enumeration, bit: number, joined: boolean, mask: number): number {
  const v = e.incremental!.toggle(bit, joined);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ModelError(`incremental value(${coalitionName(e.game, maskMembers(mask, e.n))})`, `must be a finite number, got ${String(v)}`);
  }
  return v;
}

/** One pass over the 2^n coalitions, every value multiplied by `valueScale` (a power of two). */
function* enumerate(e: Enumeration, valueScale: number, run: SolveRun): Steps<void> {
  const { count, stride, half, scale, accIn, accOut, total, incremental, value } = e;
  const notMembers = e.full;
  const checkEvery = 1 << 12;
  accIn.fill(0);
  accOut.fill(0);
  total.fill(0);
  e.exact = valueScale === 1;
  e.absSum = 0;
  incremental?.reset();
  let stepValue = 0;
  let mask = 0;
  let size = 0;
  for (let g = 0; g < count; g++) {
    if (g > 0) {
      // Gray code: coalition g ^ (g >> 1) differs from the previous one in bit ctz(g).
      const bit = 31 - Math.clz32(g & -g);
      mask ^= 1 << bit;
      const joined = ((mask >>> bit) & 1) === 1;
      size += joined ? 1 : -1;
      if (incremental) stepValue = incrementalValue(e, bit, joined, mask);
      if ((g & (checkEvery - 1)) === 0) {
        yield;
        if (run.shouldStop()) break;
        run.progress({ phase: 'enumerate', fraction: g / count, iterations: g });
      }
    }
    // v(empty) = 0 by convention (GameModel): the empty coalition is not evaluated.
    let u = mask === 0 ? 0 : incremental ? stepValue : value(mask);
    if (scale !== 1) {
      u *= scale;
      const r = Math.round(u);
      if (Math.abs(u - r) <= 1e-9 * Math.max(1, Math.abs(u))) u = r;
    }
    const a = u < 0 ? -u : u;
    if (a > e.maxAbs) e.maxAbs = a;
    u *= valueScale;
    if (e.exact && u !== Math.floor(u)) e.exact = false;
    e.absSum += a;
    total[size]! += u;
    if (size <= half) {
      for (let m = mask; m !== 0; m &= m - 1) accIn[(31 - Math.clz32(m & -m)) * stride + size]! += u;
    } else {
      for (let m = ~mask & notMembers; m !== 0; m &= m - 1) accOut[(31 - Math.clz32(m & -m)) * stride + size]! += u;
    }
  }
}

function overflowed(e: Enumeration): boolean {
  for (let k = 0; k < e.total.length; k++) if (!Number.isFinite(e.total[k]!)) return true;
  for (let k = 0; k < e.accIn.length; k++) if (!Number.isFinite(e.accIn[k]!) || !Number.isFinite(e.accOut[k]!)) return true;
  return false;
}

/** A_i(s), the sum over coalitions of size s containing i; B_i(s) = T(s) - A_i(s). */
function inSum(e: Enumeration, i: number, s: number): number {
  return s <= e.half ? e.accIn[i * e.stride + s]! : e.total[s]! - e.accOut[i * e.stride + s]!;
}

/** Shapley and Banzhaf values from the sums; a ModelError when they leave the float64 range. */
function playerValues(e: Enumeration, valueScale: number): { shapley: Float64Array; banzhaf: Float64Array } {
  const { n, total, scale } = e;
  const weight = new Float64Array(n); // w(s) = 1 / (n * C(n-1, s))
  let binom = 1;
  for (let s = 0; s < n; s++) {
    weight[s] = 1 / (n * binom);
    binom = (binom * (n - 1 - s)) / (s + 1);
  }
  const shapley = new Float64Array(n);
  const banzhaf = new Float64Array(n);
  const twoPow = 2 ** (n - 1);
  for (let i = 0; i < n; i++) {
    let phi = 0;
    let beta = 0;
    for (let s = 0; s <= n; s++) {
      const a = inSum(e, i, s);
      const b = total[s]! - a;
      if (s >= 1) phi += weight[s - 1]! * a;
      if (s <= n - 1) phi -= weight[s]! * b;
      beta += a - b;
    }
    shapley[i] = phi / scale / valueScale;
    banzhaf[i] = beta / twoPow / scale / valueScale;
    if (!Number.isFinite(shapley[i]!) || !Number.isFinite(banzhaf[i]!)) {
      throw new ModelError(`game values (player ${e.game.players[i]})`, `the Shapley/Banzhaf value exceeds the float64 range (coalition values up to ${e.maxAbs.toExponential(3)}); rescale the game`);
    }
  }
  return { shapley, banzhaf };
}

/** Exact fractions over n! (Shapley) and 2^(n-1) (Banzhaf) when every accumulator is an exact integer. */
function exactFractions(e: Enumeration): { shapley: string[]; banzhaf: string[] } | undefined {
  const { n, total, scale } = e;
  if (!(e.exact && e.absSum <= Number.MAX_SAFE_INTEGER && Number.isInteger(scale))) return undefined;
  const fact = Array.from({ length: n + 1 }, (_, k) => factorial(k));
  const den = fact[n]! * BigInt(scale);
  const bden = (1n << BigInt(n - 1)) * BigInt(scale);
  const shapley: string[] = [];
  const banzhaf: string[] = [];
  for (let i = 0; i < n; i++) {
    let num = 0n;
    let bnum = 0n;
    for (let s = 0; s <= n; s++) {
      const a = BigInt(inSum(e, i, s));
      const b = BigInt(total[s]!) - a;
      if (s >= 1) num += a * fact[s - 1]! * fact[n - s]!;
      if (s <= n - 1) num -= b * fact[s]! * fact[n - s - 1]!;
      bnum += a - b;
    }
    shapley.push(fractionString(num, den));
    banzhaf.push(fractionString(bnum, bden));
  }
  return { shapley, banzhaf };
}

function exactResult(e: Enumeration, valueScale: number, run: SolveRun): Result<ShapleySolution> {
  const { n, count } = e;
  const { shapley, banzhaf } = playerValues(e, valueScale);
  const fractions = exactFractions(e);
  const grandValue = n === 0 ? 0 : e.value(e.full);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += shapley[i]!;
  const solution: ShapleySolution = {
    concept: 'shapley',
    players: e.game.players,
    values: shapley,
    grandValue,
    banzhaf,
    evaluations: count,
    ...(fractions ? { exact: fractions.shapley, banzhafExact: fractions.banzhaf } : {}),
  };
  return run.solved({
    solution,
    objective: sum,
    proven: true,
    guarantee: { kind: 'exact' },
    iterations: count,
    stats: { players: n, coalitions: count, exactRational: fractions !== undefined },
  });
}
