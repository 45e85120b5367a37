import { createMarket, Rng, type MarketModel } from '@emplace/core';

/**
 * Combinatorial auctions in the spirit of CATS (Leyton-Brown, Pearson and Shoham 2000),
 * simplified: `arbitrary` bundles grown along a random item-relatedness matrix, and
 * `regions` bundles that are connected regions of a grid of items (spectrum licences,
 * racks in neighbouring zones). Values: a common value per item, a private deviation per
 * bidder, and a superadditive bonus for larger bundles. Bidders bid XOR.
 */
export function catsLike(kind: 'arbitrary' | 'regions', nBids: number, nItems: number, seed: number): MarketModel {
  const rng = new Rng(seed);
  const items = Array.from({ length: nItems }, (_, j) => `g${j}`);
  const common = Float64Array.from({ length: nItems }, () => 1 + rng.next() * 99);
  const side = Math.ceil(Math.sqrt(nItems));
  // Relatedness: arbitrary = random weights; regions = grid neighbours.
  const related = new Float64Array(nItems * nItems);
  for (let a = 0; a < nItems; a++) {
    for (let b = 0; b < nItems; b++) {
      if (a === b) continue;
      if (kind === 'arbitrary') related[a * nItems + b] = rng.next();
      else {
        const ra = Math.floor(a / side), ca = a % side, rb = Math.floor(b / side), cb = b % side;
        related[a * nItems + b] = Math.abs(ra - rb) + Math.abs(ca - cb) === 1 ? 1 : 0;
      }
    }
  }
  const bidsPerBidder = 5;
  const nBidders = Math.max(2, Math.ceil(nBids / bidsPerBidder));
  const bids: { bidder: string; items: string[]; amount: number }[] = [];
  for (let k = 0; k < nBids; k++) {
    const bidder = `b${k % nBidders}`;
    const size = Math.min(nItems, 1 + Math.floor(-Math.log(1 - rng.next()) * 2.5)); // mean ~3.5 items
    const bundle = new Set<number>([rng.int(nItems)]);
    while (bundle.size < size) {
      // Grow along relatedness from the current bundle (roulette wheel).
      let total = 0;
      for (const a of bundle) for (let b = 0; b < nItems; b++) if (!bundle.has(b)) total += related[a * nItems + b]!;
      if (total <= 0) break;
      let r = rng.next() * total;
      let pick = -1;
      outer: for (const a of bundle) {
        for (let b = 0; b < nItems; b++) {
          if (bundle.has(b)) continue;
          r -= related[a * nItems + b]!;
          if (r <= 0) {
            pick = b;
            break outer;
          }
        }
      }
      if (pick < 0) break;
      bundle.add(pick);
    }
    let value = 0;
    for (const j of bundle) value += common[j]! * (0.8 + 0.4 * rng.next());
    value *= Math.pow(bundle.size, 0.2); // superadditive
    bids.push({ bidder, items: [...bundle].sort((a, b) => a - b).map((j) => items[j]!), amount: Math.round(value * 100) / 100 });
  }
  return createMarket({ items, bids, language: 'xor' });
}
