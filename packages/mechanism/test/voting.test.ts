import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution, ModelError } from '@emplace/core';
import { createWeightedVotingGame, weightedVotingPower, shapleyExact, votingPowerSolve, createAirportGame, airportSolve, shapleyAuto, fractionValue } from '@emplace/mechanism';

describe('weighted voting', () => {
  it('UN Security Council: Shapley-Shubik 421/2145 per permanent member, 4/2145 otherwise', async () => {
    // [39; 7,7,7,7,7,1 x10]: 5 permanent members with veto plus 10 elected members
    // (Shapley and Shubik 1954; Felsenthal and Machover 1998, 0.1963 / 0.001865).
    const weights = [7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const p = weightedVotingPower(weights, 39)!;
    expect(p.shapleyShubikExact!.slice(0, 5)).toEqual(Array(5).fill('421/2145'));
    expect(p.shapleyShubikExact!.slice(5)).toEqual(Array(10).fill('4/2145'));
    expect(p.shapleyShubik[0]).toBeCloseTo(0.1963, 4);
    expect(p.shapleyShubik[5]).toBeCloseTo(0.001865, 6);
    // Banzhaf: permanent 53/1024 = 848 swings of 2^14, elected 21/4096 = 84 swings.
    expect(p.swings[0]).toBe(848);
    expect(p.swings[5]).toBe(84);
    // From first principles: 2^15 coalition enumeration gives the same values.
    const g = createWeightedVotingGame({ players: 15, weights, quota: 39 });
    const e = await shapleyExact(g);
    expect(hasSolution(e) && e.solution.exact).toEqual(p.shapleyShubikExact);
    expect(hasSolution(e) && e.solution.banzhafExact).toEqual(p.banzhafExact);
  });

  it('EEC Council of Ministers 1958 (Rome treaty): [12; 4,4,4,2,2,1]', async () => {
    // Felsenthal and Machover 1998, table 2.1: SS 7/30 (large), 3/20 (BE, NL), 0 (LU);
    // normalised Banzhaf 5/21, 3/21, 0. Luxembourg is a null player.
    const p = weightedVotingPower([4, 4, 4, 2, 2, 1], 12)!;
    expect(p.shapleyShubikExact).toEqual(['7/30', '7/30', '7/30', '3/20', '3/20', '0']);
    expect(p.banzhafIndexExact).toEqual(['5/21', '5/21', '5/21', '1/7', '1/7', '0']);
  });

  it('matches enumeration on random weighted voting games (both indices, both DPs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 11 }), fc.double({ min: 0.01, max: 1.1, noNaN: true }), async (weights, frac) => {
        const total = weights.reduce((a, b) => a + b, 0);
        const quota = Math.max(1, Math.round(frac * total));
        const g = createWeightedVotingGame({ players: weights.length, weights, quota });
        const e = await shapleyExact(g);
        const p = weightedVotingPower(weights, quota)!;
        const b = weightedVotingPower(weights, quota, { shapleyShubik: false })!;
        if (!hasSolution(e)) throw new Error('no exact');
        expect(p.shapleyShubikExact).toEqual(e.solution.exact);
        expect(p.banzhafExact).toEqual(e.solution.banzhafExact);
        expect(b.banzhafExact).toEqual(e.solution.banzhafExact);
      }),
      { numRuns: 150 },
    );
  });

  it('stays accurate for 100 players (efficiency, symmetric players equal)', async () => {
    const weights = Array.from({ length: 100 }, (_, i) => 1 + ((i * 7919) % 97));
    weights[99] = weights[0]!;
    const total = weights.reduce((a, b) => a + b, 0);
    const p = weightedVotingPower(weights, Math.floor(total / 2) + 1)!;
    let sum = 0;
    for (const x of p.shapleyShubik) {
      expect(x).toBeGreaterThanOrEqual(-1e-12);
      sum += x;
    }
    expect(sum).toBeCloseTo(1, 9);
    expect(p.shapleyShubik[99]).toBe(p.shapleyShubik[0]);
  });

  it('exposes the index through the solver envelope and auto', async () => {
    const g = createWeightedVotingGame({ players: ['A', 'B', 'C'], weights: [50, 49, 1], quota: 51 });
    const r = await shapleyAuto(g);
    expect(r.stats.method).toBe('shapley:weighted-voting');
    expect(hasSolution(r) && (r.solution as { exact?: readonly string[] | undefined }).exact).toEqual(['2/3', '1/6', '1/6']);
    const v = await votingPowerSolve(g, { concept: 'banzhaf' });
    expect(hasSolution(v) && v.solution.exact).toEqual(['3/4', '1/4', '1/4']);
  });

  it('bad weights name the player', async () => {
    expect(() => createWeightedVotingGame({ players: ['a', 'b'], weights: [1, Math.PI], quota: 2 })).toThrow(/weights\[1\] \(b\)/);
    // decimals are scaled, not rejected: [2.5; 1.5, 1, 1] is [5; 3, 2, 2]
    expect(weightedVotingPower([1.5, 1, 1], 2.5)!.shapleyShubikExact).toEqual(weightedVotingPower([3, 2, 2], 5)!.shapleyShubikExact);
    expect(() => createWeightedVotingGame({ players: ['a', 'b'], weights: [1, -1], quota: 2 })).toThrow(ModelError);
    expect(() => createWeightedVotingGame({ players: ['a', 'b'], weights: [1, 2], quota: NaN })).toThrow(/quota/);
    expect(() => weightedVotingPower([], 1)).toThrow(/weights/);
  });
});

describe('airport game', () => {
  it('closed form matches enumeration', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 9 }), async (costs) => {
        const g = createAirportGame({ players: costs.length, costs });
        const a = await airportSolve(g);
        const e = await shapleyExact(g);
        if (!hasSolution(a) || !hasSolution(e)) throw new Error('no solution');
        for (let i = 0; i < costs.length; i++) expect(a.solution.values[i]).toBeCloseTo(fractionValue(e.solution.exact![i]!), 9);
      }),
      { numRuns: 50 },
    );
  });
  it('bad cost names the player', async () => {
    expect(() => createAirportGame({ players: ['a', 'b'], costs: [1, Infinity] })).toThrow(/costs\[1\] \(b\)/);
  });
});
