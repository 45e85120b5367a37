import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGame, hasSolution, type GameModel } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { leastCore, nucleolus } from '../src/core-stability.js';
import { abortAtRead, popcountGame } from '../../core/test/support/steps.js';

/**
 * Issue 13 (least-core stall 54 ms on 16 players): the stage LP's rows are now added from
 * views made once per length (not two new views per coalition), the coalition of each row
 * is kept in a typed array, the model's buffers are reserved in steps, and the values are
 * scaled with checkpoints (the largest |v(S)| taken in the value pass). The least core must
 * be what it was: checked here against an LP written independently, with plain arrays.
 */

/** The least-core value eps* = min eps s.t. x(N) = v(N), x(S) + eps >= v(S) for every proper S, solved here. */
async function referenceEps(game: GameModel, value: (m: number) => number): Promise<number> {
  const n = game.n;
  const full = 2 ** n - 1;
  const lp = new LinearModel('min');
  for (let i = 0; i < n; i++) lp.addVariable({ lb: -Infinity });
  const eps = lp.addVariable({ lb: -Infinity, obj: 1 });
  const all = Array.from({ length: n }, (_, i) => i);
  lp.addEq(all, all.map(() => 1), value(full));
  for (let m = 1; m < full; m++) {
    const row = all.filter((i) => (m >> i) & 1);
    row.push(eps);
    lp.addGe(row, row.map(() => 1), value(m));
  }
  const r = await solveLp(lp, { backend: 'highs' });
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference LP: ${r.status}`);
  return r.objective;
}

/** A table game of the given values (cycled) multiplied by 2^shift: the least core scales by the same power of two, exactly. */
function tableGame(n: number, values: readonly number[], shift: number): { game: GameModel; value: (m: number) => number } {
  const table = new Float64Array(2 ** n);
  for (let m = 1; m < table.length; m++) table[m] = values[(m * 7) % values.length]! + (m === table.length - 1 ? 3 * n : 0);
  const scaled = table.map((t) => t * 2 ** shift);
  return { game: createGame({ players: n, value: { table: scaled } }), value: (m) => table[m]! };
}

describe('least core, rows from shared views (issue 13)', () => {
  it('equals an independent LP on random games (scaled by 2^-20..2^40 to exercise the scaling)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 7 }), fc.array(fc.integer({ min: -50, max: 200 }), { minLength: 5, maxLength: 40 }), fc.integer({ min: -20, max: 40 }), async (n, values, shift) => {
        const { game, value } = tableGame(n, values, shift);
        const r = await leastCore(game);
        if (!hasSolution(r)) throw new Error(`least core: ${r.status}`);
        // The reference on the unscaled values (HiGHS tolerances are absolute).
        const want = await referenceEps(game, value);
        const unit = 2 ** shift;
        expect(r.objective / unit).toBeCloseTo(want, 6);
        // The allocation is efficient and no coalition's excess exceeds eps*.
        const x = r.solution.values;
        const full = 2 ** n - 1;
        expect(x.reduce((a, b) => a + b, 0) / unit).toBeCloseTo(value(full), 6);
        for (let m = 1; m < full; m++) {
          let xs = 0;
          for (let i = 0; i < n; i++) if ((m >> i) & 1) xs += x[i]! / unit;
          expect(value(m) - xs).toBeLessThanOrEqual(want + 1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('13 players (8192 coalitions, checkpoints inside the scaling): the same eps as the independent LP; the nucleolus ends in the least core', async () => {
    const game = popcountGame(13);
    const value = (m: number): number => {
      let c = 0;
      for (let r = m; r; r &= r - 1) c++;
      return c * c + (m % 7);
    };
    const r = await leastCore(game);
    if (!hasSolution(r)) throw new Error(`least core: ${r.status}`);
    expect(r.objective).toBeCloseTo(await referenceEps(game, value), 6);
    const nu = await nucleolus(game, { imputations: false });
    if (!hasSolution(nu)) throw new Error(`nucleolus: ${nu.status}`);
    expect(nu.solution.excessLevels[0]).toBeCloseTo(r.objective, 6);
  });

  it('a stop at any checkpoint gives up (no-solution, aborted) or, after the last one, returns the unstopped answer', async () => {
    const game = popcountGame(13);
    const count = abortAtRead(Infinity);
    const full = await leastCore(game, { signal: count.signal });
    if (!hasSolution(full)) throw new Error('no least core without a stop');
    const reads = count.reads();
    expect(reads).toBeGreaterThan(6);
    for (let at = 1; at <= reads + 1; at++) {
      const r = await leastCore(game, { signal: abortAtRead(at).signal });
      if (r.stoppedBy === 'aborted') {
        expect(r.status).toBe('no-solution');
        continue;
      }
      expect(r.objective).toBe(full.objective);
      expect(Array.from(r.solution!.values)).toEqual(Array.from(full.solution.values));
    }
  });
});
