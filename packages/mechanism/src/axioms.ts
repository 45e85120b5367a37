import { ModelError, type GameModel } from '@emplace/core';
import { checkGame, maskEvaluator } from './evaluate.js';

export interface AxiomReport {
  /** sum_i x_i - (v(N) - v(empty)). */
  efficiencyGap: number;
  efficient: boolean;
  /** Pairs (i, j) that are symmetric in the game (v(S+i) = v(S+j) for all S without i, j) but get different values. */
  symmetryViolations: [number, number][];
  /** Null players (v(S+i) = v(S) for all S) with a non-zero value. */
  nullPlayerViolations: number[];
  /** Null players found. */
  nullPlayers: number[];
  /** Symmetric pairs found. */
  symmetricPairs: number;
  ok: boolean;
}

/**
 * Checks an allocation against the Shapley axioms: efficiency, symmetry and the null
 * player, by enumerating the game (n <= 20: O(n^2 2^n) for the symmetry test). The
 * Shapley value passes all three; other allocations show where they differ.
 */
export function checkAxioms(game: GameModel, x: ArrayLike<number>, tolerance = 1e-9): AxiomReport {
  game = checkGame(game);
  const n = game.n;
  if (n > 20) throw new ModelError('game.players', `axiom checks enumerate n^2 2^n coalition pairs and take at most 20 players, got ${n}`);
  if (x.length !== n) throw new ModelError('allocation', `has ${x.length} entries for ${n} players`);
  const count = 2 ** n;
  const value = maskEvaluator(game);
  const v = new Float64Array(count);
  let scale = 1;
  for (let m = 1; m < count; m++) {
    v[m] = value(m); // v(empty) = 0 by convention
    scale = Math.max(scale, Math.abs(v[m]!));
  }
  const tol = tolerance * scale;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const efficiencyGap = sum - (v[count - 1]! - v[0]!);
  const nullPlayers: number[] = [];
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    let isNull = true;
    for (let m = 0; m < count && isNull; m++) if (!(m & bit) && Math.abs(v[m | bit]! - v[m]!) > tol) isNull = false;
    if (isNull) nullPlayers.push(i);
  }
  const symmetryViolations: [number, number][] = [];
  let symmetricPairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const bi = 1 << i;
      const bj = 1 << j;
      let sym = true;
      for (let m = 0; m < count && sym; m++) if (!(m & bi) && !(m & bj) && Math.abs(v[m | bi]! - v[m | bj]!) > tol) sym = false;
      if (sym) {
        symmetricPairs++;
        if (Math.abs(x[i]! - x[j]!) > tol) symmetryViolations.push([i, j]);
      }
    }
  }
  const nullPlayerViolations = nullPlayers.filter((i) => Math.abs(x[i]!) > tol);
  const efficient = Math.abs(efficiencyGap) <= tol;
  return {
    efficiencyGap,
    efficient,
    symmetryViolations,
    nullPlayerViolations,
    nullPlayers,
    symmetricPairs,
    ok: efficient && symmetryViolations.length === 0 && nullPlayerViolations.length === 0,
  };
}
