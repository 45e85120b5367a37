import { checkMemory, checkModelFeatures, ModelError, SolveRun, isUncapacitated, type PlacementModel, type Result } from '@emplace/core';
import { EXACT_PLACEMENT_FRONT_FEATURES } from './features.js';
import { LinearModel, solveLp, type LpOptions } from '@emplace/lp';
import { nsga2, nsga3, type EvolutionOptions } from './evolve.js';
import { epsilonConstraint } from './epsilon-constraint.js';
import { hvFlat } from './hypervolume.js';
import { nonDominatedIndices } from './sort.js';
import { placementProblem, type PlacementFrontOptions, type PlacementObjective, type PlacementPlan, type PlacementProblem } from './placement.js';

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
  timeLimitMs?: number | undefined;
  signal?: AbortSignal | undefined;
  seed?: number | undefined;
  onProgress?: EvolutionOptions['onProgress'] | undefined;
  progressIntervalMs?: number | undefined;
  /** Backend options of every MIP. */
  lp?: LpOptions | undefined;
  /** Each client served by one site (binary assignment). Default false: demand may split across sites when capacities bind (OR-Library CFLP). */
  singleSource?: boolean | undefined;
  /** Reference point for the reported hypervolume; default 1.1 x the front's worst values. */
  referencePoint?: readonly number[] | undefined;
  /** Memory budget of the call in bytes (see SolveOptions.maxMemoryBytes). */
  maxMemoryBytes?: number | undefined;
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
  const withDomains = objectives.length === 3 && objectives[2] === 'domains';
  if (objectives[0] !== 'cost' || objectives[1] !== 'latency' || (objectives.length !== 2 && !withDomains)) {
    throw new ModelError('options.objectives', `the exact front is for ['cost', 'latency'] or ['cost', 'latency', 'domains'], got ${JSON.stringify(objectives)}`);
  }
  const problem = placementProblem(model, { ...options, objectives });
  checkModelFeatures(model, EXACT_PLACEMENT_FRONT_FEATURES, 'the exact front (use the evolutionary method for affinity rules)');
  guardExactMemory(model, options);
  const run = new SolveRun(options, 'pareto:epsilon-constraint', 'max');
  const front = new EpsilonFront(model, problem, options, run, withDomains);
  const { collected, solves, finished } = await front.passes();
  if (collected.length === 0) {
    if (finished) {
      return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: 'no plan serves every client within the capacities and compliance rules', fields: ['capacity', 'allowed'] }, stats: { solves } });
    }
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: { solves } });
  }
  return front.answer(collected, solves, finished);
}

/**
 * Working memory of the epsilon-constraint MIPs, refused up front when over the budget:
 * per usable pair a column, its linking row and, without capacities, a closest-assignment
 * row with up to nSites entries (about 24 bytes per nonzero in the model, several times
 * that inside HiGHS).
 */
function guardExactMemory(model: PlacementModel, options: ExactPlacementOptions): void {
  const pairs = model.nSites * model.nClients;
  const nonzeros = pairs * (4 + (isUncapacitated(model) ? model.nSites : model.dimensions.length));
  checkMemory('pareto:epsilon-constraint', `a ${model.nSites} x ${model.nClients} sites x clients front (${nonzeros.toExponential(2)} MIP nonzeros)`, nonzeros * 24 * 4, options);
}

type Plan = { open: Uint8Array; share: Float64Array; pairs: Int32Array };

/** The epsilon-constraint front of one model: the latency levels, the MIP of each epsilon, the passes and the answer. */
class EpsilonFront {
  readonly nSites: number;
  readonly nClients: number;
  readonly nDims: number;
  readonly lat: Float64Array;
  readonly capacitated: boolean;
  /** Distinct latencies of usable pairs, ascending: the only values max latency can take. */
  readonly levels: number[];
  readonly nDomains: number;

  constructor(
    readonly model: PlacementModel,
    readonly problem: PlacementProblem,
    readonly options: ExactPlacementOptions,
    readonly run: SolveRun,
    readonly withDomains: boolean,
  ) {
    const { nSites, nClients } = model;
    this.nSites = nSites;
    this.nClients = nClients;
    this.nDims = model.dimensions.length;
    this.lat = problem.latency;
    this.capacitated = !isUncapacitated(model);
    const values: number[] = [];
    for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) if (this.usable(i, j)) values.push(this.lat[i * nClients + j]!);
    values.sort((a, b) => a - b);
    this.levels = values.filter((v, t) => t === 0 || v !== values[t - 1]);
    this.nDomains = withDomains ? Math.max(...Array.from(problem.domainOf)) + 1 : 1;
  }

  usable(i: number, j: number): boolean {
    return !this.model.forbidden[i] && (this.model.allowed === undefined || this.model.allowed[i * this.nClients + j] === 1);
  }

  /** The largest latency level strictly below f2 (the next epsilon), undefined when none. */
  nextBelow(f2: number): number | undefined {
    const { levels } = this;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]! < f2) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? levels[lo - 1] : undefined;
  }

  /**
   * Two objectives: one epsilon-constraint pass. With domains: one pass per required
   * number of domains k = 1, 2, ... (sum z_d >= k), then the 3D non-dominated union: a
   * Pareto plan with D domains is on the (cost, latency) front of the pass k = D.
   */
  async passes(): Promise<{ collected: { plan: Plan; objectives: number[] }[]; solves: number; finished: boolean }> {
    const { options, run, withDomains, problem } = this;
    const collected: { plan: Plan; objectives: number[] }[] = [];
    let solves = 0;
    let finished = true;
    for (let k = 1; k <= this.nDomains; k++) {
      const ec = await epsilonConstraint<Plan>((eps) => this.solveAt(eps, withDomains ? k : 0), {
        nextBelow: (f2) => this.nextBelow(f2),
        ...(options.timeLimitMs !== undefined ? { timeLimitMs: run.remainingMs() } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        tolerance: 1e-9,
      });
      solves += Number(ec.stats['solves'] ?? 0);
      // The pass runs on its own SolveRun: a time limit or abort that stopped it stopped this front too.
      run.markStopped(ec.stoppedBy);
      if (ec.status === 'infeasible') break;
      if (ec.status !== 'optimal' && ec.status !== 'feasible') {
        finished = false;
        break;
      }
      if (!ec.solution.complete) finished = false;
      for (const p of ec.solution.points) {
        const obj = [p.objectives[0], p.objectives[1]];
        if (withDomains) obj.push(-new Set(Array.from(p.solution.open.keys()).filter((i) => p.solution.open[i]).map((i) => problem.domainOf[i]!)).size);
        collected.push({ plan: p.solution, objectives: obj });
      }
      if (!finished || run.shouldStop()) break;
    }
    if (run.stoppedBy() !== 'converged') finished = false;
    return { collected, solves, finished };
  }

  /** Min cost with every client within latency eps (and at least minDomains domains open); null when infeasible or stopped. */
  async solveAt(eps: number, minDomains: number): Promise<{ solution: Plan; objectives: [number, number] } | null> {
    const { run, options } = this;
    if (run.shouldStop()) return null;
    const mip = this.buildMip(eps, minDomains);
    if (mip === null) return null; // some client has no site within eps
    const remaining = run.remainingMs();
    const sol = await solveLp(mip.lp, { ...(options.lp ?? {}), ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    if (sol.status === 'infeasible') return null;
    if (sol.status !== 'optimal') {
      run.markStopped(sol.stoppedBy);
      if (sol.stoppedBy === 'converged') throw new ModelError('model', `epsilon subproblem at latency ${eps} ended ${sol.status}`);
      return null;
    }
    return this.readPlan(sol.solution.x, mip.y, mip.pairs, mip.x0);
  }

  /** The MIP at latency eps: open y_i, assignment shares x over the pairs within eps. */
  buildMip(eps: number, minDomains: number): { lp: LinearModel; y: number; pairs: number[]; x0: number } | null {
    const { model, nSites, nClients, lat } = this;
    const lp = new LinearModel('min');
    const y = lp.addVariables(nSites, { type: 'binary' });
    if (minDomains > 1) this.addDomainRows(lp, y, minDomains);
    for (let i = 0; i < nSites; i++) {
      lp.setObjective(y + i, model.openingCost[i]!);
      if (model.forbidden[i]) lp.addLe([y + i], [1], 0);
      if (model.mustOpen[i]) lp.addGe([y + i], [1], 1);
    }
    const pairs: number[] = [];
    for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) if (this.usable(i, j) && lat[i * nClients + j]! <= eps) pairs.push(i * nClients + j);
    const x0 = lp.numVariables;
    lp.addVariables(pairs.length, { type: this.options.singleSource ? 'binary' : 'continuous', lb: 0, ub: 1 });
    const byClient: number[][] = Array.from({ length: nClients }, () => []);
    const bySite: number[][] = Array.from({ length: nSites }, () => []);
    pairs.forEach((p, t) => {
      lp.setObjective(x0 + t, model.cost[p]!);
      byClient[p % nClients]!.push(t);
      bySite[Math.floor(p / nClients)]!.push(t);
    });
    for (let j = 0; j < nClients; j++) {
      if (byClient[j]!.length === 0) return null;
      lp.addEq(byClient[j]!.map((t) => x0 + t), byClient[j]!.map(() => 1), 1);
    }
    pairs.forEach((p, t) => lp.addLe([x0 + t, y + Math.floor(p / nClients)], [1, -1], 0));
    if (this.capacitated) this.addCapacityRows(lp, y, x0, pairs, bySite);
    else this.addClosestAssignmentRows(lp, y, x0, pairs);
    return { lp, y, pairs, x0 };
  }

  /** z_d <= sum of y_i over the sites of domain d; sum z_d >= minDomains. */
  private addDomainRows(lp: LinearModel, y: number, minDomains: number): void {
    const { nDomains, nSites, problem } = this;
    const z = lp.addVariables(nDomains, { type: 'binary' });
    for (let d = 0; d < nDomains; d++) {
      const sites: number[] = [];
      for (let i = 0; i < nSites; i++) if (problem.domainOf[i] === d) sites.push(y + i);
      lp.addLe([z + d, ...sites], [1, ...sites.map(() => -1)], 0);
    }
    lp.addGe(Array.from({ length: nDomains }, (_, d) => z + d), new Array<number>(nDomains).fill(1), minDomains);
  }

  /**
   * Closest assignment (the evolutionary decoding's rule): if site i is open, client j is
   * served by a site at least as cheap as i (ties by index) within the latency bound: sum
   * over such sites k of x_kj >= y_i. Without it the MIP could send a client to a dearer
   * site just to cut its latency, a plan the problem does not describe.
   */
  private addClosestAssignmentRows(lp: LinearModel, y: number, x0: number, pairs: readonly number[]): void {
    const { model, nSites, nClients } = this;
    const slot = new Int32Array(nSites * nClients).fill(-1);
    pairs.forEach((p, t) => (slot[p] = t));
    for (let j = 0; j < nClients; j++) {
      for (let i = 0; i < nSites; i++) {
        if (!this.usable(i, j)) continue;
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

  /** Per site and finite-capacity dimension: the demand of its shares within capacity x y_i. */
  private addCapacityRows(lp: LinearModel, y: number, x0: number, pairs: readonly number[], bySite: readonly number[][]): void {
    const { model, nSites, nClients, nDims } = this;
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

  /** The plan of a MIP solution, both objectives recomputed from it (never the backend's value). */
  private readPlan(x: Float64Array, y: number, pairs: readonly number[], x0: number): { solution: Plan; objectives: [number, number] } {
    const { model, nSites, lat } = this;
    const open = new Uint8Array(nSites);
    for (let i = 0; i < nSites; i++) open[i] = x[y + i]! > 0.5 ? 1 : 0;
    const share = new Float64Array(pairs.length);
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
    return { solution: { open, share, pairs: Int32Array.from(pairs) }, objectives: [cost, maxLat] };
  }

  /** The non-dominated union of the passes, sorted by cost, with its hypervolume. */
  answer(collected: { plan: Plan; objectives: number[] }[], solves: number, finished: boolean): Result<PlacementFrontSolution> {
    const { model, problem, options, run, withDomains } = this;
    const mObj = withDomains ? 3 : 2;
    const kept = collected.filter((a, s2) => !collected.some((b, t) => (t < s2 && b.objectives.every((v, k) => v === a.objectives[k])) || (b.objectives.every((v, k) => v <= a.objectives[k]! + 1e-9 * Math.max(1, Math.abs(a.objectives[k]!))) && b.objectives.some((v, k) => v < a.objectives[k]! - 1e-9 * Math.max(1, Math.abs(a.objectives[k]!))))));
    const points: PlacementFrontPoint[] = kept
      .map((p) => ({ objectives: p.objectives, plan: planFromShares(model, problem.domainOf, p.plan, [p.objectives[0]!, p.objectives[1]!]) }))
      .sort((a, b) => a.objectives[0]! - b.objectives[0]! || a.objectives[1]! - b.objectives[1]!);
    const flat = Float64Array.from(points.flatMap((p) => p.objectives));
    const reference = options.referencePoint ? Float64Array.from(options.referencePoint) : defaultReference(flat, mObj);
    const complete = finished && run.stoppedBy() === 'converged';
    const hv = hvInside(flat, mObj, reference);
    const solution: PlacementFrontSolution = { objectiveNames: withDomains ? ['cost', 'latency', '-domains'] : ['cost', 'latency'], points, referencePoint: Array.from(reference), hypervolume: hv, evaluations: solves, complete };
    return run.solved({ solution, objective: hv, proven: complete, guarantee: { kind: 'exact' }, iterations: solves, stats: { solves, frontSize: points.length, complete } });
  }
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
 * Brute force over all open-site sets (at most 24 candidate sites): the exact front of an
 * uncapacitated model for ['cost', 'latency'] (default) or ['cost', 'latency', 'domains'],
 * each client served by its cheapest open site (the rule of `placementProblem`). The check
 * of the exact and evolutionary methods. One entry per non-dominated objective vector.
 */
export function bruteForcePlacementFront(model: PlacementModel, options: PlacementFrontOptions = {}): { objectives: number[]; cost: number; latency: number; domains: number; open: number[] }[] {
  if (!isUncapacitated(model)) throw new ModelError('model.capacity', 'must be infinite for the brute-force front (capacities make each open set an LP)');
  const objectives = options.objectives ?? ['cost', 'latency'];
  const problem = placementProblem(model, { ...options, objectives });
  const free: number[] = [];
  const base = new Float64Array(model.nSites);
  for (let i = 0; i < model.nSites; i++) {
    if (model.mustOpen[i]) base[i] = 1;
    else if (!model.forbidden[i]) free.push(i);
  }
  if (free.length > 24) throw new ModelError('model.nSites', `has ${free.length} free sites: too many for brute force (at most 24)`);
  const m = objectives.length;
  const rows: number[] = [];
  const opens: number[][] = [];
  const x = new Float64Array(model.nSites);
  for (let mask = 0; mask < 1 << free.length; mask++) {
    x.set(base);
    for (let b = 0; b < free.length; b++) if (mask & (1 << b)) x[free[b]!] = 1;
    if (!x.some((v) => v > 0)) continue;
    const e = problem.evaluate(x);
    if (Array.from(e.violations ?? []).some((v) => v > 0)) continue;
    rows.push(...Array.from(e.objectives));
    opens.push(Array.from(x.keys()).filter((i) => x[i]! > 0));
  }
  const values = Float64Array.from(rows);
  const nd = nonDominatedIndices(values, opens.length, m);
  const seen = new Set<string>();
  const out: { objectives: number[]; cost: number; latency: number; domains: number; open: number[] }[] = [];
  for (const i of nd) {
    const obj = Array.from(values.subarray(i * m, i * m + m));
    const key = obj.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const plan = problem.plan(Float64Array.from({ length: model.nSites }, (_, s2) => (opens[i]!.includes(s2) ? 1 : 0)));
    out.push({ objectives: obj, cost: plan.cost, latency: plan.maxLatency, domains: plan.domains, open: opens[i]! });
  }
  return out.sort((a, b) => a.cost - b.cost || a.latency - b.latency);
}
