import { ModelError, createGame, describe, type GameModel } from '@emplace/core';

export interface AirportInput {
  players: number | readonly string[];
  /** Cost of the facility (runway length, link capacity...) each player needs; non-negative. */
  costs: ArrayLike<number>;
}

/**
 * The airport game (Littlechild and Owen 1973): player i needs a facility of cost c_i and
 * a coalition pays for the largest one it needs, c(S) = max_{i in S} c_i. A cost game.
 */
export function createAirportGame(input: AirportInput): GameModel {
  const players = typeof input.players === 'number' ? Array.from({ length: input.players }, (_, i) => `p${i}`) : [...input.players];
  const costs = checkCosts(input.costs, players);
  const n = players.length;
  const structure = { type: 'airport' as const, costs };
  if (n <= 30) {
    return createGame({
      players,
      value: {
        mask: (mask: number) => {
          let m = 0;
          for (let r = mask; r !== 0; r &= r - 1) m = Math.max(m, costs[31 - Math.clz32(r & -r)]!);
          return m;
        },
      },
      structure,
    });
  }
  return createGame({
    players,
    value: (members) => {
      let m = 0;
      for (const i of members) m = Math.max(m, costs[i]!);
      return m;
    },
    structure,
  });
}

function checkCosts(costs: ArrayLike<number>, players: readonly string[]): Float64Array {
  if (players.length === 0) throw new ModelError('players', 'must not be empty');
  if (costs.length !== players.length) throw new ModelError('costs', `has ${costs.length} entries for ${players.length} players`);
  const out = new Float64Array(costs.length);
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw new ModelError(`costs[${i}] (${players[i]})`, `must be a finite non-negative number, got ${describe(c)}`);
    }
    out[i] = c;
  }
  return out;
}

/**
 * Shapley value of the airport game in closed form, O(n log n): sort the costs
 * c_(1) <= ... <= c_(n); the increment c_(k) - c_(k-1) is shared equally by the
 * n - k + 1 players who need at least c_(k), so the player of rank j pays
 * sum_{k <= j} (c_(k) - c_(k-1)) / (n - k + 1).
 */
export function airportShapley(costs: ArrayLike<number>): Float64Array {
  const n = costs.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => costs[a]! - costs[b]!);
  const out = new Float64Array(n);
  let share = 0;
  let prev = 0;
  for (let k = 0; k < n; k++) {
    const c = costs[order[k]!]!;
    share += (c - prev) / (n - k);
    prev = c;
    out[order[k]!] = share;
  }
  return out;
}
