import { ModelError, MAX_MASK_PLAYERS, maskMembers, reviveGame, type GameModel } from '@emplace/core';

/**
 * Checks that a game can be solved at all: a GameModel object with at least one player
 * and named players. Solvers call this first so that bad input fails before any work.
 * Returns the game with its value function: a game that crossed a thread by structured
 * clone (a solver worker) arrives as data and is rebuilt here (core's reviveGame).
 */
export function checkGame(game: GameModel): GameModel {
  if (game === null || typeof game !== 'object' || game.kind !== 'game') {
    throw new ModelError('game', 'must be a GameModel (see createGame)');
  }
  if (!Number.isInteger(game.n) || game.n < 1) throw new ModelError('game.players', 'must not be empty');
  if (!Array.isArray(game.players) || game.players.length !== game.n) {
    throw new ModelError('game.players', `has ${Array.isArray(game.players) ? game.players.length : 'no'} names for n = ${game.n} players`);
  }
  return reviveGame(game);
}

/** `{a, b, c}`: a coalition named by its players, for error messages. */
export function coalitionName(game: GameModel, members: readonly number[]): string {
  return `{${members.map((i) => game.players[i]).join(', ')}}`;
}

/**
 * v(S) for a bitmask coalition, from `valueOfMask` when the game has it (n <= 30) or the
 * member list otherwise. Every value is checked to be finite, and an exception thrown by
 * the characteristic function is re-thrown as a ModelError naming the coalition, so a
 * caller's bug deep inside a 2^n enumeration points at the coalition that triggered it.
 */
export function maskEvaluator(game: GameModel): (mask: number) => number {
  if (game.n > MAX_MASK_PLAYERS) {
    throw new ModelError('game.players', `bitmask enumeration needs at most ${MAX_MASK_PLAYERS} players, got ${game.n}`);
  }
  const n = game.n;
  const raw = game.valueOfMask ?? ((mask: number) => game.value(maskMembers(mask, n)));
  return (mask: number): number => {
    let v: number;
    try {
      v = raw(mask);
    } catch (err) {
      throw wrapValueError(game, maskMembers(mask, n), err);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ModelError(`value(${coalitionName(game, maskMembers(mask, n))})`, `must be a finite number, got ${String(v)}`);
    }
    return v;
  };
}

/** v(S) for a sorted member list, checked and with errors naming the coalition. */
export function listEvaluator(game: GameModel): (members: readonly number[]) => number {
  return (members) => {
    let v: number;
    try {
      v = game.value(members);
    } catch (err) {
      throw wrapValueError(game, members, err);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ModelError(`value(${coalitionName(game, members)})`, `must be a finite number, got ${String(v)}`);
    }
    return v;
  };
}

function wrapValueError(game: GameModel, members: readonly number[], err: unknown): Error {
  if (err instanceof ModelError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new ModelError(`value(${coalitionName(game, members)})`, `threw: ${msg}`, { cause: err });
}

/**
 * A coalition grown one player at a time (permutation sampling, stratified sampling):
 * bitmask arithmetic for n <= 30, a sorted member list beyond.
 */
export class CoalitionBuilder {
  private mask = 0;
  private readonly members: number[] = [];
  private readonly byMask: ((mask: number) => number) | undefined;
  private readonly byList: (members: readonly number[]) => number;

  constructor(game: GameModel) {
    this.byMask = game.n <= MAX_MASK_PLAYERS ? maskEvaluator(game) : undefined;
    this.byList = listEvaluator(game);
  }

  reset(): void {
    this.mask = 0;
    this.members.length = 0;
  }

  /** Adds player i (not yet a member). */
  add(i: number): void {
    if (this.byMask) {
      this.mask |= 1 << i;
      return;
    }
    // Insertion keeps the list sorted, as GameModel.value expects.
    const m = this.members;
    let k = m.length;
    m.push(i);
    while (k > 0 && m[k - 1]! > i) {
      m[k] = m[k - 1]!;
      k--;
    }
    m[k] = i;
  }

  value(): number {
    return this.byMask ? this.byMask(this.mask) : this.byList(this.members);
  }

  /** v of the current coalition plus player i, without keeping i. */
  valueWith(i: number): number {
    if (this.byMask) return this.byMask(this.mask | (1 << i));
    this.add(i);
    const v = this.byList(this.members);
    this.members.splice(this.members.indexOf(i), 1);
    return v;
  }
}
