import { ModelError, type Guarantee, type StoppedBy } from '@emplace/core';
import { kcenterRadius, solveKCenter } from '@emplace/kcenter';
import { PhaseBudget } from './budget.js';
import { backbonePhase } from './backbone-phase.js';
import { connectivityPhase } from './connectivity-phase.js';
import { solveCostPlacement, type CostPlacement } from './cost-placement.js';
import { evaluatePlacement } from './evaluate.js';
import { PLAN_PHASES, validateGoals, type Goals, type PlanPhase } from './goals.js';
import { buildInstance, type PlanInstance } from './instance.js';
import { paretoPhase } from './pareto-phase.js';
import type { ChosenPlacement, PlanProgress, PlanResult } from './result.js';
import { sharesPhase } from './shares-phase.js';
import { validateWorld, type World } from './world.js';
import { worstCasePhase } from './worst-case-phase.js';

/** Options of `plan()`. */
export interface PlanOptions {
  /** Wall-clock budget of the whole plan, split across the phases (time a phase leaves unused passes on). */
  timeLimitMs?: number;
  /** Cancels the plan; every phase returns its best answer so far. */
  signal?: AbortSignal;
  /** Seed of every random choice (the same seed gives the same plan). Default 1. */
  seed?: number;
  /** Called as the plan advances: the phase, its fraction done and the fraction of the whole plan. */
  onProgress?: (progress: PlanProgress) => void;
}

/**
 * Plans a global deployment: which regions to run in and who is served from where, with
 * every view a scheduler needs to trust and explain the answer.
 *
 * 1. `placement`: the minimum total cost placement (region costs + priced latency) under
 *    the residency, latency and region-count constraints: facility location via
 *    @emplace/facility (exact, with its lower bound), or the worst-latency placement
 *    (k-center) when `goals.optimise` is `latency`;
 * 2. `pareto`: the cost vs worst-latency alternatives (@emplace/pareto);
 * 3. `worst-case`: the smallest worst latency any placement with as many regions reaches
 *    (k-center via @emplace/kcenter, with its bound);
 * 4. `backbone`: the cheapest tree of the region network connecting the chosen regions
 *    (Steiner tree via @emplace/steiner);
 * 5. `connectivity`: the backbone's algebraic connectivity and the link to add
 *    (@emplace/spectral);
 * 6. `shares`: each tenant's Shapley share of the cost (@emplace/mechanism), coalition
 *    costs from the facility solver.
 *
 * Bad input throws a ModelError naming the field (`world.regions[3].lat`). No feasible
 * placement gives `status: 'infeasible'` with a `reason`.
 */
export async function plan(world: World, goals: Goals = {}, options: PlanOptions = {}): Promise<PlanResult> {
  validateWorld(world);
  validateGoals(goals, world);
  if (options.timeLimitMs !== undefined && !(options.timeLimitMs >= 0)) {
    throw new ModelError('options.timeLimitMs', `must be a non-negative number, got ${String(options.timeLimitMs)}`);
  }
  const inst = buildInstance(world, goals);
  const skip = new Set(goals.skip ?? []);
  const phases: PlanPhase[] = PLAN_PHASES.filter((p) => !skip.has(p) || p === 'placement');
  const budget = new PhaseBudget(options, phases);
  const phaseMs: Partial<Record<PlanPhase, number>> = {};
  const warnings: string[] = [];
  let stoppedBy: StoppedBy = 'converged';
  const timed = async <T>(phase: PlanPhase, body: () => Promise<T>): Promise<T> => {
    const t0 = budget.elapsedMs();
    budget.report(phase, 0);
    const out = await body();
    phaseMs[phase] = budget.elapsedMs() - t0;
    budget.finish(phase);
    return out;
  };
  const base = (): Omit<PlanResult, 'status'> => ({
    phaseMs,
    elapsedMs: budget.elapsedMs(),
    stoppedBy: options.signal?.aborted ? 'aborted' : stoppedBy,
    latencyModel: inst.measured ? 'measured' : 'great-circle',
    warnings,
  });

  // 1. Placement.
  const costOutcome = await timed('placement', () => solveCostPlacement(inst.costModel, goals.regions, budget.optionsFor('placement')));
  if (!costOutcome.ok) return { ...base(), status: costOutcome.status, reason: costOutcome.reason };
  const cost = costOutcome.placement;
  if (cost.stoppedBy !== 'converged') stoppedBy = cost.stoppedBy;
  const chosen = (goals.optimise ?? 'cost') === 'latency' ? await latencyPlacement(inst, cost.open.length, budget, warnings) : costPlacement(inst, cost, warnings);
  if ('failed' in chosen) return { ...base(), status: chosen.failed, reason: chosen.reason };
  const result: PlanResult = { ...base(), status: chosen.status, placement: chosen };
  // 2-6. The views.
  await addViews(result, { inst, world, goals, phases, budget, timed, warnings });
  if (budget.expired() && stoppedBy === 'converged') stoppedBy = options.signal?.aborted ? 'aborted' : 'time-limit';
  return { ...result, ...base() };
}

/** The placement minimising the worst latency with as many regions as the cost placement (k-center). */
async function latencyPlacement(inst: PlanInstance, k: number, budget: PhaseBudget, warnings: string[]): Promise<ChosenPlacement | { failed: 'infeasible' | 'unbounded' | 'no-solution'; reason: string }> {
  const r = await solveKCenter(inst.latencyModel, { ...budget.optionsFor('placement'), k, capacitated: false, method: 'auto' });
  if (r.status !== 'optimal' && r.status !== 'feasible') return { failed: r.status, reason: `no placement with ${k} regions serves every population (k-center: ${r.status})` };
  const open = Array.from(r.solution.open);
  const ev = evaluatePlacement(inst, open, r.solution.assignment);
  // Recomputed worst latency (the k-center objective) must match the solver's.
  const check = kcenterRadius(inst.latencyModel, open, { capacitated: false }).radius;
  if (Math.abs(check - r.objective) > 1e-6 * Math.max(1, check)) warnings.push(`k-center radius ${r.objective} differs from the recomputed ${check}`);
  return {
    regions: open.map((i) => inst.costModel.siteIds[i]!),
    regionIndices: open,
    served: ev.served,
    objectives: ev.objectives,
    ...(r.bound !== undefined ? { bound: r.bound, gap: r.gap ?? 0 } : {}),
    status: r.status,
    method: r.stats.method,
    guarantee: r.guarantee,
  };
}

/** The minimum cost placement, its objectives recomputed independently of the solver. */
function costPlacement(inst: PlanInstance, cost: CostPlacement, warnings: string[]): ChosenPlacement {
  const ev = evaluatePlacement(inst, cost.open, cost.assignment);
  const guarantee: Guarantee = cost.guarantee;
  const placement: ChosenPlacement = {
    regions: cost.open.map((i) => inst.costModel.siteIds[i]!),
    regionIndices: cost.open,
    served: ev.served,
    objectives: ev.objectives,
    status: cost.status,
    method: cost.method,
    guarantee,
  };
  if (cost.bound !== undefined) {
    placement.bound = Math.min(cost.bound, ev.objectives.totalCost);
    placement.gap = cost.status === 'optimal' ? 0 : Math.abs(ev.objectives.totalCost - placement.bound) / Math.max(1e-9, Math.abs(ev.objectives.totalCost));
  }
  if (Math.abs(ev.objectives.totalCost - cost.objective) > 1e-6 * Math.max(1, Math.abs(cost.objective))) {
    warnings.push(`solver objective ${cost.objective} differs from the recomputed total cost ${ev.objectives.totalCost}`);
  }
  return placement;
}

interface ViewContext {
  inst: PlanInstance;
  world: World;
  goals: Goals;
  phases: readonly PlanPhase[];
  budget: PhaseBudget;
  timed: <T>(phase: PlanPhase, body: () => Promise<T>) => Promise<T>;
  warnings: string[];
}

/** Pareto alternatives, worst case, backbone, connectivity and tenant shares of the chosen regions. */
async function addViews(result: PlanResult, ctx: ViewContext): Promise<void> {
  const { inst, goals, phases, budget, timed, warnings } = ctx;
  const open = result.placement!.regionIndices;
  if (phases.includes('pareto')) {
    const view = await timed('pareto', () => paretoPhase(inst, open, budget.optionsFor('pareto')));
    if (view) result.pareto = view;
    else warnings.push('the Pareto front found no feasible alternative within its budget');
  }
  if (phases.includes('worst-case')) {
    result.worstCase = await timed('worst-case', () => worstCasePhase(inst, open, budget.optionsFor('worst-case')));
  }
  if (phases.includes('backbone')) {
    result.backbone = await timed('backbone', () => backbonePhase(inst, open, budget.optionsFor('backbone')));
  }
  if (phases.includes('connectivity') && result.backbone) {
    const backbone = result.backbone;
    const view = await timed('connectivity', async () => connectivityPhase(backbone, goals.reinforceLinks ?? 1, budget.optionsFor('connectivity')));
    if (view) result.connectivity = view;
  } else if (phases.includes('connectivity')) budget.finish('connectivity');
  if (phases.includes('shares')) await addShares(result, ctx);
}

async function addShares(result: PlanResult, ctx: ViewContext): Promise<void> {
  const { inst, world, goals, budget, warnings } = ctx;
  const view = await ctx.timed('shares', () =>
    sharesPhase(inst, goals.regions, goals.exactShapleyMaxTenants ?? 12, budget.optionsFor('shares'), (f, m) => budget.report('shares', f, m)),
  );
  if (!view) {
    if (world.tenants && world.tenants.length > 0) warnings.push('tenant shares were not computed (a coalition had no feasible placement or the budget ran out)');
    return;
  }
  result.shares = view;
  if (result.placement && (goals.optimise ?? 'cost') === 'cost' && world.tenants && coversAll(world)) {
    const diff = Math.abs(view.total - result.placement.objectives.totalCost);
    if (diff > 1e-6 * Math.max(1, view.total)) warnings.push(`the shares sum to ${view.total.toFixed(2)}, the coalition cost of all tenants, not the plan's ${result.placement.objectives.totalCost.toFixed(2)} (a solver stopped before proving optimality)`);
  }
}

function coversAll(world: World): boolean {
  const owned = new Set<string>();
  for (const t of world.tenants ?? []) for (const p of t.populations) owned.add(p);
  return world.populations.every((p) => owned.has(p.id));
}
