import { ModelError, runSteps, runStepsAsync, SolveRun, maskMembers, type GameModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { checkGame, coalitionName, maskEvaluator } from './evaluate.js';
import { factorial, fractionString } from './rational.js';
import type { ShapleySolution } from './types.js';

export interface ExactShapleyOptions extends SolveOptions {
  /**
   * Values are multiples of 1/denominator (e.g. 100 for cents). Exact fractions are
   * reported when every v(S) x denominator is an integer (default 1: integer games).
   */
  denominator?: number;
  /**
   * An incremental characteristic function: the enumeration walks the coalitions in
   * Gray-code order, so each step adds or removes exactly one player, and `toggle`
   * returns v of the new coalition (e.g. updating a running sum instead of recomputing
   * v from scratch). `reset` is called once first: the coalition is then empty. The
   * game's own value function is still used for v(N) and error messages.
   */
  incremental?: IncrementalValue;
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
export function shapleyExact(game: GameModel, options: ExactShapleyOptions = {}): Result<ShapleySolution> {
  const run = new SolveRun(options, 'shapley:exact', 'max');
  return runSteps(exactSteps(game, options, run));
}

/** `shapleyExact` yielding to the event loop every 10 ms (the registry's in-thread solve). */
export function shapleyExactAsync(game: GameModel, options: ExactShapleyOptions = {}): Promise<Result<ShapleySolution>> {
  const run = new SolveRun(options, 'shapley:exact', 'max');
  return runStepsAsync(exactSteps(game, options, run), run);
}

/** The enumeration as steps: a checkpoint every 2^12 coalitions (see core's runSteps). */
function* exactSteps(game: GameModel, options: ExactShapleyOptions, run: SolveRun): Steps<Result<ShapleySolution>> {
  checkGame(game);
  const n = game.n;
  if (n > MAX_EXACT_PLAYERS) {
    throw new ModelError('game.players', `exact Shapley enumerates 2^n coalitions and takes at most ${MAX_EXACT_PLAYERS} players, got ${n}; use method 'sampling'`);
  }
  const scale = options.denominator ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) throw new ModelError('options.denominator', `must be a positive number, got ${String(scale)}`);
  const value = maskEvaluator(game);
  const incremental = options.incremental;
  if (incremental !== undefined && (typeof incremental.reset !== 'function' || typeof incremental.toggle !== 'function')) {
    throw new ModelError('options.incremental', 'must have reset() and toggle(player, joined) methods');
  }
  const stride = n + 1;
  const accIn = new Float64Array(n * stride); // sum of v(S) over S of size s containing i (small S)
  const accOut = new Float64Array(n * stride); // sum of v(S) over S of size s not containing i (large S)
  const total = new Float64Array(stride);
  const half = n / 2;
  const full = n === 0 ? 0 : (2 ** n - 1) | 0;
  let exact = true;
  let absSum = 0;
  let maxAbs = 0;
  const count = 2 ** n;
  const checkEvery = 1 << 12;
  /** One pass over the 2^n coalitions, every value multiplied by `valueScale` (a power of two). */
  const enumerate = function* (valueScale: number): Steps<void> {
    accIn.fill(0);
    accOut.fill(0);
    total.fill(0);
    exact = valueScale === 1;
    absSum = 0;
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
        if (incremental) {
          stepValue = incremental.toggle(bit, joined);
          if (typeof stepValue !== 'number' || !Number.isFinite(stepValue)) {
            throw new ModelError(`incremental value(${coalitionName(game, maskMembers(mask, n))})`, `must be a finite number, got ${String(stepValue)}`);
          }
        }
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
      if (a > maxAbs) maxAbs = a;
      u *= valueScale;
      if (exact && u !== Math.floor(u)) exact = false;
      absSum += a;
      total[size]! += u;
      if (size <= half) {
        for (let m = mask; m !== 0; m &= m - 1) accIn[(31 - Math.clz32(m & -m)) * stride + size]! += u;
      } else {
        for (let m = ~mask & full; m !== 0; m &= m - 1) accOut[(31 - Math.clz32(m & -m)) * stride + size]! += u;
      }
    }
  };
  yield* enumerate(1);
  // Values near the float64 limit overflow the sums over 2^n coalitions (the values came
  // back NaN, called optimal): scale them down by a power of two (exact) and enumerate again.
  let valueScale = 1;
  let overflow = false;
  for (let k = 0; k < total.length && !overflow; k++) if (!Number.isFinite(total[k]!)) overflow = true;
  for (let k = 0; k < accIn.length && !overflow; k++) if (!Number.isFinite(accIn[k]!) || !Number.isFinite(accOut[k]!)) overflow = true;
  if (overflow && run.stoppedBy() === 'converged') {
    valueScale = 2 ** -(Math.ceil(Math.log2(maxAbs)) + n + 1);
    yield* enumerate(valueScale);
  }
  if (run.stoppedBy() !== 'converged') {
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: { players: n, coalitions: count } });
  }
  // With A_i(s) known for every s, B_i(s) = T(s) - A_i(s).
  const inSum = (i: number, s: number): number => (s <= half ? accIn[i * stride + s]! : total[s]! - accOut[i * stride + s]!);
  const weight = new Float64Array(n); // w(s) = 1 / (n * C(n-1, s))
  {
    let binom = 1;
    for (let s = 0; s < n; s++) {
      weight[s] = 1 / (n * binom);
      binom = (binom * (n - 1 - s)) / (s + 1);
    }
  }
  const shapley = new Float64Array(n);
  const banzhaf = new Float64Array(n);
  const twoPow = 2 ** (n - 1);
  for (let i = 0; i < n; i++) {
    let phi = 0;
    let beta = 0;
    for (let s = 0; s <= n; s++) {
      const a = inSum(i, s);
      const b = total[s]! - a;
      if (s >= 1) phi += weight[s - 1]! * a;
      if (s <= n - 1) phi -= weight[s]! * b;
      beta += a - b;
    }
    shapley[i] = phi / scale / valueScale;
    banzhaf[i] = beta / twoPow / scale / valueScale;
    if (!Number.isFinite(shapley[i]!) || !Number.isFinite(banzhaf[i]!)) {
      throw new ModelError(`game values (player ${game.players[i]})`, `the Shapley/Banzhaf value exceeds the float64 range (coalition values up to ${maxAbs.toExponential(3)}); rescale the game`);
    }
  }
  exact = exact && absSum <= Number.MAX_SAFE_INTEGER;
  let shapleyExactValues: string[] | undefined;
  let banzhafExactValues: string[] | undefined;
  if (exact && Number.isInteger(scale)) {
    const fact = Array.from({ length: n + 1 }, (_, k) => factorial(k));
    const den = fact[n]! * BigInt(scale);
    {
      shapleyExactValues = [];
      banzhafExactValues = [];
      const bden = (1n << BigInt(n - 1)) * BigInt(scale);
      for (let i = 0; i < n; i++) {
        let num = 0n;
        let bnum = 0n;
        for (let s = 0; s <= n; s++) {
          const a = BigInt(inSum(i, s));
          const b = BigInt(total[s]!) - a;
          if (s >= 1) num += a * fact[s - 1]! * fact[n - s]!;
          if (s <= n - 1) num -= b * fact[s]! * fact[n - s - 1]!;
          bnum += a - b;
        }
        shapleyExactValues.push(fractionString(num, den));
        banzhafExactValues.push(fractionString(bnum, bden));
      }
    }
  }
  const grandValue = n === 0 ? 0 : value(full);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += shapley[i]!;
  const solution: ShapleySolution = {
    concept: 'shapley',
    players: game.players,
    values: shapley,
    grandValue,
    banzhaf,
    evaluations: count,
    ...(shapleyExactValues ? { exact: shapleyExactValues, banzhafExact: banzhafExactValues } : {}),
  };
  return run.solved({
    solution,
    objective: sum,
    proven: true,
    guarantee: { kind: 'exact' },
    iterations: count,
    stats: { players: n, coalitions: count, exactRational: shapleyExactValues !== undefined },
  });
}
