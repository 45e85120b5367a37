import { ModelError, SolveRun, isUncapacitated, type PlacementModel, type Result } from '@emplace/core';
import { LinearModel, solveLp, type LpOptions } from '@emplace/lp';
import { nsga2, nsga3, type EvolutionOptions } from './evolve.js';
import { epsilonConstraint } from './epsilon-constraint.js';
import { hvFlat } from './hypervolume.js';
import { placementProblem, type PlacementFrontOptions, type PlacementObjective, type PlacementPlan } from './placement.js';

/** One point of a placement front with its plan. */
export interface PlacementFrontPoint {
  objectives: number[];
  plan: PlacementPlan;
}

export interface PlacementFrontSolution {
  objectiveNames: string[];
  points: PlacementFrontPoint[];
  referencePoint: number[];
  hypervolume: number;
  /** Evaluations (evolutionary) or subproblem solves (exact). */
  evaluations: number;
  /** True when the front is proven complete (exact method ran to the end). */
  complete: boolean;
}

export interface PlacementEvolutionOptions extends EvolutionOptions, PlacementFrontOptions {}

/**
 * Evolutionary placement front: NSGA-II for up to two objectives, NSGA-III for three,
 * over open-site sets, keeping every non-dominated feasible plan ever evaluated
 * (unbounded archive). Default budget 20,000 evaluations.
 */
export async function placementFront(model: PlacementModel, options: PlacementEvolutionOptions = {}): Promise<Result<PlacementFrontSolution>> {
  const problem = placementProblem(model, options);
  const evo: EvolutionOptions = { maxEvaluations: 20000, ...options, archive: true };
  const res = problem.nObjectives >= 3 ? await nsga3(problem, evo) : await nsga2(problem, evo);
  if (res.status !== 'optimal' && res.status !== 'feasible') return res as Result<never>;
  const points = res.solution.points.map((p) => ({ objectives: p.objectives, plan: problem.plan(p.x) }));
  const solution: PlacementFrontSolution = {
    objectiveNames: [...problem.objectiveNames!],
    points,
    referencePoint: res.solution.referencePoint,
    hypervolume: res.solution.hypervolume,
    evaluations: res.solution.evaluations,
    complete: false,
  };
  return { ...res, solution };
}

export interface ExactPlacementOptions extends PlacementFrontOptions {
  timeLimitMs?: number;
  signal?: AbortSignal;
  seed?: number;
  onProgress?: EvolutionOptions['onProgress'];
  progressIntervalMs?: number;
  /** Backend options of every MIP. */
  lp?: LpOptions;
  /** Each client served by one site (binary assignment). Default false: demand may split across sites when capacities bind (OR-Library CFLP). */
  singleSource?: boolean;
  /** Reference point for the reported hypervolume; default 1.1 x the front's worst values. */
  referencePoint?: readonly number[];
}

/**
 * The exact cost vs max-latency front by the epsilon-constraint method: min cost s.t.
 * every client is served from a site within latency eps (pairs above eps are simply
 * absent from the MIP), solved with HiGHS through @emplace/lp. Uncapacitated models keep
 * the problem's rule that each client uses its cheapest open site (closest-assignment
 * constraints), so the front is that of `placementProblem` exactly; with capacities the
 * assignment is the cheapest one within the capacities (demand may split unless
 * `singleSource`), a relaxation of the greedy decoding of the evolutionary method; eps then steps to the
 * next smaller distinct latency value below the latency just reached, until infeasible.
 * A point is kept only when the next tighter solve costs strictly more, so weakly
 * dominated plans are never reported. Exact up to the MIP tolerance (mipRelGap 1e-9).
 */
export async function exactPlacementFront(model: PlacementModel, options: ExactPlacementOptions = {}): Promise<Result<PlacementFrontSolution>> {
  const objectives: readonly PlacementObjective[] = options.objectives ?? ['cost', 'latency'];
  if (objectives.length !== 2 || objectives[0] !== 'cost' || objectives[1] !== 'latency') {
    throw new ModelError('options.objectives', `the exact front is for ['cost', 'latency'], got ${JSON.stringify(objectives)}`);
  }
  const problem = placementProblem(model, { ...options, objectives });
  if (model.affinity.length > 0) throw new ModelError('model.affinity', 'is not supported by the exact front (use the evolutionary method)');
  if (model.antiAffinity.length > 0) throw new ModelError('model.antiAffinity', 'is not supported by the exact front (use the evolutionary method)');
  const run = new SolveRun(options, 'pareto:epsilon-constraint', 'max');
  const { nSites, nClients } = model;
  const nDims = model.dimensions.length;
  const lat = problem.latency;
  const capacitated = !isUncapacitated(model);
  // Distinct latencies of usable pairs, ascending: the only values max latency can take.
  const usable = (i: number, j: number): boolean => !model.forbidden[i] && (model.allowed === undefined || model.allowed[i * nClients + j] === 1);
  const values: number[] = [];
  for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) if (usable(i, j)) values.push(lat[i * nClients + j]!);
  values.sort((a, b) => a - b);
  const levels = values.filter((v, t) => t === 0 || v !== values[t - 1]);
  const nextBelow = (f2: number): number | undefined => {
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]! < f2) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? levels[lo - 1] : undefined;
  };

  type Plan = { open: Uint8Array; share: Float64Array; pairs: Int32Array };
  const solver = async (eps: number) => {
    if (run.shouldStop()) return null;
    const lp = new LinearModel('min');
    const y = lp.addVariables(nSites, { type: 'binary' });
    for (let i = 0; i < nSites; i++) {
      lp.setObjective(y + i, model.openingCost[i]!);
      if (model.forbidden[i]) lp.addLe([y + i], [1], 0);
      if (model.mustOpen[i]) lp.addGe([y + i], [1], 1);
    }
    const pairs: number[] = [];
    for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) if (usable(i, j) && lat[i * nClients + j]! <= eps) pairs.push(i * nClients + j);
    const x0 = lp.numVariables;
    lp.addVariables(pairs.length, { type: options.singleSource ? 'binary' : 'continuous', lb: 0, ub: 1 });
    const byClient: number[][] = Array.from({ length: nClients }, () => []);
    const bySite: number[][] = Array.from({ length: nSites }, () => []);
    pairs.forEach((p, t) => {
      lp.setObjective(x0 + t, model.cost[p]!);
      byClient[p % nClients]!.push(t);
      bySite[Math.floor(p / nClients)]!.push(t);
    });
    for (let j = 0; j < nClients; j++) {
      if (byClient[j]!.length === 0) return null; // some client has no site within eps
      lp.addEq(byClient[j]!.map((t) => x0 + t), byClient[j]!.map(() => 1), 1);
    }
    pairs.forEach((p, t) => lp.addLe([x0 + t, y + Math.floor(p / nClients)], [1, -1], 0));
    if (!capacitated) {
      // Closest assignment (the evolutionary decoding's rule): if site i is open, client j
      // is served by a site at least as cheap as i (ties by index) within the latency bound:
      // sum over such sites k of x_kj >= y_i. Without it the MIP could send a client to a
      // dearer site just to cut its latency, a plan the problem does not describe.
      const slot = new Int32Array(nSites * nClients).fill(-1);
      pairs.forEach((p, t) => (slot[p] = t));
      for (let j = 0; j < nClients; j++) {
        for (let i = 0; i < nSites; i++) {
          if (!usable(i, j)) continue;
          const cij = model.cost[i * nClients + j]!;
          const idx: number[] = [];
          for (let k = 0; k < nSites; k++) {
            const ckj = model.cost[k * nClients + j]!;
            if (slot[k * nClients + j]! >= 0 && (ckj < cij || (ckj === cij && k <= i))) idx.push(x0 + slot[k * nClients + j]!);
          }
          if (idx.length === 0) lp.addLe([y + i], [1], 0);
          else lp.addConstraint([...idx, y + i], [...idx.map(() => 1), -1], 0, Infinity);
        }
      }
    }
    if (capacitated) {
      for (let i = 0; i < nSites; i++) {
        for (let d = 0; d < nDims; d++) {
          const capI = model.capacity[i * nDims + d]!;
          if (capI === Infinity) continue;
          const ts = bySite[i]!;
          const coefs = ts.map((t) => {
            const j = pairs[t]! % nClients;
            return model.siteDemand ? model.siteDemand[(i * nClients + j) * nDims + d]! : model.demand[j * nDims + d]!;
          });
          lp.addLe([...ts.map((t) => x0 + t), y + i], [...coefs, -capI], 0);
        }
      }
    }
    const remaining = run.remainingMs();
    const sol = await solveLp(lp, { ...(options.lp ?? {}), ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    if (sol.status === 'infeasible') return null;
    if (sol.status !== 'optimal' || !sol.x) {
      run.markStopped(sol.stoppedBy);
      if (sol.stoppedBy === 'converged') throw new ModelError('model', `epsilon subproblem at latency ${eps} ended ${sol.status}`);
      return null;
    }
    const x = sol.x;
    const open = new Uint8Array(nSites);
    for (let i = 0; i < nSites; i++) open[i] = x[y + i]! > 0.5 ? 1 : 0;
    const share = new Float64Array(pairs.length);
    // Recompute both objectives from the solution (never trust the backend's value).
    let cost = 0;
    for (let i = 0; i < nSites; i++) if (open[i]) cost += model.openingCost[i]!;
    let maxLat = 0;
    pairs.forEach((p, t) => {
      const v = Math.min(1, Math.max(0, x[x0 + t]!));
      share[t] = v;
      if (v > 1e-7) {
        cost += model.cost[p]! * v;
        maxLat = Math.max(maxLat, lat[p]!);
      }
    });
    const plan: Plan = { open, share, pairs: Int32Array.from(pairs) };
    return { solution: plan, objectives: [cost, maxLat] as [number, number] };
  };

  const ec = await epsilonConstraint<Plan>(solver, {
    nextBelow,
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    tolerance: 1e-9,
  });
  if (ec.status !== 'optimal' && ec.status !== 'feasible') {
    if (ec.status === 'infeasible') {
      return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: 'no plan serves every client within the capacities and compliance rules', fields: ['capacity', 'allowed'] }, stats: { solves: ec.stats['solves'] } });
    }
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: { solves: ec.stats['solves'] } });
  }
  const points: PlacementFrontPoint[] = ec.solution.points
    .map((p) => ({ objectives: [p.objectives[0], p.objectives[1]], plan: planFromShares(model, problem.domainOf, p.solution, p.objectives) }))
    .sort((a, b) => a.objectives[0]! - b.objectives[0]!);
  const flat = Float64Array.from(points.flatMap((p) => p.objectives));
  const reference = options.referencePoint ? Float64Array.from(options.referencePoint) : defaultReference(flat, 2);
  const complete = ec.solution.complete && run.stoppedBy() === 'converged';
  const hv = hvInside(flat, 2, reference);
  const solution: PlacementFrontSolution = { objectiveNames: ['cost', 'latency'], points, referencePoint: Array.from(reference), hypervolume: hv, evaluations: ec.solution.solves, complete };
  return run.solved({ solution, objective: hv, proven: complete, guarantee: { kind: 'exact' }, iterations: ec.solution.solves, stats: { solves: ec.solution.solves, frontSize: points.length, complete } });
}

function planFromShares(model: PlacementModel, domainOf: Int32Array, p: { open: Uint8Array; share: Float64Array; pairs: Int32Array }, objectives: [number, number]): PlacementPlan {
  const { nSites, nClients } = model;
  const assignment = new Array<number>(nClients).fill(-1);
  const best = new Float64Array(nClients);
  p.pairs.forEach((pair, t) => {
    const j = pair % nClients;
    if (p.share[t]! > best[j]!) {
      best[j] = p.share[t]!;
      assignment[j] = Math.floor(pair / nClients);
    }
  });
  const open: number[] = [];
  for (let i = 0; i < nSites; i++) if (p.open[i]) open.push(i);
  return {
    open,
    openIds: open.map((i) => model.siteIds[i]!),
    assignment,
    cost: objectives[0],
    maxLatency: objectives[1],
    domains: new Set(open.map((i) => domainOf[i]!)).size,
    unserved: 0,
    antiAffinityViolations: 0,
  };
}

/** 1.1 x the worst value per objective (shifted to stay strictly above it). */
export function defaultReference(flat: Float64Array, m: number): Float64Array {
  const ref = new Float64Array(m).fill(-Infinity);
  const lo = new Float64Array(m).fill(Infinity);
  for (let t = 0; t < flat.length; t++) {
    ref[t % m] = Math.max(ref[t % m]!, flat[t]!);
    lo[t % m] = Math.min(lo[t % m]!, flat[t]!);
  }
  for (let k = 0; k < m; k++) ref[k] = ref[k]! + 0.1 * Math.max(ref[k]! - lo[k]!, Math.abs(ref[k]!), 1e-9);
  return ref;
}

function hvInside(flat: Float64Array, m: number, ref: Float64Array): number {
  const keep: number[] = [];
  for (let i = 0; i < flat.length / m; i++) {
    let ok = true;
    for (let k = 0; k < m; k++) if (!(flat[i * m + k]! < ref[k]!)) ok = false;
    if (ok) keep.push(...flat.subarray(i * m, i * m + m));
  }
  return hvFlat(Float64Array.from(keep), keep.length / m, m, ref);
}

/**
 * Brute force over all open-site sets (at most 24 candidate sites): the exact cost vs
 * max-latency front of an uncapacitated model, each client served by its cheapest open
 * site (the rule of `placementProblem`). The check of the exact and evolutionary methods.
 */
export function bruteForcePlacementFront(model: PlacementModel, options: PlacementFrontOptions = {}): { cost: number; latency: number; open: number[] }[] {
  if (!isUncapacitated(model)) throw new ModelError('model.capacity', 'must be infinite for the brute-force front (capacities make each open set an LP)');
  const problem = placementProblem(model, { ...options, objectives: ['cost', 'latency'] });
  const free: number[] = [];
  const base = new Float64Array(model.nSites);
  for (let i = 0; i < model.nSites; i++) {
    if (model.mustOpen[i]) base[i] = 1;
    else if (!model.forbidden[i]) free.push(i);
  }
  if (free.length > 24) throw new ModelError('model.nSites', `has ${free.length} free sites: too many for brute force (at most 24)`);
  const found: { cost: number; latency: number; open: number[] }[] = [];
  const x = new Float64Array(model.nSites);
  for (let mask = 0; mask < 1 << free.length; mask++) {
    x.set(base);
    for (let b = 0; b < free.length; b++) if (mask & (1 << b)) x[free[b]!] = 1;
    if (!x.some((v) => v > 0)) continue;
    const e = problem.evaluate(x);
    if (Array.from(e.violations ?? []).some((v) => v > 0)) continue;
    found.push({ cost: e.objectives[0]!, latency: e.objectives[1]!, open: Array.from(x.keys()).filter((i) => x[i]! > 0) });
  }
  // Non-dominated filter on (cost, latency): sort by latency then cost; keep strictly decreasing cost.
  found.sort((a, b) => a.latency - b.latency || a.cost - b.cost);
  const front: typeof found = [];
  for (const p of found) if (front.length === 0 || p.cost < front[front.length - 1]!.cost) front.push(p);
  return front.sort((a, b) => a.cost - b.cost);
}
