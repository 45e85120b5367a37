import type { SolveRun } from '@emplace/core';
import type { ScenarioEvaluation, ScenarioEvaluator } from './scenarios.js';

/** The scalar a scenario heuristic minimises, computed from an exact evaluation. */
export type ScenarioScore = (ev: ScenarioEvaluation) => number;

export interface SearchOutcome {
  open: Uint8Array;
  value: number;
  moves: number;
  evaluations: number;
  /**
   * The exact evaluation of `open` when the search made one (not when it started from
   * `opts.start` and stopped before evaluating it): the caller reuses it instead of
   * evaluating every scenario again after a stop (issue 13: 20-30 ms on 200 scenarios).
   */
  evaluation: ScenarioEvaluation | null;
}

/**
 * First-improvement add / drop / swap local search over open sets, each move scored by
 * the exact second-stage evaluation of every scenario (so the heuristic optimises the true
 * expected, worst or regret objective, not a proxy). Starts from the best single site
 * (plus mustOpen) and stops at a local optimum, on `maxEvaluations`, or when the run stops.
 * Every evaluation yields to the event loop between scenarios (one evaluation of a large
 * set takes tens of ms); an evaluation cut short by a stop is discarded, and the best open
 * set so far is returned. Heuristic: no ratio is claimed for these objectives.
 */
export async function scenarioLocalSearch(
  evaluator: ScenarioEvaluator,
  score: ScenarioScore,
  run: SolveRun,
  opts: { start?: Uint8Array; maxEvaluations?: number } = {},
): Promise<SearchOutcome> {
  const { base } = evaluator.set;
  const S = base.nSites;
  const maxEval = opts.maxEvaluations ?? Infinity;
  let evaluations = 0;
  /** The score of `o`; Infinity (never an improvement) when the run stopped mid-evaluation. */
  let last = null as ScenarioEvaluation | null;
  const value = async (o: Uint8Array): Promise<number> => {
    evaluations++;
    last = await evaluator.evaluateAsync(o, run);
    return last ? score(last) : Infinity;
  };
  const usable: number[] = [];
  for (let i = 0; i < S; i++) if (!base.forbidden[i] && !base.mustOpen[i]) usable.push(i);
  const open = opts.start ? Uint8Array.from(opts.start) : Uint8Array.from(base.mustOpen);
  let best = await value(open);
  let bestEvaluation = last;
  if (!opts.start) {
    const greedy = await greedyStart(open, best, bestEvaluation, usable, value, () => last, () => run.shouldStop(), () => evaluations >= maxEval);
    best = greedy.value;
    bestEvaluation = greedy.evaluation;
  }
  let moves = 0;
  const improves = (v: number): boolean => v < best - 1e-12 * Math.max(1, Math.abs(best));
  let improved = true;
  while (improved && !run.shouldStop() && evaluations < maxEval) {
    improved = false;
    // Add or drop one site.
    for (const i of usable) {
      open[i]! ^= 1;
      const v = await value(open);
      if (improves(v)) {
        best = v;
        bestEvaluation = last;
        moves++;
        improved = true;
      } else open[i]! ^= 1;
      if (run.shouldStop() || evaluations >= maxEval) break;
    }
    if (improved) continue;
    // Swap an open site for a closed one.
    outer: for (const a of usable) {
      if (!open[a]) continue;
      for (const b of usable) {
        if (open[b]) continue;
        open[a] = 0;
        open[b] = 1;
        const v = await value(open);
        if (improves(v)) {
          best = v;
          bestEvaluation = last;
          moves++;
          improved = true;
          break outer;
        }
        open[a] = 1;
        open[b] = 0;
        if (run.shouldStop() || evaluations >= maxEval) break outer;
      }
    }
  }
  if (evaluations >= maxEval) run.hitIterationLimit();
  return { open, value: best, moves, evaluations, evaluation: bestEvaluation };
}

/**
 * Greedy start (in place on `open`, from mustOpen only): add the site that lowers the score
 * most, while one does; returns the score of the final set. A stop keeps the best site of
 * the round under way (it improves on the current score).
 */
async function greedyStart(
  open: Uint8Array,
  start: number,
  startEvaluation: ScenarioEvaluation | null,
  usable: readonly number[],
  value: (o: Uint8Array) => Promise<number>,
  lastEvaluation: () => ScenarioEvaluation | null,
  stop: () => boolean,
  spent: () => boolean,
): Promise<{ value: number; evaluation: ScenarioEvaluation | null }> {
  let best = start;
  let bestEvaluation = startEvaluation;
  for (;;) {
    let pick = -1;
    let pickValue = best;
    let pickEvaluation: ScenarioEvaluation | null = null;
    for (const i of usable) {
      if (open[i]) continue;
      open[i] = 1;
      const v = await value(open);
      open[i] = 0;
      if (v < pickValue - 1e-12 * Math.abs(pickValue) || (best === Infinity && v < pickValue)) {
        pick = i;
        pickValue = v;
        pickEvaluation = lastEvaluation();
      }
      if (stop()) break;
    }
    if (pick >= 0) {
      open[pick] = 1;
      best = pickValue;
      bestEvaluation = pickEvaluation;
    }
    if (pick < 0 || stop() || spent()) return { value: best, evaluation: bestEvaluation };
  }
}

/**
 * Every admissible open set (mustOpen in, forbidden out), each scored by the exact
 * evaluation: an exact method for few free sites, used where the MIP backend's tolerances
 * cannot be trusted (costs spanning more than FORMULATION_RANGE_LIMIT). Null when the run
 * stopped first; `value` Infinity when no set serves every counted scenario.
 */
export async function exhaustiveOpenSets(evaluator: ScenarioEvaluator, score: ScenarioScore, run: SolveRun): Promise<{ open: Uint8Array; value: number; evaluation: ScenarioEvaluation } | null> {
  const { base } = evaluator.set;
  const free: number[] = [];
  for (let i = 0; i < base.nSites; i++) if (!base.forbidden[i] && !base.mustOpen[i]) free.push(i);
  let best: { open: Uint8Array; value: number; evaluation: ScenarioEvaluation } | null = null;
  const open = new Uint8Array(base.nSites);
  for (let mask = 0; mask < 2 ** free.length; mask++) {
    for (let i = 0; i < base.nSites; i++) open[i] = base.mustOpen[i] ? 1 : 0;
    free.forEach((i, b) => (open[i] = Math.floor(mask / 2 ** b) % 2));
    const ev = await evaluator.evaluateAsync(open, run);
    if (!ev) return null;
    const v = score(ev);
    if (!best || v < best.value) best = { open: Uint8Array.from(open), value: v, evaluation: ev };
  }
  return best;
}

/** Work (open sets x scenarios x sites x clients) up to which `exhaustiveOpenSets` may replace the MIP. */
export const EXHAUSTIVE_OPEN_SETS_WORK = 2e7;

/** Whether `exhaustiveOpenSets` fits its work budget on this set. */
export function exhaustiveFits(evaluator: ScenarioEvaluator): boolean {
  const { base, scenarios } = evaluator.set;
  let free = 0;
  for (let i = 0; i < base.nSites; i++) if (!base.forbidden[i] && !base.mustOpen[i]) free++;
  return free <= 20 && 2 ** free * scenarios.length * Math.max(1, base.nSites * base.nClients) <= EXHAUSTIVE_OPEN_SETS_WORK;
}
