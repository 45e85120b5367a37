import { ModelError, checkMemory, runSteps, votingWeights, weightedVotingGame, type GameModel, type Steps } from '@emplace/core';
import { factorial, fractionString } from './rational.js';

export interface WeightedVotingInput {
  /** Player names, or their number. */
  players: number | readonly string[];
  /** Non-negative integer weight per player. */
  weights: ArrayLike<number>;
  /** A coalition wins when its total weight is at least the quota (> 0). */
  quota: number;
}

/** Most players the size-by-weight dynamic programme takes (counts up to C(n, k) must stay finite). */
export const MAX_VOTING_PLAYERS = 1000;

/**
 * Validated integer weights and quota; errors name the player. Decimal weights (up to 6
 * decimals, e.g. population shares 12.5) are scaled by the smallest power of ten that
 * makes them integers, with the quota scaled alike, which leaves the game unchanged.
 */
export function checkVotingInput(weights: ArrayLike<number>, quota: number, players?: readonly string[]): { w: Int32Array; q: number; total: number; scale: number } {
  return votingWeights(weights, quota, players);
}

/**
 * A weighted voting game [quota; w_1, ..., w_n]: v(S) = 1 when the weights of S sum to at
 * least the quota, else 0. The structure lets `weightedVotingPower` compute the
 * Shapley-Shubik and Banzhaf indices in pseudo-polynomial time; the game is data, so it
 * can be sent to a solver worker.
 */
export function createWeightedVotingGame(input: WeightedVotingInput): GameModel {
  if (input === null || typeof input !== 'object') throw new ModelError('game', 'must be { players, weights, quota }');
  return weightedVotingGame(input.players, input.weights, input.quota);
}

export interface VotingPower {
  /** Shapley-Shubik index per player (sums to 1 when the grand coalition wins); NaN with `shapleyShubik: false`. */
  shapleyShubik: Float64Array;
  /** Raw Banzhaf index: swings / 2^(n-1), the probability of being decisive. */
  banzhaf: Float64Array;
  /** Normalised Banzhaf index: swings / total swings. */
  banzhafIndex: Float64Array;
  /** Number of coalitions of the others for which the player is decisive. */
  swings: Float64Array;
  /** Exact fractions (n <= 53, where every count is an exact integer in a double). */
  shapleyShubikExact?: string[];
  banzhafExact?: string[];
  banzhafIndexExact?: string[];
  /** Cells of the dynamic programme (its time and memory). */
  cells: number;
}

export interface VotingPowerOptions {
  /** False: Banzhaf alone, O(n q) (no size dimension). Default true. */
  shapleyShubik?: boolean | undefined;
  /** Polled in the outer loops; true stops the programme (the result is then undefined). */
  shouldStop?: (() => boolean) | undefined;
  /** Memory budget of the DP table (core's size guard). */
  maxMemoryBytes?: number | undefined;
}

/**
 * Shapley-Shubik and Banzhaf indices of [quota; weights] by dynamic programming.
 *
 * Forward pass: c_k(w) = number of k-player coalitions of N with weight w, for sizes
 * k <= (n-1)/2 and weights up to max(q - 1, W - q) only (larger coalitions are counted
 * through their complements), each row restricted to the weights k players can have;
 * O(n * cells). Per player i the counts h_k(w) of coalitions of N \ {i} follow
 * from c_k(w) = h_k(w) + h_{k-1}(w - w_i); the count of swing coalitions of size k,
 * those with weight in [q - w_i, q - 1], unrolls to an alternating sum of
 * ceil(q / w_i) window sums of c, each O(1) from prefix sums. Players with equal weight
 * share the work. Shapley-Shubik: phi_i = sum_k h_k(window) k! (n-1-k)! / n!.
 *
 * `shapleyShubik: false` skips the size dimension: O(n q) for Banzhaf alone.
 */
export function weightedVotingPower(weights: ArrayLike<number>, quota: number, options: VotingPowerOptions = {}): VotingPower | undefined {
  return runSteps(votingPowerSteps(weights, quota, options));
}

/** The programme as steps: a checkpoint per player in the forward pass and per distinct weight after it. */
export function* votingPowerSteps(weights: ArrayLike<number>, quota: number, options: VotingPowerOptions = {}): Steps<VotingPower | undefined> {
  const dp = planTable(weights, quota, options);
  const shouldStop = options.shouldStop ?? (() => false);
  if (!(yield* forwardPass(dp, shouldStop))) return undefined;
  prefixSums(dp);
  const perPlayer = yield* playerCounts(dp, shouldStop);
  if (!perPlayer) return undefined;
  return votingPower(dp, perPlayer);
}

/** The DP table: rows by coalition size (one row without sizes), each a window of weights. */
interface VotingTable {
  readonly n: number;
  readonly w: Int32Array;
  readonly q: number;
  readonly total: number;
  readonly withSize: boolean;
  /** Weights in ascending order. */
  readonly sorted: Int32Array;
  /** Largest row (coalition size) kept. */
  readonly R: number;
  readonly rows: number;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** Start of each row in `c`. */
  readonly offset: Int32Array;
  readonly cells: number;
  /** c_k(x): counts, then prefix sums P_k(x). */
  readonly c: Float64Array;
}

function planTable(weights: ArrayLike<number>, quota: number, options: VotingPowerOptions): VotingTable {
  const { w, q, total } = votingWeights(weights, quota);
  const n = w.length;
  if (n > MAX_VOTING_PLAYERS) throw new ModelError('weights', `the dynamic programme takes at most ${MAX_VOTING_PLAYERS} players, got ${n}; use sampling`);
  const withSize = options.shapleyShubik !== false;
  // Swing coalitions of i have weight in [q - w_i, q - 1]; their complements in N \ {i}
  // weigh [W - q - w_i + 1, W - q]. Counting large coalitions through their (small)
  // complements keeps every row used of size <= (n-1)/2, where the alternating sums
  // below stay well conditioned, and halves the rows; weights up to max(q-1, W-q) matter.
  const cap = Math.max(q - 1, total - q, 0);
  const sorted = Int32Array.from(w).sort();
  const R = withSize ? (n - 1) >> 1 : 0;
  const rows = R + 1;
  const lo = new Int32Array(rows);
  const hi = new Int32Array(rows);
  if (withSize) {
    let small = 0;
    let large = 0;
    for (let k = 0; k <= R; k++) {
      if (k > 0) {
        small += sorted[k - 1]!;
        large += sorted[n - k]!;
      }
      lo[k] = Math.min(small, cap + 1); // lo > hi marks an empty row
      hi[k] = Math.min(large, cap);
    }
  } else {
    hi[0] = cap;
  }
  const offset = new Int32Array(rows + 1);
  let cells = 0;
  for (let k = 0; k < rows; k++) {
    cells += Math.max(0, hi[k]! - lo[k]! + 1);
    if (cells > 4e8) throw new ModelError('weights', `need more than 4e8 DP cells (quota ${q}, ${n} players): too large; scale the weights down or use sampling`);
    offset[k + 1] = cells;
  }
  checkMemory(withSize ? 'shapley:weighted-voting' : 'banzhaf:weighted-voting', `a ${rows} x ${cap + 1} size-by-weight table (${cells} cells)`, cells * 8, options);
  const c = new Float64Array(cells);
  c[0] = 1; // the empty coalition, weight 0, size 0
  return { n, w, q, total, withSize, sorted, R, rows, lo, hi, offset, cells, c };
}

/** c_k(x) += c_{k-1}(x - w_j) for each player j; false when stopped. */
function* forwardPass(dp: VotingTable, shouldStop: () => boolean): Steps<boolean> {
  const { n, sorted, R, lo, hi, offset, c } = dp;
  if (!dp.withSize) {
    const cap = hi[0]!;
    for (let j = 0; j < n; j++) {
      if ((j & 7) === 0) {
        yield;
        if (shouldStop()) return false;
      }
      const wj = dp.w[j]!;
      for (let x = cap; x >= wj; x--) c[x]! += c[x - wj]!;
    }
    return true;
  }
  // Players in ascending weight: after j of them, k-player coalitions weigh at most the
  // k largest so far, which keeps the early rows short.
  for (let j = 0; j < n; j++) {
    yield;
    if (shouldStop()) return false;
    const wj = sorted[j]!;
    // The processed players are sorted[0..j]; the k heaviest are sorted[j-k+1..j].
    let sumTop = 0;
    for (let k = 1; k <= Math.min(j + 1, R); k++) sumTop += sorted[j - k + 1]!;
    for (let k = Math.min(j + 1, R); k >= 1; k--) {
      const from = Math.max(lo[k]!, lo[k - 1]! + wj);
      const to = Math.min(hi[k]!, hi[k - 1]! + wj, sumTop);
      sumTop -= sorted[j - k + 1]!;
      if (from > to) continue;
      const dst = offset[k]! - lo[k]!;
      const src = offset[k - 1]! - lo[k - 1]! - wj;
      for (let x = to; x >= from; x--) c[dst + x]! += c[src + x]!;
    }
  }
  return true;
}

/** In place: c becomes P_k(x) = sum_{y <= x} c_k(y). */
function prefixSums(dp: VotingTable): void {
  const { c, offset } = dp;
  for (let k = 0; k < dp.rows; k++) {
    const b = offset[k + 1]!;
    for (let t = offset[k]! + 1; t < b; t++) c[t]! += c[t - 1]!;
  }
}

/** Number of coalitions of size k (any size without sizes) of N with weight in [a, b]. */
function windowCount(dp: VotingTable, k: number, a: number, b: number): number {
  const l = dp.lo[k]!;
  const h = dp.hi[k]!;
  if (a < l) a = l;
  if (b > h) b = h;
  if (a > b) return 0;
  const base = dp.offset[k]! - l;
  return dp.c[base + b]! - (a > l ? dp.c[base + a - 1]! : 0);
}

/**
 * Coalitions of N \ {i} of size k with weight in [a, b]: from c_k(x) = h_k(x) +
 * h_{k-1}(x - w_i), h_k([a, b]) = sum_m (-1)^m c_{k-m}([a, b] - m w_i).
 */
function othersCount(dp: VotingTable, wi: number, k: number, a: number, b: number): number {
  let sum = 0;
  let sign = 1;
  for (let m = 0; ; m++) {
    const bm = b - m * wi;
    if (bm < 0) break;
    const row = dp.withSize ? k - m : 0;
    if (row < 0) break;
    sum += sign * windowCount(dp, row, a - m * wi, bm);
    sign = -sign;
    if (wi === 0) break;
  }
  return sum;
}

/** Swing coalitions of a player of weight wi, by the size of the coalition of the others. */
function swingsBySize(dp: VotingTable, wi: number, out: Float64Array): void {
  const { n, q, R, total } = dp;
  out.fill(0);
  if (wi === 0) return;
  if (!dp.withSize) {
    out[0] = othersCount(dp, wi, 0, q - wi, q - 1);
    return;
  }
  for (let k = 0; k <= n - 1; k++) {
    out[k] = k <= R ? othersCount(dp, wi, k, q - wi, q - 1) : othersCount(dp, wi, n - 1 - k, total - q - wi + 1, total - q);
  }
}

interface PlayerCounts {
  shapleyShubik: Float64Array;
  swings: Float64Array;
  ssExact: (string | undefined)[];
}

/** Swings and Shapley-Shubik value per player (players of equal weight computed once); undefined when stopped. */
function* playerCounts(dp: VotingTable, shouldStop: () => boolean): Steps<PlayerCounts | undefined> {
  const { n, w, withSize } = dp;
  const ssWeight = new Float64Array(n); // k!(n-1-k)!/n! = 1 / (n C(n-1, k))
  let binom = 1;
  for (let k = 0; k < n; k++) {
    ssWeight[k] = 1 / (n * binom);
    binom = (binom * (n - 1 - k)) / (k + 1);
  }
  const out: PlayerCounts = { shapleyShubik: new Float64Array(n), swings: new Float64Array(n), ssExact: new Array(n) };
  const exactOk = n <= 53 && withSize;
  const bySize = new Float64Array(n);
  const done = new Map<number, { ss: number; sw: number; exact?: string }>();
  const fact = exactOk ? Array.from({ length: n + 1 }, (_, k) => factorial(k)) : [];
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    let entry = done.get(wi);
    if (!entry) {
      yield;
      if (shouldStop()) return undefined;
      swingsBySize(dp, wi, bySize);
      let ss = 0;
      let sw = 0;
      let num = 0n;
      const maxK = withSize ? n - 1 : 0;
      for (let k = 0; k <= maxK; k++) {
        const h = Math.round(bySize[k]!); // exact integers up to n = 53; rounding removes drift beyond
        sw += h;
        ss += h * ssWeight[k]!;
        if (exactOk && h !== 0) num += BigInt(h) * fact[k]! * fact[n - 1 - k]!;
      }
      entry = { ss, sw, ...(exactOk ? { exact: fractionString(num, fact[n]!) } : {}) };
      done.set(wi, entry);
    }
    out.shapleyShubik[i] = withSize ? entry.ss : NaN;
    out.swings[i] = entry.sw;
    out.ssExact[i] = entry.exact;
  }
  return out;
}

/** Banzhaf values and indices from the swings, and the exact fractions where counts are exact. */
function votingPower(dp: VotingTable, counts: PlayerCounts): VotingPower {
  const { n } = dp;
  const { shapleyShubik, swings } = counts;
  const banzhaf = new Float64Array(n);
  const banzhafIndex = new Float64Array(n);
  let totalSwings = 0;
  for (let i = 0; i < n; i++) totalSwings += swings[i]!;
  const twoPow = 2 ** (n - 1);
  for (let i = 0; i < n; i++) {
    banzhaf[i] = swings[i]! / twoPow;
    banzhafIndex[i] = totalSwings > 0 ? swings[i]! / totalSwings : 0;
  }
  const result: VotingPower = { shapleyShubik, banzhaf, banzhafIndex, swings, cells: dp.cells };
  if (n <= 53) {
    if (dp.withSize) result.shapleyShubikExact = counts.ssExact as string[];
    const bigTotal = BigInt(totalSwings);
    result.banzhafExact = Array.from(swings, (s) => fractionString(BigInt(s), 1n << BigInt(n - 1)));
    result.banzhafIndexExact = Array.from(swings, (s) => (bigTotal > 0n ? fractionString(BigInt(s), bigTotal) : '0'));
  }
  return result;
}
