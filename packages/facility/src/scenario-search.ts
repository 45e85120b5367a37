import type { SolveRun } from '@emplace/core';
import type { ScenarioEvaluation, ScenarioEvaluator } from './scenarios.js';

/** The scalar a scenario heuristic minimises, computed from an exact evaluation. */
export type ScenarioScore = (ev: ScenarioEvaluation) => number;

export interface SearchOutcome {
  open: Uint8Array;
  value: number;
  moves: number;
  evaluations: number;
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
  const value = async (o: Uint8Array): Promise<number> => {
    evaluations++;
    const ev = await evaluator.evaluateAsync(o, run);
    return ev ? score(ev) : Infinity;
  };
  const usable: number[] = [];
  for (let i = 0; i < S; i++) if (!base.forbidden[i] && !base.mustOpen[i]) usable.push(i);
  const open = opts.start ? Uint8Array.from(opts.start) : Uint8Array.from(base.mustOpen);
  let best = await value(open);
  if (!opts.start) best = await greedyStart(open, best, usable, value, () => run.shouldStop(), () => evaluations >= maxEval);
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
  return { open, value: best, moves, evaluations };
}

/**
 * Greedy start (in place on `open`, from mustOpen only): add the site that lowers the score
 * most, while one does; returns the score of the final set. A stop keeps the best site of
 * the round under way (it improves on the current score).
 */
async function greedyStart(
  open: Uint8Array,
  start: number,
  usable: readonly number[],
  value: (o: Uint8Array) => Promise<number>,
  stop: () => boolean,
  spent: () => boolean,
): Promise<number> {
  let best = start;
  for (;;) {
    let pick = -1;
    let pickValue = best;
    for (const i of usable) {
      if (open[i]) continue;
      open[i] = 1;
      const v = await value(open);
      open[i] = 0;
      if (v < pickValue - 1e-12 * Math.abs(pickValue) || (best === Infinity && v < pickValue)) {
        pick = i;
        pickValue = v;
      }
      if (stop()) break;
    }
    if (pick >= 0) {
      open[pick] = 1;
      best = pickValue;
    }
    if (pick < 0 || stop() || spent()) return best;
  }
}
