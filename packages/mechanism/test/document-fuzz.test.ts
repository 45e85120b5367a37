import { describe, it } from 'vitest';
import fc from 'fast-check';
import { EmplaceError, createGame, createMarket } from '@emplace/core';
import { gameFromDocument, marketFromDocument, solveAuction, solveShapley, solveVcg } from '../src/index.js';

/** Small JSON-like values: numbers, strings, null, booleans, short arrays and records of them. */
const small = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(null, 'a', 'b', 'a,b', '1/2', 'x/0', true, 1e308, -0.5), fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(null, 'a', 'b')), { maxLength: 4 }));
const value = fc.oneof(small, fc.array(small, { maxLength: 4 }), fc.dictionary(fc.constantFrom('id', 'weights', 'quota', 'costs', 'bidder', 'items', 'amount', 'item', 'units', 'seller', 'price', 'a', 'a,b', 'language'), small));

/** Runs f; anything but a field-naming EmplaceError (ModelError/FormatError) fails the property. */
async function onlyModelErrors(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (!(err instanceof EmplaceError)) throw err;
  }
}

describe('mechanism documents and entries on malformed input: ModelError, never a TypeError (issue 13)', () => {
  it('game documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('players', 'table', 'values', 'weightedVoting', 'airport', 'gameKind', 'denominator', 'allocation'), value), async (doc) => {
        await onlyModelErrors(async () => {
          const g = gameFromDocument(doc);
          if (g.game.n <= 10) await solveShapley(g.game, { maxSamples: 50 });
        });
      }),
      { numRuns: 600 },
    );
  });

  it('market documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('items', 'bidders', 'bids', 'sellers', 'asks', 'language', 'item', 'reserve'), value), async (doc) => {
        await onlyModelErrors(async () => {
          const { market } = marketFromDocument(doc);
          await solveAuction(market, { method: 'mcafee' });
        });
      }),
      { numRuns: 600 },
    );
  });

  it('entries given bad options or a model of the wrong kind', async () => {
    const game = createGame({ players: 3, value: { table: [0, 1, 1, 2, 1, 2, 2, 3] } });
    const market = createMarket({ items: ['a'], bids: [{ bidder: 'x', items: ['a'], amount: 1 }] });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('method', 'confidence', 'precision', 'denominator', 'maxSamples', 'range', 'interval', 'item', 'reserve', 'pricing', 'timeLimitMs', 'maxMemoryBytes'), small), async (options) => {
        await onlyModelErrors(() => solveShapley(game, options as never));
        await onlyModelErrors(() => solveAuction(market, options as never));
        await onlyModelErrors(() => solveShapley(market as never, {}));
        await onlyModelErrors(() => solveVcg(game as never, {}));
      }),
      { numRuns: 300 },
    );
  });
});
