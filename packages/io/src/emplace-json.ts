import {
  EmplaceError,
  FormatError,
  ModelError,
  airportGame,
  createGame,
  createGraph,
  createMarket,
  createPlacementModel,
  graphInputFromJson,
  maskMembers,
  marketInputFromJson,
  placementInputFromJson,
  weightedVotingGame,
  type GameModel,
  type Graph,
  type MarketModel,
  type PlacementModel,
} from '@emplace/core';
import { isRecord, parseJsonText } from './json-text.js';
import { sourceOf, type ReadOptions } from './read-options.js';
import { sourceAt } from './tokens.js';

/**
 * emplace's own JSON format: one `kind`-tagged document, an array of them, or
 * `{ "kind": "collection", "items": [...] }`. The schema is documented in the package
 * README; in short:
 *
 * - `{"kind": "placement", "name"?, ...PlacementInput}`: the core PlacementInput fields
 *   (sites, clients, cost, dimensions, openingCost, capacity, demand, weight, siteDemand,
 *   allowed, affinity, antiAffinity, allowNegativeCost); JSON has no Infinity, so `null`
 *   in a `capacity` array (or as a site's capacity) means uncapacitated.
 * - `{"kind": "graph", "name"?, "nodes"? | "n"?, "edges": [[u, v, w?], ...], "duplicates"?, "selfLoops"?, "terminals"?}`.
 * - `{"kind": "game", "name"?, "players", "table"}` with 2^n values indexed by coalition
 *   bitmask, or `"weightedVoting": {"weights", "quota"}`, or `"airport": {"costs"}`.
 * - `{"kind": "market", "name"?, ...MarketInput}`.
 */
export type EmplaceJsonItem =
  | { kind: 'placement'; name: string; model: PlacementModel }
  | { kind: 'graph'; name: string; graph: Graph; terminals?: Int32Array }
  | { kind: 'game'; name: string; game: GameModel }
  | { kind: 'market'; name: string; market: MarketModel };

export type EmplaceJsonKind = EmplaceJsonItem['kind'];

/** Reads an emplace JSON document; always returns a list (one entry per model in the file). */
export function readEmplaceJson(text: string, options: ReadOptions = {}): EmplaceJsonItem[] {
  const source = sourceOf(options);
  const doc = parseJsonText(text, source);
  const base = options.name ?? 'emplace';
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (isRecord(doc) && doc['kind'] === 'collection') {
    if (!Array.isArray(doc['items'])) throw new FormatError('a "collection" document needs an "items" array', sourceAt(source));
    items = doc['items'];
  } else items = [doc];
  return items.map((item, k) => {
    const where = items.length > 1 || Array.isArray(doc) ? `items[${k}]` : 'document';
    const name = isRecord(item) && typeof item['name'] === 'string' ? item['name'] : items.length > 1 ? `${base}-${k + 1}` : base;
    try {
      return readItem(item, name);
    } catch (err) {
      // Model errors name the field; prefix the item so the message locates it in the file.
      if (err instanceof EmplaceError) throw new FormatError(`${where}: ${err.message}`, sourceAt(source), { cause: err });
      // A shape the core constructors do not anticipate (e.g. null where an object belongs).
      if (err instanceof TypeError || err instanceof RangeError) {
        throw new FormatError(`${where}: malformed ${isRecord(item) ? String(item['kind']) : 'document'} (${err.message})`, sourceAt(source), { cause: err });
      }
      throw err;
    }
  });
}

function readItem(item: unknown, name: string): EmplaceJsonItem {
  if (!isRecord(item)) throw new FormatError('must be an object with a "kind"');
  const kind = item['kind'];
  switch (kind) {
    case 'placement':
      return { kind, name, model: createPlacementModel(placementInputFromJson(item)) };
    case 'graph': {
      const graph = createGraph(graphInputFromJson(item));
      const out: EmplaceJsonItem = { kind, name, graph };
      if (item['terminals'] !== undefined) out.terminals = resolveTerminals(graph, item['terminals']);
      return out;
    }
    case 'game':
      return { kind, name, game: gameFromJson(item) };
    case 'market':
      return { kind, name, market: createMarket(marketInputFromJson(item)) };
    default:
      throw new FormatError(`unknown kind ${JSON.stringify(kind)} (expected placement, graph, game, market or collection)`);
  }
}

function resolveTerminals(graph: Graph, terminals: unknown): Int32Array {
  if (!Array.isArray(terminals)) throw new ModelError('terminals', 'must be an array of node ids or indices');
  const index = new Map(graph.ids.map((id, i) => [id, i]));
  return Int32Array.from(terminals, (t: unknown, k) => {
    if (typeof t === 'string') {
      const v = index.get(t);
      if (v === undefined) throw new ModelError(`terminals[${k}]`, `names unknown node ${JSON.stringify(t)}`);
      return v;
    }
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= graph.n) throw new ModelError(`terminals[${k}]`, `must be a node id or an index in [0, ${graph.n})`);
    return t;
  });
}

function gameFromJson(item: Record<string, unknown>): GameModel {
  const players = jsonPlayers(item['players']);
  if (item['table'] !== undefined) {
    if (!Array.isArray(item['table'])) throw new ModelError('table', 'must be an array of 2^n numbers indexed by coalition bitmask');
    return createGame({ players, value: { table: numbers('table', item['table']) } });
  }
  const n = typeof players === 'number' ? players : players.length;
  const wv = item['weightedVoting'];
  if (isRecord(wv)) {
    const weights = numbers('weightedVoting.weights', wv['weights']);
    const quota = wv['quota'];
    if (typeof quota !== 'number' || !Number.isFinite(quota)) throw new ModelError('weightedVoting.quota', 'must be a number');
    if (weights.length !== n) throw new ModelError('weightedVoting.weights', `must have one weight per player (${n}), got ${weights.length}`);
    return weightedVotingGame(players, weights, quota);
  }
  const airport = item['airport'];
  if (isRecord(airport)) return airportGame(players, numbers('airport.costs', airport['costs']));
  throw new ModelError('game', 'needs "table", "weightedVoting" or "airport"');
}

function jsonPlayers(x: unknown): number | string[] {
  if (typeof x === 'number') return x;
  if (!Array.isArray(x)) throw new ModelError('players', `must be a number or an array of names, got ${JSON.stringify(x) ?? String(x)}`);
  return x.map((p: unknown, k) => {
    if (typeof p !== 'string') throw new ModelError(`players[${k}]`, `must be a string, got ${JSON.stringify(p) ?? String(p)}`);
    return p;
  });
}

function numbers(field: string, x: unknown): number[] {
  if (!Array.isArray(x)) throw new ModelError(field, 'must be an array of numbers');
  return x.map((v: unknown, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelError(`${field}[${k}]`, `must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  });
}

/** What writeEmplaceJson accepts: a model (graph optionally with terminals), or a list of them. */
export type EmplaceJsonWritable =
  | PlacementModel
  | Graph
  | GameModel
  | MarketModel
  | { kind: 'graph'; graph: Graph; terminals?: ArrayLike<number>; name?: string }
  | EmplaceJsonItem;

/** Largest game written as a full table (2^n values). */
const MAX_TABLE_PLAYERS = 20;

/**
 * Writes one model, or several (as a JSON array), in emplace's JSON format; readEmplaceJson
 * reads it back to equal models. Names come from `options.name` or the item's `name`.
 */
export function writeEmplaceJson(value: EmplaceJsonWritable | readonly EmplaceJsonWritable[], options: { name?: string } = {}): string {
  if (Array.isArray(value)) {
    const docs = (value as readonly EmplaceJsonWritable[]).map((v, k) => toDocument(v, options.name !== undefined ? `${options.name}-${k + 1}` : undefined));
    return '[\n' + docs.map((d) => layout(d, '  ')).join(',\n') + '\n]\n';
  }
  return layout(toDocument(value as EmplaceJsonWritable, options.name), '') + '\n';
}

function toDocument(v: EmplaceJsonWritable, name: string | undefined): Record<string, unknown> {
  const named = (doc: Record<string, unknown>, own?: string): Record<string, unknown> => {
    const n = name ?? own;
    return n !== undefined ? { kind: doc['kind'], name: n, ...doc } : doc;
  };
  if ('model' in v && v.kind === 'placement') return named(placementDocument(v.model), v.name);
  if ('game' in v) return named(gameDocument(v.game), v.name);
  if ('market' in v) return named(marketDocument(v.market), v.name);
  if ('graph' in v) return named(graphDocument(v.graph, v.terminals), v.name);
  switch (v.kind) {
    case 'placement':
      return named(placementDocument(v as PlacementModel));
    case 'graph':
      return named(graphDocument(v as Graph));
    case 'game':
      return named(gameDocument(v as GameModel));
    case 'market':
      return named(marketDocument(v as MarketModel));
  }
}

function placementDocument(m: PlacementModel): Record<string, unknown> {
  const sites = m.siteIds.map((id, i) => {
    const s: Record<string, unknown> = { id };
    if (Object.keys(m.siteLabels[i]!).length > 0) s['labels'] = m.siteLabels[i];
    if (m.mustOpen[i]) s['mustOpen'] = true;
    if (m.forbidden[i]) s['forbidden'] = true;
    return s;
  });
  const doc: Record<string, unknown> = {
    kind: 'placement',
    dimensions: m.dimensions,
    sites,
    clients: m.clientIds.map((id) => ({ id })),
    openingCost: [...m.openingCost],
    capacity: Array.from(m.capacity, (c) => (c === Infinity ? null : c)),
    demand: [...m.demand],
    weight: [...m.weight],
    cost: [...m.cost],
  };
  if (m.cost.some((c) => c < 0)) doc['allowNegativeCost'] = true;
  if (m.siteDemand) doc['siteDemand'] = [...m.siteDemand];
  if (m.allowed) doc['allowed'] = [...m.allowed];
  if (m.affinity.length > 0) doc['affinity'] = m.affinity.map((g) => Array.from(g, (j) => m.clientIds[j]));
  if (m.antiAffinity.length > 0) {
    doc['antiAffinity'] = m.antiAffinity.map((g) => {
      const out: Record<string, unknown> = { clients: Array.from(g.clients, (j) => m.clientIds[j]) };
      if (g.domain !== undefined) out['domain'] = g.domain;
      return out;
    });
  }
  return doc;
}

function graphDocument(g: Graph, terminals?: ArrayLike<number>): Record<string, unknown> {
  const edges: (string | number)[][] = [];
  for (let e = 0; e < g.m; e++) edges.push([g.ids[g.edgeU[e]!]!, g.ids[g.edgeV[e]!]!, g.edgeW[e]!]);
  const doc: Record<string, unknown> = { kind: 'graph', nodes: g.ids, edges };
  if (terminals) doc['terminals'] = Array.from(terminals, (t) => g.ids[t]);
  return doc;
}

function gameDocument(g: GameModel): Record<string, unknown> {
  const s = g.structure;
  if (s?.type === 'weighted-voting') return { kind: 'game', players: g.players, weightedVoting: { weights: [...s.weights], quota: s.quota } };
  if (s?.type === 'airport') return { kind: 'game', players: g.players, airport: { costs: [...s.costs] } };
  if (g.n > MAX_TABLE_PLAYERS) throw new ModelError('game', `has ${g.n} players: only games of at most ${MAX_TABLE_PLAYERS} players are written as a value table`);
  const size = 2 ** g.n;
  const table = new Array<number>(size);
  for (let mask = 0; mask < size; mask++) {
    if (g.valueOfMask) table[mask] = mask === 0 ? 0 : g.valueOfMask(mask);
    else table[mask] = mask === 0 ? 0 : g.value(maskMembers(mask, g.n));
  }
  return { kind: 'game', players: g.players, table };
}

function marketDocument(m: MarketModel): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    kind: 'market',
    items: m.items.map((id, k) => (m.supply[k] === 1 ? id : { id, units: m.supply[k] })),
    bidders: m.bidders.map((id, k) => ({ id, language: m.language[k] })),
    bids: m.bids.map((b) => ({
      bidder: m.bidders[b.bidder],
      items: Array.from(b.items, (it, t) => (b.units[t] === 1 ? m.items[it] : { item: m.items[it], units: b.units[t] })),
      amount: b.amount,
    })),
  };
  if (m.sellers.length > 0) doc['sellers'] = m.sellers;
  if (m.asks.length > 0) doc['asks'] = m.asks.map((a) => ({ seller: m.sellers[a.seller], item: m.items[a.item], units: a.units, price: a.price }));
  return doc;
}

/** Top-level keys on their own lines, values compact (cost matrices stay one line each). */
function layout(doc: Record<string, unknown>, indent: string): string {
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined);
  return `${indent}{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n${indent}}`;
}
