import { describe, expect, it } from 'vitest';
import { createGame, createMarket, ModelError, solve, type MarketModel } from '@emplace/core';
import { solveAuction, solveBanzhaf, solveVcg } from '../src/index.js';
import '../src/register.js';

/** The field of the ModelError a call rejects with (fails the test on any other error). */
async function fieldOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return (err as ModelError).field;
  }
  return 'no error';
}

const market = (): MarketModel =>
  createMarket({
    items: ['a', 'b'],
    bids: [
      { bidder: 'x', items: ['a'], amount: 5 },
      { bidder: 'y', items: ['a'], amount: 3 },
      { bidder: 'z', items: ['b'], amount: 2 },
    ],
  });

describe('fuzz findings in mechanism (issue 13: F2, F5, F12)', () => {
  it('F2: banzhaf is optimal with its bound equal to the objective (v(N) is not a bound on the sum of Banzhaf values)', async () => {
    const game = createGame({ players: ['a', 'b', 'c'], value: { table: [0, 1, 2, 5, 3, 6, 7, 14] } });
    for (const r of [await solveBanzhaf(game), await solve(game, { method: 'banzhaf:auto' })]) {
      expect(r.status).toBe('optimal');
      if (r.status !== 'optimal') continue;
      expect(r.objective).toBeCloseTo(13.5, 12);
      expect(r.bound).toBe(r.objective);
      expect(r.gap ?? 0).toBe(0);
    }
  });

  it('F12: shapley sampling with a non-number precision is a ModelError naming options.precision', async () => {
    const game = createGame({ players: ['a', 'b', 'c'], value: { table: [0, 1, 2, 5, 3, 6, 7, 14] } });
    for (const method of ['shapley:sampling', 'shapley:antithetic', 'shapley:stratified']) {
      expect(await fieldOf(() => solve(game, { method, precision: true } as never))).toBe('options.precision');
    }
  });

  it('F12/F5: vcg and auctions on a malformed market name the field', async () => {
    const cases: [string, (m: Record<string, unknown>) => void][] = [
      ['bids[0].items', (m) => delete (m['bids'] as Record<string, unknown>[])[0]!['items']],
      ['bids', (m) => (m['bids'] = 3)],
      ['bids', (m) => (m['bids'] = -Infinity)],
      ['bids[0].bidder', (m) => ((m['bids'] as Record<string, unknown>[])[0]!['bidder'] = 0.5)],
      ['bids[0].amount', (m) => ((m['bids'] as Record<string, unknown>[])[0]!['amount'] = Number.NaN)],
      ['supply', (m) => (m['supply'] = null)],
    ];
    for (const [field, corrupt] of cases) {
      const bad = (): MarketModel => {
        const m = market() as unknown as Record<string, unknown>;
        const copy = { ...m, bids: (m['bids'] as object[]).map((b) => ({ ...b })) };
        corrupt(copy);
        return copy as unknown as MarketModel;
      };
      expect(await fieldOf(() => solveVcg(bad()))).toBe(field);
      expect(await fieldOf(() => solveAuction(bad(), { item: 'a' }))).toBe(field);
      expect(await fieldOf(() => solve(bad(), { method: 'vcg:clarke' }))).toBe(field);
    }
    // The unmodified market still solves.
    expect((await solveVcg(market())).status).toBe('optimal');
  });
});
