import { EmplaceError, FormatError, hasSolution, type GameModel, type MarketModel, type Result } from '@emplace/core';
import { readTextFile } from '@emplace/io';
import {
  AUCTION_TABLE,
  BANZHAF_TABLE,
  coreCheck,
  gameFromDocument,
  LEAST_CORE_TABLE,
  marketFromDocument,
  NUCLEOLUS_TABLE,
  SHAPLEY_TABLE,
  VCG_TABLE,
  type AuctionOutcome,
  type GameDocument,
} from '@emplace/mechanism';
import type { CliFamily, CliProblem } from '../family.js';
import { methodsOf, tableFamily } from './table-family.js';

/** Reads an emplace JSON file (one document, an array, or a collection) and returns the items of `kind`. */
export async function readMechanismDocuments(path: string, kind: 'game' | 'market'): Promise<{ doc: unknown; where: string; name: string }[]> {
  const text = await readTextFile(path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, { source: path });
  }
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (doc !== null && typeof doc === 'object' && (doc as Record<string, unknown>)['kind'] === 'collection') {
    const list = (doc as Record<string, unknown>)['items'];
    if (!Array.isArray(list)) throw new FormatError('a "collection" document needs an "items" array', { source: path });
    items = list;
  } else items = [doc];
  const base = (path.split('/').pop() ?? 'input').replace(/\.json(\.gz)?$/i, '');
  const out = items.flatMap((item, k) => {
    const where = items.length > 1 ? `items[${k}]` : 'document';
    const rec = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
    if (!rec) return [];
    // Documents without a "kind" are taken by their shape: players -> game, bids -> market.
    const shaped = rec['kind'] === undefined && (kind === 'game' ? rec['players'] !== undefined : rec['bids'] !== undefined);
    if (rec['kind'] !== kind && !shaped) return [];
    const name = typeof rec['name'] === 'string' ? rec['name'] : items.length > 1 ? `${base}-${k + 1}` : base;
    return [{ doc: item, where, name }];
  });
  if (out.length === 0) throw new FormatError(`holds no {"kind": "${kind}"} document (see docs/mechanism-formats.md)`, { source: path });
  return out;
}

/** Re-throws a model error with the item it came from, so the one-line CLI message locates it. */
export function located<T>(path: string, where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EmplaceError) throw new FormatError(`${where}: ${err.message}`, { source: path }, { cause: err });
    throw err;
  }
}

/** The `shapley` family of `emplace solve`: Shapley / Banzhaf values, nucleolus and least core of a cooperative game. */
const shapley = tableFamily({
  name: 'shapley',
  description: 'Fair shares of a cooperative game: Shapley (exact, sampled, structured), Banzhaf, nucleolus, least core',
  formats: ['emplace-json'],
  // The other solution concepts of a game are methods of this family on the command line.
  methods: [
    ...methodsOf(SHAPLEY_TABLE),
    ...methodsOf(BANZHAF_TABLE, { rename: { auto: 'banzhaf' } }),
    ...methodsOf(NUCLEOLUS_TABLE, { only: ['auto'], rename: { auto: 'nucleolus' } }),
    ...methodsOf(LEAST_CORE_TABLE, { rename: { auto: 'least-core' } }),
  ],
  async load(path: string): Promise<CliProblem[]> {
    const docs = await readMechanismDocuments(path, 'game');
    return docs.map(({ doc, where, name }) => {
      const g = located(path, where, () => gameFromDocument(doc, name));
      return { instance: g.name, model: g.game, params: { document: g } };
    });
  },
  // What the document says of the game: the denominator of exact values and profit or cost.
  problemOptions(problem) {
    const g = problem.params!['document'] as GameDocument;
    return { gameKind: g.gameKind, ...(g.denominator !== undefined ? { denominator: g.denominator } : {}) };
  },
  describe(problem: CliProblem, result: Result<unknown>) {
    const g = problem.params!['document'] as GameDocument;
    const game = problem.model as GameModel;
    const out: Record<string, string | number | boolean | null> = { players: game.n, gameKind: g.gameKind };
    if (!hasSolution(result)) return out;
    const sol = result.solution as { players: readonly string[]; values: Float64Array; exact?: readonly string[]; halfWidth?: Float64Array; samples?: number; concept?: string };
    const shown = Math.min(sol.players.length, 12);
    const list = (f: (i: number) => string) => Array.from({ length: shown }, (_, i) => `${sol.players[i]}=${f(i)}`).join(' ') + (sol.players.length > shown ? ' ...' : '');
    if (sol.concept) out['concept'] = sol.concept;
    out['values'] = list((i) => formatShare(sol.values[i]!));
    if (sol.exact) out['exact'] = list((i) => sol.exact![i]!);
    if (sol.halfWidth) {
      let worst = 0;
      for (const h of sol.halfWidth) worst = Math.max(worst, h);
      out['maxHalfWidth'] = worst;
      out['samples'] = sol.samples ?? null;
    }
    if (game.n <= 20) {
      // Name the computed vector in any error: `allocation` would point at a field the input does not have.
      const report = coreCheck(game, sol.values, { gameKind: g.gameKind, tolerance: 1e-7, field: 'shapley values' });
      out['inCore'] = report.inCore;
    }
    if (g.allocation) out['allocationInCore'] = coreCheck(game, g.allocation, { gameKind: g.gameKind, tolerance: 1e-7 }).inCore;
    return out;
  },
});

/** The `vcg` family of `emplace solve`: VCG for combinatorial bids, and the single-item / multi-unit / double auctions. */
const vcg = tableFamily({
  name: 'vcg',
  description: 'Auctions on a market: VCG with Clarke payments for XOR/OR bundle bids (exact MIP), first/second price, uniform price, McAfee double auction',
  formats: ['emplace-json'],
  methods: [...methodsOf(VCG_TABLE), ...methodsOf(AUCTION_TABLE, { only: AUCTION_TABLE.names.filter((m) => m !== 'auto') })],
  async load(path: string): Promise<CliProblem[]> {
    const docs = await readMechanismDocuments(path, 'market');
    return docs.map(({ doc, where, name }) => {
      const m = located(path, where, () => marketFromDocument(doc, name));
      return { instance: m.name, model: m.market, params: m.options };
    });
  },
  // The document's item, reserve and pricing; the command line's win.
  problemOptions: (problem) => ({ ...problem.params }),
  describe(problem: CliProblem, result: Result<unknown>) {
    const market = problem.model as MarketModel;
    const out: Record<string, string | number | boolean | null> = { items: market.items.length, bidders: market.bidders.length, bids: market.bids.length };
    if (!hasSolution(result)) return out;
    const s = result.solution as AuctionOutcome;
    out['winners'] = s.winningBids.length;
    out['welfare'] = s.welfare;
    out['revenue'] = s.revenue;
    out['individuallyRational'] = s.individuallyRational;
    out['budgetBalanced'] = s.budgetBalanced;
    if (s.price !== undefined) out['price'] = s.price;
    const paying = s.bidders.map((b, i) => [b, s.payments[i]!] as const).filter(([, x]) => x !== 0);
    out['payments'] = paying.slice(0, 12).map(([b, x]) => `${b}=${Number.isInteger(x) ? x : x.toPrecision(6)}`).join(' ') + (paying.length > 12 ? ' ...' : '');
    return out;
  },
});

export const families: CliFamily[] = [shapley, vcg];

function formatShare(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(6);
}
