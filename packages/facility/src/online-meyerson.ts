import { checkModelFeatures, ModelError, runSteps, runStepsAsync, SolveRun, type Guarantee, type PlacementModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { ONLINE_FEATURES } from './features.js';
import { prepareProblemSteps, type FacilityProblem } from './problem.js';

export interface OnlineOptions extends SolveOptions {
  /**
   * Arrival order of the clients: `given` (index order, the default), `random` (a uniformly
   * random permutation drawn from the seed: the random-order model) or an explicit
   * permutation of the client indices.
   */
  order?: 'given' | 'random' | ArrayLike<number>;
}

/** The decisions of an online facility-location run (irrevocable, in arrival order). */
export interface OnlineFacilitySolution {
  /** Ids of the sites opened, in opening order. */
  open: string[];
  /** Indices of the sites opened, in opening order. */
  openSites: Int32Array;
  /** Arrival step (0-based) at which each of openSites opened. */
  openedAt: Int32Array;
  /** Site each client was assigned to when it arrived (never moved afterwards); after a stop, the clients that had not arrived are served at their nearest open site. */
  assignment: Int32Array;
  /** The arrival order used. */
  order: Int32Array;
  openingCost: number;
  /** Sum of the serving costs at arrival. */
  servingCost: number;
  /** Serving cost if every client moved to its nearest finally-open site (what hindsight reassignment would save). */
  hindsightServingCost: number;
}

/** Resolves `order` to a permutation of 0..n-1, validating an explicit one. */
export function arrivalOrder(n: number, order: OnlineOptions['order'], run: SolveRun): Int32Array {
  if (order === undefined || order === 'given') return Int32Array.from({ length: n }, (_, k) => k);
  if (order === 'random') return run.rng.permutation(n);
  if (typeof order !== 'object' || order === null || typeof (order as ArrayLike<number>).length !== 'number') throw new ModelError('options.order', `must be 'given', 'random' or a permutation of the client indices`);
  if (order.length !== n) throw new ModelError('options.order', `must list each of the ${n} clients once, got ${order.length} entries`);
  const seen = new Uint8Array(n);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const j = order[k]!;
    if (!Number.isInteger(j) || j < 0 || j >= n || seen[j]) throw new ModelError(`options.order[${k}]`, `is not a new client index in [0, ${n}): ${String(j)}`);
    seen[j] = 1;
    out[k] = j;
  }
  return out;
}

/**
 * Meyerson's randomized online facility location (FOCS 2001). Clients arrive one at a
 * time; when client j arrives with distance delta to the nearest open site, opening costs
 * are rounded down to powers of two r_1 < r_2 < ..., and for each class k the closest
 * closed site of rounded cost <= r_k (at distance D_k, non-increasing in k) is opened with
 * probability min(1, (min(delta, D_{k-1}) - D_k) / r_k). j is then assigned to its
 * nearest open site, irrevocably. With uniform opening cost f and a site at every
 * client this is the classic rule "open at j with probability min(1, delta / f)".
 *
 * Guarantees (metric costs, expectation over the coins): uniform opening costs and a site
 * at every client location: 8-competitive in the random-order model (Meyerson), exactly
 * 4 (Kaplan, Naori & Raz 2023); O(log n) for adversarial orders (Fotakis: Theta(log n /
 * log log n) is the best possible). Non-uniform costs: O(log n) in expectation.
 * Capacities are ignored (with a warning); affinity groups are refused.
 */
export function onlineFacilityLocation(model: PlacementModel, options: OnlineOptions = {}): Result<OnlineFacilitySolution> {
  return runSteps(onlineSteps(model, options, new SolveRun(options, 'online:meyerson', 'min')));
}

/**
 * onlineFacilityLocation for the registry: the same steps (same coins, same plan), with the
 * event loop's turns at their checkpoints (at once, 64 ms on CPU at 800 x 8000, issue 13).
 */
export async function onlineFacilityLocationAsync(model: PlacementModel, options: OnlineOptions = {}): Promise<Result<OnlineFacilitySolution>> {
  const run = new SolveRun(options, 'online:meyerson', 'min');
  return runStepsAsync(onlineSteps(model, options, run), run);
}

/** Cost entries read between two checkpoints. */
const WORK = 1 << 16;

export function* onlineSteps(model: PlacementModel, options: OnlineOptions, run: SolveRun): Steps<Result<OnlineFacilitySolution>> {
  // Refuses affinity and anti-affinity; warns about capacity and the other features it ignores.
  const ignored = model && model.kind === 'placement' ? checkModelFeatures(model, ONLINE_FEATURES, 'online facility location') : [];
  const prep = yield* prepareProblemSteps(model, 'ufl');
  const order = arrivalOrder(model.nClients, options.order, run);
  const info = yield* onlineGuaranteeSteps(model);
  const warnings = [...ignored, ...info.warnings];
  if (prep.kind === 'infeasible') return run.unsolved({ status: 'infeasible', guarantee: info.guarantee, certificate: prep.certificate, warnings });
  const pr = prep.problem;
  const { nClients: C, c, f } = pr;
  const st = new OnlineState(pr, costClasses(pr), run);
  const { opened, openedAt, assignment } = st;
  let step = 0;
  let work = 0;
  for (; step < C; step++) {
    // Stop tests where the synchronous run makes them (a checkpoint only yields).
    if ((step & 255) === 0 && run.shouldStop()) break;
    st.arrive(order[step]!, step);
    if ((work += pr.nSites + 2 * opened.length) >= WORK) {
      work = 0;
      yield;
    }
  }
  if (step < C) {
    // Stopped mid-stream: a plan must still serve everybody (a feasible answer with clients left
    // out would cost less than the optimum), so the clients that had not arrived are served
    // offline, with no further coin flips.
    warnings.push(`stopped after ${step} of ${C} arrivals; the clients that had not arrived are served at their nearest open site`);
    for (let k = step; k < C; k++) {
      st.serveUnarrived(order[k]!, step);
      if ((work += opened.length + 1) >= WORK) {
        work = 0;
        yield;
      }
    }
  }
  let openingCost = 0;
  for (const i of opened) openingCost += f[i]!;
  let hindsight = 0;
  for (let k = 0; k < C; k++) {
    const j = order[k]!;
    let bv = Infinity;
    for (const i of opened) if (c[i * C + j]! < bv) bv = c[i * C + j]!;
    hindsight += bv;
    if ((work += opened.length) >= WORK) {
      work = 0;
      yield;
    }
  }
  const solution: OnlineFacilitySolution = {
    open: opened.map((i) => model.siteIds[i]!),
    openSites: Int32Array.from(opened),
    openedAt: Int32Array.from(openedAt),
    assignment,
    order,
    openingCost,
    servingCost: st.servingCost,
    hindsightServingCost: hindsight,
  };
  return run.solved({ solution, objective: openingCost + st.servingCost, guarantee: info.guarantee, iterations: step, warnings, stats: { opened: opened.length } });
}

/**
 * The competitive guarantee that applies to this model: a ratio (4, random order, in
 * expectation) when opening costs are uniform and every client has a site at distance 0;
 * otherwise none with a constant (O(log n)), said in a warning.
 */
export function onlineGuarantee(model: PlacementModel): OnlineGuarantee {
  return runSteps(onlineGuaranteeSteps(model));
}

type OnlineGuarantee = { guarantee: Guarantee; ratio: number | undefined; warnings: string[] };

/** onlineGuarantee with a checkpoint every WORK cost entries of the column scans. */
function* onlineGuaranteeSteps(model: PlacementModel): Steps<OnlineGuarantee> {
  const warnings: string[] = [];
  let uniform = true;
  let fOpen = -1;
  for (let i = 0; i < model.nSites; i++) {
    if (model.forbidden[i]) continue;
    if (fOpen < 0) fOpen = model.openingCost[i]!;
    else if (model.openingCost[i] !== fOpen) uniform = false;
  }
  let colocated = true;
  let work = 0;
  for (let j = 0; j < model.nClients && colocated; j++) {
    let zero = false;
    let i = 0;
    for (; i < model.nSites && !zero; i++) {
      if (!model.forbidden[i] && model.cost[i * model.nClients + j] === 0 && (!model.allowed || model.allowed[i * model.nClients + j] === 1)) zero = true;
    }
    if (!zero) colocated = false;
    if ((work += i) >= WORK) {
      work = 0;
      yield;
    }
  }
  if (uniform && colocated) {
    return {
      guarantee: { kind: 'approximation', ratio: 4, assumes: 'metric costs, uniform opening costs, a site at every client, clients in random order; in expectation (adversarial order: O(log n))' },
      ratio: 4,
      warnings,
    };
  }
  warnings.push(
    `${uniform ? '' : 'opening costs differ'}${!uniform && !colocated ? ' and ' : ''}${colocated ? '' : 'some client has no site at distance 0'}: Meyerson's algorithm is then O(log n)-competitive in expectation (metric costs), with no constant ratio`,
  );
  return { guarantee: { kind: 'heuristic' }, ratio: undefined, warnings };
}

/**
 * Cost classes: f rounded down to a power of two (0 stays 0), sorted ascending. Uniform
 * costs are not rounded: the classic rule (and its guarantees) uses f itself.
 */
function costClasses(pr: FacilityProblem): { classes: number[]; classOf: Int32Array } {
  const { nSites: S, f, forbidden } = pr;
  const distinct = new Set<number>();
  for (let i = 0; i < S; i++) if (!forbidden[i]) distinct.add(f[i]!);
  const rounded = new Float64Array(S);
  for (let i = 0; i < S; i++) rounded[i] = distinct.size <= 1 || f[i]! === 0 ? f[i]! : 2 ** Math.floor(Math.log2(f[i]!));
  const classes = [...new Set(Array.from(rounded))].sort((a, b) => a - b);
  const classOf = new Int32Array(S);
  for (let i = 0; i < S; i++) classOf[i] = classes.indexOf(rounded[i]!);
  return { classes, classOf };
}

/** Open sites (with the arrival that opened them), assignments and the serving cost so far. */
class OnlineState {
  readonly isOpen: Uint8Array;
  readonly opened: number[] = [];
  readonly openedAt: number[] = [];
  readonly assignment: Int32Array;
  servingCost = 0;
  private readonly nearestInClass: Float64Array;
  private readonly siteInClass: Int32Array;

  constructor(
    private readonly pr: FacilityProblem,
    private readonly cls: { classes: number[]; classOf: Int32Array },
    private readonly run: SolveRun,
  ) {
    const S = pr.nSites;
    this.isOpen = new Uint8Array(S);
    for (let i = 0; i < S; i++) {
      if (pr.mustOpen[i]) {
        this.isOpen[i] = 1;
        this.opened.push(i);
        this.openedAt.push(-1);
      }
    }
    this.assignment = new Int32Array(pr.nClients).fill(-1);
    this.nearestInClass = new Float64Array(cls.classes.length);
    this.siteInClass = new Int32Array(cls.classes.length);
  }

  /** Client j arrives (the step-th): maybe open sites by the class rule, then serve it at its nearest open site. */
  arrive(j: number, step: number): void {
    const { pr, isOpen, opened } = this;
    const C = pr.nClients;
    const c = pr.c;
    let delta = Infinity;
    for (const i of opened) if (c[i * C + j]! < delta) delta = c[i * C + j]!;
    this.nearestClosedPerClass(j);
    const { classes } = this.cls;
    let prev = delta;
    for (let k = 0; k < classes.length; k++) {
      const D = this.nearestInClass[k]!;
      const i = this.siteInClass[k]!;
      if (i < 0 || !(D < prev)) continue;
      const p = classes[k]! === 0 ? 1 : Math.min(1, (prev - D) / classes[k]!);
      if (!isOpen[i] && this.run.rng.next() < p) {
        isOpen[i] = 1;
        opened.push(i);
        this.openedAt.push(step);
      }
      prev = D;
    }
    let best = -1;
    let bv = Infinity;
    for (const i of opened) {
      if (c[i * C + j]! < bv) {
        bv = c[i * C + j]!;
        best = i;
      }
    }
    this.assignment[j] = best;
    this.servingCost += bv;
  }

  /**
   * A client that had not arrived when the run stopped: served at its nearest open site or,
   * when no open site may serve it, at the site cheapest to open and serve it from
   * (preparation proved that one exists).
   */
  serveUnarrived(j: number, step: number): void {
    const { pr, isOpen, opened } = this;
    const C = pr.nClients;
    let best = -1;
    let bv = Infinity;
    for (const i of opened) {
      if (pr.c[i * C + j]! < bv) {
        bv = pr.c[i * C + j]!;
        best = i;
      }
    }
    if (best < 0) {
      let total = Infinity;
      for (let i = 0; i < pr.nSites; i++) {
        if (isOpen[i] || pr.forbidden[i] || !(pr.f[i]! + pr.c[i * C + j]! < total)) continue;
        total = pr.f[i]! + pr.c[i * C + j]!;
        best = i;
      }
      isOpen[best] = 1;
      opened.push(best);
      this.openedAt.push(step);
      bv = pr.c[best * C + j]!;
    }
    this.assignment[j] = best;
    this.servingCost += bv;
  }

  /** D_k: the nearest closed site of class <= k to client j (and which site it is). */
  private nearestClosedPerClass(j: number): void {
    const { pr, nearestInClass, siteInClass } = this;
    const C = pr.nClients;
    nearestInClass.fill(Infinity);
    siteInClass.fill(-1);
    for (let i = 0; i < pr.nSites; i++) {
      if (this.isOpen[i] || pr.forbidden[i]) continue;
      const v = pr.c[i * C + j]!;
      const k = this.cls.classOf[i]!;
      if (v < nearestInClass[k]!) {
        nearestInClass[k] = v;
        siteInClass[k] = i;
      }
    }
    for (let k = 1; k < nearestInClass.length; k++) {
      if (nearestInClass[k - 1]! <= nearestInClass[k]!) {
        nearestInClass[k] = nearestInClass[k - 1]!;
        siteInClass[k] = siteInClass[k - 1]!;
      }
    }
  }
}
