import { ModelError, checkMemory, createGame, createMarket, describe, marketInputFromJson, type GameModel, type MarketModel } from '@emplace/core';
import { createAirportGame } from './airport.js';
import { gcd, parseFraction } from './rational.js';
import type { GameKind } from './types.js';
import { createWeightedVotingGame } from './weighted-voting.js';

/** A game read from emplace JSON, with the reading hints the document carries. */
export interface GameDocument {
  name: string;
  game: GameModel;
  /** `cost` when v(S) is a cost (core: x(S) <= c(S)); default `profit`. */
  gameKind: GameKind;
  /** Common denominator of the values when they were given as fractions "p/q" (or `denominator`). */
  denominator?: number;
  /** An allocation to test for core membership, if the document gives one. */
  allocation?: Float64Array;
}

/**
 * Reads a `{"kind": "game", ...}` document (docs/mechanism-formats.md): `players` plus one
 * of `table` (2^n values by coalition bitmask), `values` (object keyed by comma-separated
 * member names; coalitions not listed are worth 0), `weightedVoting` or `airport`.
 * Values may be numbers or exact fractions "p/q". A superset of @emplace/io's game
 * documents, which it reads identically.
 */
export function gameFromDocument(doc: unknown, fallbackName = 'game'): GameDocument {
  if (!isRecord(doc)) throw new ModelError('game', `must be an object, got ${describe(doc)}`);
  const name = typeof doc['name'] === 'string' ? doc['name'] : fallbackName;
  const players = documentPlayers(doc['players']);
  const gameKind = doc['gameKind'] ?? 'profit';
  if (gameKind !== 'profit' && gameKind !== 'cost') throw new ModelError('gameKind', `must be "profit" or "cost", got ${describe(gameKind)}`);
  let denominator: number | undefined;
  if (doc['denominator'] !== undefined) {
    const den = doc['denominator'];
    if (typeof den !== 'number' || !Number.isInteger(den) || den < 1) throw new ModelError('denominator', `must be a positive integer, got ${describe(den)}`);
    denominator = den;
  }
  let game: GameModel;
  if (doc['table'] !== undefined || doc['values'] !== undefined) {
    const read = readValueTable(doc, players);
    game = createGame({ players, value: { table: read.table } });
    denominator ??= read.denominator;
  } else if (doc['weightedVoting'] !== undefined) {
    const wv = doc['weightedVoting'];
    if (!isRecord(wv)) throw new ModelError('weightedVoting', 'must be {"weights": [...], "quota": q}');
    const weights = wv['weights'];
    if (!Array.isArray(weights)) throw new ModelError('weightedVoting.weights', 'must be an array of non-negative integers');
    const quota = wv['quota'];
    if (typeof quota !== 'number') throw new ModelError('weightedVoting.quota', `must be a positive number, got ${describe(quota)}`);
    game = createWeightedVotingGame({ players, weights, quota });
  } else if (doc['airport'] !== undefined) {
    const ap = doc['airport'];
    if (!isRecord(ap) || !Array.isArray(ap['costs'])) throw new ModelError('airport.costs', 'must be an array of non-negative costs');
    game = createAirportGame({ players, costs: ap['costs'] });
  } else {
    throw new ModelError('game', 'needs "table", "values", "weightedVoting" or "airport"');
  }
  const out: GameDocument = { name, game, gameKind };
  if (denominator !== undefined) out.denominator = denominator;
  if (doc['allocation'] !== undefined) out.allocation = documentAllocation(doc['allocation'], players);
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function documentPlayers(raw: unknown): string[] {
  let players: string[];
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 1) throw new ModelError('players', `must be a positive integer or a list of names, got ${raw}`);
    if (raw > 1 << 20) throw new ModelError('players', `must be at most ${1 << 20}, got ${raw}`);
    players = Array.from({ length: raw }, (_, i) => `p${i}`);
  } else if (Array.isArray(raw)) {
    players = raw.map((p: unknown, i) => {
      if (typeof p !== 'string' || p.length === 0) throw new ModelError(`players[${i}]`, `must be a non-empty string, got ${describe(p)}`);
      return p;
    });
  } else {
    throw new ModelError('players', `must be a list of names or a number, got ${describe(raw)}`);
  }
  if (players.length === 0) throw new ModelError('players', 'must not be empty');
  return players;
}

/** The 2^n values of a `table` or `values` document, and the common denominator of its fractions. */
function readValueTable(doc: Record<string, unknown>, players: readonly string[]): { table: Float64Array; denominator: number | undefined } {
  const n = players.length;
  if (n > 30) throw new ModelError('players', `a value table takes at most 30 players, got ${n}`);
  const size = 2 ** n;
  // `values` lists only the coalitions worth something: a short document can ask for 2^30 entries.
  checkMemory('game document', `a value table of 2^${n} coalitions`, size * 8 * 2);
  const fractions = new Map<number, [bigint, bigint]>();
  const table = new Float64Array(size);
  const put = (mask: number, v: unknown, field: string): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new ModelError(field, `must be a finite number, got ${String(v)}`);
      table[mask] = v;
    } else if (typeof v === 'string') {
      let f: [bigint, bigint];
      try {
        f = parseFraction(v);
      } catch {
        throw new ModelError(field, `must be a number or a fraction "p/q", got ${JSON.stringify(v)}`);
      }
      fractions.set(mask, f);
      table[mask] = Number(f[0]) / Number(f[1]);
    } else {
      throw new ModelError(field, `must be a number or a fraction "p/q", got ${describe(v)}`);
    }
  };
  if (doc['table'] !== undefined) {
    const t = doc['table'];
    if (!Array.isArray(t)) throw new ModelError('table', 'must be an array of 2^n values indexed by coalition bitmask');
    if (t.length !== size) throw new ModelError('table', `must have 2^${n} = ${size} entries, got ${t.length}`);
    t.forEach((v: unknown, m) => put(m, v, `table[${m}]`));
  } else {
    const vals = doc['values'];
    if (!isRecord(vals)) throw new ModelError('values', 'must be an object keyed by comma-separated player names');
    const index = new Map(players.map((p, i) => [p, i]));
    for (const [key, v] of Object.entries(vals)) put(coalitionMask(key, index), v, `values[${JSON.stringify(key)}]`);
  }
  let denominator: number | undefined;
  if (fractions.size > 0) {
    let lcm = 1n;
    for (const [, q] of fractions.values()) lcm = (lcm / gcd(lcm, q)) * q;
    if (lcm <= 2n ** 40n) denominator = Number(lcm);
  }
  return { table, denominator };
}

/** The bitmask of a `values` key: comma-separated member names, optionally in braces. */
function coalitionMask(key: string, index: ReadonlyMap<string, number>): number {
  let mask = 0;
  const trimmed = key.replace(/^\{|\}$/g, '').trim();
  if (trimmed.length === 0) return 0;
  for (const part of trimmed.split(',')) {
    const id = part.trim();
    const i = index.get(id);
    if (i === undefined) throw new ModelError(`values[${JSON.stringify(key)}]`, `names unknown player ${JSON.stringify(id)}`);
    if (mask & (1 << i)) throw new ModelError(`values[${JSON.stringify(key)}]`, `repeats player ${JSON.stringify(id)}`);
    mask |= 1 << i;
  }
  return mask;
}

function documentAllocation(a: unknown, players: readonly string[]): Float64Array {
  const n = players.length;
  if (!Array.isArray(a) || a.length !== n) throw new ModelError('allocation', `must be an array of ${n} numbers`);
  return Float64Array.from(a, (x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelError(`allocation[${i}] (${players[i]})`, `must be a finite number, got ${describe(x)}`);
    return x;
  });
}

/** Reads a `{"kind": "market", ...}` document: the fields of core's MarketInput. */
export function marketFromDocument(doc: unknown, fallbackName = 'market'): { name: string; market: MarketModel; options: Record<string, unknown> } {
  if (!isRecord(doc)) throw new ModelError('market', `must be an object, got ${describe(doc)}`);
  const name = typeof doc['name'] === 'string' ? doc['name'] : fallbackName;
  const options: Record<string, unknown> = {};
  for (const k of ['item', 'reserve', 'pricing'] as const) if (doc[k] !== undefined) options[k] = doc[k];
  return { name, market: createMarket(marketInputFromJson(doc)), options };
}
