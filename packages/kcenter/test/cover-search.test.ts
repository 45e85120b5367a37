import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, SolveRun } from '@emplace/core';
import { coverSearch, coverSearchAsync } from '../src/cover-search.js';
import type { CoverProblem } from '../src/cover.js';

/** A covering problem with n clients over m sites from a 0/1 incidence (row = client). */
function problem(m: number, rows: number[][]): CoverProblem {
  const start = new Int32Array(rows.length + 1);
  const adj: number[] = [];
  rows.forEach((r, c) => {
    adj.push(...r);
    start[c + 1] = adj.length;
  });
  return {
    r: 1,
    forced: [],
    sites: Int32Array.from({ length: m }, (_, s) => s),
    clients: Int32Array.from({ length: rows.length }, (_, c) => c),
    multiplicity: new Int32Array(rows.length).fill(1),
    start,
    adj: Int32Array.from(adj),
    openClients: rows.length,
    uncoverable: -1,
    lost: 0,
  };
}

function minCoverBrute(m: number, rows: number[][], subset: number[]): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << m; mask++) {
    if (subset.every((c) => rows[c]!.some((s) => (mask >> s) & 1))) {
      let bits = 0;
      for (let s = 0; s < m; s++) bits += (mask >> s) & 1;
      best = Math.min(best, bits);
    }
  }
  return best;
}

/** Issue 17: the depth-first covering decision of the exact p-center search, against brute force. */
describe('coverSearch', () => {
  it('answers "can K sites cover the subset" exactly, with a valid cover when yes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((m) =>
          fc.record({
            m: fc.constant(m),
            rows: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { minLength: 1, maxLength: m }), { minLength: 1, maxLength: 14 }),
            K: fc.integer({ min: 0, max: m }),
            pick: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
          }),
        ),
        ({ m, rows, K, pick }) => {
          const subset = rows.map((_, c) => c).filter((c) => pick[c] !== false);
          const cp = problem(m, rows);
          const ans = coverSearch(cp, subset, K, 1e7, () => false);
          expect(ans).not.toBeNull();
          const min = minCoverBrute(m, rows, subset);
          if (min <= K) {
            expect(ans!.sites).toBeDefined();
            expect(ans!.sites!.length).toBeLessThanOrEqual(K);
            const chosen = new Set(ans!.sites);
            for (const c of subset) expect(rows[c]!.some((s) => chosen.has(s))).toBe(true);
            expect(ans!.lowerBound).toBeLessThanOrEqual(K);
          } else {
            expect(ans!.sites).toBeUndefined();
            expect(ans!.lowerBound).toBe(K + 1);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives up (null) when the node budget is exhausted, never a wrong "no"', () => {
    // 12 clients, each covered by its own two sites: needs 12 sites; K = 11 needs the whole tree.
    const rows = Array.from({ length: 12 }, (_, c) => [2 * c, 2 * c + 1]);
    const cp = problem(24, rows);
    const subset = rows.map((_, c) => c);
    expect(coverSearch(cp, subset, 11, 5, () => false)?.lowerBound ?? null).not.toBe(0);
    const full = coverSearch(cp, subset, 11, 1e6, () => false);
    expect(full?.lowerBound).toBe(12);
    expect(coverSearch(cp, subset, 12, 1e6, () => false)?.sites?.length).toBe(12);
  });

  it('the async search pauses for the event loop and resumes to the same answer (issue 13)', async () => {
    /** A run that asks to yield at every check, counting the pauses. */
    class PausingRun extends SolveRun {
      pauses = 0;
      override needsYield(): boolean {
        return true;
      }
      override async tick(): Promise<boolean> {
        this.pauses++;
        return super.tick();
      }
    }
    // 60 clients with 3 random sites of 24 each: "can 9 sites cover them?" is "no" (10 are
    // needed) after a tree of more than 64 nodes, so the search pauses several times.
    const rng = new Rng(11);
    const rows: number[][] = [];
    for (let c = 0; c < 60; c++) {
      const r = new Set<number>();
      while (r.size < 3) r.add(rng.int(24));
      rows.push([...r]);
    }
    const cp = problem(24, rows);
    const subset = rows.map((_, c) => c);
    for (const K of [9, 10]) {
      const run = new PausingRun({}, 'test');
      const paused = await coverSearchAsync(cp, subset, K, 1e6, run);
      expect(paused).toEqual(coverSearch(cp, subset, K, 1e6, () => false));
      expect(paused?.lowerBound).toBe(K === 9 ? 10 : 0);
      if (K === 9) expect(run.pauses).toBeGreaterThan(0);
    }
    // An abort seen at a pause ends the search with null (the caller then reports 'unknown').
    const ctl = new AbortController();
    ctl.abort();
    expect(await coverSearchAsync(cp, subset, 9, 1e6, new PausingRun({ signal: ctl.signal }, 'test'))).toBeNull();
  });
});
