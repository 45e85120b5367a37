import { ModelError, createGame, createMarket, describe, type GameModel, type MarketInput, type MarketModel } from '@emplace/core';
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
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ModelError('game', `must be an object, got ${describe(doc)}`);
  const d = doc as Record<string, unknown>;
  const name = typeof d['name'] === 'string' ? d['name'] : fallbackName;
  const rawPlayers = d['players'];
  let players: string[];
  if (typeof rawPlayers === 'number') {
    if (!Number.isInteger(rawPlayers) || rawPlayers < 1) throw new ModelError('players', `must be a positive integer or a list of names, got ${rawPlayers}`);
    players = Array.from({ length: rawPlayers }, (_, i) => `p${i}`);
  } else if (Array.isArray(rawPlayers)) {
    players = rawPlayers.map((p: unknown, i) => {
      if (typeof p !== 'string' || p.length === 0) throw new ModelError(`players[${i}]`, `must be a non-empty string, got ${describe(p)}`);
      return p;
    });
  } else {
    throw new ModelError('players', `must be a list of names or a number, got ${describe(rawPlayers)}`);
  }
  if (players.length === 0) throw new ModelError('players', 'must not be empty');
  const gameKind = d['gameKind'] ?? 'profit';
  if (gameKind !== 'profit' && gameKind !== 'cost') throw new ModelError('gameKind', `must be "profit" or "cost", got ${describe(gameKind)}`);
  let denominator: number | undefined;
  if (d['denominator'] !== undefined) {
    const den = d['denominator'];
    if (typeof den !== 'number' || !Number.isInteger(den) || den < 1) throw new ModelError('denominator', `must be a positive integer, got ${describe(den)}`);
    denominator = den;
  }
  const n = players.length;
  let game: GameModel;
  if (d['table'] !== undefined || d['values'] !== undefined) {
    if (n > 30) throw new ModelError('players', `a value table takes at most 30 players, got ${n}`);
    const size = 2 ** n;
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
    if (d['table'] !== undefined) {
      const t = d['table'];
      if (!Array.isArray(t)) throw new ModelError('table', 'must be an array of 2^n values indexed by coalition bitmask');
      if (t.length !== size) throw new ModelError('table', `must have 2^${n} = ${size} entries, got ${t.length}`);
      t.forEach((v: unknown, m) => put(m, v, `table[${m}]`));
    } else {
      const vals = d['values'];
      if (vals === null || typeof vals !== 'object' || Array.isArray(vals)) throw new ModelError('values', 'must be an object keyed by comma-separated player names');
      const index = new Map(players.map((p, i) => [p, i]));
      for (const [key, v] of Object.entries(vals as Record<string, unknown>)) {
        let mask = 0;
        const trimmed = key.replace(/^\{|\}$/g, '').trim();
        if (trimmed.length > 0) {
          for (const part of trimmed.split(',')) {
            const id = part.trim();
            const i = index.get(id);
            if (i === undefined) throw new ModelError(`values[${JSON.stringify(key)}]`, `names unknown player ${JSON.stringify(id)}`);
            if (mask & (1 << i)) throw new ModelError(`values[${JSON.stringify(key)}]`, `repeats player ${JSON.stringify(id)}`);
            mask |= 1 << i;
          }
        }
        put(mask, v, `values[${JSON.stringify(key)}]`);
      }
    }
    if (fractions.size > 0 && denominator === undefined) {
      let lcm = 1n;
      for (const [, q] of fractions.values()) lcm = (lcm / gcd(lcm, q)) * q;
      if (lcm <= 2n ** 40n) denominator = Number(lcm);
    }
    game = createGame({ players, value: { table } });
  } else if (d['weightedVoting'] !== undefined) {
    const wv = d['weightedVoting'] as Record<string, unknown> | null;
    if (wv === null || typeof wv !== 'object') throw new ModelError('weightedVoting', 'must be {"weights": [...], "quota": q}');
    if (!Array.isArray(wv['weights'])) throw new ModelError('weightedVoting.weights', 'must be an array of non-negative integers');
    game = createWeightedVotingGame({ players, weights: wv['weights'] as number[], quota: wv['quota'] as number });
  } else if (d['airport'] !== undefined) {
    const ap = d['airport'] as Record<string, unknown> | null;
    if (ap === null || typeof ap !== 'object' || !Array.isArray(ap['costs'])) throw new ModelError('airport.costs', 'must be an array of non-negative costs');
    game = createAirportGame({ players, costs: ap['costs'] as number[] });
  } else {
    throw new ModelError('game', 'needs "table", "values", "weightedVoting" or "airport"');
  }
  const out: GameDocument = { name, game, gameKind: gameKind as GameKind };
  if (denominator !== undefined) out.denominator = denominator;
  if (d['allocation'] !== undefined) {
    const a = d['allocation'];
    if (!Array.isArray(a) || a.length !== n) throw new ModelError('allocation', `must be an array of ${n} numbers`);
    out.allocation = Float64Array.from(a, (x: unknown, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelError(`allocation[${i}] (${players[i]})`, `must be a finite number, got ${describe(x)}`);
      return x;
    });
  }
  return out;
}

/** Reads a `{"kind": "market", ...}` document: the fields of core's MarketInput. */
export function marketFromDocument(doc: unknown, fallbackName = 'market'): { name: string; market: MarketModel; options: Record<string, unknown> } {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ModelError('market', `must be an object, got ${describe(doc)}`);
  const d = { ...(doc as Record<string, unknown>) };
  const name = typeof d['name'] === 'string' ? d['name'] : fallbackName;
  const options: Record<string, unknown> = {};
  for (const k of ['item', 'reserve', 'pricing'] as const) {
    if (d[k] !== undefined) options[k] = d[k];
    delete d[k];
  }
  delete d['kind'];
  delete d['name'];
  return { name, market: createMarket(d as unknown as MarketInput), options };
}
