import { memoryLimit, ModelError, SolveRun, type Guarantee, type Result, type SolveOptions } from '@emplace/core';
import { scenarioLocalSearch } from './scenario-search.js';
import { ScenarioEvaluator, type ScenarioEvaluation, type ScenarioSet } from './scenarios.js';
import { checkSet, finishExact, finishScenario, mostOpenSet, servable, type ScenarioSolution } from './stochastic.js';
import { checkExtensiveMemory, extensiveBytes, extensiveForm, extensiveSize, uflEquivalent } from './stochastic-extensive.js';

export const ROBUST_METHODS = ['auto', 'mip', 'local-search'] as const;
export type RobustMethod = (typeof ROBUST_METHODS)[number];
export type RobustCriterion = 'min-max' | 'min-max-regret';

export interface RobustOptions extends SolveOptions {
  method?: RobustMethod;
  /** `min-max` (default): the worst scenario's total cost; `min-max-regret`: the worst excess over each scenario's own optimum. */
  criterion?: RobustCriterion;
  backend?: 'highs' | 'glpk' | 'jslp';
  /** Local search: at most this many exact evaluations of open sets. */
  maxEvaluations?: number;
}

export interface RobustSolution extends ScenarioSolution {
  /** Total cost (opening + recourse) per scenario. */
  scenarioCost: Float64Array;
  /** min-max-regret: each scenario's own optimum (what a clairvoyant would pay) and the regret of this decision. */
  scenarioOptimum?: Float64Array;
  regret?: Float64Array;
}

/**
 * Largest epigraph MIP (columns) that `auto` hands to HiGHS. Measured on capb-like scenario
 * sets (robust:mip, 20 s limit, load ~4): 10 x 50 x 20 scenarios (10,000 columns) proved in
 * 1.7 s, 20 x 100 x 20 (40,000) in 10 s, 25 x 200 x 20 (100,000) and larger found no
 * solution at all in 20 s; 50 x 500 x 200 (5M columns, ~465 MB of buffers) is a long
 * synchronous build and garbage collection for nothing. Above this the local search answers.
 */
export const ROBUST_MIP_MAX_COLUMNS = 50_000;

/**
 * Robust facility location over a scenario set (probabilities ignored):
 * - `min-max`: minimise max_s [f.y + recourse_s(y)];
 * - `min-max-regret`: minimise max_s [f.y + recourse_s(y) - OPT_s], where OPT_s is the
 *   optimum of scenario s alone (each solved exactly first, by the UFL branch-and-bound or
 *   the MIP).
 * Methods: `mip` (the epigraph MIP through @emplace/lp: min z, z >= cost of every scenario,
 * exact), `local-search` (add/drop/swap on the exact worst-case / worst-regret value),
 * `auto`: the MIP up to ROBUST_MIP_MAX_COLUMNS columns (and within the memory budget), the
 * local search above, with a warning naming the size.
 */
export async function solveRobust(set: ScenarioSet, options: RobustOptions = {}): Promise<Result<RobustSolution>> {
  checkSet(set);
  const method = options.method ?? 'auto';
  if (!ROBUST_METHODS.includes(method)) throw new ModelError('options.method', `${JSON.stringify(method)} is not a robust method; methods: ${ROBUST_METHODS.join(', ')}`);
  const criterion = options.criterion ?? 'min-max';
  if (criterion !== 'min-max' && criterion !== 'min-max-regret') throw new ModelError('options.criterion', `must be min-max or min-max-regret, got ${JSON.stringify(criterion)}`);
  const warnings = [...set.warnings];
  const exact = method === 'mip' || (method === 'auto' && mipFits(set, options, warnings));
  if (method === 'mip') checkExtensiveMemory(extensiveSize(set, { kind: 'worst' }), options);
  const run = new SolveRun(options, `robust-${criterion}:${method}`, 'min');
  const guarantee: Guarantee = exact ? { kind: 'exact' } : { kind: 'heuristic' };
  const evaluator = new ScenarioEvaluator(set);
  const n = set.scenarios.length;

  // Each scenario's own optimum (regret only).
  let optimum: Float64Array | undefined;
  let optimaProven = true;
  if (criterion === 'min-max-regret') {
    optimum = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      if (await run.tick()) return run.unsolved({ status: 'no-solution', guarantee, warnings, stats: { scenarioOptimaSolved: s } });
      const single: ScenarioSet = { ...set, scenarios: [{ ...set.scenarios[s]!, probability: 1 }] };
      const one = new ScenarioEvaluator(single);
      const out = set.capacitated ? await extensiveForm(single, one, run, { kind: 'expected' }, options.backend ? { backend: options.backend } : {}) : await uflEquivalent(single, one, run);
      if (!out.open && out.proven && out.bound === Infinity && servable(one)) {
        // A backend's infeasibility refuted by opening every allowed site: that set, unproven.
        out.open = mostOpenSet(single);
        out.proven = false;
      }
      if (!out.open) {
        if (out.proven && out.bound === Infinity) {
          return run.unsolved({ status: 'infeasible', guarantee, warnings, certificate: { reason: `scenario ${JSON.stringify(set.scenarios[s]!.name)} cannot be served by any open set`, fields: [`scenarios[${s}]`] } });
        }
        return run.unsolved({ status: 'no-solution', guarantee, warnings, stats: { scenarioOptimaSolved: s } });
      }
      // The recomputed value of the scenario's best set; when not proven the regret is
      // measured against the best known value (and the result is not claimed optimal).
      optimum[s] = one.evaluate(out.open).expected;
      if (!out.proven) optimaProven = false;
    }
    if (!optimaProven) warnings.push('some scenario optima were not proven (time limit): regrets are relative to the best values found');
  }
  const opt = optimum;
  const score = (e: ScenarioEvaluation): number => {
    if (!opt) return e.worst;
    let worst = -Infinity;
    for (let s = 0; s < n; s++) {
      const r = e.openingCost + e.recourse[s]! - opt[s]!;
      if (r > worst) worst = r;
    }
    return worst;
  };
  let res: Result<ScenarioSolution>;
  if (!exact) {
    const ls = await scenarioLocalSearch(evaluator, score, run, options.maxEvaluations !== undefined ? { maxEvaluations: options.maxEvaluations } : {});
    res = finishScenario(set, run, evaluator, ls.open, guarantee, { warnings, stats: { moves: ls.moves, evaluations: ls.evaluations }, evaluation: ls.evaluation }, score);
  } else {
    const out = await extensiveForm(set, evaluator, run, opt ? { kind: 'regret', optimum: opt } : { kind: 'worst' }, options.backend ? { backend: options.backend } : {});
    if (out.warnings) warnings.push(...out.warnings);
    if (!optimaProven) out.proven = false;
    res = finishExact(set, run, evaluator, out, guarantee, warnings, score, 'epigraph-mip');
  }
  if (res.status !== 'optimal' && res.status !== 'feasible') return res as Result<never>;
  const sol = res.solution;
  const scenarioCost = new Float64Array(n);
  for (let s = 0; s < n; s++) scenarioCost[s] = sol.openingCost + sol.recourse[s]!;
  const robust: RobustSolution = { ...sol, scenarioCost };
  if (opt) {
    robust.scenarioOptimum = opt;
    robust.regret = scenarioCost.map((c, s) => c - opt[s]!);
  }
  return { ...res, solution: robust };
}

/**
 * `auto`: whether the epigraph MIP is small enough for HiGHS (ROBUST_MIP_MAX_COLUMNS) and the
 * memory budget; when not, a warning naming the size (the local search answers instead).
 */
function mipFits(set: ScenarioSet, options: RobustOptions, warnings: string[]): boolean {
  const size = extensiveSize(set, { kind: 'worst' });
  const bytes = extensiveBytes(size);
  if (size.variables <= ROBUST_MIP_MAX_COLUMNS && bytes <= memoryLimit(options)) return true;
  warnings.push(
    `auto: the epigraph MIP would have ${size.variables} columns (${set.base.nSites} sites x ${set.base.nClients} clients x ${set.scenarios.length} scenarios; limit ${ROBUST_MIP_MAX_COLUMNS}, ~${Math.round(bytes / 2 ** 20)} MiB): solved by the local search instead, no optimality proof`,
  );
  return false;
}
