import { checkModelFeatures, ModelError, type Certificate, type PlacementModel, type Rng, type Sense } from '@emplace/core';
import { GAP_FEATURES } from './features.js';

/**
 * The generalized assignment problem in the form every GAP algorithm here works on:
 * always a MINIMISATION (a max problem has its profits negated), agents x jobs dense
 * row-major arrays, with disallowed pairs (compliance, forbidden agents, sizes above the
 * capacity) marked so that no method ever looks at them again.
 */
/**
 * What a GAP improvement walk (tabu, ejection chain) is given: seeded randomness, the stop
 * test, a lower bound at which it stops (its plan is then proven optimal), and where to
 * report a better plan.
 */
export interface GapWalkOptions {
  rng: Rng;
  stop: () => boolean;
  lowerBound?: number | undefined;
  onImprove?: ((cost: number, assignment: Int32Array) => void) | undefined;
}

/** A walk's best plan (agent of each job) and its cost. */
export interface GapPlan {
  assignment: Int32Array;
  cost: number;
}

export interface GapInstance {
  readonly m: number;
  readonly n: number;
  readonly sense: Sense;
  /** Minimisation cost `cost[i * n + j]` (= -profit for max problems). */
  readonly cost: Float64Array;
  /** Resource use `weight[i * n + j]` (r_ij). */
  readonly weight: Float64Array;
  readonly capacity: Float64Array;
  /** 1 when job j may go to agent i (allowed, agent not forbidden, r_ij <= b_i). */
  readonly feasible: Uint8Array;
  /** True when every weight and capacity is an integer (the knapsack DP is exact then). */
  readonly integral: boolean;
}

/** A GAP solution: the agent (site index) of every job (client). */
export interface GapSolution {
  /** `assignment[j]` = site index of client j. */
  readonly assignment: Int32Array;
  /** `assignmentIds[j]` = site id of client j. */
  readonly assignmentIds: string[];
  /** Resource used per site (dimension 0). */
  readonly load: Float64Array;
}

/**
 * Reads the GAP view of a PlacementModel: capacity and demand are dimension 0, r_ij is
 * `siteDemand` when present (else the client's demand), c_ij the cost (the profit when
 * `sense` is 'max'). Affinity groups and extra dimensions belong to the scheduling model
 * and are refused here rather than silently ignored.
 */
export function toGapInstance(model: PlacementModel, sense: Sense): GapInstance {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (createPlacementModel)');
  if (sense !== 'min' && sense !== 'max') throw new ModelError('options.sense', `must be 'min' or 'max', got ${String(sense)}`);
  const nDims = model.dimensions.length;
  if (nDims !== 1) throw new ModelError('dimensions', `GAP takes one resource dimension, got ${nDims} (use the schedule family for several)`);
  // Affinity, anti-affinity and replicas are refused (ModelError): the schedule and replicas families honour them.
  checkModelFeatures(model, GAP_FEATURES, 'gap (use the schedule family for affinity rules, replicas for replica counts)');
  const m = model.nSites;
  const n = model.nClients;
  const cost = new Float64Array(m * n);
  const weight = new Float64Array(m * n);
  const capacity = Float64Array.from(model.capacity);
  const feasible = new Uint8Array(m * n);
  let integral = true;
  for (let i = 0; i < m; i++) {
    const b = capacity[i]!;
    if (b !== Infinity && !Number.isInteger(b)) integral = false;
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const c = model.cost[k]!;
      cost[k] = sense === 'max' ? -c : c;
      const w = model.siteDemand ? model.siteDemand[k]! : model.demand[j]!;
      weight[k] = w;
      if (!Number.isInteger(w)) integral = false;
      const ok = model.forbidden[i] !== 1 && (model.allowed === undefined || model.allowed[k] === 1) && w <= b;
      feasible[k] = ok ? 1 : 0;
    }
  }
  return { m, n, sense, cost, weight, capacity, feasible, integral };
}

/**
 * Infeasibility evident from the data: a job that fits on no agent, or (when sizes do not
 * depend on the agent) a total size above the total capacity. Undefined when none is seen.
 */
export function gapEvidentInfeasibility(inst: GapInstance, model: PlacementModel): Certificate | undefined {
  const { m, n, weight, capacity, feasible } = inst;
  for (let j = 0; j < n; j++) {
    let any = false;
    for (let i = 0; i < m && !any; i++) if (feasible[i * n + j]) any = true;
    if (!any) {
      return {
        reason: `client ${JSON.stringify(model.clientIds[j])} fits on no site: every site is disallowed, forbidden or has less capacity than its size`,
        fields: [`clients[${j}]`],
      };
    }
  }
  // Smallest possible size of each job against the total capacity of usable agents.
  let minTotal = 0;
  for (let j = 0; j < n; j++) {
    let w = Infinity;
    for (let i = 0; i < m; i++) if (feasible[i * n + j] && weight[i * n + j]! < w) w = weight[i * n + j]!;
    minTotal += w;
  }
  let capTotal = 0;
  for (let i = 0; i < m; i++) if (model.forbidden[i] !== 1) capTotal += capacity[i]!;
  if (minTotal > capTotal * (1 + 1e-12)) {
    return {
      reason: `total size of the clients (at least ${minTotal}) exceeds the total capacity of the sites (${capTotal})`,
      fields: ['capacity', model.siteDemand ? 'siteDemand' : 'demand'],
    };
  }
  return undefined;
}

/** Objective of an assignment in the model's own sense (recomputed from the model). */
export function gapObjective(model: PlacementModel, assignment: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < model.nClients; j++) s += model.cost[assignment[j]! * model.nClients + j]!;
  return s;
}

/** Internal min-cost value of an assignment. */
export function gapCost(inst: GapInstance, assignment: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < inst.n; j++) s += inst.cost[assignment[j]! * inst.n + j]!;
  return s;
}

/** True when every job sits on a feasible agent and no capacity is exceeded. */
export function gapIsFeasible(inst: GapInstance, assignment: ArrayLike<number>): boolean {
  const load = new Float64Array(inst.m);
  for (let j = 0; j < inst.n; j++) {
    const i = assignment[j]!;
    if (!(i >= 0 && i < inst.m) || !inst.feasible[i * inst.n + j]) return false;
    load[i]! += inst.weight[i * inst.n + j]!;
  }
  for (let i = 0; i < inst.m; i++) if (load[i]! > inst.capacity[i]! + 1e-9) return false;
  return true;
}

export function gapSolution(inst: GapInstance, model: PlacementModel, assignment: Int32Array): GapSolution {
  const load = new Float64Array(inst.m);
  for (let j = 0; j < inst.n; j++) load[assignment[j]!]! += inst.weight[assignment[j]! * inst.n + j]!;
  return { assignment: Int32Array.from(assignment), assignmentIds: Array.from(assignment, (i) => model.siteIds[i]!), load };
}
