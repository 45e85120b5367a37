import { describe, expect, it } from 'vitest';
import { createGame, createMarket, ModelError, solve } from '@emplace/core';
import { coreCheck } from '../src/index.js';
import '../src/register.js';

describe('mechanism statuses with huge numbers (issue 13)', () => {
  it('vcg with bids of 1e15 .. 1e300 solves (was no-solution + converged) with correct payments', async () => {
    for (const amt of [1e15, 1e20, 1e300]) {
      const market = createMarket({
        items: ['a', 'b', 'c'],
        bids: [
          { bidder: 'x', items: ['a'], amount: amt },
          { bidder: 'y', items: ['a', 'b'], amount: amt * 1.5 },
          { bidder: 'z', items: ['b', 'c'], amount: 3 },
          { bidder: 'w', items: ['c'], amount: amt / 3 },
        ],
      });
      const r = await solve(market, { method: 'vcg' });
      expect(r.status).toBe('optimal');
      expect(r.objective! / amt).toBeCloseTo(1.5 + 1 / 3, 9);
      const sol = r.solution as { payments: Float64Array };
      expect(sol.payments[1]! / amt).toBeCloseTo(1, 9);
    }
  });

  it('vcg whose welfare overflows float64 is a ModelError naming the bids', async () => {
    const market = createMarket({ items: ['a', 'b'], bids: [{ bidder: 'x', items: ['a'], amount: 1e308 }, { bidder: 'y', items: ['b'], amount: 1e308 }] });
    await expect(solve(market, { method: 'vcg' })).rejects.toThrow(/bids/);
  });

  it('exact Shapley near the float64 limit is finite (was NaN called optimal)', async () => {
    const game = createGame({ players: ['a', 'b', 'c'], value: { table: [0, 1e308, 1e308, 1.7e308, 1e308, 1.7e308, 1.7e308, 1.7e308] } });
    for (const method of ['shapley', 'shapley:exact']) {
      const r = await solve(game, { method });
      expect(r.status).toBe('optimal');
      const v = (r.solution as { values: Float64Array }).values;
      for (const x of v) expect(x / 1e308).toBeCloseTo(1.7 / 3, 9);
    }
  });

  it('coreCheck names the checked vector as the caller says, not allocation[i]', () => {
    const game = createGame({ players: ['a', 'b'], value: { table: [0, 1, 1, 3] } });
    expect(() => coreCheck(game, [NaN, 1], { field: 'shapley values' })).toThrow(/shapley values\[0\]/);
    expect(() => coreCheck(game, [NaN, 1], { field: 'shapley values' })).toThrow(ModelError);
  });
});
