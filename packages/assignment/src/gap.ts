import { checkMemory, runStepsAsync, SolveRun, type PlacementModel, type Result, type Sense, type SolveOptions, type Steps } from '@emplace/core';
import { gapBranchAndBoundSteps, integralCosts, type GapBnbResult } from './gap-branch-and-bound.js';
import {
  gapCost,
  gapEvidentInfeasibility,
  gapObjective,
  gapSolution,
  toGapInstance,
  type GapInstance,
  type GapPlan,
  type GapSolution,
  type GapWalkOptions,
} from './gap-instance.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers, polyakTarget } from './gap-lagrangian.js';
import { gapLnsSteps } from './gap-lns.js';
import { gapEjectionSteps } from './gap-ejection.js';
import { gapTabuSteps } from './gap-tabu.js';
import { equalFiniteCapacities, lagrangianRepair, mthg, MTHG_CRITERIA, type MthgCriterion } from './mthg.js';

/** Options of every GAP method. */
export interface GapOptions extends SolveOptions {
  /** 'min' (costs, default) or 'max' (profits: OR-Library gap1..gap12). */
  sense?: Sense | undefined;
  /** Iteration cap of the tabu search (default: none, the time limit decides; 50,000 without a time limit). */
  maxIterations?: number | undefined;
  /**
   * Work bound of `auto` and `branch-and-bound`: branch-and-bound nodes (checked every 16
   * nodes). With it the search is bounded by work alone: the root subgradient runs its
   * iterations, the tabu phase `maxIterations` moves (default 10,000), and no default time
   * limit applies, so the result depends only on the instance and the seed (an explicit
   * `timeLimitMs` still stops it).
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

/** Reports an improved assignment through `run.incumbent` (built only when the report passes the throttle). */
function reportIncumbent(p: Prepared, assignment: Int32Array): void {
  const { run, inst, model } = p;
  if (!run.wantsIncumbent()) return;
  run.incumbent(gapObjective(model, assignment), () => gapSolution(inst, model, assignment));
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
  const objective = gapObjective(model, assignment);
  // A proven result's bound is its objective (the search that closed the tree is the proof);
  // the Lagrangian bound carried along can be far weaker (fuzz F1: optimal 49 with bound 11).
  const reported = args.proven ? objective : bound;
  return run.solved({
    solution: gapSolution(inst, model, assignment),
    objective,
    ...(reported !== undefined ? { bound: reported } : {}),
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
function* settleWithoutIncumbent(p: Prepared, bound: number | undefined, u: Float64Array | undefined): Steps<Result<GapSolution>> {
  const { inst, run } = p;
  const until = run.deadline === Infinity ? run.elapsedMs() + GAP_DEFAULT_TIME_LIMIT_MS : Infinity;
  let capped = false;
  const b = yield* gapBranchAndBoundSteps(inst, {
    stop: () => {
      if (run.shouldStop()) return true;
      if (run.elapsedMs() >= until) capped = true;
      return capped;
    },
    incumbentCost: Infinity,
    rootU: u ?? initialMultipliers(inst),
    rootIterations: 100,
    onImprove: (_c, a) => reportIncumbent(p, a),
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

/*
 * The public methods validate the model synchronously (a ModelError is thrown at the call,
 * not as a rejection) and then run their steps asynchronously, yielding to the event loop
 * through run.tick() at every checkpoint so that an abort is seen in-thread.
 */

/** Martello-Toth MTHG with its improvement phase (all four desirability criteria; the best kept). */
export function gapMthg(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'mthg');
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(mthgSteps(p), p.run);
}

function* mthgSteps(p: Prepared): Steps<Result<GapSolution>> {
  const a = mthg(p.inst);
  if (!a && !p.run.shouldStop()) return yield* settleWithoutIncumbent(p, undefined, undefined);
  if (a) reportIncumbent(p, a);
  return gapFinish(p, a, { guarantee: 'heuristic' });
}

interface RootResult {
  bound: number;
  u: Float64Array;
  best: Int32Array | undefined;
  bestCost: number;
  iterations: number;
}

/**
 * Iterations of the root aimed at the incumbent itself before the overshoot target: on small
 * easy problems they reach the incumbent's cost (the proof) in a few steps, which the larger
 * overshoot steps take 2-4 times longer to land on (gapa-1 3.1 -> 7.6 ms warm, 8 -> 33 ms in a
 * fresh CLI against HiGHS's 8 ms); a hard root converges in 600-900 iterations either way.
 */
const PLAIN_TARGET_ITERATIONS = 50;

/**
 * Root iterations without a better bound before the step factor is halved (core's default is
 * 20). The root stops once the factor is below 1e-4; at 20 it stopped on Chu-Beasley E 20 x 200
 * 2-4 below the dual optimum (held-out s417735: 22385 after 733 iterations; 22388.6 by a run
 * with patience 40 and a fixed target),
 * and every node of the proof inherits that. gap-proof.ts E 20 200 SEED 30 (CPU clock) on seeds
 * 9401-9408 and s417735: 4 of 9 proved at 20, 8 of 9 at 40 (s417735 in 3.6 s), 6 of 9 at 80
 * (the 1,000 iterations end before the factor is small). D at 30 s: objectives within the
 * run-to-run noise (sum of 4, 49520 at 20 against 49557 at 40); OR-Library 27/27 proved.
 * Only above LARGE_PAIRS pairs, where nodes are dear: on smaller problems the root mostly ends
 * the solve, and waiting longer only slowed it (fresh CLI, median of 5: gapb-1 256 -> 342 ms,
 * gapb-3 11.7 -> 17.3 ms).
 */
const ROOT_PATIENCE = 40;
/**
 * Subgradient iterations of a branch-and-bound node, at a constant step factor (the
 * patience equals the count, so the factor is never halved within a node). The step is
 * theta (cutoff - L) / |g|^2 toward the node's pruning cutoff; with the default 25
 * iterations and patience 6 the factor was halved three or four times in a node, whose
 * ascent then stalled short of its dual optimum (more nodes, and weaker penalties for
 * fixing). Branch-and-bound alone from the optimum (gap-proof.ts --bnb OPT, root 1,000
 * iterations to 1.05 OPT; CPU s, nodes) on E 20 x 200 s9404, s417735, s9407, s9402:
 * 33 s / 31,184 nodes at 25 / 6, 22.8 s at 50 / 10, 17.3 s at 50 / 20, 14.5 s / 9,467 at
 * 50 / 50, 14.7 s at 60 / 60, 16.0 s at 70 / 30, 18.8 s at 100 / 20; theta 0.25 20.3 s,
 * 0.75 14.4 s, 1 17.2 s; ending the node at its first stall of 10 or 20 (instead of
 * halving) 22.5 and 18.1 s; a target above the cutoff (+2, +5) 16.9 and 22.0 s.
 * s9406 from 22979: 52.5 s / 41,975 nodes -> 25.8 s / 13,714.
 * Only above LARGE_PAIRS pairs: on E 5 x 100 (fresh seeds 9461-9464, gap:auto at 30 s CPU)
 * the proofs took 245-690 ms against 243-609 ms with the halving run.
 */
const NODE_ITERATIONS = 50;
/** Pairs (m x n) above which a problem counts as large (nodes are dear): see ROOT_PATIENCE and `alternate`. */
const LARGE_PAIRS = 1200;

/**
 * MTHG, then the subgradient on the Lagrangian dual with the Lagrangian heuristic. MTHG
 * runs its cost criterion first and the first relaxation (at the start multipliers) is
 * evaluated alone: when it already proves that plan (small easy problems) the root ends
 * there; in a fresh process every pass skipped is interpreted code saved (issue 17).
 * Otherwise the other three criteria run, each at a checkpoint of its own (issue 13), and
 * the subgradient runs from the same start as if the probe had not been made (one
 * evaluation repeated, so the trajectory, and what the search does after it, is unchanged).
 */
function* root(p: Prepared, maxIterations: number, share = 1): Steps<RootResult> {
  const { inst, run } = p;
  // The subgradient may use only `share` of the remaining budget (the rest is for search).
  const rem = run.remainingMs();
  const until = rem === Infinity ? Infinity : run.elapsedMs() + share * rem;
  const stop = (): boolean => run.shouldStop() || run.elapsedMs() >= until;
  const plans = new RootPlans(p);
  plans.consider(mthg(inst, MTHG_CRITERIA.slice(0, 1)));
  yield;
  const lag = new GapLagrangian(inst);
  const u0 = initialMultipliers(inst);
  const free = new Int32Array(inst.n).fill(-1);
  const integral = integralCosts(inst);
  // The incumbent the heuristic improves during the run lowers the target (re-read each time).
  const target = (): number => (integral ? plans.bestCost - 1 + 1e-6 : plans.bestCost);
  const rounded = (b: number): number => (integral && Number.isFinite(b) ? Math.ceil(b - 1e-6) : b);
  let first: number | undefined;
  if (!stop()) {
    first = yield* lag.evaluateSteps(u0, free);
    if (first >= target()) return { bound: rounded(first), u: u0, best: plans.best, bestCost: plans.bestCost, iterations: 1 };
  }
  for (const c of otherCriteria(inst)) {
    yield;
    // After a stop the other plans are made only while there is none.
    if (plans.best && run.shouldStop()) break;
    plans.consider(mthg(inst, [c]));
  }
  if (!run.shouldStop()) yield;
  let evals = 0;
  const res = yield* gapSubgradientSteps(lag, u0, free, {
    // The probe's evaluation is the run's first (lag still holds its knapsacks).
    first,
    upper: () => (evals < PLAIN_TARGET_ITERATIONS ? plans.bestCost : polyakTarget(plans.bestCost)),
    maxIterations,
    patience: inst.m * inst.n > LARGE_PAIRS ? ROOT_PATIENCE : undefined,
    stop,
    target,
    onIterate: (v) => {
      if (evals++ % 5 !== 0) return;
      // A bound that already proves the incumbent needs no repaired plan (the run stops now).
      if (v >= target()) return;
      plans.consider(lagrangianRepair(inst, lag.x, undefined, inst.cost));
      run.progress({ phase: 'lagrangian', incumbent: toSense(inst, plans.bestCost), bound: toSense(inst, v), iterations: evals });
    },
  });
  return { bound: rounded(res.bound), u: res.u, best: plans.best, bestCost: plans.bestCost, iterations: res.iterations };
}

/**
 * The MTHG criteria after `cost`. With every capacity equal, relative weight (r_ij / b_i) is
 * the weight pass (mthg.ts ranks it by the weight table then), so it is skipped.
 */
function otherCriteria(inst: GapInstance): MthgCriterion[] {
  const equal = equalFiniteCapacities(inst.capacity);
  return MTHG_CRITERIA.slice(1).filter((c) => !(equal && c === 'relative-weight'));
}

/** The root's best plan: each candidate is kept when cheaper and reported. */
class RootPlans {
  best: Int32Array | undefined;
  bestCost = Infinity;
  constructor(private readonly p: Prepared) {}

  consider(a: Int32Array | undefined): void {
    if (!a) return;
    const c = gapCost(this.p.inst, a);
    if (c >= this.bestCost - 1e-9) return;
    this.bestCost = c;
    this.best = a;
    reportIncumbent(this.p, a);
  }
}

/**
 * Lagrangian relaxation of the assignment constraints (a knapsack per agent) optimised by
 * subgradient: a PROVEN bound, plus the feasible assignment the Lagrangian heuristic
 * repaired from the relaxed solutions (improved by MTHG's shift phase).
 */
export function gapLagrangian(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'lagrangian');
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(lagrangianSteps(p, options), p.run);
}

/** The same function as `gapLagrangian` (kept for callers written when only this one yielded). */
export const gapLagrangianAsync = gapLagrangian;

function* lagrangianSteps(p: Prepared, options: GapOptions | undefined): Steps<Result<GapSolution>> {
  const r = yield* root(p, options?.maxIterations ?? 1000);
  if (!r.best && !p.run.shouldStop()) return yield* settleWithoutIncumbent(p, r.bound, r.u);
  return gapFinish(p, r.best, { bound: r.bound, guarantee: 'heuristic', iterations: r.iterations, stats: { lagrangianBound: toSense(p.inst, r.bound) } });
}

/** Tabu search with strategic oscillation (shift + swap), started from MTHG / the Lagrangian heuristic. */
export function gapTabuSearch(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'tabu', options?.maxIterations === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(tabuSteps(p, options), p.run);
}

/** The same function as `gapTabuSearch`. */
export const gapTabuSearchAsync = gapTabuSearch;

function* tabuSteps(p: Prepared, options: GapOptions | undefined): Steps<Result<GapSolution>> {
  return yield* walkSteps(p, options, 'tabu', function* (start, common) {
    const t = yield* gapTabuSteps(p.inst, start, { ...common, maxIterations: options?.maxIterations ?? Infinity });
    return { ...t, work: t.iterations };
  });
}

/** The walk options walkSteps always sets (the root's bound, the incumbent reporter). */
interface WalkCommon extends GapWalkOptions {
  lowerBound: number;
  onImprove: (cost: number, assignment: Int32Array) => void;
}

/**
 * A local-search method: the Lagrangian root (300 iterations) for a start and the bound,
 * then the walk from the root's best plan; `work` (moves or local optima) is what
 * `maxIterations` caps.
 */
function* walkSteps(
  p: Prepared,
  options: GapOptions | undefined,
  phase: 'tabu' | 'ejection-chain',
  walk: (start: Int32Array, common: WalkCommon) => Steps<GapPlan & { work: number }>,
): Steps<Result<GapSolution>> {
  const { inst, run } = p;
  const r = yield* root(p, 300, 0.25);
  if (!r.best) return run.shouldStop() ? gapFinish(p, undefined, { bound: r.bound, guarantee: 'heuristic' }) : yield* settleWithoutIncumbent(p, r.bound, r.u);
  const w = yield* walk(r.best, {
    rng: run.rng,
    stop: () => run.shouldStop(),
    lowerBound: r.bound,
    onImprove: (c, a) => {
      reportIncumbent(p, a);
      run.progress({ phase, incumbent: toSense(inst, c), bound: toSense(inst, r.bound) });
    },
  });
  const best = w.cost < r.bestCost ? w.assignment : r.best;
  if (options?.maxIterations !== undefined && w.work >= options.maxIterations) run.hitIterationLimit();
  return gapFinish(p, best, { bound: r.bound, guarantee: 'heuristic', iterations: w.work, stats: { lagrangianBound: toSense(inst, r.bound) } });
}

/**
 * Ejection-chain search with adaptive per-agent penalty weights (Yagiura, Ibaraki & Glover;
 * see gap-ejection.ts), started from MTHG / the Lagrangian heuristic like the tabu search;
 * `maxIterations` caps its local optima.
 */
export function gapEjectionChain(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'ejection-chain', options?.maxIterations === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(ejectionChainSteps(p, options), p.run);
}

function* ejectionChainSteps(p: Prepared, options: GapOptions | undefined): Steps<Result<GapSolution>> {
  return yield* walkSteps(p, options, 'ejection-chain', function* (start, common) {
    const e = yield* gapEjectionSteps(p.inst, start, { ...common, maxRounds: options?.maxIterations });
    return { ...e, work: e.rounds };
  });
}

/**
 * Exact branch-and-bound on the Lagrangian bound with reduced-cost fixing, started from the
 * root subgradient. Without a time limit it runs to proof.
 */
export function gapBranchAndBoundSolve(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'branch-and-bound');
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(new ExactSearch(p, false, workBound(options)).steps(), p.run);
}

/** The same function as `gapBranchAndBoundSolve`. */
export const gapBranchAndBoundAsync = gapBranchAndBoundSolve;

/**
 * `auto`: MTHG and the Lagrangian root; a short tabu phase for a near-optimal incumbent
 * (which is what makes reduced-cost fixing bite); then branch-and-bound with fixing for the
 * rest of the budget (default 30 s).
 */
export function gapAuto(model: PlacementModel, options?: GapOptions): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'auto', options?.maxNodes === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return Promise.resolve(p);
  return runStepsAsync(gapAutoSteps(p, options), p.run);
}

/**
 * What auto's LNS frees per round. With few agents (5) or few jobs (100) the agent-set
 * neighbourhood runs dry (5 agents have 25 sets of 2-4, each soon re-proven optimal), and
 * rounds of random jobs across up to 8 agents ('mixed': both in turns) find what it cannot.
 * gap-proof.ts at 20 s CPU (A = 'agents', B = 'mixed'), fresh seeds, type D: 5 x 100 (12
 * seeds) B better on 4 (6452 vs 6470, 6649 vs 6655, 6267 vs 6269, 6522 vs 6523), worse on 1
 * (6354 vs 6353); 5 x 200 (4) 12661 vs 12678, the rest equal; 10 x 100 (4) better on 3;
 * 20 x 100 (8) a wash by count, better on the whole: better on 4 (6179 vs 6204, 6199 vs
 * 6222, 6221 vs 6225, 6163 vs 6166), worse on 3 (6208 vs 6204, 6178 vs 6165, 6125 vs 6115),
 * sum 49449 vs 49477, worst 0.40 vs 0.50 % above the bound. On 10 x 200 (6 seeds) 'mixed'
 * was worse on 4 (by 4-18) and better on 2, so larger instances keep 'agents'.
 */
function lnsNeighbourhood(inst: GapInstance): 'agents' | 'mixed' {
  return inst.m <= 5 || inst.n <= 100 ? 'mixed' : 'agents';
}

/** The steps of `auto` on a prepared run (tests drain them to count checkpoints). */
export function gapAutoSteps(p: Prepared, options?: GapOptions): Steps<Result<GapSolution>> {
  return new ExactSearch(p, true, workBound(options)).steps();
}

/** The same function as `gapAuto`. */
export const gapAutoAsync = gapAuto;

/** A branch-and-bound being driven by ExactSearch: its steps and its artificial incumbent cost (a probe) if any. */
interface ActiveSearch {
  probe: number | undefined;
  steps: Generator<void, GapBnbResult, void>;
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
 * The exact pipeline of `auto` and `branch-and-bound`: the Lagrangian root (bound +
 * Lagrangian heuristic); for `auto` a tabu phase (10 % of the budget, or until it stalls),
 * then branch-and-bound with reduced-cost fixing and LNS in turns (see `alternate`);
 * `branch-and-bound` runs the search alone. A completed search proves its result. With a
 * work bound the phases are capped by tabu moves and nodes instead of time.
 */
class ExactSearch {
  private best: Int32Array | undefined;
  private bestCost = Infinity;
  private bound = -Infinity;
  private rootBound = -Infinity;
  private u: Float64Array | undefined;
  private tabuIterations = 0;
  private lnsRounds = 0;
  /** Wall-clock milliseconds per phase (where the budget went). */
  private readonly ms = { root: 0, tabu: 0, lns: 0, branch: 0 };
  private nodes = 0;
  private fixings = 0;
  /** Probes made below the incumbent, and the distance of the next above the bound (see branchPhase). */
  private probes = 0;
  private probeStep = 1;
  /** The branch-and-bound paused at the end of the last slice (resumed by the next). */
  private active: ActiveSearch | undefined;
  private readonly integral: boolean;
  private readonly limited: boolean;

  constructor(
    private readonly p: Prepared,
    private readonly withTabu: boolean,
    private readonly work: WorkBound | undefined,
  ) {
    this.integral = integralCosts(p.inst);
    this.limited = p.run.deadline !== Infinity;
  }

  *steps(): Steps<Result<GapSolution>> {
    const { run } = this.p;
    const r = yield* root(this.p, 1000, this.work ? 1 : 0.25);
    this.ms.root = run.elapsedMs();
    this.best = r.best;
    this.bestCost = r.bestCost;
    this.bound = r.bound;
    this.rootBound = r.bound;
    this.u = r.u;
    if (this.best && this.closed()) return this.finish(true);
    if (this.withTabu && this.best && !run.shouldStop()) yield* this.tabuPhase(0.1 * run.remainingMs(), true);
    if (this.closed() || run.shouldStop()) return this.finish(this.closed());
    const complete = this.withTabu && !this.work && this.limited ? yield* this.alternate() : yield* this.branchPhase(Infinity);
    if (!this.best && complete) {
      return run.unsolved({
        status: 'infeasible',
        guarantee: { kind: 'exact' },
        certificate: { reason: 'branch-and-bound found no assignment within the capacities', fields: ['capacity'] },
        stats: { nodes: this.nodes },
      });
    }
    return this.finish(complete || this.closed());
  }

  /**
   * Branch-and-bound, tabu and LNS in turns with doubling time slices (2 % of the budget
   * first): a short search settles the instances with a small gap, tabu and LNS improve the
   * plan of the others, and each new branch-and-bound starts from the better plan (sharper
   * fixing). The last slice goes to branch-and-bound (to LNS when the gap is wide). True
   * when a search completed.
   */
  private *alternate(): Steps<boolean> {
    const { run } = this.p;
    let slice = Math.max(100, 0.02 * run.remainingMs());
    let tabuPays = true;
    let branchStalled = 0;
    for (;;) {
      // A wide gap (above 0.3 %) on a large instance (above 1,200 pairs, where nodes are
      // dear) is the plan's more than the bound's: branch-and-bound gets a quarter slice
      // there, and the last turn goes to LNS instead. (Counting 0.1-0.3 % as wide while LNS
      // improved helped 10 x 200 type D but starved the proof of 20 x 100 type E: 11301,
      // unproved at 29 s, against 11283 proved in 6 s.) A gap of 0.1-0.3 % counts as wide
      // once two branch-and-bound slices in a row each closed less than an eighth of it
      // (bound raised or plan found): on type E the probes close the gap in a few slices, on
      // type D they raise the bound by 1-2 of a gap of 20-40 per slice and the proof is out
      // of reach. Two slices, not one: the first slice is short (2 % of the budget), and a
      // probe that completes just after it would otherwise cost a small proof its time.
      const large = this.p.inst.m * this.p.inst.n > LARGE_PAIRS;
      const gap = this.relativeGap();
      const wide = (large && gap > 0.003) || (branchStalled >= 2 && gap > 0.001);
      const share = wide ? 0.25 : 1;
      const last = run.remainingMs() <= (2 + share) * slice;
      const bound0 = this.bound;
      const cost0 = this.bestCost;
      // Without a plan there is nothing for tabu and LNS to improve: the search runs to the end.
      const complete = yield* this.branchPhase((last && !wide) || !this.best ? Infinity : share * slice);
      branchStalled = cost0 - bound0 - (this.bestCost - this.bound) < (cost0 - bound0) / 8 ? branchStalled + 1 : 0;
      if (complete || (last && !wide) || this.closed() || run.shouldStop()) return complete;
      // Tabu keeps its turns while they pay; once a turn finds nothing, LNS gets its time.
      if (tabuPays) {
        const start = this.bestCost;
        yield* this.tabuPhase(slice, false);
        tabuPays = this.bestCost < start;
      }
      if (this.closed() || run.shouldStop()) return false;
      const lns0 = this.bestCost;
      yield* this.lnsPhase(last ? Infinity : tabuPays ? slice : 2 * slice);
      if (last || this.closed() || run.shouldStop()) return false;
      // A narrow gap that neither tabu nor this LNS turn narrowed is the proof's: the search
      // gets the rest. E 20 x 200 s9402 at 30 s CPU: proved at 27.7 s (before 23274, bound
      // 23272, search 10.7 s of 30); s9403-9407 unchanged (LNS kept finding plans).
      if (!wide && !tabuPays && this.bestCost >= lns0) return yield* this.branchPhase(Infinity);
      slice *= 2;
    }
  }

  private relativeGap(): number {
    return (this.bestCost - this.bound) / Math.max(1, Math.abs(this.bestCost));
  }

  /** True when the bound proves the incumbent optimal (to 1 when costs are integers). */
  private closed(): boolean {
    const { bound, bestCost } = this;
    return this.integral ? bound > bestCost - 1 + 1e-6 : bound >= bestCost - 1e-9 * Math.max(1, Math.abs(bestCost));
  }

  private keep(c: number, a: Int32Array): void {
    if (c >= this.bestCost - 1e-9) return;
    this.bestCost = c;
    this.best = Int32Array.from(a);
    reportIncumbent(this.p, this.best);
  }

  /**
   * Tabu from the best plan for `ms` milliseconds (2 s without a limit; its move cap under a
   * work bound); `untilStale`: hand over once the walk stops improving.
   */
  private *tabuPhase(ms: number, untilStale: boolean): Steps<void> {
    const { inst, run } = this.p;
    const work = this.work;
    const t0 = run.elapsedMs();
    const until = work ? Infinity : this.limited ? run.elapsedMs() + ms : run.elapsedMs() + 2000;
    const t = yield* gapTabuSteps(inst, this.best!, {
      rng: run.rng,
      stop: () => run.shouldStop() || run.elapsedMs() >= until,
      maxIterations: work ? work.tabuIterations : Infinity,
      // A stalled walk hands over: branch-and-bound improves the plan from here on too.
      maxStale: work || !untilStale ? undefined : Math.max(500, 5 * inst.n),
      lowerBound: this.bound,
      onImprove: (c, a) => {
        reportIncumbent(this.p, a);
        run.progress({ phase: 'tabu', incumbent: toSense(inst, c), bound: toSense(inst, this.bound) });
      },
    });
    this.tabuIterations += t.iterations;
    this.ms.tabu += run.elapsedMs() - t0;
    // Under a work bound the move cap ends this phase, not the run: branch-and-bound follows.
    this.keep(t.cost, t.assignment);
  }

  /** LNS from the best plan for `ms` milliseconds (Infinity: to the end of the budget). */
  private *lnsPhase(ms: number): Steps<void> {
    const { inst, run } = this.p;
    const t0 = run.elapsedMs();
    const until = run.elapsedMs() + ms;
    const l = yield* gapLnsSteps(inst, this.best!, {
      rng: run.rng,
      stop: () => run.shouldStop() || run.elapsedMs() >= until,
      lowerBound: this.integral ? this.bound - 1 + 1e-6 : this.bound,
      u: this.u,
      neighbourhood: lnsNeighbourhood(inst),
      onImprove: (c, a) => {
        reportIncumbent(this.p, a);
        run.progress({ phase: 'lns', incumbent: toSense(inst, c), bound: toSense(inst, this.bound) });
      },
    });
    this.lnsRounds += l.rounds;
    this.ms.lns += run.elapsedMs() - t0;
    this.keep(l.cost, l.assignment);
  }

  /**
   * Branch-and-bound for `ms` milliseconds (Infinity: to the end, or to the node cap); true
   * when it proved the result. With integer costs the search first probes below the
   * incumbent (Posta, Ferland & Michelon 2012, "An exact method with variable fixing for
   * solving the generalized assignment problem"): it runs with an artificial incumbent
   * cost T just above the proven bound, where reduced-cost fixing removes most pairs and
   * the tree is small. A probe that completes either finds the optimum (every assignment
   * cheaper than T was searched) or proves the bound T, and the next probe is twice as far
   * up; the search with the real incumbent runs once T would reach it. Finding the optimum
   * is what a search from a poorer incumbent spends its time on: Chu-Beasley E 10 x 200
   * (bound 24557, optimum 24561) took 3-21 s of branch-and-bound from 24570 (depending
   * on the node settings) against 0.4 s from 24561.
   */
  private *branchPhase(ms: number): Steps<boolean> {
    const { run } = this.p;
    const until = run.elapsedMs() + ms;
    for (;;) {
      if (!this.active && this.work && this.nodes >= this.work.maxNodes) {
        // The node cap counts every search's nodes: no new probe past it.
        run.hitIterationLimit();
        return false;
      }
      this.active ??= this.search(this.probeCost());
      const { probe, steps } = this.active;
      // The search is driven here, not to the end: at the slice's end it is paused at a
      // checkpoint and resumed by the next slice (its tree is not rebuilt; what tabu and
      // LNS find meanwhile reaches it through `outside`).
      let next = steps.next();
      while (!next.done) {
        if (run.elapsedMs() >= until && !run.shouldStop()) return false;
        yield;
        next = steps.next();
      }
      this.active = undefined;
      const b = next.value;
      if (!b.complete) {
        // Stopped (run over, or the node cap): a probe proves no more than its open nodes (and T).
        this.bound = Math.max(this.bound, Math.min(b.bound, this.bestCost));
        return false;
      }
      if (probe === undefined || b.assignment) {
        // The search saw every assignment cheaper than its start: its best is the optimum.
        this.bound = Math.max(this.bound, b.cost);
        return true;
      }
      // No assignment below T: T is a bound, the next probe goes twice as far.
      this.bound = Math.max(this.bound, probe);
      this.probeStep *= 2;
      if (this.closed()) return true;
      if (run.shouldStop() || run.elapsedMs() >= until) return false;
      yield;
    }
  }

  /** The artificial incumbent cost of the next probe, or undefined when the search runs with the real one. */
  private probeCost(): number | undefined {
    if (!this.integral || !this.best || !Number.isFinite(this.bound)) return undefined;
    const t = this.bound + this.probeStep;
    return t < this.bestCost ? t : undefined;
  }

  /** A branch-and-bound from the root with the incumbent or (`probe`) an artificial incumbent cost, as steps to drive. */
  private search(probe: number | undefined): ActiveSearch {
    return { probe, steps: this.searchSteps(probe) };
  }

  private *searchSteps(probe: number | undefined): Steps<GapBnbResult> {
    const { inst, run } = this.p;
    const maxNodes = this.work ? this.work.maxNodes : Infinity;
    let outOfNodes = false;
    let t0 = run.elapsedMs();
    const inner = gapBranchAndBoundSteps(inst, {
      stop: () => outOfNodes || run.shouldStop(),
      incumbent: probe === undefined ? this.best : undefined,
      incumbentCost: probe ?? this.bestCost,
      // What the root and the earlier probes proved: a plan found at it ends the search.
      lowerBound: this.bound,
      outside: () => ({ cost: this.bestCost, assignment: this.best }),
      rootU: this.u ?? initialMultipliers(inst),
      rootIterations: 100,
      ...(inst.m * inst.n > LARGE_PAIRS ? { nodeIterations: NODE_ITERATIONS, nodePatience: NODE_ITERATIONS } : {}),
      onImprove: (c, a) => {
        this.keep(c, a);
        run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, c), bound: toSense(inst, this.bound) });
      },
      onNode: (k) => {
        if (this.nodes + k >= maxNodes) outOfNodes = true;
        // The best plan's cost, never the search's own upper cost: in a probe that is the
        // artificial cost T, below every plan, and was reported as an incumbent no plan had.
        run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, this.bestCost), bound: toSense(inst, this.bound), iterations: k });
      },
    });
    // Time is charged per step, so a paused search is not charged for the other phases.
    let next = inner.next();
    while (!next.done) {
      this.ms.branch += run.elapsedMs() - t0;
      yield;
      t0 = run.elapsedMs();
      next = inner.next();
    }
    this.ms.branch += run.elapsedMs() - t0;
    const b = next.value;
    this.nodes += b.nodes;
    this.fixings += b.fixings;
    if (probe !== undefined) this.probes++;
    if (outOfNodes && !b.complete) run.hitIterationLimit();
    if (b.assignment) this.keep(b.cost, b.assignment);
    return b;
  }

  private finish(proven: boolean): Result<GapSolution> {
    const { inst } = this.p;
    const stats = { lagrangianBound: toSense(inst, this.rootBound), nodes: this.nodes, tabuIterations: this.tabuIterations, lnsRounds: this.lnsRounds, fixings: this.fixings, probes: this.probes, ...this.phaseStats() };
    return gapFinish(this.p, this.best, { bound: this.bound, proven, guarantee: 'exact', stats });
  }

  /** Milliseconds per phase, the nonzero ones (rootMs, tabuMs, lnsMs, branchMs). */
  private phaseStats(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.ms)) if (v > 0) out[`${k}Ms`] = Math.round(v);
    return out;
  }
}
