import { SolveRun, type PlacementModel, type Result, type Sense, type SolveOptions } from '@emplace/core';
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
import { GapLagrangian, initialMultipliers, subgradient } from './gap-lagrangian.js';
import { gapTabu } from './gap-tabu.js';
import { integralCosts } from './gap-branch-and-bound.js';
import { lagrangianRepair, mthg } from './mthg.js';

/** Options of every GAP method. */
export interface GapOptions extends SolveOptions {
  /** 'min' (costs, default) or 'max' (profits: OR-Library gap1..gap12). */
  sense?: Sense;
  /** Iteration cap of the tabu search (default: none, the time limit decides; 50,000 without a time limit). */
  maxIterations?: number;
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

/** Martello-Toth MTHG with its improvement phase (all four desirability criteria; the best kept). */
export function gapMthg(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'mthg');
  if (!('inst' in p)) return p;
  const a = mthg(p.inst);
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
function root(p: Prepared, maxIterations: number): RootResult {
  const { inst, run } = p;
  let best = mthg(inst);
  let bestCost = best ? gapCost(inst, best) : Infinity;
  const lag = new GapLagrangian(inst);
  let evals = 0;
  const integral = integralCosts(inst);
  const res = subgradient(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), {
    upper: () => bestCost,
    maxIterations,
    stop: () => run.shouldStop(),
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
  const r = root(p, options?.maxIterations ?? 1000);
  return gapFinish(p, r.best, { bound: r.bound, guarantee: 'heuristic', iterations: r.iterations, stats: { lagrangianBound: toSense(p.inst, r.bound) } });
}

/** Tabu search with strategic oscillation (shift + swap), started from MTHG / the Lagrangian heuristic. */
export function gapTabuSearch(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'tabu', options?.maxIterations === undefined ? GAP_DEFAULT_TIME_LIMIT_MS : undefined);
  if (!('inst' in p)) return p;
  const { inst, run } = p;
  const r = root(p, 300);
  if (!r.best) return gapFinish(p, undefined, { bound: r.bound, guarantee: 'heuristic' });
  const t = gapTabu(inst, r.best, {
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
  return exactSearch(p, 0);
}

/**
 * `auto`: MTHG and the Lagrangian root; then a tabu phase on instances too large to be
 * proved quickly; then branch-and-bound for the rest of the budget (default 30 s).
 */
export function gapAuto(model: PlacementModel, options?: GapOptions): Result<GapSolution> {
  const p = gapPrepare(model, options, 'auto', GAP_DEFAULT_TIME_LIMIT_MS);
  if (!('inst' in p)) return p;
  return exactSearch(p, p.inst.m * p.inst.n > 1200 ? 0.5 : 0);
}

function exactSearch(p: Prepared, tabuShare: number): Result<GapSolution> {
  const { inst, run } = p;
  const r = root(p, 500);
  let best = r.best;
  let bestCost = r.bestCost;
  const integral = integralCosts(inst);
  const closed = (): boolean => (integral ? r.bound > bestCost - 1 + 1e-6 : r.bound >= bestCost - 1e-9 * Math.max(1, Math.abs(bestCost)));
  let tabuIterations = 0;
  if (best && !closed() && tabuShare > 0 && !run.shouldStop()) {
    const remaining = run.remainingMs();
    const budget = remaining === Infinity ? 2000 : remaining * tabuShare;
    const until = run.elapsedMs() + budget;
    const t = gapTabu(inst, best, {
      rng: run.rng,
      stop: () => run.shouldStop() || run.elapsedMs() >= until,
      maxIterations: Infinity,
      lowerBound: integral ? r.bound : r.bound,
      onImprove: (c) => run.progress({ phase: 'tabu', incumbent: toSense(inst, c), bound: toSense(inst, r.bound) }),
    });
    tabuIterations = t.iterations;
    if (t.cost < bestCost) {
      bestCost = t.cost;
      best = t.assignment;
    }
  }
  if (best && closed()) {
    return gapFinish(p, best, { bound: r.bound, proven: true, guarantee: 'exact', stats: { lagrangianBound: toSense(inst, r.bound), nodes: 0, tabuIterations } });
  }
  if (run.shouldStop()) {
    return gapFinish(p, best, { bound: r.bound, guarantee: 'exact', stats: { lagrangianBound: toSense(inst, r.bound), nodes: 0, tabuIterations } });
  }
  const b = gapBranchAndBound(inst, {
    stop: () => run.shouldStop(),
    ...(best ? { incumbent: best } : {}),
    incumbentCost: bestCost,
    rootU: r.u,
    rootIterations: 100,
    onImprove: (c) => run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, c), bound: toSense(inst, r.bound) }),
    onNode: (nodes, up) => run.progress({ phase: 'branch-and-bound', incumbent: toSense(inst, up), bound: toSense(inst, r.bound), iterations: nodes }),
  });
  const bound = Math.max(r.bound, b.bound);
  const final = b.assignment && b.cost <= bestCost ? b.assignment : best;
  if (!final && b.complete) {
    return p.run.unsolved({
      status: 'infeasible',
      guarantee: { kind: 'exact' },
      certificate: { reason: 'branch-and-bound found no assignment within the capacities', fields: ['capacity'] },
      stats: { nodes: b.nodes },
    });
  }
  return gapFinish(p, final, {
    bound,
    proven: b.complete,
    guarantee: 'exact',
    stats: { lagrangianBound: toSense(inst, r.bound), nodes: b.nodes, tabuIterations },
  });
}
