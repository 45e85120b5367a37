import { ModelError } from './errors.js';
import { describe, indexIds, requireInteger } from './validate.js';

/**
 * A cooperative game (DESIGN.md §2): players and a characteristic function v(S).
 * Coalitions are passed to `value` as sorted player indices; for games of at most 30
 * players `valueOfMask` takes the coalition as a bitmask (bit i = player i), the fast
 * path exact Shapley enumeration uses. v(empty set) is 0 by convention.
 */
export interface GameModel {
  readonly kind: 'game';
  readonly n: number;
  readonly players: readonly string[];
  /** v(S) for S given by sorted player indices. */
  value(members: readonly number[]): number;
  /** v(S) for S given as a bitmask; present when n <= 30. */
  readonly valueOfMask?: (mask: number) => number;
  /** Description of a structured game that polynomial algorithms can exploit. */
  readonly structure?: GameStructure;
}

/** Structured games with polynomial-time solution concepts. */
export type GameStructure =
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

/** Builds a GameModel; checks player names, the table size and that every value it returns is finite. */
export function createGame(input: GameInput): GameModel {
  if (input === null || typeof input !== 'object') throw new ModelError('game', `must be an object, got ${describe(input)}`);
  const players = typeof input.players === 'number'
    ? Array.from({ length: requireInteger('players', input.players, 1, 1 << 20) }, (_, i) => `p${i}`)
    : [...input.players];
  if (players.length === 0) throw new ModelError('players', 'must not be empty');
  indexIds('players', players);
  const n = players.length;
  const fn = input.value;
  const checked = (v: unknown, what: () => string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ModelError(`value(${what()})`, `must be a finite number, got ${describe(v)}`);
    }
    return v;
  };
  const name = (members: readonly number[]): string => `{${members.map((i) => players[i]).join(', ')}}`;
  const nameMask = (mask: number): string => name(maskMembers(mask, n));

  let value: (members: readonly number[]) => number;
  let valueOfMask: ((mask: number) => number) | undefined;
  if (typeof fn === 'function') {
    value = (members) => checked(fn(members), () => name(members));
    if (n <= MAX_MASK_PLAYERS) valueOfMask = (mask) => value(maskMembers(mask, n));
  } else if ('mask' in fn) {
    if (n > MAX_MASK_PLAYERS) throw new ModelError('value.mask', `needs at most ${MAX_MASK_PLAYERS} players, got ${n}`);
    const f = fn.mask;
    valueOfMask = (mask) => checked(f(mask), () => nameMask(mask));
    value = (members) => valueOfMask!(membersMask(members));
  } else if ('table' in fn) {
    if (n > MAX_MASK_PLAYERS) throw new ModelError('value.table', `needs at most ${MAX_MASK_PLAYERS} players, got ${n}`);
    const size = 2 ** n;
    if (fn.table.length !== size) throw new ModelError('value.table', `must have 2^${n} = ${size} entries, got ${fn.table.length}`);
    const table = Float64Array.from(fn.table);
    for (let mask = 0; mask < size; mask++) checked(table[mask], () => nameMask(mask));
    valueOfMask = (mask) => table[mask]!;
    value = (members) => table[membersMask(members)]!;
  } else {
    throw new ModelError('value', 'must be a function, { mask } or { table }');
  }
  return {
    kind: 'game',
    n,
    players,
    value,
    ...(valueOfMask ? { valueOfMask } : {}),
    ...(input.structure ? { structure: input.structure } : {}),
  };
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
