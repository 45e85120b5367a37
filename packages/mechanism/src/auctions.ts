import { ModelError, SolveRun, checkMemory, type MarketModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { auctionItem, checkMarket, singleItemBids } from './market-check.js';
import { QUEUE_STEP, UnitPriceQueue } from './unit-price-queue.js';

/** The outcome of an auction: who wins what and who pays what. */
export interface AuctionOutcome {
  readonly mechanism: string;
  readonly bidders: readonly string[];
  /** Indices (into market.bids) of the winning bids. */
  readonly winningBids: readonly number[];
  /** Units won per bid (all-or-nothing auctions: the bid's units or 0). */
  readonly unitsWon: Float64Array;
  /** Payment per bidder (to the auctioneer). */
  readonly payments: Float64Array;
  /** Reported value of what each bidder won, minus its payment. */
  readonly utilities: Float64Array;
  /** Sum of the reported values of the winning bids. */
  readonly welfare: number;
  /** Sum of payments (minus what sellers receive, in a double auction). */
  readonly revenue: number;
  /** Every bidder's utility is non-negative. */
  readonly individuallyRational: boolean;
  /** The auctioneer does not pay out more than it takes in (revenue >= 0). */
  readonly budgetBalanced: boolean;
  /** Clearing price per unit, where the mechanism has one. */
  readonly price?: number;
}

export interface SingleItemOptions extends SolveOptions {
  /** Item sold (default: the market's only item). */
  item?: string | undefined;
  /** No sale below this price; the second price is at least the reserve. */
  reserve?: number | undefined;
}

/**
 * Sealed-bid single-item auctions: the highest bid wins (ties: the earliest bid), paying
 * its own bid (`first`) or the highest bid of any other bidder (`second`, Vickrey 1961:
 * truthful). A bidder with several bids is represented by its highest.
 */
export async function sealedBidAuction(market: MarketModel, pricing: 'first' | 'second', options: SingleItemOptions = {}): Promise<Result<AuctionOutcome>> {
  const run = new SolveRun(options, `auction:${pricing}-price`, 'max');
  checkMarket(market);
  const item = auctionItem(market, options.item);
  const reserve = options.reserve ?? 0;
  if (!(Number.isFinite(reserve) && reserve >= 0)) throw new ModelError('options.reserve', `must be a finite non-negative number, got ${String(reserve)}`);
  const ids = singleItemBids(market, item);
  const best = new Float64Array(market.bidders.length).fill(-1);
  const bestBid = new Int32Array(market.bidders.length).fill(-1);
  for (const k of ids) {
    const b = market.bids[k]!;
    if (b.amount > best[b.bidder]!) {
      best[b.bidder] = b.amount;
      bestBid[b.bidder] = k;
    }
  }
  let winner = -1;
  for (let i = 0; i < best.length; i++) {
    if (best[i]! < reserve || bestBid[i]! < 0) continue;
    if (winner < 0 || best[i]! > best[winner]! || (best[i] === best[winner] && bestBid[i]! < bestBid[winner]!)) winner = i;
  }
  const nb = market.bidders.length;
  const payments = new Float64Array(nb);
  const utilities = new Float64Array(nb);
  const unitsWon = new Float64Array(market.bids.length);
  let price: number | undefined;
  if (winner >= 0) {
    let second = reserve;
    for (let i = 0; i < nb; i++) if (i !== winner && best[i]! > second) second = best[i]!;
    price = pricing === 'first' ? best[winner]! : second;
    payments[winner] = price;
    utilities[winner] = best[winner]! - price;
    unitsWon[bestBid[winner]!] = 1;
  }
  const welfare = winner >= 0 ? best[winner]! : 0;
  return run.solved({
    solution: {
      mechanism: `${pricing}-price`,
      bidders: market.bidders,
      winningBids: winner >= 0 ? [bestBid[winner]!] : [],
      unitsWon,
      payments,
      utilities,
      welfare,
      revenue: price ?? 0,
      individuallyRational: true,
      budgetBalanced: true,
      ...(price !== undefined ? { price } : {}),
    },
    objective: welfare,
    proven: true,
    guarantee: { kind: 'exact' },
    stats: { bids: ids.length, truthful: pricing === 'second' },
  });
}

/** Sealed-bid first-price auction of one item (see sealedBidAuction). */
export function firstPriceAuction(market: MarketModel, options: SingleItemOptions = {}): Promise<Result<AuctionOutcome>> {
  return sealedBidAuction(market, 'first', options);
}

/** Sealed-bid second-price (Vickrey) auction of one item: truthful (see sealedBidAuction). */
export function secondPriceAuction(market: MarketModel, options: SingleItemOptions = {}): Promise<Result<AuctionOutcome>> {
  return sealedBidAuction(market, 'second', options);
}

export interface UniformPriceOptions extends SingleItemOptions {
  /**
   * `first-rejected` (default): the highest losing unit bid sets the price (the
   * (k+1)-th price; truthful for unit demand). `last-accepted`: the lowest winning unit bid.
   */
  pricing?: 'first-rejected' | 'last-accepted' | undefined;
}

/** Bids scanned per step of the uniform-price auction's first pass (a checkpoint after each). */
const BID_CHUNK = 8192;

/**
 * Multi-unit uniform-price auction of one item with `supply` units. A bid for u units at
 * amount a bids a/u per unit for up to u units; unit bids are filled from the highest
 * (ties: the earliest bid), the marginal bid partially, and every unit sold costs the
 * same clearing price. The bids are scanned in steps and queued in a heap built in steps,
 * and only the winners and the first rejected bid leave the queue (no full sort), so a
 * large market neither blocks the event loop nor delays an abort (issue 13); an abort
 * before the clearing is known returns no-solution.
 */
export async function uniformPriceAuction(market: MarketModel, options: UniformPriceOptions = {}): Promise<Result<AuctionOutcome>> {
  const run = new SolveRun(options, 'auction:uniform-price', 'max');
  checkMarket(market);
  const item = auctionItem(market, options.item);
  const reserve = options.reserve ?? 0;
  if (!(Number.isFinite(reserve) && reserve >= 0)) throw new ModelError('options.reserve', `must be a finite non-negative number, got ${String(reserve)}`);
  const pricing = options.pricing ?? 'first-rejected';
  if (pricing !== 'first-rejected' && pricing !== 'last-accepted') throw new ModelError('options.pricing', `must be 'first-rejected' or 'last-accepted', got ${String(pricing)}`);
  const stopped = () => run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  const bids = await candidateBids(market, item, reserve, run);
  if (!bids) return stopped();
  const queue = await runUntilStop(UnitPriceQueue.build(bids.ids, bids.count, bids.price), run);
  if (!queue) return stopped();
  const clearing = await clearUniform(market, item, reserve, queue, bids.price, run);
  if (!clearing) return stopped();
  const { unitsWon, winningBids, left, firstRejected, lastAccepted } = clearing;
  const anySold = lastAccepted !== Infinity;
  const price = !anySold ? undefined : pricing === 'first-rejected' ? firstRejected : lastAccepted;
  const nb = market.bidders.length;
  const payments = new Float64Array(nb);
  const utilities = new Float64Array(nb);
  let welfare = 0;
  for (const k of winningBids) {
    const b = market.bids[k]!;
    payments[b.bidder]! += unitsWon[k]! * price!;
    const value = unitsWon[k]! * bids.price[k]!;
    utilities[b.bidder]! += value - unitsWon[k]! * price!;
    welfare += value;
  }
  let revenue = 0;
  for (let i = 0; i < nb; i++) revenue += payments[i]!;
  return run.solved({
    solution: {
      mechanism: 'uniform-price',
      bidders: market.bidders,
      winningBids,
      unitsWon,
      payments,
      utilities,
      welfare,
      revenue,
      individuallyRational: utilities.every((u) => u >= -1e-9),
      budgetBalanced: true,
      ...(price !== undefined ? { price } : {}),
    },
    objective: welfare,
    proven: true,
    guarantee: { kind: 'exact' },
    stats: { bids: bids.count, unitsSold: market.supply[item]! - left },
  });
}

/**
 * Bids on `item` alone (any other bid is an error naming it, as in singleItemBids) whose unit
 * price is at least the reserve, with the unit price of every bid; undefined when the run stops.
 */
async function candidateBids(market: MarketModel, item: number, reserve: number, run: SolveRun): Promise<{ ids: Int32Array; count: number; price: Float64Array } | undefined> {
  const n = market.bids.length;
  const ids = new Int32Array(n);
  const price = new Float64Array(n);
  let count = 0;
  for (let from = 0; from < n; from += BID_CHUNK) {
    if (await run.tick()) return undefined;
    const to = Math.min(n, from + BID_CHUNK);
    for (let k = from; k < to; k++) {
      const b = market.bids[k]!;
      if (b.items.length !== 1 || b.items[0] !== item) {
        throw new ModelError(`bids[${k}].items`, `a single-item auction of ${JSON.stringify(market.items[item])} takes bids on that item alone (bidder ${market.bidders[b.bidder]})`);
      }
      const p = b.amount / b.units[0]!;
      price[k] = p;
      if (p >= reserve) ids[count++] = k;
    }
  }
  return { ids, count, price };
}

/**
 * Fills the supply from the queue: winners in clearing order, the marginal bid partially, and
 * the first bid not filled in full sets the first-rejected price. Stops taking bids once the
 * supply is gone and that price is known (the bids below change nothing); undefined when the
 * run stops first.
 */
async function clearUniform(market: MarketModel, item: number, reserve: number, queue: UnitPriceQueue, price: Float64Array, run: SolveRun) {
  let left = market.supply[item]!;
  const unitsWon = new Float64Array(market.bids.length);
  const winningBids: number[] = [];
  let lastAccepted = Infinity;
  let firstRejected = reserve;
  let rejectedSet = false;
  for (let popped = 1; queue.length > 0 && !(left === 0 && rejectedSet); popped++) {
    if ((popped & (QUEUE_STEP - 1)) === 0 && (await run.tick())) return undefined;
    const k = queue.pop();
    const u = market.bids[k]!.units[0]!;
    const take = Math.min(u, left);
    if (take > 0) {
      unitsWon[k] = take;
      winningBids.push(k);
      left -= take;
      lastAccepted = price[k]!;
    }
    if (take < u && !rejectedSet) {
      firstRejected = Math.max(reserve, price[k]!);
      rejectedSet = true;
    }
  }
  return { unitsWon, winningBids, left, firstRejected, lastAccepted };
}

/** Runs steps, yielding to the event loop at their checkpoints; undefined when the run stops first. */
async function runUntilStop<T>(steps: Steps<T>, run: SolveRun): Promise<T | undefined> {
  let r = steps.next();
  while (!r.done) {
    if (await run.tick()) return undefined;
    r = steps.next();
  }
  return r.value;
}

/** Outcome of a double auction: trades between buyers (bids) and sellers (asks). */
export interface DoubleAuctionOutcome extends AuctionOutcome {
  readonly sellers: readonly string[];
  /** Units sold per ask (index into market.asks). */
  readonly unitsSold: Float64Array;
  /** Amount received per seller. */
  readonly receipts: Float64Array;
  /** Seller utilities: receipts minus asked value of the units sold. */
  readonly sellerUtilities: Float64Array;
  /** Units traded. */
  readonly trades: number;
  /** Units that would trade without the reduction (the efficient quantity k). */
  readonly efficientTrades: number;
  /** Price paid by buyers and received by sellers (equal unless the trade was reduced). */
  readonly buyerPrice?: number | undefined;
  readonly sellerPrice?: number | undefined;
}

/**
 * McAfee's (1992) trade-reduction double auction for one item: unit bids sorted down
 * b_1 >= b_2 >= ..., unit asks sorted up s_1 <= s_2 <= ..., k the largest index with
 * b_k >= s_k. If p = (b_{k+1} + s_{k+1}) / 2 lies in [s_k, b_k] all k pairs trade at p;
 * otherwise k - 1 pairs trade, buyers paying b_k and sellers receiving s_k. Truthful for
 * unit traders, individually rational, weakly budget balanced (the surplus
 * (k-1)(b_k - s_k) stays with the market), and loses at most one efficient trade.
 * A bid or ask for u units counts as u unit traders at the per-unit price.
 */
export async function mcafeeDoubleAuction(market: MarketModel, options: SingleItemOptions = {}): Promise<Result<DoubleAuctionOutcome>> {
  const run = new SolveRun(options, 'auction:mcafee', 'max');
  checkMarket(market);
  const item = auctionItem(market, options.item);
  const stopped = () => run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  const bids = await candidateBids(market, item, -Infinity, run);
  if (!bids) return stopped();
  const traders = await runUntilStop(unitTraderSteps(market, item, bids, options), run);
  if (!traders) return stopped();
  const { buyers, sellers } = traders;
  const clearing = await runUntilStop(mcafeeClearingSteps(buyers, sellers), run);
  if (!clearing) return stopped();
  const { k, trades } = clearing;
  const settled = await runUntilStop(settleTradeSteps(market, buyers, sellers, clearing), run);
  if (!settled) return stopped();
  const { buyerPrice, sellerPrice } = clearing;
  const revenue = trades * ((buyerPrice ?? 0) - (sellerPrice ?? 0));
  const winningBids = firstUnitsBids(buyers, trades, market.bids.length);
  return run.solved({
    solution: {
      mechanism: 'mcafee',
      bidders: market.bidders,
      sellers: market.sellers,
      winningBids,
      ...settled,
      revenue,
      trades,
      efficientTrades: k,
      individuallyRational: settled.utilities.every((u) => u >= -1e-9) && settled.sellerUtilities.every((u) => u >= -1e-9),
      budgetBalanced: revenue >= -1e-9,
      ...(buyerPrice !== undefined ? { buyerPrice, sellerPrice, price: buyerPrice } : {}),
    },
    objective: settled.welfare,
    // Welfare-optimal when no trade was reduced; otherwise the least valuable of k efficient trades is lost.
    proven: trades === k,
    guarantee: trades === k ? { kind: 'exact' } : { kind: 'approximation', ratio: trades > 0 ? k / trades : Infinity, assumes: 'ratio in trades: the lost trade is the least valuable efficient one' },
    stats: { buyers: buyers.length, sellers: sellers.length, trades, efficientTrades: k },
  });
}

/**
 * Unit traders of one side in clearing order, one entry per unit, expanded from a queue of
 * bids (or asks) only as far as the clearing reads: McAfee needs the first k + 1 units of
 * each side, not a full sort of every unit (one comparator sort of 25,000 unit tuples held
 * the event loop about 50 ms).
 */
class UnitSequence {
  /** Bid (or ask) index of each expanded unit. */
  private readonly owner: Int32Array;
  private filled = 0;

  /** `length`: the side's unit count; `price`: the per-unit price of each bid or ask (as traded, not as queued). */
  constructor(
    private readonly queue: UnitPriceQueue,
    private readonly units: (k: number) => number,
    readonly price: Float64Array,
    readonly length: number,
  ) {
    this.owner = new Int32Array(length);
  }

  /** The bid (or ask) of unit i (i < length): pops from the queue until unit i is expanded. */
  ownerOf(i: number): number {
    while (this.filled <= i) {
      const k = this.queue.pop();
      for (let u = 0, n = this.units(k); u < n; u++) this.owner[this.filled++] = k;
    }
    return this.owner[i]!;
  }

  priceOf(i: number): number {
    return this.price[this.ownerOf(i)]!;
  }
}

/** Unit steps (expansions, clearing tests, settled pairs) between two checkpoints of the double auction (small: this code runs cold, once per solve). */
const UNIT_STEP = 1024;

/** Buyers by unit price down and sellers by price up, as unit sequences (ties: the earlier bid or ask); the queues are built in steps. */
function* unitTraderSteps(market: MarketModel, item: number, bids: { ids: Int32Array; count: number; price: Float64Array }, options: SolveOptions): Steps<{ buyers: UnitSequence; sellers: UnitSequence }> {
  const nAsks = market.asks.length;
  // The sellers' queue runs on negated prices: the lowest ask first, ties the earlier ask.
  const askKey = new Float64Array(nAsks);
  const askPrice = new Float64Array(nAsks);
  let buyerUnits = 0;
  let sellerUnits = 0;
  let units = 0;
  for (let t = 0; t < bids.count; t++) {
    const u = market.bids[bids.ids[t]!]!.units[0]!;
    units += u;
    buyerUnits += unitCount(u);
    if (((t + 1) & (BID_CHUNK - 1)) === 0) yield;
  }
  for (let k = 0; k < nAsks; k++) {
    const a = market.asks[k]!;
    if (a.item !== item) throw new ModelError(`asks[${k}].item`, `a double auction of ${JSON.stringify(market.items[item])} takes asks on that item alone`);
    askKey[k] = -a.price;
    askPrice[k] = a.price;
    units += a.units;
    sellerUnits += unitCount(a.units);
    if (((k + 1) & (BID_CHUNK - 1)) === 0) yield;
  }
  // One entry per unit: a bid for 10^9 units would otherwise grow to gigabytes.
  checkMemory('auction:mcafee', `${units} unit bids and asks`, units * 48, options);
  yield;
  const buyerQueue = yield* UnitPriceQueue.build(bids.ids, bids.count, bids.price);
  const sellerQueue = yield* UnitPriceQueue.build(Int32Array.from({ length: nAsks }, (_, k) => k), nAsks, askKey);
  return {
    buyers: new UnitSequence(buyerQueue, (k) => unitCount(market.bids[k]!.units[0]!), bids.price, buyerUnits),
    sellers: new UnitSequence(sellerQueue, (k) => unitCount(market.asks[k]!.units), askPrice, sellerUnits),
  };
}

/** Unit entries of a bid or ask for u units (u unit traders; a fractional tail counts as one). */
function unitCount(u: number): number {
  return u > 0 ? Math.ceil(u) : 0;
}

interface Clearing {
  /** The efficient quantity: the largest k with b_k >= s_k. */
  k: number;
  trades: number;
  buyerPrice: number | undefined;
  sellerPrice: number | undefined;
}

/** McAfee's rule: all k trade at the (k+1)-th midpoint when it lies in [s_k, b_k], else k - 1 at b_k / s_k. */
function* mcafeeClearingSteps(buyers: UnitSequence, sellers: UnitSequence): Steps<Clearing> {
  let k = 0;
  while (k < buyers.length && k < sellers.length && buyers.priceOf(k) >= sellers.priceOf(k)) {
    if ((++k & (UNIT_STEP - 1)) === 0) yield;
  }
  if (k === 0) return { k, trades: 0, buyerPrice: undefined, sellerPrice: undefined };
  const bk = buyers.priceOf(k - 1);
  const sk = sellers.priceOf(k - 1);
  const next = k < buyers.length && k < sellers.length ? (buyers.priceOf(k) + sellers.priceOf(k)) / 2 : undefined;
  if (next !== undefined && next >= sk && next <= bk) return { k, trades: k, buyerPrice: next, sellerPrice: next };
  return { k, trades: k - 1, buyerPrice: bk, sellerPrice: sk };
}

/** Units, payments, receipts and utilities of the `trades` first unit pairs at the clearing prices. */
function* settleTradeSteps(market: MarketModel, buyers: UnitSequence, sellers: UnitSequence, clearing: Clearing) {
  const nb = market.bidders.length;
  const ns = market.sellers.length;
  const out = {
    unitsWon: new Float64Array(market.bids.length),
    unitsSold: new Float64Array(market.asks.length),
    payments: new Float64Array(nb),
    utilities: new Float64Array(nb),
    receipts: new Float64Array(ns),
    sellerUtilities: new Float64Array(ns),
    welfare: 0,
  };
  const buyerPrice = clearing.buyerPrice ?? 0;
  const sellerPrice = clearing.sellerPrice ?? 0;
  for (let t = 0; t < clearing.trades; t++) {
    const bi = buyers.ownerOf(t);
    const si = sellers.ownerOf(t);
    const bv = buyers.price[bi]!;
    const sv = sellers.price[si]!;
    out.unitsWon[bi]!++;
    out.unitsSold[si]!++;
    const bidder = market.bids[bi]!.bidder;
    const seller = market.asks[si]!.seller;
    out.payments[bidder]! += buyerPrice;
    out.utilities[bidder]! += bv - buyerPrice;
    out.receipts[seller]! += sellerPrice;
    out.sellerUtilities[seller]! += sellerPrice - sv;
    out.welfare += bv - sv;
    if (((t + 1) & (UNIT_STEP - 1)) === 0) yield;
  }
  return out;
}

/** The bids owning the first `trades` buyer units, ascending. */
function firstUnitsBids(buyers: UnitSequence, trades: number, nBids: number): number[] {
  const wins = new Uint8Array(nBids);
  for (let t = 0; t < trades; t++) wins[buyers.ownerOf(t)] = 1;
  const out: number[] = [];
  for (let k = 0; k < nBids; k++) if (wins[k]) out.push(k);
  return out;
}
