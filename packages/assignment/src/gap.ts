import { checkMemory, runSteps, runStepsAsync, SolveRun, type PlacementModel, type Result, type Sense, type SolveOptions, type Steps } from '@emplace/core';
import { gapBranchAndBound } from './gap-branch-and-bound.js';
import {
  gapCost,
  gapEvidentInfeasibility,
  gapObjective,
  gapSolution,
  toGapInstance,
  type GapInstance,
  type GapSolution,
} from './gap-instance.js';
import { GapLagrangian, initialMultipliers, subgradientSteps } from './gap-lagrangian.js';
import { gapTabuSteps } from './gap-tabu.js';
import { gapLns } from './gap-lns.js';
import { integralCosts } from './gap-branch-and-bound.js';
import { lagrangianRepair, mthg } from './mthg.js';

/** Options of every GAP method. */
export interface GapOptions extends SolveOptions {
  /** 'min' (costs, default) or 'max' (profits: OR-Library gap1..gap12). */
  sense?: Sense;
  /** Iteration cap of the tabu search (default: none, the time limit decides; 50,000 without a time limit). */
  maxIterations?: number;
  /**
   * Work bound of `auto` and `branch-and-bound`: branch-and-bound nodes (checked every 16
   * nodes). With it the search is bounded by work alone: the root subgradient runs its
   * iterations, the tabu phase `maxIterations` moves (default 10,000), the time-sliced LNS
   * phase is skipped, and no default time limit applies, so the result depends only on the
   * instance and the seed (an explicit `timeLimitMs` still stops it).
   */
  maxNodes?: number | undefined;
}

/** Default budget of `auto` and `tabu` when no time limit is given (ms). */
export const GAP_DEFAULT_TIME_LIMIT_MS = 30_000;

export interface Prepared {
  run: SolveRun;
  inst: GapInstance;
  model: PlacementModel;
}

export function gapPrepare(model: PlacementModel, options: GapOptions | undefined, method: string, defaultLimit?: number): Prepared | Result<GapSolution> {
  const sense = options?.sense ?? 'min';
  // Cost, weight, feasibility, tabu and candidate tables: about 40 bytes per agent x job pair.
  if (model && typeof model === 'object' && Number.isFinite(model.nSites * model.nClients)) {
    checkMemory(`gap:${method}`, `a ${model.nSites} x ${model.nClients} agents x jobs problem`, model.nSites * model.nClients * 40, options);
  }
  const inst = toGapInstance(model, sense);
  const opts: SolveOptions = { ...options };
  if (opts.timeLimitMs === undefined && defaultLimit !== undefined) opts.timeLimitMs = defaultLimit;
  const run = new SolveRun(opts, `gap:${method}`, sense);
  const cert = gapEvidentInfeasibility(inst, model);
  if (cert) return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: cert });
  return { run, inst, model };
}

/** Internal (min-cost) bound to the model's sense. */
function toSense(inst: GapInstance, v: number): number {
  return inst.sense === 'max' ? -v : v;
}

export function gapFinish(
  p: Prepared,
  assignment: Int32Array | undefined,
  args: { bound?: number; proven?: boolean; guarantee: 'exact' | 'heuristic'; iterations?: number; stats?: Record<string, string | number | boolean | undefined> },
): Result<GapSolution> {
  const { run, inst, model } = p;
  const guarantee = { kind: args.guarantee } as const;
  const bound = args.bound !== undefined && Number.isFinite(args.bound) ? toSense(inst, args.bound) : undefined;
  if (!assignment) {
    return run.unsolved({
      status: 'no-solution',
      guarantee,
      ...(bound !== undefined ? { bound } : {}),
      ...(args.iterations !== undefined ? { iterations: args.iterations } : {}),
      ...(args.stats ? { stats: args.stats } : {}),
      warnings: ['no feasible assignment found (the instance may still be feasible)'],
    });
  }
  return run.solved({
    solution: gapSolution(inst, model, assignment),
    objective: gapObjective(model, assignment),
    ...(bound !== undefined ? { bound } : {}),
    ...(args.proven ? { proven: true } : {}),
    guarantee,
    ...(args.iterations !== undefined ? { iterations: args.iterations } : {}),
    ...(args.stats ? { stats: args.stats } : {}),
  });
}

/**
 * A heuristic found no assignment. That says nothing about the instance (a tight GAP is
 * hard to fill), so the status is settled by the exact branch-and-bound: a solution
 * (feasible), a complete search (infeasible, proven), or a stop before either
 * (no-solution with the stop's reason). Without a time limit it gets the default budget.
 */
function settleWithoutIncumbent(p: Prepared, bound: number | undefined, u: Float64Array | undefined): Result<GapSolution> {
  const { inst, run } = p;
  const until = run.deadline === Infinity ? run.elapsedMs() + GAP_DEFAULT_TIME_LIMIT_MS : Infinity;
  let capped = false;
  const b = gapBranchAndBound(inst, {
    stop: () => {
      if (run.shouldStop()) return true;
      if (run.elapsedMs() >= until) capped = true;
      return capped;
    },
    incumbentCost: Infinity,
    rootU: u ?? initialMultipliers(inst),
    rootIterations: 100,
  });
  if (!b.complete && capped) run.markStopped('time-limit');
  if (b.assignment) {
    const proved = b.complete ? b.cost : Math.max(bound ?? -Infinity, b.bound);
    return gapFinish(p, b.assignment, { bound: proved, proven: b.complete, guarantee: 'heuristic', stats: { nodes: b.nodes, settledBy: 'branch-and-bound' } });
  }
  if (b.complete) {
    return run.unsolved({
      status: 'infeasible',
      guarantee: { kind: 'heuristic' },
      certificate: { reason: 'branch-and-bound found no assignment within the capacities', fields: ['capacity'] },
      stats: { nodes: b.nodes },
    });
  }
  return gapFinish(p, undefined, { ...(bound !== undefined ? { bound } : {}), guarantee: 'heuristic', stats: { nodes: b.nodes } });
}

/** Martello-Toth MTHG with its improvement phase (all four desirability criteria; the best kept). */
export function gapMthg(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'mthg');
  if (!('inst' in p)) return p;
  const a = mthg(p.inst);
  if (!a && !p.run.shouldStop()) return settleWithoutIncumbent(p, undefined, undefined);
  return gapFinish(p, a, { guarantee: 'heuristic' });
}

interface RootResult {
  bound: number;
  u: Float64Array;
  best: Int32Array | undefined;
  bestCost: number;
  iterations: number;
}

/** MTHG, then the subgradient on the Lagrangian dual with the Lagrangian heuristic. */
function* root(p: Prepared, maxIterations: number, share = 1): Steps<RootResult> {
  const { inst, run } = p;
  // The subgradient may use only `share` of the remaining budget (the rest is for search).
  const rem = run.remainingMs();
  const until = rem === Infinity ? Infinity : run.elapsedMs() + share * rem;
  let best = mthg(inst);
  let bestCost = best ? gapCost(inst, best) : Infinity;
  const lag = new GapLagrangian(inst);
  let evals = 0;
  const integral = integralCosts(inst);
  const res = yield* subgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), {
    upper: () => bestCost,
    maxIterations,
    stop: () => run.shouldStop() || run.elapsedMs() >= until,
    target: integral ? bestCost - 1 + 1e-6 : bestCost,
    onIterate: (v) => {
      if (evals++ % 5 === 0) {
        const a = lagrangianRepair(inst, lag.x, undefined, inst.cost);
        if (a) {
          const c = gapCost(inst, a);
          if (c < bestCost - 1e-9) {
            bestCost = c;
            best = a;
          }
        }
        run.progress({ phase: 'lagrangian', incumbent: toSense(inst, bestCost), bound: toSense(inst, v), iterations: evals });
      }
    },
  });
  const bound = integral && Number.isFinite(res.bound) ? Math.ceil(res.bound - 1e-6) : res.bound;
  return { bound, u: res.u, best, bestCost, iterations: res.iterations };
}

/**
 * Lagrangian relaxation of the assignment constraints (a knapsack per agent) optimised by
 * subgradient: a PROVEN bound, plus the feasible assignment the Lagrangian heuristic
 * repaired from the relaxed solutions (improved by MTHG's shift phase).
 */
export function gapLagrangian(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'lagrangian');
  if (!('inst' in p)) return p;
  return runSteps(lagrangianSteps(p, options));
}

/** `gapLagrangian` yielding to the event loop every 10 ms (the registry's in-thread solve). */
export async function gapLagrangianAsync(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'lagrangian');
  if (!('inst' in p)) return p;
  return runStepsAsync(lagrangianSteps(p, options), p.run);
}

function* lagrangianSteps(p: Prepared, options: GapOptions | undefined): Steps<Result<GapSolution>> {
  const r = yield* root(p, options?.maxIterations ?? 1000);
  if (!r.best && !p.run.shouldStop()) return settleWithoutIncumbent(p, r.bound, r.u);
  return gapFinish(p, r.best, { bound: r.bound, guarantee: 'heuristic', iterations: r.iterations, stats: { lagrangianBound: toSense(p.inst, r.bound) } });
}

/** Tabu search with strategic oscillation (shift + swap), started from MTHG / the Lagrangian heuristic. */
export function gapTabuSearch(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'tabu', options?.maxIterations === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return p;
  return runSteps(tabuSteps(p, options));
}

/** `gapTabuSearch` yielding to the event loop every 10 ms (the registry's in-thread solve). */
export async function gapTabuSearchAsync(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'tabu', options?.maxIterations === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return p;
  return runStepsAsync(tabuSteps(p, options), p.run);
}

function* tabuSteps(p: Prepared, options: GapOptions | undefined): Steps<Result<GapSolution>> {
  const { inst, run } = p;
  const r = yield* root(p, 300, 0.25);
  if (!r.best) return run.shouldStop() ? gapFinish(p, undefined, { bound: r.bound, guarantee: 'heuristic' }) : settleWithoutIncumbent(p, r.bound, r.u);
  const t = yield* gapTabuSteps(inst, r.best, {
    rng: run.rng,
    stop: () => run.shouldStop(),
    maxIterations: options?.maxIterations ?? Infinity,
    lowerBound: r.bound,
    onImprove: (c) => run.progress({ phase: 'tabu', incumbent: toSense(inst, c), bound: toSense(inst, r.bound) }),
  });
  const best = t.cost < r.bestCost ? t.assignment : r.best;
  if (options?.maxIterations !== undefined && t.iterations >= options.maxIterations) run.hitIterationLimit();
  return gapFinish(p, best, { bound: r.bound, guarantee: 'heuristic', iterations: t.iterations, stats: { lagrangianBound: toSense(inst, r.bound) } });
}

/**
 * Exact branch-and-bound on the Lagrangian bound, started from the root subgradient and
 * (on larger instances) a tabu-search incumbent. Without a time limit it runs to proof.
 */
export function gapBranchAndBoundSolve(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'branch-and-bound');
  if (!('inst' in p)) return p;
  return runSteps(exactSearch(p, false, workBound(options)));
}

/** `gapBranchAndBoundSolve` yielding to the event loop between phases (the registry's in-thread solve). */
export async function gapBranchAndBoundAsync(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'branch-and-bound');
  if (!('inst' in p)) return p;
  return runStepsAsync(exactSearch(p, false, workBound(options)), p.run);
}

/**
 * `auto`: MTHG and the Lagrangian root; then a tabu phase on instances too large to be
 * proved quickly; then branch-and-bound for the rest of the budget (default 30 s).
 */
export function gapAuto(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'auto', options?.maxNodes === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return p;
  return runSteps(exactSearch(p, p.inst.m * p.inst.n > 1200, workBound(options)));
}

/** `gapAuto` yielding to the event loop every 10 ms in its root and tabu phases (the registry's in-thread solve). */
export async function gapAutoAsync(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'auto', options?.maxNodes === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return p;
  return runStepsAsync(exactSearch(p, p.inst.m * p.inst.n > 1200, workBound(options)), p.run);
}

/** The work caps of `maxNodes` mode (see GapOptions.maxNodes), undefined without it. */
interface WorkBound {
  maxNodes: number;
  tabuIterations: number;
}

function workBound(options: GapOptions | undefined): WorkBound | undefined {
  if (options?.maxNodes === undefined) return undefined;
  return { maxNodes: options.maxNodes, tabuIterations: options.maxIterations ?? 10_000 };
}

/**
 * The exact pipeline: Lagrangian root (bound + Lagrangian heuristic); then
 *  - small instances (`searchFirst` false): branch-and-bound for up to 40 % of the budget;
 *    when it has not finished, tabu + LNS improve the plan and the B&B bound stays;
 *  - large instances: tabu (20 %), LNS re-solving a few agents exactly (60 %), then
 *    branch-and-bound with the best plan as incumbent for the rest.
 * Without a time limit the branch-and-bound runs to completion. With a work bound (`work`) the
 * phases are capped by nodes and tabu moves instead of shares of the time, and LNS is skipped.
 */
function* exactSearch(p: Prepared, searchFirst: boolean, work?: WorkBound): Steps<Result<GapSolution>> {
  const { inst, run } = p;
  const r = yield* root(p, 500, work ? 1 : 0.25);
  let best = r.best;
  let bestCost = r.bestCost;
  let bound = r.bound;
  const integral = integralCosts(inst);
  const closed = (): boolean => (integral ? bound > bestCost - 1 + 1e-6 : bound >= bestCost - 1e-9 * Math.max(1, Math.abs(bestCost)));
  let tabuIterations = 0;
  let lnsRounds = 0;
  let nodes = 0;
  const limited = run.deadline !== Infinity;
  const phaseUntil = (share: number): number => (limited ? run.elapsedMs() + share * run.remainingMs() : Infinity);
  const stats = (): Record<string, number> => ({ lagrangianBound: toSense(inst, r.bound), nodes, tabuIterations, lnsRounds });
  const keep = (c: number, a: Int32Array): void => {
    if (c < bestCost - 1e-9) {
      bestCost = c;
      best = Int32Array.from(a);
    }
  };

  const search = function* (tabuShare: number, lnsShare: number): Steps<void> {
    if (!best || closed() || run.shouldStop()) return;
    const tUntil = work ? Infinity : limited ? phaseUntil(tabuShare) : run.elapsedMs() + 2000;
    const t = yield* gapTabuSteps(inst, best, {
      rng: run.rng,
      stop: () => run.shouldStop() || run.elapsedMs() >= tUntil,
      maxIterations: work ? work.tabuIterations : Infinity,
      lowerBound: bound,
      onImprove: (c) => run.progress({ phase: 'tabu', incumbent: toSense(inst, c), bound: toSense(inst, bound) }),
    });
    tabuIterations += t.iterations;
    keep(t.cost, t.assignment);
    if (work && t.iterations >= work.tabuIterations) run.hitIterationLimit();
    if (work || closed() || run.shouldStop()) return;
    const lUntil = limited ? phaseUntil(lnsShare) : run.elapsedMs() + 4000;
    const l = gapLns(inst, best, {
      rng: run.rng,
      stop: () => run.shouldStop() || run.elapsedMs() >= lUntil,
      lowerBound: integral ? bound - 1 + 1e-6 : bound,
      onImprove: (c) => run.progress({ phase: 'lns', incumbent: toSense(inst, c), bound: toSense(inst, bound) }),
    });
    lnsRounds += l.rounds;
    keep(l.cost, l.assignment);
  };

  const branch = (share: number): { complete: boolean } => {
    const until = limited && !work ? phaseUntil(share) : Infinity;
    const maxNodes = work ? work.maxNodes : Infinity;
    let outOfNodes = false;
    const b = gapBranchAndBound(inst, {
      stop: () => outOfNodes || run.shouldStop() || run.elapsedMs() >= until,
      ...(best ? { incumbent: best } : {}),
      incumbentCost: bestCost,
      rootU: r.u,
      rootIterations: 100,
      onImprove: (c) => run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, c), bound: toSense(inst, bound) }),
      onNode: (k, up) => {
        if (nodes + k >= maxNodes) outOfNodes = true;
        run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, up), bound: toSense(inst, bound), iterations: k });
      },
    });
    nodes += b.nodes;
    if (outOfNodes && !b.complete) run.hitIterationLimit();
    if (b.assignment) keep(b.cost, b.assignment);
    if (b.complete) bound = Math.max(bound, b.cost);
    else bound = Math.max(bound, Math.min(b.bound, bestCost));
    return { complete: b.complete };
  };

  let complete = false;
  if (best && closed()) complete = true;
  else if (!searchFirst) {
    complete = branch(0.4).complete;
    if (!complete) {
      yield;
      yield* search(0.25, 1);
    }
  } else {
    yield* search(0.2, 0.75);
    yield;
    if (!closed() && !run.shouldStop()) complete = branch(1).complete;
  }
  if (!best && complete) {
    return run.unsolved({
      status: 'infeasible',
      guarantee: { kind: 'exact' },
      certificate: { reason: 'branch-and-bound found no assignment within the capacities', fields: ['capacity'] },
      stats: { nodes },
    });
  }
  return gapFinish(p, best, { bound, proven: complete || closed(), guarantee: 'exact', stats: stats() });
}
