import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMarket, hasSolution, ModelError, type MarketInput, type MarketModel } from '@emplace/core';
import { vcgAuction, sealedBidAuction, uniformPriceAuction, mcafeeDoubleAuction, isFeasibleAllocation } from '@emplace/mechanism';

/** A small random combinatorial auction: up to 5 items, up to 9 bids, 2-4 bidders. */
const marketArb = fc
  .record({
    items: fc.integer({ min: 1, max: 5 }),
    bidders: fc.integer({ min: 2, max: 4 }),
    language: fc.constantFrom<'xor' | 'or'>('xor', 'or'),
    bids: fc.array(fc.record({ bidder: fc.nat(), bundle: fc.integer({ min: 1, max: 31 }), amount: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 9 }),
  })
  .map(({ items, bidders, language, bids }): MarketInput => ({
    items: Array.from({ length: items }, (_, j) => `i${j}`),
    bidders: Array.from({ length: bidders }, (_, b) => ({ id: `b${b}`, language: b % 2 === 0 ? language : 'xor' })),
    bids: bids.map((b) => {
      let mask = b.bundle % 2 ** items || 1;
      const its: string[] = [];
      for (let j = 0; j < items; j++) if (mask & (1 << j)) its.push(`i${j}`);
      mask = 0;
      return { bidder: `b${b.bidder % bidders}`, items: its, amount: b.amount };
    }),
  }));

/** Optimal welfare by enumerating every subset of bids (brute force, small markets only). */
function bruteWelfare(m: MarketModel, exclude = -1): number {
  const nb = m.bids.length;
  let best = 0;
  for (let s = 0; s < 2 ** nb; s++) {
    const wins = new Uint8Array(nb);
    let w = 0;
    let ok = true;
    for (let k = 0; k < nb; k++) {
      if (!(s & (1 << k))) continue;
      if (m.bids[k]!.bidder === exclude) { ok = false; break; }
      wins[k] = 1;
      w += m.bids[k]!.amount;
    }
    if (ok && w > best && isFeasibleAllocation(m, wins)) best = w;
  }
  return best;
}

/** Utility of `bidder` under its true bids, for the bids it won in an outcome. */
function trueUtility(truth: MarketModel, bidder: number, winning: readonly number[], payment: number, reported: MarketModel): number {
  let v = 0;
  for (const k of winning) if (reported.bids[k]!.bidder === bidder) v += truth.bids[k]!.amount;
  return v - payment;
}

describe('VCG', () => {
  it('allocation is optimal (brute force), payments in [0, bid], revenue >= 0', async () => {
    await fc.assert(
      fc.asyncProperty(marketArb, async (input) => {
        const m = createMarket(input);
        const r = await vcgAuction(m);
        expect(r.status).toBe('optimal');
        if (!hasSolution(r)) return;
        const s = r.solution;
        expect(s.welfare).toBeCloseTo(bruteWelfare(m), 9);
        const wins = new Uint8Array(m.bids.length);
        for (const k of s.winningBids) wins[k] = 1;
        expect(isFeasibleAllocation(m, wins)).toBe(true);
        for (let i = 0; i < m.bidders.length; i++) {
          // Clarke payment from brute force: W(-i) - (W - v_i)
          let vi = 0;
          for (const k of s.winningBids) if (m.bids[k]!.bidder === i) vi += m.bids[k]!.amount;
          expect(s.payments[i]).toBeCloseTo(bruteWelfare(m, i) - (s.welfare - vi), 6);
          expect(s.payments[i]).toBeGreaterThanOrEqual(-1e-9);
          expect(s.payments[i]).toBeLessThanOrEqual(vi + 1e-9);
        }
        expect(s.individuallyRational).toBe(true);
        expect(s.budgetBalanced).toBe(true);
        expect(s.revenue).toBeGreaterThanOrEqual(-1e-9);
      }),
      { numRuns: 25 },
    );
  });

  it('no bidder gains by misreporting (random misreports)', async () => {
    await fc.assert(
      fc.asyncProperty(marketArb, fc.nat(), fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 9, maxLength: 9 }), async (input, who, lies) => {
        const truth = createMarket(input);
        const liar = who % truth.bidders.length;
        const honest = await vcgAuction(truth);
        if (!hasSolution(honest)) throw new Error('no solution');
        const uTrue = trueUtility(truth, liar, honest.solution.winningBids, honest.solution.payments[liar]!, truth);
        const lieInput: MarketInput = {
          ...input,
          bids: input.bids.map((b, k) => (truth.bids[k]!.bidder === liar ? { ...b, amount: lies[k % lies.length]! } : b)),
        };
        const reported = createMarket(lieInput);
        const out = await vcgAuction(reported);
        if (!hasSolution(out)) throw new Error('no solution');
        const uLie = trueUtility(truth, liar, out.solution.winningBids, out.solution.payments[liar]!, reported);
        expect(uLie).toBeLessThanOrEqual(uTrue + 1e-6);
      }),
      { numRuns: 20 },
    );
  });

  it('textbook example: two single-item bidders beat a bundle bidder', async () => {
    const m = createMarket({ items: ['a', 'b'], bids: [
      { bidder: 'x', items: ['a', 'b'], amount: 10 },
      { bidder: 'y', items: ['a'], amount: 6 },
      { bidder: 'z', items: ['b'], amount: 5 },
    ] });
    const r = await vcgAuction(m);
    expect(r.solution?.winningBids).toEqual([1, 2]);
    expect(Array.from(r.solution!.payments)).toEqual([0, 5, 4]);
    expect(r.objective).toBe(11);
  });

  it('an empty market and zero bids are handled', async () => {
    const m = createMarket({ items: ['a'], bids: [{ bidder: 'x', items: ['a'], amount: 0 }] });
    const r = await vcgAuction(m);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(0);
  });
});

describe('single-item and multi-unit auctions', () => {
  const m = createMarket({ items: ['gpu'], bids: [{ bidder: 'a', items: ['gpu'], amount: 5 }, { bidder: 'b', items: ['gpu'], amount: 8 }, { bidder: 'c', items: ['gpu'], amount: 7 }] });
  it('second price: the highest bidder pays the second-highest bid', async () => {
    const r = await sealedBidAuction(m, 'second');
    expect(r.solution?.winningBids).toEqual([1]);
    expect(Array.from(r.solution!.payments)).toEqual([0, 7, 0]);
  });
  it('first price: the winner pays its bid; a reserve above every bid sells nothing', async () => {
    expect(Array.from((await sealedBidAuction(m, 'first')).solution!.payments)).toEqual([0, 8, 0]);
    expect((await sealedBidAuction(m, 'second', { reserve: 9 })).solution!.winningBids).toEqual([]);
    expect((await sealedBidAuction(m, 'second', { reserve: 7.5 })).solution!.price).toBe(7.5);
  });
  it('second price is truthful: no random misreport beats the truth', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 6 }), fc.nat(), fc.integer({ min: 0, max: 25 }), async (vals, who, lie) => {
        const i = who % vals.length;
        const mk = (v: number[]) => createMarket({ items: ['x'], bidders: v.map((_, k) => `b${k}`), bids: v.map((a, k) => ({ bidder: `b${k}`, items: ['x'], amount: a })) });
        const honest = (await sealedBidAuction(mk(vals), 'second')).solution!;
        const lied = vals.slice();
        lied[i] = lie;
        const out = (await sealedBidAuction(mk(lied), 'second')).solution!;
        const u = (o: typeof honest) => (o.winningBids.includes(i) ? vals[i]! - o.payments[i]! : 0);
        expect(u(out)).toBeLessThanOrEqual(u(honest) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
  it('uniform price: k units at the first rejected unit bid', async () => {
    const u = createMarket({ items: [{ id: 'gpu', units: 3 }], bids: [{ bidder: 'a', items: [{ item: 'gpu', units: 2 }], amount: 10 }, { bidder: 'b', items: ['gpu'], amount: 4 }, { bidder: 'c', items: ['gpu'], amount: 3 }] });
    const r = (await uniformPriceAuction(u)).solution!;
    expect(r.price).toBe(3);
    expect(Array.from(r.payments)).toEqual([6, 3, 0]);
    expect((await uniformPriceAuction(u, { pricing: 'last-accepted' })).solution!.price).toBe(4);
  });
  it("McAfee: trade reduction when the (k+1)-th midpoint is outside [s_k, b_k]", async () => {
    const d = createMarket({ items: ['cap'], bids: [9, 8, 7, 3].map((a, i) => ({ bidder: `b${i}`, items: ['cap'], amount: a })), asks: [1, 2, 6, 8].map((p, i) => ({ seller: `s${i}`, item: 'cap', price: p })) });
    const r = (await mcafeeDoubleAuction(d)).solution!;
    expect(r.efficientTrades).toBe(3);
    expect(r.trades).toBe(2);
    expect(r.buyerPrice).toBe(7);
    expect(r.sellerPrice).toBe(6);
    expect(r.revenue).toBe(2);
    expect(r.individuallyRational && r.budgetBalanced).toBe(true);
  });
  it('McAfee: all k trade at the midpoint when it fits, and is IR and budget balanced on random markets', async () => {
    const d = createMarket({ items: ['cap'], bids: [10, 9, 4].map((a, i) => ({ bidder: `b${i}`, items: ['cap'], amount: a })), asks: [1, 2, 6].map((p, i) => ({ seller: `s${i}`, item: 'cap', price: p })) });
    const r = (await mcafeeDoubleAuction(d)).solution!;
    expect(r.trades).toBe(2);
    expect(r.price).toBe(5);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }), async (bs, as) => {
        const mk = createMarket({ items: ['c'], bids: bs.map((a, i) => ({ bidder: `b${i}`, items: ['c'], amount: a })), asks: as.map((p, i) => ({ seller: `s${i}`, item: 'c', price: p })) });
        const o = (await mcafeeDoubleAuction(mk)).solution!;
        expect(o.individuallyRational).toBe(true);
        expect(o.budgetBalanced).toBe(true);
        expect(o.trades).toBeGreaterThanOrEqual(o.efficientTrades - 1);
      }),
      { numRuns: 100 },
    );
  });
});

describe('auctions: bad input', () => {
  it('bids on unknown items name the bid', async () => {
    expect(() => createMarket({ items: ['a'], bids: [{ bidder: 'x', items: ['zz'], amount: 1 }] })).toThrow(/bids\[0\]\.items\[0\].*"zz"/);
  });
  it('non-finite amounts name the bid', async () => {
    expect(() => createMarket({ items: ['a'], bids: [{ bidder: 'x', items: ['a'], amount: NaN }] })).toThrow(/bids\[0\]\.amount/);
  });
  it('single-item auctions reject bundle bids naming the bid and bidder', async () => {
    const m = createMarket({ items: ['a', 'b'], bids: [{ bidder: 'x', items: ['a'], amount: 1 }, { bidder: 'y', items: ['a', 'b'], amount: 2 }] });
    await expect(sealedBidAuction(m, 'second', { item: 'a' })).rejects.toThrow(ModelError);
    await expect(sealedBidAuction(m, 'second', { item: 'a' })).rejects.toThrow(/bids\[1\]\.items.*bidder y/);
    await expect(sealedBidAuction(m, 'second')).rejects.toThrow(/options\.item/);
    await expect(sealedBidAuction(m, 'second', { item: 'nope' })).rejects.toThrow(/unknown item "nope"/);
  });
});

describe('VCG under a time limit', () => {
  it('is not reported optimal when payments could not all be proven', async () => {
    const m = createMarket({ items: ['a', 'b'], bids: [
      { bidder: 'x', items: ['a'], amount: 4 }, { bidder: 'y', items: ['b'], amount: 5 }, { bidder: 'z', items: ['a', 'b'], amount: 6 },
    ] });
    const ac = new AbortController();
    let calls = 0;
    const r = await vcgAuction(m, { signal: ac.signal, onProgress: () => { if (++calls === 1) ac.abort(); } });
    expect(r.status).not.toBe('optimal');
    if (r.status === 'feasible') expect(r.warnings?.join(' ')).toMatch(/payment/i);
  });
});
