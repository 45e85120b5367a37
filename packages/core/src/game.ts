import { ModelError } from './errors.js';
import { describe, indexIds, requireInteger } from './validate.js';

/**
 * A cooperative game (DESIGN.md §2): players and a characteristic function v(S).
 * Coalitions are passed to `value` as sorted player indices; for games of at most 30
 * players `valueOfMask` takes the coalition as a bitmask (bit i = player i), the fast
 * path exact Shapley enumeration uses. v(empty set) is 0 by convention.
 *
 * The value functions are non-enumerable: a game built from data (a table, weighted
 * voting, an airport game) survives `structuredClone` / `postMessage` as its data
 * (`kind`, `n`, `players`, `structure`) and `reviveGame` rebuilds the functions on the
 * other side (a solver worker). A game whose value is a caller's closure cannot cross.
 */
export interface GameModel {
  readonly kind: 'game';
  readonly n: number;
  readonly players: readonly string[];
  /** v(S) for S given by sorted player indices. */
  value(members: readonly number[]): number;
  /** v(S) for S given as a bitmask; present when n <= 30. */
  readonly valueOfMask?: (mask: number) => number;
  /** The data the game is built from, or a description of a structured game that polynomial algorithms can exploit. */
  readonly structure?: GameStructure;
}

/** Games that are data (rebuilt from it after a structured clone), and custom ones. */
export type GameStructure =
  | { readonly type: 'table'; readonly table: Float64Array }
  | { readonly type: 'weighted-voting'; readonly weights: Float64Array; readonly quota: number }
  | { readonly type: 'airport'; readonly costs: Float64Array }
  | { readonly type: 'custom'; readonly name: string; readonly data?: unknown };

export type CharacteristicFunction =
  | ((members: readonly number[]) => number)
  | { readonly mask: (mask: number) => number }
  | { readonly table: ArrayLike<number> };

export interface GameInput {
  /** Player names, or their number. */
  players: number | readonly string[];
  /** A function of the member list, a function of the bitmask (n <= 30), or a table of 2^n values indexed by bitmask. */
  value: CharacteristicFunction;
  structure?: GameStructure;
}

export const MAX_MASK_PLAYERS = 30;

type Checked = (v: unknown, what: () => string) => number;

interface ValueFunctions {
  value: (members: readonly number[]) => number;
  valueOfMask: ((mask: number) => number) | undefined;
  /** The data of a table game (kept as its structure). */
  table?: Float64Array;
}

/** Builds a GameModel; checks player names, the table size and that every value it returns is finite. */
export function createGame(input: GameInput): GameModel {
  if (input === null || typeof input !== 'object') throw new ModelError('game', `must be an object, got ${describe(input)}`);
  const players = gamePlayers(input.players);
  const n = players.length;
  const checked: Checked = (v, what) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ModelError(`value(${what()})`, `must be a finite number, got ${describe(v)}`);
    }
    return v;
  };
  const name = (members: readonly number[]): string => `{${members.map((i) => players[i]).join(', ')}}`;
  const fns = valueFunctions(input.value, n, checked, name);
  const structure = input.structure ?? (fns.table ? { type: 'table' as const, table: fns.table } : undefined);
  return gameObject(players, fns.value, fns.valueOfMask, structure);
}

function gamePlayers(players: number | readonly string[]): string[] {
  const list = typeof players === 'number'
    ? Array.from({ length: requireInteger('players', players, 1, 1 << 20) }, (_, i) => `p${i}`)
    : Array.isArray(players) ? [...(players as readonly string[])] : undefined;
  if (list === undefined) throw new ModelError('players', `must be a list of names or a number, got ${describe(players)}`);
  if (list.length === 0) throw new ModelError('players', 'must not be empty');
  indexIds('players', list);
  return list;
}

/** The value functions of each form of characteristic function, every value checked finite. */
function valueFunctions(fn: CharacteristicFunction, n: number, checked: Checked, name: (members: readonly number[]) => string): ValueFunctions {
  const nameMask = (mask: number): string => name(maskMembers(mask, n));
  if (typeof fn === 'function') {
    const value = (members: readonly number[]): number => checked(fn(members), () => name(members));
    return { value, valueOfMask: n <= MAX_MASK_PLAYERS ? (mask) => value(maskMembers(mask, n)) : undefined };
  }
  if (fn !== null && typeof fn === 'object' && 'mask' in fn) {
    if (n > MAX_MASK_PLAYERS) throw new ModelError('value.mask', `needs at most ${MAX_MASK_PLAYERS} players, got ${n}`);
    const f = fn.mask;
    const valueOfMask = (mask: number): number => checked(f(mask), () => nameMask(mask));
    return { valueOfMask, value: (members) => valueOfMask(membersMask(members)) };
  }
  if (fn !== null && typeof fn === 'object' && 'table' in fn) {
    if (n > MAX_MASK_PLAYERS) throw new ModelError('value.table', `needs at most ${MAX_MASK_PLAYERS} players, got ${n}`);
    const size = 2 ** n;
    if (fn.table === null || typeof fn.table !== 'object' || fn.table.length !== size) {
      throw new ModelError('value.table', `must have 2^${n} = ${size} entries, got ${describe(fn.table)}`);
    }
    const table = Float64Array.from(fn.table);
    for (let mask = 0; mask < size; mask++) checked(table[mask], () => nameMask(mask));
    return { table, valueOfMask: (mask) => table[mask]!, value: (members) => table[membersMask(members)]! };
  }
  throw new ModelError('value', 'must be a function, { mask } or { table }');
}

/** The game object: data enumerable (it clones), value functions not (they are rebuilt). */
function gameObject(players: readonly string[], value: (members: readonly number[]) => number, valueOfMask: ((mask: number) => number) | undefined, structure: GameStructure | undefined): GameModel {
  const game = { kind: 'game' as const, n: players.length, players, ...(structure ? { structure } : {}) };
  Object.defineProperty(game, 'value', { value, enumerable: false, writable: false, configurable: true });
  if (valueOfMask) Object.defineProperty(game, 'valueOfMask', { value: valueOfMask, enumerable: false, writable: false, configurable: true });
  return game as GameModel;
}

/**
 * Integer weights and quota of a weighted voting game; errors name the player. Decimal
 * weights (up to 6 decimals, e.g. population shares 12.5) are scaled by the smallest
 * power of ten that makes them integers, with the quota scaled alike, which leaves the
 * game unchanged: w(S) >= quota iff the integer w(S) >= q.
 */
export function votingWeights(weights: ArrayLike<number>, quota: number, players?: readonly string[]): { w: Int32Array; q: number; total: number; scale: number } {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') throw new ModelError('weights', `must be an array of numbers, got ${describe(weights)}`);
  const n = weights.length;
  if (n === 0) throw new ModelError('weights', 'must not be empty');
  if (players && players.length !== n) throw new ModelError('weights', `has ${n} entries for ${players.length} players`);
  const field = (i: number): string => (players ? `weights[${i}] (${players[i]})` : `weights[${i}]`);
  for (let i = 0; i < n; i++) {
    const x = weights[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ModelError(field(i), `must be a finite non-negative number, got ${describe(x)}`);
  }
  if (typeof quota !== 'number' || !Number.isFinite(quota) || quota <= 0) throw new ModelError('quota', `must be a positive finite number, got ${describe(quota)}`);
  const isInt = (v: number) => Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, Math.abs(v));
  let scale = 1;
  while (scale <= 1e6) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) if (!isInt(weights[i]! * scale)) ok = false;
    if (ok) break;
    scale *= 10;
  }
  if (scale > 1e6) {
    let bad = 0;
    while (isInt(weights[bad]! * 1e6)) bad++;
    throw new ModelError(field(bad), `must be an integer or have at most 6 decimals, got ${weights[bad]}`);
  }
  const w = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.round(weights[i]! * scale);
    if (x > 1e8) throw new ModelError(field(i), `must be at most 1e8 after scaling to integers, got ${x}`);
    w[i] = x;
    total += x;
  }
  // Integer weights: w(S) >= quota iff w(S) >= ceil(quota).
  return { w, q: Math.ceil(quota * scale - 1e-9), total, scale };
}

/** Non-negative finite costs, one per player, for an airport game; errors name the player. */
export function airportCosts(costs: ArrayLike<number>, players: readonly string[]): Float64Array {
  if (costs === null || typeof costs !== 'object' || typeof costs.length !== 'number') throw new ModelError('costs', `must be an array of numbers, got ${describe(costs)}`);
  if (costs.length !== players.length) throw new ModelError('costs', `has ${costs.length} entries for ${players.length} players`);
  const out = new Float64Array(costs.length);
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new ModelError(`costs[${i}] (${players[i]})`, `must be a finite non-negative number, got ${describe(c)}`);
    out[i] = c;
  }
  return out;
}

/**
 * A weighted voting game [quota; w_1, ..., w_n]: v(S) = 1 when the weights of S sum to at
 * least the quota, else 0 (integer arithmetic after `votingWeights`' scaling).
 */
export function weightedVotingGame(players: number | readonly string[], weights: ArrayLike<number>, quota: number): GameModel {
  const names = gamePlayers(players);
  const { w, q } = votingWeights(weights, quota, names);
  // The structure keeps the caller's weights and quota; solvers rescale them themselves.
  const structure = { type: 'weighted-voting' as const, weights: Float64Array.from(weights), quota };
  if (names.length <= MAX_MASK_PLAYERS) {
    const valueOfMask = (mask: number): number => {
      let s = 0;
      for (let m = mask; m !== 0; m &= m - 1) s += w[31 - Math.clz32(m & -m)]!;
      return s >= q ? 1 : 0;
    };
    return gameObject(names, (members) => valueOfMask(membersMask(members)), valueOfMask, structure);
  }
  const value = (members: readonly number[]): number => {
    let s = 0;
    for (const i of members) s += w[i]!;
    return s >= q ? 1 : 0;
  };
  return gameObject(names, value, undefined, structure);
}

/**
 * The airport game (Littlechild and Owen 1973): player i needs a facility of cost c_i and
 * a coalition pays for the largest one it needs, c(S) = max_{i in S} c_i. A cost game.
 */
export function airportGame(players: number | readonly string[], costs: ArrayLike<number>): GameModel {
  const names = gamePlayers(players);
  const c = airportCosts(costs, names);
  const structure = { type: 'airport' as const, costs: c };
  if (names.length <= MAX_MASK_PLAYERS) {
    const valueOfMask = (mask: number): number => {
      let m = 0;
      for (let r = mask; r !== 0; r &= r - 1) m = Math.max(m, c[31 - Math.clz32(r & -r)]!);
      return m;
    };
    return gameObject(names, (members) => valueOfMask(membersMask(members)), valueOfMask, structure);
  }
  const value = (members: readonly number[]): number => {
    let m = 0;
    for (const i of members) m = Math.max(m, c[i]!);
    return m;
  };
  return gameObject(names, value, undefined, structure);
}

/**
 * The game itself when it has its value function; otherwise (a game that crossed a
 * thread by structured clone) the game rebuilt from its data. A game whose value was a
 * closure has no data to rebuild from: a ModelError says what to do.
 */
export function reviveGame(game: GameModel): GameModel {
  if (game === null || typeof game !== 'object' || game.kind !== 'game') throw new ModelError('game', `must be a GameModel (see createGame), got ${describe(game)}`);
  if (typeof game.value === 'function') return game;
  const s = game.structure;
  switch (s?.type) {
    case 'table':
      return s.table instanceof Float64Array ? ownedTableGame(game.players, s.table) : createGame({ players: game.players, value: { table: s.table } });
    case 'weighted-voting':
      return weightedVotingGame(game.players, s.weights, s.quota);
    case 'airport':
      return airportGame(game.players, s.costs);
    default:
      throw new ModelError(
        'game.value',
        `is missing: a game whose value is a function${s?.type === 'custom' ? ` (${s.name})` : ''} cannot be copied to another thread; build it from a table (tabulate it first), weighted voting or airport data, or solve it in-thread`,
      );
  }
}

/**
 * A table game over a table that is handed over, not copied: a game that crossed a thread
 * arrives with its own copy (a 32 MB table for 22 players: copying it again and checking
 * each entry through createGame's closures held a solver worker for ~100 ms before its
 * first abort poll). Checked with one tight loop, with createGame's error.
 */
function ownedTableGame(players: readonly string[], table: Float64Array): GameModel {
  const names = gamePlayers(players);
  const n = names.length;
  if (n > MAX_MASK_PLAYERS) throw new ModelError('value.table', `needs at most ${MAX_MASK_PLAYERS} players, got ${n}`);
  if (table.length !== 2 ** n) throw new ModelError('value.table', `must have 2^${n} = ${2 ** n} entries, got ${describe(table)}`);
  for (let mask = 0; mask < table.length; mask++) {
    const v = table[mask]!;
    if (v - v !== 0) throw new ModelError(`value({${maskMembers(mask, n).map((i) => names[i]).join(', ')}})`, `must be a finite number, got ${describe(v)}`);
  }
  return gameObject(names, (members) => table[membersMask(members)]!, (mask) => table[mask]!, { type: 'table', table });
}

/** Sorted member indices of a bitmask coalition. */
export function maskMembers(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) out.push(i);
  return out;
}

/** Bitmask of a member list (n <= 30). */
export function membersMask(members: readonly number[]): number {
  let mask = 0;
  for (const i of members) mask |= 1 << i;
  return mask;
}
