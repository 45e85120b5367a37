import { memoryLimit, ModelError, SolveRun, type Guarantee, type Result, type SolveOptions } from '@emplace/core';
import { scenarioLocalSearch } from './scenario-search.js';
import { ScenarioEvaluator, type ScenarioEvaluation, type ScenarioSet } from './scenarios.js';
import { checkExtensiveMemory, extensiveBytes, extensiveForm, extensiveSize, uflEquivalent, type EquivalentOutcome } from './stochastic-extensive.js';

export const STOCHASTIC_METHODS = ['auto', 'extensive', 'ufl-equivalent', 'local-search'] as const;
export type StochasticMethod = (typeof STOCHASTIC_METHODS)[number];

export interface StochasticOptions extends SolveOptions {
  method?: StochasticMethod;
  /** Backend of the extensive-form MIP (default highs). */
  backend?: 'highs' | 'glpk' | 'jslp';
  /** Local search: at most this many exact evaluations of open sets (default unlimited). */
  maxEvaluations?: number;
}

/** A first-stage decision and what it costs in every scenario. */
export interface ScenarioSolution {
  /** Ids of the open sites. */
  open: string[];
  /** Indices of the open sites, ascending. */
  openSites: Int32Array;
  openingCost: number;
  /** Expected recourse (serving + penalty) cost, sum_s p_s recourse_s. */
  expectedRecourse: number;
  /** Recourse cost per scenario (excluding the opening cost). */
  recourse: Float64Array;
  /** Clients left unserved (at the penalty) per scenario. */
  unserved: Float64Array;
  /** Opening cost + the worst recourse, and that scenario's name. */
  worstCase: number;
  worstScenario: string;
}

/** Builds the public solution from an exact evaluation of the open set. */
export function scenarioSolution(set: ScenarioSet, open: Uint8Array, ev: ScenarioEvaluation): ScenarioSolution {
  const ids: string[] = [];
  const idx: number[] = [];
  for (let i = 0; i < set.base.nSites; i++) {
    if (open[i]) {
      ids.push(set.model.siteIds[i]!);
      idx.push(i);
    }
  }
  return {
    open: ids,
    openSites: Int32Array.from(idx),
    openingCost: ev.openingCost,
    expectedRecourse: ev.expected - ev.openingCost,
    recourse: ev.recourse,
    unserved: ev.unserved,
    worstCase: ev.worst,
    worstScenario: set.scenarios[ev.worstScenario]!.name,
  };
}

/**
 * Two-stage stochastic facility location: choose the open sites now to minimise the
 * opening cost plus the expected cost of serving each scenario afterwards (scenario
 * demand, costs and failed sites; see ScenarioSet). Methods:
 * - `extensive`: the extensive-form MIP through @emplace/lp (exact; size sites x clients x scenarios);
 * - `ufl-equivalent` (uncapacitated only): the same problem as one UFL with a client per
 *   (scenario, client), solved by emplace's exact Lagrangian branch-and-bound;
 * - `local-search`: add/drop/swap on the exact expected cost (heuristic, no MIP);
 * - `auto`: ufl-equivalent for uncapacitated sets, extensive otherwise (the local search, with
 *   a warning, when the extensive form exceeds the memory limit).
 * The objective is always recomputed by evaluating the open set on every scenario.
 */
export async function solveStochastic(set: ScenarioSet, options: StochasticOptions = {}): Promise<Result<ScenarioSolution>> {
  checkSet(set);
  const method = options.method ?? 'auto';
  if (!STOCHASTIC_METHODS.includes(method)) throw new ModelError('options.method', `${JSON.stringify(method)} is not a stochastic method; methods: ${STOCHASTIC_METHODS.join(', ')}`);
  if (method === 'ufl-equivalent' && set.capacitated) throw new ModelError('options.method', 'ufl-equivalent needs an uncapacitated scenario set (capacitated: false); use extensive');
  const warnings = [...set.warnings];
  const exact = method !== 'local-search' && extensiveFits(set, method, options, warnings);
  const run = new SolveRun(options, `stochastic:${method}`, 'min');
  const guarantee: Guarantee = exact ? { kind: 'exact' } : { kind: 'heuristic' };
  const evaluator = new ScenarioEvaluator(set);
  if (!exact) {
    const ls = await scenarioLocalSearch(evaluator, (e) => e.expected, run, options.maxEvaluations !== undefined ? { maxEvaluations: options.maxEvaluations } : {});
    return finishScenario(set, run, evaluator, ls.open, guarantee, { warnings, stats: { moves: ls.moves, evaluations: ls.evaluations }, evaluation: ls.evaluation }, (e) => e.expected);
  }
  const useUfl = method === 'ufl-equivalent' || (method === 'auto' && !set.capacitated);
  // A work-bounded local search first (about 5e8 cost evaluations, within the time limit):
  // if the exact search is stopped on a large equivalent, its incumbent can be poor, and
  // this one is kept instead (the exact bound stays valid for either).
  const work = Math.max(1, set.base.nSites * set.base.nClients * set.scenarios.length);
  // Its own run (same deadline and signal), so that reaching its work cap does not stop the exact search.
  const remaining = run.remainingMs();
  const lsRun = new SolveRun({ ...(remaining < Infinity ? { timeLimitMs: remaining } : {}), ...(run.options.signal ? { signal: run.options.signal } : {}), seed: run.rng.nextUint32() }, 'stochastic:local-search', 'min');
  const start = set.capacitated ? null : await scenarioLocalSearch(evaluator, (e) => e.expected, lsRun, { maxEvaluations: Math.max(200, Math.floor(5e8 / work)) });
  if (lsRun.stoppedBy() === 'aborted' || lsRun.stoppedBy() === 'time-limit') run.shouldStop();
  const out: EquivalentOutcome = useUfl
    ? await uflEquivalent(set, evaluator, run)
    : await extensiveForm(set, evaluator, run, { kind: 'expected' }, options.backend ? { backend: options.backend } : {});
  if (out.warnings) warnings.push(...out.warnings);
  if (!out.proven && start) {
    // One evaluation of the exact search's set, kept for the result (each full evaluation
    // is tens of ms on a large set, and this runs after an abort too).
    out.evaluation = out.evaluation ?? (out.open ? evaluator.evaluate(out.open) : null);
    if (!out.evaluation || out.evaluation.expected > start.value) {
      out.open = start.open;
      out.evaluation = start.evaluation;
      warnings.push('the exact search stopped first; the local-search start is better than its incumbent');
    }
  }
  return finishExact(set, run, evaluator, out, guarantee, warnings, (e) => e.expected, useUfl ? 'ufl-equivalent' : 'extensive');
}

export function checkSet(set: ScenarioSet): void {
  if (set === null || typeof set !== 'object' || set.kind !== 'scenarios') throw new ModelError('set', 'must be a ScenarioSet (createScenarioSet)');
}

/** Envelope of an exact deterministic-equivalent solve, objective recomputed from the open set. */
export function finishExact(
  set: ScenarioSet,
  run: SolveRun,
  evaluator: ScenarioEvaluator,
  outcome: EquivalentOutcome,
  guarantee: Guarantee,
  warnings: string[],
  score: (e: ScenarioEvaluation) => number,
  formulation: string,
  shift = 0,
): Result<ScenarioSolution> {
  let out = outcome;
  const stats = { formulation, backendStatus: out.status, variables: out.variables };
  if (!out.open && out.proven && out.bound === Infinity && servable(evaluator)) {
    // The backend's infeasibility is refuted by the set of every allowed site: keep that set, unproven.
    warnings.push(`the backend reported the formulation infeasible (${out.status}), but opening every allowed site serves every scenario: that set is returned without a proof`);
    out = { ...out, open: mostOpenSet(set), proven: false, bound: -Infinity };
  }
  if (!out.open) {
    if (out.proven && out.bound === Infinity) {
      return run.unsolved({
        status: 'infeasible',
        guarantee,
        stats,
        warnings,
        certificate: INFEASIBLE_CERTIFICATE,
      });
    }
    return run.unsolved({ status: 'no-solution', guarantee, stats, warnings, ...(Number.isFinite(out.bound) ? { bound: out.bound + shift } : {}) });
  }
  return finishScenario(set, run, evaluator, out.open, guarantee, { warnings, stats, bound: out.bound + shift, proven: out.proven, evaluation: out.evaluation }, score);
}

export function finishScenario(
  set: ScenarioSet,
  run: SolveRun,
  evaluator: ScenarioEvaluator,
  open: Uint8Array,
  guarantee: Guarantee,
  extra: {
    warnings: string[];
    stats: Record<string, string | number | boolean | undefined>;
    bound?: number;
    proven?: boolean;
    /** The exact evaluation of `open` if the caller has it (saves evaluating every scenario again after a stop). */
    evaluation?: ScenarioEvaluation | null | undefined;
  },
  score: (e: ScenarioEvaluation) => number,
): Result<ScenarioSolution> {
  let chosen = open;
  let ev = extra.evaluation ?? evaluator.evaluate(open);
  let objective = score(ev);
  const warnings = [...extra.warnings];
  if (objective === Infinity) {
    // Opening more sites never makes a scenario harder to serve: when every allowed site
    // open still leaves a client unservable, no open set serves it (proven); otherwise that set is a solution.
    const most = mostOpenSet(set);
    const evMost = evaluator.evaluate(most);
    if (score(evMost) === Infinity) return run.unsolved({ status: 'infeasible', guarantee, stats: extra.stats, warnings, certificate: INFEASIBLE_CERTIFICATE });
    warnings.push('the best open set found leaves some scenario unservable: every allowed site is opened instead');
    chosen = most;
    ev = evMost;
    objective = score(evMost);
  }
  const bound = extra.bound;
  // A proof from the backend holds only if the recomputed value agrees with the bound.
  const proven = extra.proven === true && chosen === open && bound !== undefined && objective <= bound + Math.max(1e-9, run.tolerance) * Math.max(1, Math.abs(objective));
  return run.solved({
    solution: scenarioSolution(set, chosen, ev),
    objective,
    guarantee,
    ...(bound !== undefined && Number.isFinite(bound) ? { bound } : {}),
    proven,
    stats: extra.stats,
    warnings,
  });
}

const INFEASIBLE_CERTIFICATE = {
  reason: 'no set of open sites serves every client in every scenario: some client has no surviving allowed site (or not enough capacity) in some scenario even with every allowed site open, and the penalty is infinite',
  fields: ['scenarios[].failed', 'allowed', 'capacity', 'penalty'],
};

/** Every site that may open (all but the forbidden ones). */
export function mostOpenSet(set: ScenarioSet): Uint8Array {
  const open = new Uint8Array(set.base.nSites);
  for (let i = 0; i < open.length; i++) open[i] = set.base.forbidden[i] ? 0 : 1;
  return open;
}

/** Whether some open set serves every scenario: exactly when the most open set does. */
export function servable(evaluator: ScenarioEvaluator): boolean {
  return evaluator.evaluate(mostOpenSet(evaluator.set)).worst < Infinity;
}

/**
 * The size guard of the extensive form (capacitated sets): `extensive` refuses a model above
 * the memory limit (ModelError naming size and limit); `auto` takes the local search instead,
 * with a warning naming the size. True when the exact method runs.
 */
function extensiveFits(set: ScenarioSet, method: StochasticMethod, options: StochasticOptions, warnings: string[]): boolean {
  if (method === 'ufl-equivalent' || (method === 'auto' && !set.capacitated)) return true;
  const size = extensiveSize(set, { kind: 'expected' });
  if (method === 'extensive') {
    checkExtensiveMemory(size, options);
    return true;
  }
  const bytes = extensiveBytes(size);
  if (bytes <= memoryLimit(options)) return true;
  warnings.push(`auto: the extensive form would have ${size.variables} columns (~${Math.round(bytes / 2 ** 20)} MiB, above the memory limit): solved by the local search instead, no optimality proof`);
  return false;
}
