import { ModelError } from './errors.js';
import { describe, indexIds, requireInteger, requireNonNegative } from './validate.js';

/**
 * A market (DESIGN.md §2): items with a number of units each, bidders with bids on
 * bundles, and optionally sellers with asks (for double auctions). Bids of one bidder
 * combine by `language`: XOR (at most one of them wins) or OR (any subset may win).
 */
export interface MarketModel {
  readonly kind: 'market';
  readonly items: readonly string[];
  /** Units available per item. */
  readonly supply: Int32Array;
  readonly bidders: readonly string[];
  /** Bid language per bidder. */
  readonly language: readonly BidLanguage[];
  readonly bids: readonly Bid[];
  readonly sellers: readonly string[];
  readonly asks: readonly Ask[];
}

export type BidLanguage = 'xor' | 'or';

export interface Bid {
  readonly bidder: number;
  /** Item indices of the bundle (distinct). */
  readonly items: Int32Array;
  /** Units requested per bundle item (same length as items). */
  readonly units: Int32Array;
  /** Value of the whole bundle to the bidder. */
  readonly amount: number;
}

export interface Ask {
  readonly seller: number;
  readonly item: number;
  readonly units: number;
  /** Lowest acceptable price per unit. */
  readonly price: number;
}

export interface MarketInput {
  /** Item names, or `{ id, units }` for multi-unit items. */
  items: readonly (string | { id: string; units?: number })[];
  bidders?: readonly (string | { id: string; language?: BidLanguage })[];
  /** Bids naming their bidder and items by id; a bundle entry may be `{ item, units }`. */
  bids: readonly {
    bidder: string;
    items: readonly (string | { item: string; units?: number })[];
    amount: number;
  }[];
  sellers?: readonly string[];
  asks?: readonly { seller: string; item: string; units?: number; price: number }[];
  /** Default bid language for bidders not listed with one (default 'xor'). */
  language?: BidLanguage;
}

/** Builds and validates a MarketModel; errors name the bid, item or bidder at fault. */
export function createMarket(input: MarketInput): MarketModel {
  if (input === null || typeof input !== 'object') throw new ModelError('market', `must be an object, got ${describe(input)}`);
  if (!Array.isArray(input.items)) throw new ModelError('items', 'must be an array');
  const items = input.items.map((it) => (typeof it === 'string' ? it : it.id));
  const itemIndex = indexIds('items', items);
  const supply = Int32Array.from(input.items, (it, k) =>
    typeof it === 'string' ? 1 : requireInteger(`items[${k}].units`, it.units ?? 1, 0),
  );
  const defaultLanguage = input.language ?? 'xor';
  const bidderList = input.bidders
    ? input.bidders.map((b) => (typeof b === 'string' ? { id: b, language: defaultLanguage } : { id: b.id, language: b.language ?? defaultLanguage }))
    : [...new Set((input.bids ?? []).map((b) => b.bidder))].map((id) => ({ id, language: defaultLanguage }));
  const bidders = bidderList.map((b) => b.id);
  const bidderIndex = indexIds('bidders', bidders);
  const language = bidderList.map((b, k) => {
    if (b.language !== 'xor' && b.language !== 'or') throw new ModelError(`bidders[${k}].language`, `must be 'xor' or 'or', got ${describe(b.language)}`);
    return b.language;
  });
  if (!Array.isArray(input.bids)) throw new ModelError('bids', 'must be an array');
  const bids: Bid[] = input.bids.map((b, k) => {
    const bidder = bidderIndex.get(b.bidder);
    if (bidder === undefined) throw new ModelError(`bids[${k}].bidder`, `names unknown bidder ${JSON.stringify(b.bidder)}`);
    if (!Array.isArray(b.items) || b.items.length === 0) throw new ModelError(`bids[${k}].items`, 'must be a non-empty bundle');
    const its = new Int32Array(b.items.length);
    const units = new Int32Array(b.items.length);
    const seen = new Set<number>();
    b.items.forEach((entry: string | { item: string; units?: number }, t: number) => {
      const id = typeof entry === 'string' ? entry : entry.item;
      const idx = itemIndex.get(id);
      if (idx === undefined) throw new ModelError(`bids[${k}].items[${t}]`, `names unknown item ${JSON.stringify(id)}`);
      if (seen.has(idx)) throw new ModelError(`bids[${k}].items[${t}]`, `repeats item ${JSON.stringify(id)} (use { item, units })`);
      seen.add(idx);
      its[t] = idx;
      units[t] = typeof entry === 'string' ? 1 : requireInteger(`bids[${k}].items[${t}].units`, entry.units ?? 1, 1);
    });
    return { bidder, items: its, units, amount: requireNonNegative(`bids[${k}].amount`, b.amount) };
  });
  const sellers = [...(input.sellers ?? [...new Set((input.asks ?? []).map((a) => a.seller))])];
  const sellerIndex = indexIds('sellers', sellers);
  const asks: Ask[] = (input.asks ?? []).map((a, k) => {
    const seller = sellerIndex.get(a.seller);
    if (seller === undefined) throw new ModelError(`asks[${k}].seller`, `names unknown seller ${JSON.stringify(a.seller)}`);
    const item = itemIndex.get(a.item);
    if (item === undefined) throw new ModelError(`asks[${k}].item`, `names unknown item ${JSON.stringify(a.item)}`);
    return { seller, item, units: requireInteger(`asks[${k}].units`, a.units ?? 1, 1), price: requireNonNegative(`asks[${k}].price`, a.price) };
  });
  return { kind: 'market', items, supply, bidders, language, bids, sellers, asks };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function list(doc: Record<string, unknown>, key: string, required: boolean): unknown[] | undefined {
  const v = doc[key];
  if (v === undefined && !required) return undefined;
  if (!Array.isArray(v)) throw new ModelError(key, `must be an array, got ${describe(v)}`);
  return v;
}

function text(field: string, v: unknown): string {
  if (typeof v !== 'string') throw new ModelError(field, `must be a string, got ${describe(v)}`);
  return v;
}

function optionalNumber(field: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ModelError(field, `must be a number, got ${describe(v)}`);
  return v;
}

function bidLanguage(field: string, v: unknown): BidLanguage | undefined {
  if (v === undefined) return undefined;
  if (v !== 'xor' && v !== 'or') throw new ModelError(field, `must be 'xor' or 'or', got ${describe(v)}`);
  return v;
}

/** An item: `"id"` or `{ id, units? }`. */
function itemEntry(field: string, v: unknown): string | { id: string; units?: number } {
  if (typeof v === 'string') return v;
  if (!isRecord(v)) throw new ModelError(field, `must be an id or { id, units }, got ${describe(v)}`);
  const units = optionalNumber(`${field}.units`, v['units']);
  return { id: text(`${field}.id`, v['id']), ...(units !== undefined ? { units } : {}) };
}

/** A bundle entry: `"item"` or `{ item, units? }`. */
function bundleEntry(field: string, v: unknown): string | { item: string; units?: number } {
  if (typeof v === 'string') return v;
  if (!isRecord(v)) throw new ModelError(field, `must be an item id or { item, units }, got ${describe(v)}`);
  const units = optionalNumber(`${field}.units`, v['units']);
  return { item: text(`${field}.item`, v['item']), ...(units !== undefined ? { units } : {}) };
}

/**
 * A MarketInput from a parsed JSON document (`{"kind": "market", ...}`, the envelope's
 * `kind` and `name` ignored): checks the shape of every field, naming it, and copies the
 * values; createMarket checks the rest (unknown ids, units, amounts).
 */
export function marketInputFromJson(doc: unknown): MarketInput {
  if (!isRecord(doc)) throw new ModelError('market', `must be an object, got ${describe(doc)}`);
  const items = list(doc, 'items', true)!.map((it, k) => itemEntry(`items[${k}]`, it));
  const bidders = list(doc, 'bidders', false)?.map((b, k) => {
    if (typeof b === 'string') return b;
    if (!isRecord(b)) throw new ModelError(`bidders[${k}]`, `must be an id or { id, language }, got ${describe(b)}`);
    const language = bidLanguage(`bidders[${k}].language`, b['language']);
    return { id: text(`bidders[${k}].id`, b['id']), ...(language ? { language } : {}) };
  });
  const bids = list(doc, 'bids', true)!.map((b, k) => {
    if (!isRecord(b)) throw new ModelError(`bids[${k}]`, `must be { bidder, items, amount }, got ${describe(b)}`);
    const bundle = b['items'];
    if (!Array.isArray(bundle)) throw new ModelError(`bids[${k}].items`, `must be a non-empty bundle, got ${describe(bundle)}`);
    const amount = b['amount'];
    if (typeof amount !== 'number') throw new ModelError(`bids[${k}].amount`, `must be a number, got ${describe(amount)}`);
    return { bidder: text(`bids[${k}].bidder`, b['bidder']), items: bundle.map((e: unknown, t) => bundleEntry(`bids[${k}].items[${t}]`, e)), amount };
  });
  const sellers = list(doc, 'sellers', false)?.map((s, k) => text(`sellers[${k}]`, s));
  const asks = list(doc, 'asks', false)?.map((a, k) => {
    if (!isRecord(a)) throw new ModelError(`asks[${k}]`, `must be { seller, item, units?, price }, got ${describe(a)}`);
    const price = a['price'];
    if (typeof price !== 'number') throw new ModelError(`asks[${k}].price`, `must be a number, got ${describe(price)}`);
    const units = optionalNumber(`asks[${k}].units`, a['units']);
    return { seller: text(`asks[${k}].seller`, a['seller']), item: text(`asks[${k}].item`, a['item']), price, ...(units !== undefined ? { units } : {}) };
  });
  const language = bidLanguage('language', doc['language']);
  return {
    items,
    bids,
    ...(bidders ? { bidders } : {}),
    ...(sellers ? { sellers } : {}),
    ...(asks ? { asks } : {}),
    ...(language ? { language } : {}),
  };
}

/**
 * Checks the shape of a MarketModel handed to a solver entry: createMarket validates its input,
 * but a model is a plain object, so a hand-built or mutated one (a bid's items deleted, `bids`
 * replaced by a number, a fractional bidder index) ended in a TypeError inside the mechanisms.
 * Every array, index and amount is checked; errors name the field (`bids[0].items`).
 */
export function checkMarketShape(market: unknown): asserts market is MarketModel {
  if (market === null || typeof market !== 'object' || (market as { kind?: unknown }).kind !== 'market') {
    throw new ModelError('market', `must be a MarketModel (see createMarket), got ${describe(market)}`);
  }
  const m = market as Record<string, unknown>;
  const items = stringList(m, 'items');
  const bidders = stringList(m, 'bidders');
  const sellers = stringList(m, 'sellers');
  const supply = m['supply'];
  if (!(supply instanceof Int32Array) || supply.length !== items.length) throw new ModelError('supply', `must be an Int32Array of ${items.length} entries, got ${describe(supply)}`);
  const language = m['language'];
  if (!Array.isArray(language) || language.length !== bidders.length) throw new ModelError('language', `must be an array of ${bidders.length} bid languages, got ${describe(language)}`);
  language.forEach((l: unknown, k) => {
    if (l !== 'xor' && l !== 'or') throw new ModelError(`language[${k}]`, `must be 'xor' or 'or', got ${describe(l)}`);
  });
  const bids = m['bids'];
  if (!Array.isArray(bids)) throw new ModelError('bids', `must be an array of bids, got ${describe(bids)}`);
  // Field names are built only on an error: 20k template strings per check were most of its time (issue 13).
  bids.forEach((b: unknown, k) => checkBidShape(b, () => `bids[${k}]`, items.length, bidders.length));
  const asks = m['asks'];
  if (!Array.isArray(asks)) throw new ModelError('asks', `must be an array of asks, got ${describe(asks)}`);
  asks.forEach((a: unknown, k) => {
    if (a === null || typeof a !== 'object') throw new ModelError(`asks[${k}]`, `must be an ask object, got ${describe(a)}`);
    const ask = a as Record<string, unknown>;
    indexField(ask, () => `asks[${k}]`, 'seller', sellers.length);
    indexField(ask, () => `asks[${k}]`, 'item', items.length);
    const units = ask['units'];
    if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 1) throw new ModelError(`asks[${k}].units`, `must be a positive integer, got ${describe(units)}`);
    const price = ask['price'];
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw new ModelError(`asks[${k}].price`, `must be a finite non-negative number, got ${describe(price)}`);
  });
}

function stringList(m: Record<string, unknown>, key: string): readonly string[] {
  const v = m[key];
  if (!Array.isArray(v)) throw new ModelError(key, `must be an array of ids, got ${describe(v)}`);
  v.forEach((x: unknown, k) => {
    if (typeof x !== 'string') throw new ModelError(`${key}[${k}]`, `must be a string id, got ${describe(x)}`);
  });
  return v as string[];
}

function indexField(obj: Record<string, unknown>, at: () => string, key: string, size: number): void {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) throw new ModelError(`${at()}.${key}`, `must be an index in [0, ${size}), got ${describe(v)}`);
}

function checkBidShape(b: unknown, at: () => string, nItems: number, nBidders: number): void {
  if (b === null || typeof b !== 'object') throw new ModelError(at(), `must be a bid object, got ${describe(b)}`);
  const bid = b as Record<string, unknown>;
  indexField(bid, at, 'bidder', nBidders);
  const items = bid['items'];
  if (!(items instanceof Int32Array)) throw new ModelError(`${at()}.items`, `must be an Int32Array of item indices, got ${describe(items)}`);
  for (let t = 0; t < items.length; t++) {
    const it = items[t]!;
    if (it < 0 || it >= nItems) throw new ModelError(`${at()}.items[${t}]`, `must be an item index in [0, ${nItems}), got ${it}`);
  }
  const units = bid['units'];
  if (!(units instanceof Int32Array) || units.length !== items.length) throw new ModelError(`${at()}.units`, `must be an Int32Array of ${items.length} unit counts, got ${describe(units)}`);
  const amount = bid['amount'];
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw new ModelError(`${at()}.amount`, `must be a finite non-negative number, got ${describe(amount)}`);
}
