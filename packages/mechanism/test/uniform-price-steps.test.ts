import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMarket, hasSolution, Rng, solve, type MarketModel } from '@emplace/core';
import { runSteps } from '@emplace/core';
import { uniformPriceAuction, type AuctionOutcome } from '../src/auctions.js';
import { QUEUE_STEP, UnitPriceQueue } from '../src/unit-price-queue.js';
import '../src/register.js';
import { abortAfterTurns, drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: auction:uniform-price on 20,000 bids held the event loop 38 ms (a market check
 * that built a field name per bid, a full comparator sort, every bid walked). The bids are
 * now scanned in steps and queued in a heap built in steps; only winners and the first
 * rejected bid leave it. Checked against the full-sort clearing written out here.
 */

/** The clearing by a full sort (the previous implementation), as the reference. */
function reference(market: MarketModel, reserve: number, pricing: 'first-rejected' | 'last-accepted') {
  const unitPrice = (k: number): number => market.bids[k]!.amount / market.bids[k]!.units[0]!;
  const ids = market.bids.map((_, k) => k).filter((k) => unitPrice(k) >= reserve);
  ids.sort((a, b) => unitPrice(b) - unitPrice(a) || a - b);
  let left = market.supply[0]!;
  const unitsWon = new Float64Array(market.bids.length);
  let lastAccepted = Infinity;
  let firstRejected = reserve;
  let rejectedSet = false;
  for (const k of ids) {
    const u = market.bids[k]!.units[0]!;
    const take = Math.min(u, left);
    if (take > 0) {
      unitsWon[k] = take;
      left -= take;
      lastAccepted = unitPrice(k);
    }
    if (take < u && !rejectedSet) {
      firstRejected = Math.max(reserve, unitPrice(k));
      rejectedSet = true;
    }
  }
  const price = lastAccepted === Infinity ? undefined : pricing === 'first-rejected' ? firstRejected : lastAccepted;
  const payments = new Float64Array(market.bidders.length);
  let welfare = 0;
  const winningBids: number[] = [];
  for (const k of ids) {
    if (unitsWon[k] === 0) continue;
    winningBids.push(k);
    payments[market.bids[k]!.bidder]! += unitsWon[k]! * price!;
    welfare += unitsWon[k]! * unitPrice(k);
  }
  return { winningBids, unitsWon: Array.from(unitsWon), payments: Array.from(payments), welfare, price, bids: ids.length };
}

function market(nBids: number, units: number, seed: number, maxUnits: number, priceLevels: number): MarketModel {
  const r = new Rng(seed);
  return createMarket({
    items: [{ id: 'slot', units }],
    bids: Array.from({ length: nBids }, () => {
      const u = 1 + r.int(maxUnits);
      return { bidder: `b${r.int(Math.max(1, nBids >> 1))}`, items: ['slot'], units: [u], amount: u * (1 + r.int(priceLevels)) };
    }),
  });
}

describe('uniform-price auction in steps (issue 13)', () => {
  it('clears exactly as the full sort: winners in order, units, payments, price, welfare (ties, reserve, both pricings)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ n: fc.integer({ min: 0, max: 60 }), units: fc.integer({ min: 0, max: 40 }), seed: fc.integer({ min: 1, max: 1e6 }), maxUnits: fc.integer({ min: 1, max: 5 }), levels: fc.integer({ min: 1, max: 8 }), reserve: fc.integer({ min: 0, max: 6 }), last: fc.boolean() }),
        async ({ n, units, seed, maxUnits, levels, reserve, last }) => {
          const m = market(n, units, seed, maxUnits, levels);
          const pricing = last ? 'last-accepted' : 'first-rejected';
          const r = await uniformPriceAuction(m, { reserve, pricing });
          if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
          const ref = reference(m, reserve, pricing);
          const got: AuctionOutcome = r.solution;
          expect(got.winningBids).toEqual(ref.winningBids);
          expect(Array.from(got.unitsWon)).toEqual(ref.unitsWon);
          expect(Array.from(got.payments)).toEqual(ref.payments);
          expect(got.welfare).toBe(ref.welfare);
          expect(got.price).toBe(ref.price);
          expect(r.stats['bids']).toBe(ref.bids);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the heap is built in steps of QUEUE_STEP sift-downs and pops in clearing order', () => {
    const n = 5 * QUEUE_STEP;
    const price = Float64Array.from({ length: n }, (_, k) => (k * 7919) % 97);
    const steps = UnitPriceQueue.build(Int32Array.from({ length: n }, (_, k) => k), n, price);
    const r = drainSteps(steps);
    const yields = r.pauses;
    expect(yields).toBe(Math.floor(Math.floor(n / 2) / QUEUE_STEP));
    const q = r.value;
    const order: number[] = [];
    for (let k = q.pop(); k >= 0; k = q.pop()) order.push(k);
    const sorted = Array.from({ length: n }, (_, k) => k).sort((a, b) => price[b]! - price[a]! || a - b);
    expect(order).toEqual(sorted);
    expect(runSteps(UnitPriceQueue.build(new Int32Array(0), 0, price)).pop()).toBe(-1);
  });

  it('an abort at any event-loop turn returns no-solution or the exact clearing, stoppedBy aborted', async () => {
    const m = market(40_000, 500, 3, 1, 1000);
    const full = await solve(m, { method: 'auction:uniform-price' });
    for (const turns of [1, 2, 3, 5, 9]) {
      const r = await abortAfterTurns(turns, (signal) => solve(m, { method: 'auction:uniform-price', signal }));
      if (r.stoppedBy === 'converged') continue;
      expect(r.stoppedBy).toBe('aborted');
      if (hasSolution(r)) expect(r.objective).toBe(full.objective);
      else expect(r.status).toBe('no-solution');
    }
  });
});
