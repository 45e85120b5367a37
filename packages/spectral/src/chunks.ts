import type { Steps } from '@emplace/core';

/** What chunked work checks between chunks: a SolveRun, or nothing (never yields, never stops). */
export interface Checkpoints {
  /** True when the work has run for a full yield interval since the event loop last had a turn. */
  needsYield(): boolean;
  /** True once the time limit has passed or the signal aborted. */
  shouldStop(): boolean;
}

/**
 * Calls `body(from, to)` over [0, n) in ranges of `chunk` items, with a checkpoint between
 * ranges: a yield (so `runStepsAsync` gives the event loop its turn) when the run wants
 * one, and a stop test. The hot loop stays in `body`, a plain function (V8 optimises
 * those better than generator bodies). Returns false when the run stopped before the end:
 * setup phases (Laplacian build, components, orderings) have no partial answer, so the
 * caller gives up and reports that there is no solution.
 */
export function* chunkedSteps(n: number, chunk: number, body: (from: number, to: number) => void, cp?: Checkpoints): Steps<boolean> {
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    body(from, to);
    if (to < n && cp) {
      if (cp.needsYield()) yield;
      if (cp.shouldStop()) return false;
    }
  }
  return true;
}

/**
 * The checkpoints of work whose result must be complete (the quality of a cut about to be
 * returned, a vector being filled): they yield when the run wants the event loop, never stop.
 */
export function yieldOnly(cp?: Checkpoints): Checkpoints | undefined {
  return cp ? { needsYield: () => cp.needsYield(), shouldStop: () => false } : undefined;
}

/**
 * `chunkedSteps` over the rows of a CSR (row i holds entries offsets[i]..offsets[i + 1]), a
 * range of rows per chunk holding about `entries` stored entries (one row at least, `entries`
 * rows at most). rowsPerChunk's average row length made the first chunk of the sweep's
 * power-law graph (its hubs come first) 970,000 entries, 15 times the target: one 16-26 ms
 * stretch of each pass over it (issue 13, partition:spectral --scale 2).
 */
export function* csrChunkedSteps(offsets: Int32Array, n: number, body: (from: number, to: number) => void, cp?: Checkpoints, entries = 1 << 16): Steps<boolean> {
  for (let from = 0; from < n; ) {
    // The last row end within `entries` of this chunk's start (binary search on the offsets).
    const limit = offsets[from]! + entries;
    let lo = from + 1;
    let hi = Math.min(n, from + entries);
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (offsets[mid]! <= limit) lo = mid;
      else hi = mid - 1;
    }
    const to = lo;
    body(from, to);
    if (to < n && cp) {
      if (cp.needsYield()) yield;
      if (cp.shouldStop()) return false;
    }
    from = to;
  }
  return true;
}

/**
 * `dst` filled with src[0, dst.length) in chunks: a plain `slice` of a CSR of a million
 * edges copies tens of MB in one stretch. False when the run stops first.
 */
export function* copyPrefixSteps<T extends Int32Array | Float64Array>(src: T, dst: T, cp?: Checkpoints): Steps<boolean> {
  return yield* chunkedSteps(dst.length, 1 << 16, (from, to) => dst.set(src.subarray(from, to), from), cp);
}

/** A checkpoint between phases: yields when the run wants it; true when the run stops. */
export function* stopAt(cp?: Checkpoints): Steps<boolean> {
  if (!cp) return false;
  if (cp.needsYield()) yield;
  return cp.shouldStop();
}

/**
 * Rows of a CSR matrix per chunk so that a chunk touches about `entries` stored entries:
 * with the average row length (rows are not visited twice, so long rows only make one
 * chunk longer).
 */
export function rowsPerChunk(rows: number, stored: number, entries = 1 << 16): number {
  return Math.max(64, Math.floor(entries / Math.max(1, stored / Math.max(1, rows))));
}
