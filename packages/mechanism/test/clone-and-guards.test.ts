import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGame, createMarket, hasSolution, ModelError, solve, type GameModel } from '@emplace/core';
import {
  createAirportGame,
  createCostSharingGame,
  createWeightedVotingGame,
  gameFromDocument,
  mcafeeDoubleAuction,
  nucleolus,
  shapleyExact,
  solveShapley,
  solveVcg,
  tabulateGame,
  vcgAuction,
  votingPowerSolve,
  weightedVotingPower,
} from '../src/index.js';
import '../src/register.js';
import { tableArb, tableGame } from './helpers.js';

const valuesOf = async (game: GameModel, method: string): Promise<number[]> => {
  const r = await solve(game, { method });
  if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
  return Array.from((r.solution as { values: Float64Array }).values);
};

describe('games built from data survive structuredClone (the worker pool sends them that way, issue 13)', () => {
  it('a table game: the clone solves to the same Shapley value', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(1, 6), async ({ n, table }) => {
        const game = tableGame(n, table);
        const copy = structuredClone(game);
        expect(typeof copy.value).toBe('undefined'); // the value function did not cross: it is rebuilt
        expect(await valuesOf(copy, 'shapley:exact')).toEqual(await valuesOf(game, 'shapley:exact'));
      }),
      { numRuns: 30 },
    );
  });

  it('weighted voting and airport games keep their structure and values', async () => {
    const voting = createWeightedVotingGame({ players: ['a', 'b', 'c', 'd'], weights: [4, 3, 2, 1], quota: 6 });
    const airport = createAirportGame({ players: 4, costs: [1, 5, 2, 8] });
    for (const [game, method] of [[voting, 'shapley:weighted-voting'], [airport, 'shapley:airport'], [voting, 'shapley:exact'], [airport, 'shapley:exact']] as const) {
      const copy = structuredClone(game);
      expect(copy.structure?.type).toBe(game.structure?.type);
      expect(await valuesOf(copy, method)).toEqual(await valuesOf(game, method));
    }
  });

  it('a game read from a document clones (values keyed by coalition)', async () => {
    const doc = gameFromDocument({ players: ['x', 'y', 'z'], values: { 'x,y': 4, 'x,y,z': 6, z: 1 } });
    expect(await valuesOf(structuredClone(doc.game), 'shapley:exact')).toEqual(await valuesOf(doc.game, 'shapley:exact'));
  });

  it('a closure game fails with a ModelError naming game.value after a clone, and tabulateGame makes it data', async () => {
    const game = createCostSharingGame({ players: ['p', 'q', 'r'], cost: (m) => 10 + 3 * m.length });
    const copy = structuredClone(game);
    await expect(solve(copy, { method: 'shapley:exact' })).rejects.toThrow(ModelError);
    await expect(solve(copy, { method: 'shapley:exact' })).rejects.toThrow(/game\.value/);
    const table = tabulateGame(game);
    expect(await valuesOf(structuredClone(table), 'shapley:exact')).toEqual(await valuesOf(game, 'shapley:exact'));
  });
});

describe('memory guards (issue 13): refuse with the size and the limit', () => {
  it('weighted voting: the DP table above the limit is a ModelError, below it solves', async () => {
    const weights = Array.from({ length: 60 }, (_, i) => 1000 + 37 * i);
    const quota = weights.reduce((a, b) => a + b, 0) / 2;
    expect(() => weightedVotingPower(weights, quota, { maxMemoryBytes: 1e5 })).toThrow(/DP cells|table.*needs about .*memory limit/);
    const game = createWeightedVotingGame({ players: 60, weights, quota });
    await expect(votingPowerSolve(game, { maxMemoryBytes: 1e5 })).rejects.toThrow(/memory limit of 98 KiB/);
    const r = await votingPowerSolve(game, { maxMemoryBytes: 1e9 });
    expect(r.status).toBe('optimal');
  });

  it('exact Shapley and the nucleolus check their working memory', async () => {
    const game = tableGame(3, [0, 1, 1, 2, 1, 2, 2, 4]);
    await expect(shapleyExact(game, { maxMemoryBytes: 16 })).rejects.toThrow(/shapley:exact.*memory limit/);
    await expect(nucleolus(game, { maxMemoryBytes: 64 })).rejects.toThrow(/nucleolus:lp.*2\^3 rows/);
  });

  it('VCG estimates a winner determination before the first of its n + 1 solves', async () => {
    const market = createMarket({ items: ['a', 'b'], bids: [{ bidder: 'x', items: ['a', 'b'], amount: 3 }, { bidder: 'y', items: ['a'], amount: 2 }] });
    await expect(vcgAuction(market, { maxMemoryBytes: 100 })).rejects.toThrow(/vcg:clarke.*winner determination of 2 bids/);
    expect((await solveVcg(market)).status).toBe('optimal');
  });

  it('a double auction of 10^9 units is refused instead of expanding every unit', async () => {
    const market = createMarket({ items: [{ id: 'cap', units: 2e9 }], bids: [{ bidder: 'b', items: [{ item: 'cap', units: 1e9 }], amount: 5e9 }], asks: [{ seller: 's', item: 'cap', units: 1e9, price: 1 }] });
    await expect(mcafeeDoubleAuction(market)).rejects.toThrow(/2000000000 unit bids and asks/);
  });

  it('a game document asking for a 2^30 table is refused before allocating it', () => {
    expect(() => gameFromDocument({ players: 30, values: {} })).toThrow(/value table of 2\^30 coalitions.*memory limit/);
  });
});

describe('uniform entry: solveShapley(game, { method })', () => {
  it('dispatches every method and names the methods when one is unknown', async () => {
    const game = createWeightedVotingGame({ players: 3, weights: [2, 1, 1], quota: 3 });
    const exact = await solveShapley(game, { method: 'exact' });
    const dp = await solveShapley(game, { method: 'weighted-voting' });
    const auto = await solveShapley(game);
    expect(hasSolution(exact) && hasSolution(dp) && hasSolution(auto)).toBe(true);
    expect(Array.from(dp.solution!.values)).toEqual(Array.from(exact.solution!.values).map((v) => expect.closeTo(v, 12)));
    await expect(solveShapley(game, { method: 'nope' as 'exact' })).rejects.toThrow(/nope/);
  });
});

describe('in-thread abort (issue 13)', () => {
  it('weighted voting and the nucleolus see a timer-fired abort', async () => {
    const weights = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7919) % 5000));
    const quota = Math.floor(weights.reduce((a, b) => a + b, 0) / 2) + 1;
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 30);
    const r = await votingPowerSolve(createWeightedVotingGame({ players: 200, weights, quota }), { signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('no-solution');
    const size = (m: number) => {
      let c = 0;
      for (; m; m &= m - 1) c++;
      return c;
    };
    // 14 players: each LP stage has 2^14 rows (seconds in all); the abort lands during the first.
    const slow = createGame({ players: 14, value: { mask: (m) => size(m) ** 2 + (m % 7) } });
    const ctl2 = new AbortController();
    setTimeout(() => ctl2.abort(), 30);
    const n = await nucleolus(slow, { signal: ctl2.signal });
    expect(n.stoppedBy).toBe('aborted');
  });
});
