import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMarket, hasSolution, Rng, type MarketModel } from '@emplace/core';
import { mcafeeDoubleAuction, type DoubleAuctionOutcome } from '../src/auctions.js';
import { abortAtRead } from '../../core/test/support/steps.js';

/**
 * Issue 13: auction:mcafee on 20,000 bids and 5,000 asks held the event loop about 55 ms on
 * CPU (one comparator sort of every unit tuple, then the clearing and settlement at once).
 * Bids and asks are now scanned and queued in steps and expanded to units only as far as the
 * clearing reads. Checked against the full-sort implementation written out here.
 */

type Unit = [number, number];

/** The previous implementation: every unit as a tuple, two full sorts, McAfee's rule, per-unit settlement. */
function reference(market: MarketModel) {
  const buyers: Unit[] = [];
  market.bids.forEach((b, k) => {
    const p = b.amount / b.units[0]!;
    for (let u = 0; u < b.units[0]!; u++) buyers.push([p, k]);
  });
  const sellers: Unit[] = [];
  market.asks.forEach((a, k) => {
    for (let u = 0; u < a.units; u++) sellers.push([a.price, k]);
  });
  buyers.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  sellers.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let k = 0;
  while (k < buyers.length && k < sellers.length && buyers[k]![0] >= sellers[k]![0]) k++;
  let trades = 0;
  let bp: number | undefined;
  let sp: number | undefined;
  if (k > 0) {
    const bk = buyers[k - 1]![0];
    const sk = sellers[k - 1]![0];
    const next = k < buyers.length && k < sellers.length ? (buyers[k]![0] + sellers[k]![0]) / 2 : undefined;
    if (next !== undefined && next >= sk && next <= bk) [trades, bp, sp] = [k, next, next];
    else [trades, bp, sp] = [k - 1, bk, sk];
  }
  const payments = new Float64Array(market.bidders.length);
  const utilities = new Float64Array(market.bidders.length);
  const receipts = new Float64Array(market.sellers.length);
  const sellerUtilities = new Float64Array(market.sellers.length);
  const unitsWon = new Float64Array(market.bids.length);
  const unitsSold = new Float64Array(market.asks.length);
  let welfare = 0;
  for (let t = 0; t < trades; t++) {
    const [bv, bi] = buyers[t]!;
    const [sv, si] = sellers[t]!;
    unitsWon[bi]!++;
    unitsSold[si]!++;
    payments[market.bids[bi]!.bidder]! += bp ?? 0;
    utilities[market.bids[bi]!.bidder]! += bv - (bp ?? 0);
    receipts[market.asks[si]!.seller]! += sp ?? 0;
    sellerUtilities[market.asks[si]!.seller]! += (sp ?? 0) - sv;
    welfare += bv - sv;
  }
  const winningBids = [...new Set(buyers.slice(0, trades).map((b) => b[1]))].sort((a, b) => a - b);
  return { k, trades, bp, sp, payments, utilities, receipts, sellerUtilities, unitsWon, unitsSold, welfare, winningBids, buyers: buyers.length, sellers: sellers.length };
}

function market(nBids: number, nAsks: number, seed: number, maxUnits: number, levels: number): MarketModel {
  const r = new Rng(seed);
  return createMarket({
    items: [{ id: 'slot', units: 1 }],
    bids: Array.from({ length: nBids }, () => {
      const u = 1 + r.int(maxUnits);
      return { bidder: `b${r.int(Math.max(1, nBids >> 1))}`, items: ['slot'], units: [u], amount: u * (1 + r.int(levels)) + r.int(3) };
    }),
    sellers: Array.from({ length: Math.max(1, nAsks >> 1) }, (_, k) => `s${k}`),
    asks: Array.from({ length: nAsks }, () => ({ seller: `s${r.int(Math.max(1, nAsks >> 1))}`, item: 'slot', units: 1 + r.int(maxUnits), price: 1 + r.int(levels) })),
  });
}

function expectSame(got: DoubleAuctionOutcome, ref: ReturnType<typeof reference>): void {
  expect(got.efficientTrades).toBe(ref.k);
  expect(got.trades).toBe(ref.trades);
  expect(got.buyerPrice).toBe(ref.bp);
  expect(got.sellerPrice).toBe(ref.sp);
  expect(got.winningBids).toEqual(ref.winningBids);
  for (const f of ['payments', 'utilities', 'receipts', 'sellerUtilities', 'unitsWon', 'unitsSold'] as const) expect(Array.from(got[f])).toEqual(Array.from(ref[f]));
  expect(got.welfare).toBe(ref.welfare);
}

describe('McAfee double auction in steps (issue 13)', () => {
  it('clears bit-identically to the full unit sort (ties, multi-unit bids and asks, fractional unit prices)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ n: fc.integer({ min: 0, max: 50 }), a: fc.integer({ min: 0, max: 50 }), seed: fc.integer({ min: 1, max: 1e6 }), maxUnits: fc.integer({ min: 1, max: 4 }), levels: fc.integer({ min: 1, max: 9 }) }),
        async ({ n, a, seed, maxUnits, levels }) => {
          const m = market(n, a, seed, maxUnits, levels);
          const r = await mcafeeDoubleAuction(m);
          if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
          const ref = reference(m);
          expectSame(r.solution, ref);
          expect(r.stats['buyers']).toBe(ref.buyers);
          expect(r.stats['sellers']).toBe(ref.sellers);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is identical to the full sort on a market past several unit steps', async () => {
    const m = market(30_000, 8_000, 7, 3, 1000);
    const r = await mcafeeDoubleAuction(m);
    if (!hasSolution(r)) throw new Error(r.status);
    expectSame(r.solution, reference(m));
  });

  it('an abort seen at any checkpoint of the queues, the clearing or the settlement stops there: no-solution, stoppedBy aborted', async () => {
    const m = market(30_000, 8_000, 7, 3, 1000);
    const counter = abortAtRead(Infinity);
    const full = await mcafeeDoubleAuction(m, { signal: counter.signal });
    const reads = counter.reads();
    // The bid scan makes 4 reads (30,000 bids in chunks of 8,192); the new checkpoints follow.
    expect(reads).toBeGreaterThan(8);
    for (let at = 5; at <= reads; at++) {
      const a = abortAtRead(at);
      const r = await mcafeeDoubleAuction(m, { signal: a.signal });
      expect(r.status).toBe('no-solution');
      expect(r.stoppedBy).toBe('aborted');
      expect(a.reads()).toBe(at);
    }
    expect(hasSolution(full)).toBe(true);
  });
});
