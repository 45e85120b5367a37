import { createGame, type GameModel } from '@emplace/core';
import fc from 'fast-check';

/** A random game as a table of 2^n integer values (v(empty) = 0). */
export const tableArb = (minN = 1, maxN = 7) =>
  fc.integer({ min: minN, max: maxN }).chain((n) =>
    fc.array(fc.integer({ min: -50, max: 100 }), { minLength: 2 ** n, maxLength: 2 ** n }).map((t) => {
      t[0] = 0;
      return { n, table: t };
    }),
  );

export function tableGame(n: number, table: readonly number[]): GameModel {
  return createGame({ players: n, value: { table } });
}

/** Shapley value by the definition: average marginal contribution over all n! orders. */
export function shapleyByPermutations(game: GameModel): number[] {
  const n = game.n;
  const phi = new Array<number>(n).fill(0);
  let count = 0;
  const perm = Array.from({ length: n }, (_, i) => i);
  const v = (mask: number) => game.valueOfMask!(mask);
  const visit = (k: number): void => {
    if (k === n) {
      count++;
      let mask = 0;
      let prev = v(0);
      for (const i of perm) {
        mask |= 1 << i;
        const cur = v(mask);
        phi[i]! += cur - prev;
        prev = cur;
      }
      return;
    }
    for (let j = k; j < n; j++) {
      [perm[k], perm[j]] = [perm[j]!, perm[k]!];
      visit(k + 1);
      [perm[k], perm[j]] = [perm[j]!, perm[k]!];
    }
  };
  visit(0);
  return phi.map((x) => x / count);
}
