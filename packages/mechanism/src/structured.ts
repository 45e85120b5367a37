import { ModelError, SolveRun, runStepsAsync, type GameModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { airportShapleySteps } from './airport.js';
import { checkGame } from './evaluate.js';
import { MAX_EXACT_PLAYERS, shapleyExact, type ExactShapleyOptions } from './shapley-exact.js';
import { shapleySampling, type SamplingOptions } from './shapley-sampling.js';
import type { SampledValues, ShapleySolution } from './types.js';
import { votingPowerSteps } from './weighted-voting.js';

export interface VotingSolveOptions extends SolveOptions {
  /** Which index `values` holds (default shapley, i.e. Shapley-Shubik). */
  concept?: 'shapley' | 'banzhaf' | undefined;
}

/**
 * Shapley-Shubik (as `values`) and Banzhaf indices of a weighted voting game by the
 * pseudo-polynomial dynamic programme (see weightedVotingPower). Exact fractions for
 * n <= 53. Yields to the event loop once per player (in-thread abort).
 */
export function votingPowerSolve(game: GameModel, options: VotingSolveOptions = {}): Promise<Result<ShapleySolution>> {
  const concept = options.concept ?? 'shapley';
  const run = new SolveRun(options, `${concept}:weighted-voting`, 'max');
  return runStepsAsync(votingSteps(game, options, concept, run), run);
}

function* votingSteps(input: GameModel, options: VotingSolveOptions, concept: 'shapley' | 'banzhaf', run: SolveRun): Steps<Result<ShapleySolution>> {
  const game = checkGame(input);
  const s = game.structure;
  if (!s || s.type !== 'weighted-voting') throw new ModelError('game.structure', "must be a weighted-voting structure (see createWeightedVotingGame)");
  const power = yield* votingPowerSteps(s.weights, s.quota, { shapleyShubik: concept === 'shapley', shouldStop: () => run.shouldStop(), maxMemoryBytes: options.maxMemoryBytes });
  if (!power) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  let total = 0;
  for (const w of s.weights) total += w;
  const values = concept === 'shapley' ? power.shapleyShubik : power.banzhaf;
  let sum = 0;
  for (const v of values) sum += v;
  const exact = concept === 'shapley' ? power.shapleyShubikExact : power.banzhafExact;
  return run.solved({
    solution: {
      concept: concept === 'shapley' ? 'shapley-shubik' : 'banzhaf',
      players: game.players,
      values,
      grandValue: total >= s.quota ? 1 : 0,
      banzhaf: power.banzhaf,
      banzhafIndex: power.banzhafIndex,
      ...(exact ? { exact } : {}),
      ...(power.banzhafExact ? { banzhafExact: power.banzhafExact } : {}),
    },
    objective: sum,
    proven: true,
    guarantee: { kind: 'exact' },
    stats: { players: game.n, cells: power.cells },
  });
}

/** Shapley value of an airport game in closed form (Littlechild-Owen). */
export async function airportSolve(input: GameModel, options: SolveOptions = {}): Promise<Result<ShapleySolution>> {
  const run = new SolveRun(options, 'shapley:airport', 'min');
  const game = checkGame(input);
  const s = game.structure;
  if (!s || s.type !== 'airport') throw new ModelError('game.structure', "must be an airport structure (see createAirportGame)");
  const values = await runStepsAsync(airportShapleySteps(s.costs, () => run.shouldStop()), run);
  if (!values) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: { players: game.n } });
  let sum = 0;
  let grand = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    grand = Math.max(grand, s.costs[i]!);
  }
  return run.solved({
    solution: { concept: 'shapley', players: game.players, values, grandValue: grand },
    objective: sum,
    proven: true,
    guarantee: { kind: 'exact' },
    stats: { players: game.n },
  });
}

/** Largest n `auto` enumerates exactly (2^25 evaluations take seconds for a cheap v). */
export const AUTO_EXACT_PLAYERS = 25;

/**
 * The best Shapley method for the game: the closed form or DP of a structured game, exact
 * enumeration up to 25 players, permutation sampling beyond.
 */
export async function shapleyAuto(input: GameModel, options: SamplingOptions & ExactShapleyOptions = {}): Promise<Result<ShapleySolution | SampledValues>> {
  const game = checkGame(input);
  const s = game.structure;
  if (s?.type === 'weighted-voting') return votingPowerSolve(game, options);
  if (s?.type === 'airport') return airportSolve(game, options);
  if (game.n <= Math.min(AUTO_EXACT_PLAYERS, MAX_EXACT_PLAYERS)) return shapleyExact(game, options);
  return shapleySampling(game, options);
}

/** Banzhaf value: the DP for weighted voting, enumeration otherwise (n <= 30). */
export async function banzhafSolve(input: GameModel, options: SolveOptions & { denominator?: number | undefined } = {}): Promise<Result<ShapleySolution>> {
  const game = checkGame(input);
  if (game.structure?.type === 'weighted-voting') return votingPowerSolve(game, { ...options, concept: 'banzhaf' });
  const r = await shapleyExact(game, options);
  if (r.status !== 'optimal' && r.status !== 'feasible') return r;
  const sol = r.solution;
  let sum = 0;
  for (const b of sol.banzhaf!) sum += b;
  if (!Number.isFinite(sum)) throw new ModelError('game values', `the Banzhaf values sum beyond the float64 range (${sol.banzhaf!.length} players); rescale the game`);
  // The enumeration's bound is v(N), the sum of the Shapley values: the Banzhaf value is not
  // efficient, so v(N) bounds nothing here. The values are computed exactly, so an optimal
  // result's bound is its own objective (docs/concepts.md: gap 0); a feasible one has none.
  const { bound: _shapleyBound, gap: _shapleyGap, ...rest } = r;
  return {
    ...rest,
    ...(r.status === 'optimal' ? { bound: sum, gap: 0 } : {}),
    objective: sum,
    solution: {
      ...sol,
      concept: 'banzhaf',
      values: sol.banzhaf!,
      ...(sol.banzhafExact ? { exact: sol.banzhafExact } : {}),
    },
    stats: { ...r.stats, method: 'banzhaf:exact' },
  };
}
