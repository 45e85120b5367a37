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
 * Heuristic: no ratio is claimed for these objectives.
 */
export function scenarioLocalSearch(
  evaluator: ScenarioEvaluator,
  score: ScenarioScore,
  run: SolveRun,
  opts: { start?: Uint8Array; maxEvaluations?: number } = {},
): SearchOutcome {
  const { base } = evaluator.set;
  const S = base.nSites;
  const maxEval = opts.maxEvaluations ?? Infinity;
  let evaluations = 0;
  const value = (o: Uint8Array): number => {
    evaluations++;
    return score(evaluator.evaluate(o));
  };
  const usable: number[] = [];
  for (let i = 0; i < S; i++) if (!base.forbidden[i] && !base.mustOpen[i]) usable.push(i);
  let open: Uint8Array;
  let best: number;
  if (opts.start) {
    open = Uint8Array.from(opts.start);
    best = value(open);
  } else {
    // Greedy start: add the site that lowers the score most, while it does (from mustOpen only).
    open = Uint8Array.from(base.mustOpen);
    best = value(open);
    for (;;) {
      let pick = -1;
      let pickValue = best;
      for (const i of usable) {
        if (open[i]) continue;
        open[i] = 1;
        const v = value(open);
        open[i] = 0;
        if (v < pickValue - 1e-12 * Math.abs(pickValue) || (best === Infinity && v < pickValue)) {
          pick = i;
          pickValue = v;
        }
      }
      if (pick < 0 || run.shouldStop() || evaluations >= maxEval) break;
      open[pick] = 1;
      best = pickValue;
    }
  }
  let moves = 0;
  const improves = (v: number): boolean => v < best - 1e-12 * Math.max(1, Math.abs(best));
  let improved = true;
  while (improved && !run.shouldStop() && evaluations < maxEval) {
    improved = false;
    // Add or drop one site.
    for (const i of usable) {
      open[i]! ^= 1;
      const v = value(open);
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
        const v = value(open);
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
