/**
 * Edge-case games and markets for the status audit (statuses.ts), with truths computed here:
 * Shapley values by enumerating every player order, raw Banzhaf values by enumerating
 * coalitions, the least-core value by an LP written here (HiGHS), the VCG welfare by
 * enumerating every set of bids. Edge cases: one player, the zero game, values 1e15 and
 * 1e-12, negative values, bidders with no bid, bids of 0, items nobody wants, 1e15 bids.
 */
import { createGame, createMarket, hasSolution, type Result } from '../../packages/core/src/index.ts';
import { LinearModel, solveLp } from '../../packages/lp/src/index.ts';
import { better, forEachSubset, popcount, truthOf, type Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import type { AuditCase, CaseBuilder } from './cases.ts';

function randomTable(r: Rand): { n: number; table: number[] } {
  const n = r.chance(0.15) ? 1 : r.int(2, 5);
  const scale = r.pick([1, 1, 1e15, 1e-12, 1e6]);
  const kind = r.int(0, 4);
  const table = Array.from({ length: 1 << n }, (_, mask) => {
    if (mask === 0) return 0;
    if (kind === 0) return 0; // the zero game
    if (kind === 1) return popcount(mask) * scale; // additive
    if (kind === 2) return r.int(-5, 20) * scale; // may be negative, not superadditive
    return (r.int(0, 10) + popcount(mask) ** 2) * scale;
  });
  return { n, table };
}

function shapleyValues(n: number, table: number[]): number[] {
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array<number>(n).fill(0);
  forEachSubset(n, (mask) => {
    const s = popcount(mask);
    for (let i = 0; i < n; i++) {
      if ((mask >> i) & 1) continue;
      phi[i]! += ((fact(s) * fact(n - s - 1)) / fact(n)) * (table[mask | (1 << i)]! - table[mask]!);
    }
  });
  return phi;
}

function banzhafValues(n: number, table: number[]): number[] {
  const beta = new Array<number>(n).fill(0);
  forEachSubset(n, (mask) => {
    for (let i = 0; i < n; i++) if (!((mask >> i) & 1)) beta[i]! += (table[mask | (1 << i)]! - table[mask]!) / 2 ** (n - 1);
  });
  return beta;
}

/** The least-core value min max_S (v(S) - x(S)); over imputations (x_i >= v({i})) for the nucleolus's first stage. */
async function leastCoreValue(n: number, table0: number[], imputations: boolean): Promise<Truth> {
  // Scaled to max |v| = 1 first: HiGHS's absolute tolerances (1e-7) would blur a 1e-12 game.
  const scale = Math.max(...table0.map(Math.abs)) || 1;
  const table = table0.map((v) => v / scale);
  const truth = await leastCoreLp(n, table, imputations);
  return truth.feasible ? { feasible: true, value: truth.value * scale } : truth;
}

async function leastCoreLp(n: number, table: number[], imputations: boolean): Promise<Truth> {
  let standAlone = 0;
  for (let i = 0; i < n; i++) standAlone += table[1 << i]!;
  if (imputations && standAlone > table[(1 << n) - 1]! + 1e-12) return { feasible: false };
  const lp = new LinearModel('min');
  const x = Array.from({ length: n }, (_, i) => lp.addVariable({ lb: imputations ? table[1 << i]! : -Infinity, obj: 0 }));
  const eps = lp.addVariable({ lb: -Infinity, obj: 1 });
  const full = (1 << n) - 1;
  lp.addEq(x, new Array(n).fill(1), table[full]!);
  for (let mask = 1; mask < full; mask++) {
    const members = x.filter((_, i) => (mask >> i) & 1);
    lp.addGe([...members, eps], [...members.map(() => 1), 1], table[mask]!);
  }
  if (n === 1) return { feasible: true, value: 0 };
  const r = await solveLp(lp, {});
  if (r.status === 'infeasible') return { feasible: false };
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference LP: ${r.status}`);
  return { feasible: true, value: r.objective };
}

/** Exact methods only: a sampled estimate (guarantee probabilistic) is not held to the exact values. */
const valuesCheck = (expected: number[], table: number[]) => (res: Result<unknown>): string[] => {
  if (!hasSolution(res) || res.guarantee.kind !== 'exact') return [];
  const got = (res.solution as { values?: Float64Array }).values;
  if (!got) return ['solution has no values'];
  const scale = Math.max(...table.map(Math.abs), 1e-300);
  const wrong = expected.map((v, i) => (Math.abs(v - got[i]!) > 1e-7 * scale ? `player ${i}: ${got[i]} vs ${v}` : '')).filter((s) => s);
  return wrong.length > 0 ? [`values wrong: ${wrong.join(', ')}`] : [];
};

const efficiencyCheck = (n: number, table: number[]) => (res: Result<unknown>): string[] => {
  if (!hasSolution(res)) return [];
  const got = (res.solution as { values?: Float64Array }).values;
  if (!got) return ['solution has no values'];
  const sum = got.reduce((a, b) => a + b, 0);
  const vN = table[(1 << n) - 1]!;
  const scale = Math.max(...table.map(Math.abs), 1e-300);
  return Math.abs(sum - vN) > 1e-7 * scale ? [`values sum to ${sum}, v(N) = ${vN}`] : [];
};

function gameCase(r: Rand, pick: (n: number, table: number[]) => Partial<AuditCase>): AuditCase {
  const { n, table } = randomTable(r);
  const model = createGame({ players: n, value: { table } });
  return { model, options: {}, sense: 'max', label: JSON.stringify({ n, table }), ...pick(n, table) };
}

/** Welfare of the best set of XOR bids: at most one bid per bidder, each item unit sold once. */
function welfareTruth(items: number, bids: { bidder: number; items: number[]; amount: number }[]): Truth {
  let best: number | undefined;
  forEachSubset(bids.length, (mask) => {
    const usedItems = new Set<number>();
    const usedBidders = new Set<number>();
    let w = 0;
    for (let b = 0; b < bids.length; b++) {
      if (!((mask >> b) & 1)) continue;
      const bid = bids[b]!;
      if (usedBidders.has(bid.bidder) || bid.items.some((i) => usedItems.has(i))) return;
      usedBidders.add(bid.bidder);
      for (const i of bid.items) usedItems.add(i);
      w += bid.amount;
    }
    if (better('max', w, best)) best = w;
  });
  void items;
  return truthOf(best);
}

export const MECHANISM_CASES: Record<string, CaseBuilder> = {
  shapley: (r) => gameCase(r, (n, table) => ({ check: valuesCheck(shapleyValues(n, table), table) })),
  banzhaf: (r) => gameCase(r, (n, table) => ({ check: valuesCheck(banzhafValues(n, table), table) })),
  nucleolus: (r) => gameCase(r, (n, table) => ({ sense: 'min', truth: () => leastCoreValue(n, table, true), check: efficiencyCheck(n, table) })),
  'least-core': (r) => gameCase(r, (n, table) => ({ sense: 'min', truth: () => leastCoreValue(n, table, false), check: efficiencyCheck(n, table) })),
  vcg: (r) => {
    const nItems = r.int(1, 3);
    const nBidders = r.int(1, 3);
    const scale = r.pick([1, 1, 1e15, 1e-12]);
    const bids = Array.from({ length: r.int(0, 5) }, () => {
      const items = Array.from({ length: nItems }, (_, i) => i).filter(() => r.chance(0.5));
      return { bidder: r.int(0, nBidders - 1), items: items.length > 0 ? items : [0], amount: r.int(0, 20) * scale };
    });
    const model = createMarket({
      items: Array.from({ length: nItems }, (_, i) => `i${i}`),
      bidders: Array.from({ length: nBidders }, (_, b) => `b${b}`),
      bids: bids.map((b) => ({ bidder: `b${b.bidder}`, items: b.items.map((i) => `i${i}`), amount: b.amount })),
    });
    return { model, options: {}, sense: 'max', truth: () => welfareTruth(nItems, bids), label: JSON.stringify({ nItems, nBidders, bids }) };
  },
};
