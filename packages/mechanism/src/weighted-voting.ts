import { ModelError, createGame, describe, type GameModel } from '@emplace/core';
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
  const n = weights.length;
  if (n === 0) throw new ModelError('weights', 'must not be empty');
  if (players && players.length !== n) throw new ModelError('weights', `has ${n} entries for ${players.length} players`);
  for (let i = 0; i < n; i++) {
    const x = weights[i];
    const name = players ? `weights[${i}] (${players[i]})` : `weights[${i}]`;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      throw new ModelError(name, `must be a finite non-negative number, got ${describe(x)}`);
    }
  }
  if (typeof quota !== 'number' || !Number.isFinite(quota) || quota <= 0) throw new ModelError('quota', `must be a positive finite number, got ${describe(quota)}`);
  let scale = 1;
  const isInt = (v: number) => Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, Math.abs(v));
  while (scale <= 1e6) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) if (!isInt(weights[i]! * scale)) ok = false;
    if (ok) break;
    scale *= 10;
  }
  if (scale > 1e6) {
    const bad = Array.from({ length: n }, (_, i) => i).find((i) => !isInt(weights[i]! * 1e6))!;
    throw new ModelError(players ? `weights[${bad}] (${players[bad]})` : `weights[${bad}]`, `must be an integer or have at most 6 decimals, got ${weights[bad]}`);
  }
  const w = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.round(weights[i]! * scale);
    if (x > 1e8) throw new ModelError(players ? `weights[${i}] (${players[i]})` : `weights[${i}]`, `must be at most 1e8 after scaling to integers, got ${x}`);
    w[i] = x;
    total += x;
  }
  // Integer weights: w(S) >= quota iff w(S) >= ceil(quota).
  return { w, q: Math.ceil(quota * scale - 1e-9), total, scale };
}

/**
 * A weighted voting game [quota; w_1, ..., w_n]: v(S) = 1 when the weights of S sum to at
 * least the quota, else 0. The structure lets `weightedVotingPower` compute the
 * Shapley-Shubik and Banzhaf indices in pseudo-polynomial time.
 */
export function createWeightedVotingGame(input: WeightedVotingInput): GameModel {
  const players = typeof input.players === 'number' ? Array.from({ length: input.players }, (_, i) => `p${i}`) : [...input.players];
  if (players.length === 0) throw new ModelError('players', 'must not be empty');
  const { w, q } = checkVotingInput(input.weights, input.quota, players);
  const n = players.length;
  // The structure keeps the caller's weights and quota; the DP rescales them itself.
  const structure = { type: 'weighted-voting' as const, weights: Float64Array.from(input.weights), quota: input.quota };
  if (n <= 30) {
    return createGame({
      players,
      value: {
        mask: (mask: number) => {
          let s = 0;
          for (let m = mask; m !== 0; m &= m - 1) s += w[31 - Math.clz32(m & -m)]!;
          return s >= q ? 1 : 0;
        },
      },
      structure,
    });
  }
  return createGame({
    players,
    value: (members) => {
      let s = 0;
      for (const i of members) s += w[i]!;
      return s >= q ? 1 : 0;
    },
    structure,
  });
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
export function weightedVotingPower(weights: ArrayLike<number>, quota: number, options: { shapleyShubik?: boolean; shouldStop?: () => boolean } = {}): VotingPower | undefined {
  const { w, q } = checkVotingInput(weights, quota);
  const n = w.length;
  if (n > MAX_VOTING_PLAYERS) throw new ModelError('weights', `the dynamic programme takes at most ${MAX_VOTING_PLAYERS} players, got ${n}; use sampling`);
  const withSize = options.shapleyShubik !== false;
  const shouldStop = options.shouldStop ?? (() => false);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
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
  let cellsF = 0;
  for (let k = 0; k < rows; k++) {
    cellsF += Math.max(0, hi[k]! - lo[k]! + 1);
    if (cellsF > 4e8) throw new ModelError('weights', `need more than 4e8 DP cells (quota ${q}, ${n} players): too large; scale the weights down or use sampling`);
    offset[k + 1] = cellsF;
  }
  const cells = cellsF;
  const c = new Float64Array(cells);
  c[0] = 1; // the empty coalition, weight 0, size 0
  if (withSize) {
    // Players in ascending weight: after j of them, k-player coalitions weigh at most the
    // k largest so far, which keeps the early rows short.
    let sumTop = 0; // weight of the k heaviest processed players, for the current k
    for (let j = 0; j < n; j++) {
      if ((j & 7) === 0 && shouldStop()) return undefined;
      const wj = sorted[j]!;
      // The processed players are sorted[0..j]; the k heaviest are sorted[j-k+1..j].
      sumTop = 0;
      for (let k = 1; k <= Math.min(j + 1, R); k++) sumTop += sorted[j - k + 1]!;
      for (let k = Math.min(j + 1, R); k >= 1; k--) {
        // c_k(x) += c_{k-1}(x - wj) for x in both rows' ranges.
        const from = Math.max(lo[k]!, lo[k - 1]! + wj);
        const to = Math.min(hi[k]!, hi[k - 1]! + wj, sumTop);
        sumTop -= sorted[j - k + 1]!;
        if (from > to) continue;
        const dst = offset[k]! - lo[k]!;
        const src = offset[k - 1]! - lo[k - 1]! - wj;
        for (let x = to; x >= from; x--) c[dst + x]! += c[src + x]!;
      }
    }
  } else {
    for (let j = 0; j < n; j++) {
      if ((j & 7) === 0 && shouldStop()) return undefined;
      const wj = w[j]!;
      for (let x = cap; x >= wj; x--) c[x]! += c[x - wj]!;
    }
  }
  // Prefix sums in place: c becomes P_k(x) = sum_{y <= x} c_k(y).
  for (let k = 0; k < rows; k++) {
    const a = offset[k]!;
    const b = offset[k + 1]!;
    for (let t = a + 1; t < b; t++) c[t]! += c[t - 1]!;
  }
  /** Number of coalitions of size k (any size when !withSize) of N with weight in [a, b]. */
  const windowCount = (k: number, a: number, b: number): number => {
    const l = lo[k]!;
    const h = hi[k]!;
    if (a < l) a = l;
    if (b > h) b = h;
    if (a > b) return 0;
    const base = offset[k]! - l;
    return c[base + b]! - (a > l ? c[base + a - 1]! : 0);
  };
  /**
   * Coalitions of N \ {i} of size k with weight in [a, b]: from c_k(x) = h_k(x) +
   * h_{k-1}(x - w_i), h_k([a, b]) = sum_m (-1)^m c_{k-m}([a, b] - m w_i).
   */
  const othersCount = (wi: number, k: number, a: number, b: number): number => {
    let sum = 0;
    let sign = 1;
    for (let m = 0; ; m++) {
      const bm = b - m * wi;
      if (bm < 0) break;
      const row = withSize ? k - m : 0;
      if (row < 0) break;
      sum += sign * windowCount(row, a - m * wi, bm);
      sign = -sign;
      if (wi === 0) break;
    }
    return sum;
  };
  const swingsBySize = (wi: number, out: Float64Array): void => {
    out.fill(0);
    if (wi === 0) return;
    if (!withSize) {
      out[0] = othersCount(wi, 0, q - wi, q - 1);
      return;
    }
    for (let k = 0; k <= n - 1; k++) {
      out[k] = k <= R
        ? othersCount(wi, k, q - wi, q - 1)
        : othersCount(wi, n - 1 - k, total - q - wi + 1, total - q);
    }
  };
  const ssWeight = new Float64Array(n); // k!(n-1-k)!/n! = 1 / (n C(n-1, k))
  {
    let binom = 1;
    for (let k = 0; k < n; k++) {
      ssWeight[k] = 1 / (n * binom);
      binom = (binom * (n - 1 - k)) / (k + 1);
    }
  }
  const shapleyShubik = new Float64Array(n);
  const swings = new Float64Array(n);
  const exactOk = n <= 53;
  const ssExact: (string | undefined)[] = new Array(n);
  const bySize = new Float64Array(n);
  const done = new Map<number, { ss: number; sw: number; exact?: string }>();
  const fact = exactOk && withSize ? Array.from({ length: n + 1 }, (_, k) => factorial(k)) : [];
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    let entry = done.get(wi);
    if (!entry) {
      if (shouldStop()) return undefined;
      swingsBySize(wi, bySize);
      let ss = 0;
      let sw = 0;
      let num = 0n;
      const maxK = withSize ? n - 1 : 0;
      for (let k = 0; k <= maxK; k++) {
        const h = Math.round(bySize[k]!); // exact integers up to n = 53; rounding removes drift beyond
        sw += h;
        ss += h * ssWeight[k]!;
        if (exactOk && withSize && h !== 0) num += BigInt(h) * fact[k]! * fact[n - 1 - k]!;
      }
      entry = { ss, sw, ...(exactOk && withSize ? { exact: fractionString(num, fact[n]!) } : {}) };
      done.set(wi, entry);
    }
    shapleyShubik[i] = withSize ? entry.ss : NaN;
    swings[i] = entry.sw;
    ssExact[i] = entry.exact;
  }
  const banzhaf = new Float64Array(n);
  const banzhafIndex = new Float64Array(n);
  let totalSwings = 0;
  for (let i = 0; i < n; i++) totalSwings += swings[i]!;
  const twoPow = 2 ** (n - 1);
  for (let i = 0; i < n; i++) {
    banzhaf[i] = swings[i]! / twoPow;
    banzhafIndex[i] = totalSwings > 0 ? swings[i]! / totalSwings : 0;
  }
  const result: VotingPower = { shapleyShubik, banzhaf, banzhafIndex, swings, cells };
  if (exactOk) {
    if (withSize) result.shapleyShubikExact = ssExact as string[];
    const bigTotal = BigInt(totalSwings);
    result.banzhafExact = Array.from(swings, (s) => fractionString(BigInt(s), 1n << BigInt(n - 1)));
    result.banzhafIndexExact = Array.from(swings, (s) => (bigTotal > 0n ? fractionString(BigInt(s), bigTotal) : '0'));
  }
  return result;
}
