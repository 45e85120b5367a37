import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGame, ModelError, hasSolution } from '@emplace/core';
import { shapleyExact, checkAxioms, banzhafSolve, fractionValue, createCostSharingGame, shapleyAuto } from '@emplace/mechanism';
import { shapleyByPermutations, tableArb, tableGame } from './helpers.js';

const values = async (g: Parameters<typeof shapleyExact>[0]) => {
  const r = await shapleyExact(g);
  if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
  return r.solution;
};

describe('exact Shapley', () => {
  it('matches the permutation definition on small random games (brute force)', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(1, 6), async ({ n, table }) => {
        const g = tableGame(n, table);
        const s = await values(g);
        const ref = shapleyByPermutations(g);
        for (let i = 0; i < n; i++) expect(s.values[i]).toBeCloseTo(ref[i]!, 9);
        // exact fractions agree with the floating-point values
        for (let i = 0; i < n; i++) expect(fractionValue(s.exact![i]!)).toBeCloseTo(ref[i]!, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('satisfies efficiency, symmetry and the null player (axiom checker)', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(1, 7), fc.integer({ min: 0, max: 6 }), async ({ n, table }, nullIdx) => {
        // Make player `nullIdx % n` a null player and players 0/1 symmetric, then check.
        const z = nullIdx % n;
        const t = table.slice();
        for (let m = 0; m < t.length; m++) if (m & (1 << z)) t[m] = t[m & ~(1 << z)]!;
        if (n >= 3 && z !== 0 && z !== 1) {
          for (let m = 0; m < t.length; m++) if ((m & 1) && !(m & 2)) t[m] = t[(m & ~1) | 2]!;
        }
        const g = tableGame(n, t);
        const s = await values(g);
        const report = checkAxioms(g, s.values);
        expect(report.ok).toBe(true);
        expect(report.nullPlayers).toContain(z);
        expect(Math.abs(s.values[z]!)).toBeLessThan(1e-9);
        if (n >= 3 && z > 1) expect(s.values[0]).toBeCloseTo(s.values[1]!, 9);
        let sum = 0;
        for (const x of s.values) sum += x;
        expect(sum).toBeCloseTo(t[2 ** n - 1]!, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('is additive: phi(v + w) = phi(v) + phi(w)', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(2, 6), fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 64, maxLength: 64 }), async ({ n, table }, other) => {
        const w = other.slice(0, 2 ** n);
        w[0] = 0;
        const a = (await values(tableGame(n, table))).values;
        const b = (await values(tableGame(n, w))).values;
        const ab = (await values(tableGame(n, table.map((x, k) => x + w[k]!)))).values;
        for (let i = 0; i < n; i++) expect(ab[i]).toBeCloseTo(a[i]! + b[i]!, 9);
      }),
      { numRuns: 40 },
    );
  });

  it('axiom checker catches a non-Shapley allocation', async () => {
    const g = tableGame(3, [0, 0, 0, 1, 0, 1, 0, 1]); // player 1 is null? no: v(2)=0, v(12)=1
    const report = checkAxioms(g, [1, 0, 0]);
    expect(report.efficient).toBe(true);
    const bad = checkAxioms(g, [0.2, 0.2, 0.2]);
    expect(bad.ok).toBe(false);
    expect(bad.efficient).toBe(false);
  });

  it('gives exact fractions for rational (scaled) values', async () => {
    // v(S) = |S|^2 / 10 : values are multiples of 1/10
    const g = createGame({ players: 4, value: (m) => (m.length * m.length) / 10 });
    const r = await shapleyExact(g, { denominator: 10 });
    expect(hasSolution(r) && r.solution.exact).toEqual(['2/5', '2/5', '2/5', '2/5']);
    // Non-integer values without a denominator: no exact claim
    const r2 = await shapleyExact(g);
    expect(hasSolution(r2) && r2.solution.exact).toBeUndefined();
  });

  it('Banzhaf value of the 3-player majority game', async () => {
    const g = createGame({ players: ['a', 'b', 'c'], value: (m) => (m.length >= 2 ? 1 : 0) });
    const r = await banzhafSolve(g);
    expect(hasSolution(r) && r.solution.exact).toEqual(['1/2', '1/2', '1/2']);
    const s = await shapleyAuto(g);
    expect(hasSolution(s) && (s.solution as { exact?: readonly string[] | undefined }).exact).toEqual(['1/3', '1/3', '1/3']);
  });

  it('does not mutate its input and is deterministic', async () => {
    const table = [0, 1, 2, 5, 3, 6, 7, 12];
    const copy = table.slice();
    const g = tableGame(3, table);
    const a = await values(g);
    const b = await values(g);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(table).toEqual(copy);
  });

  it('memoises a cost-sharing game: one solver call per coalition', async () => {
    let calls = 0;
    const g = createCostSharingGame({ players: ['a', 'b', 'c', 'd'], cost: (m) => { calls++; return Math.sqrt(m.length) * 10; } });
    await values(g);
    await values(g);
    expect(calls).toBe(15);
  });
});

describe('exact Shapley: bad input', () => {
  it('names the coalition of a non-finite value', async () => {
    const g = createGame({ players: ['a', 'b', 'c'], value: { mask: (m) => (m === 5 ? NaN : 1) } });
    await expect(shapleyExact(g)).rejects.toThrow(ModelError);
    await expect(shapleyExact(g)).rejects.toThrow(/\{a, c\}/);
  });
  it('names the coalition when the characteristic function throws', async () => {
    const g = createGame({ players: ['x', 'y'], value: (m) => { if (m.length === 2) throw new Error('solver crashed'); return 1; } });
    await expect(shapleyExact(g)).rejects.toThrow(/value\(\{x, y\}\) threw: solver crashed/);
  });
  it('rejects empty player sets and too many players', async () => {
    expect(() => createGame({ players: [], value: () => 0 })).toThrow(/players/);
    const big = createGame({ players: 31, value: () => 0 });
    await expect(shapleyExact(big)).rejects.toThrow(/at most 30 players/);
  });
  it('rejects a table of the wrong size naming the field', async () => {
    expect(() => createGame({ players: 3, value: { table: [0, 1, 2] } })).toThrow(/value\.table/);
  });
});

describe('exact Shapley with an incremental characteristic function', () => {
  it('gives the same values as the mask function, walking one toggle per coalition', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 10 }), async (w) => {
        const n = w.length;
        const f = (s: number) => s * s + 1;
        const g = createGame({ players: n, value: { mask: (m) => { let s = 0; for (let i = 0; i < n; i++) if (m & (1 << i)) s += w[i]!; return m === 0 ? 0 : f(s); } } });
        let sum = 0;
        let members = 0;
        let toggles = 0;
        const inc = {
          reset: () => { sum = 0; members = 0; },
          toggle: (i: number, joined: boolean) => { toggles++; sum += joined ? w[i]! : -w[i]!; members += joined ? 1 : -1; return members === 0 ? 0 : f(sum); },
        };
        const a = await shapleyExact(g);
        const b = await shapleyExact(g, { incremental: inc });
        expect(toggles).toBe(2 ** n - 1);
        expect(hasSolution(b) && b.solution.exact).toEqual(hasSolution(a) && a.solution.exact);
      }),
      { numRuns: 30 },
    );
  });
});
