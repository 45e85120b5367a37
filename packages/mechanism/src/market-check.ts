import { checkMarketShape, ModelError, type MarketModel } from '@emplace/core';

/** Checks that a value is a MarketModel: core's shape check (every bid's bidder, items, units, amount), errors naming the field. */
export function checkMarket(market: MarketModel): void {
  checkMarketShape(market);
}

/** Index of the item a single-item auction sells: `item` by id, or the market's only item. */
export function auctionItem(market: MarketModel, item: string | undefined): number {
  if (item !== undefined) {
    const k = market.items.indexOf(item);
    if (k < 0) throw new ModelError('options.item', `names unknown item ${JSON.stringify(item)}`);
    return k;
  }
  if (market.items.length !== 1) {
    throw new ModelError('options.item', `is required: the market has ${market.items.length} items (${market.items.slice(0, 5).join(', ')}${market.items.length > 5 ? ', ...' : ''})`);
  }
  return 0;
}

/** Bids on exactly `item` alone; any other bid is an error naming it. */
export function singleItemBids(market: MarketModel, item: number): number[] {
  const out: number[] = [];
  market.bids.forEach((b, k) => {
    if (b.items.length !== 1 || b.items[0] !== item) {
      throw new ModelError(`bids[${k}].items`, `a single-item auction of ${JSON.stringify(market.items[item])} takes bids on that item alone (bidder ${market.bidders[b.bidder]})`);
    }
    out.push(k);
  });
  return out;
}
