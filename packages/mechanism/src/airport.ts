import { ModelError, airportGame, runSteps, type GameModel, type Steps } from '@emplace/core';

export interface AirportInput {
  players: number | readonly string[];
  /** Cost of the facility (runway length, link capacity...) each player needs; non-negative. */
  costs: ArrayLike<number>;
}

/**
 * The airport game (Littlechild and Owen 1973): player i needs a facility of cost c_i and
 * a coalition pays for the largest one it needs, c(S) = max_{i in S} c_i. A cost game;
 * it is data, so it can be sent to a solver worker.
 */
export function createAirportGame(input: AirportInput): GameModel {
  if (input === null || typeof input !== 'object') throw new ModelError('game', 'must be { players, costs }');
  return airportGame(input.players, input.costs);
}

/**
 * Shapley value of the airport game in closed form, O(n log n): sort the costs
 * c_(1) <= ... <= c_(n); the increment c_(k) - c_(k-1) is shared equally by the
 * n - k + 1 players who need at least c_(k), so the player of rank j pays
 * sum_{k <= j} (c_(k) - c_(k-1)) / (n - k + 1).
 */
export function airportShapley(costs: ArrayLike<number>): Float64Array {
  return runSteps(airportShapleySteps(costs, () => false))!;
}

/** Players looked up (or costs sorted or merged) between two checkpoints of airportShapleySteps: well under a millisecond warm, a few in cold code. */
export const AIRPORT_LOOKUP_CHUNK = 4096;

/**
 * airportShapley as steps: checkpoints in the sort (see sortSteps), every AIRPORT_LOOKUP_CHUNK
 * players of the prefix sums and of the final lookup (200k players took 70-90 ms in one
 * stretch, over the 50 ms abort target of issue 13). Null when `stop()` says so at a checkpoint.
 */
export function* airportShapleySteps(costs: ArrayLike<number>, stop: () => boolean): Steps<Float64Array | null> {
  const n = costs.length;
  // Tied players share the same value, so each player's is read at the first rank of its cost.
  const sorted = yield* sortSteps(Float64Array.from(costs), stop);
  if (sorted === null) return null;
  const prefix = new Float64Array(n);
  let share = 0;
  let prev = 0;
  for (let start = 0; start < n; start += AIRPORT_LOOKUP_CHUNK) {
    yield;
    if (stop()) return null;
    const end = Math.min(n, start + AIRPORT_LOOKUP_CHUNK);
    for (let k = start; k < end; k++) {
      const c = sorted[k]!;
      share += (c - prev) / (n - k);
      prev = c;
      prefix[k] = share;
    }
  }
  const out = new Float64Array(n);
  for (let start = 0; start < n; start += AIRPORT_LOOKUP_CHUNK) {
    yield;
    if (stop()) return null;
    const end = Math.min(n, start + AIRPORT_LOOKUP_CHUNK);
    for (let i = start; i < end; i++) out[i] = prefix[lowerBound(sorted, costs[i]!)]!;
  }
  return out;
}

/**
 * Ascending numeric sort in steps: runs of AIRPORT_LOOKUP_CHUNK costs sorted natively (no
 * comparator), then bottom-up merge passes with a checkpoint every
 * AIRPORT_LOOKUP_CHUNK elements written. One native sort of 200k costs was a 15-20 ms
 * stretch that grows as n log n. Null when `stop()` says so at a checkpoint.
 */
export function* sortSteps(values: Float64Array, stop: () => boolean): Steps<Float64Array | null> {
  const n = values.length;
  const run = AIRPORT_LOOKUP_CHUNK;
  for (let s = 0; s < n; s += run) {
    values.subarray(s, Math.min(n, s + run)).sort();
    yield;
    if (stop()) return null;
  }
  let src: Float64Array = values;
  let dst: Float64Array = new Float64Array(n);
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; ) {
        const stepEnd = Math.min(hi, k + run);
        while (k < stepEnd) dst[k++] = j >= hi || (i < mid && src[i]! <= src[j]!) ? src[i++]! : src[j++]!;
        yield;
        if (stop()) return null;
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** First index of `sorted` holding a value >= x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
