import { ModelError, SolveRun, type Result, type SolveOptions } from '@emplace/core';
import { IndexedMinHeap } from '@emplace/graph';
import { summarize, summaryFromLoads, type McfSolution } from './mcf-lp.js';
import { edgeFlowRows, groupCommodities, type CommodityGroups, type McfPath, type McfProblem } from './traffic.js';

export interface GargKonemannOptions extends SolveOptions {
  /** Accuracy epsilon in [0.02, 0.5], default 0.1: the result is within (1 - eps)^-3 of the optimum. */
  epsilon?: number;
  /** Keep per-commodity edge flows when commodities x edges is at most this (default 2e7). */
  maxStoredFlows?: number;
}

/** Dijkstra over the graph with per-edge lengths; predEdge[v] = edge into v on the tree (-1 at the source / unreached). */
class LengthDijkstra {
  readonly dist: Float64Array;
  readonly predEdge: Int32Array;
  private readonly heap: IndexedMinHeap;
  constructor(private readonly p: McfProblem) {
    this.dist = new Float64Array(p.graph.n);
    this.predEdge = new Int32Array(p.graph.n);
    this.heap = new IndexedMinHeap(p.graph.n);
  }
  run(s: number, len: Float64Array): void {
    const g = this.p.graph;
    const { dist, predEdge, heap } = this;
    dist.fill(Infinity);
    predEdge.fill(-1);
    heap.clear();
    dist[s] = 0;
    heap.push(s, 0);
    while (heap.size > 0) {
      const u = heap.pop();
      const du = dist[u]!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const e = g.adjEdge[k]!;
        const l = len[e]!;
        if (l === Infinity) continue;
        const v = g.adjNode[k]!;
        const nd = du + l;
        if (nd < dist[v]!) {
          dist[v] = nd;
          predEdge[v] = e;
          heap.push(v, nd);
        }
      }
    }
  }
}

/**
 * Maximum concurrent flow, (1 + eps)-approximately, by the Garg-Koenemann multiplicative
 * length method with Fleischer's grouping by source (one shortest-path tree per source
 * serves all its sinks): edge lengths start at delta / capacity and grow by a factor
 * (1 + eps x load / capacity) each time flow is routed on the edge along current shortest
 * paths, in phases that route every demand once. Guarantees (Garg & Koenemann 1998,
 * Fleischer 2000): the flow scaled by its congestion routes lambda >= (1 - eps)^3 lambda*.
 *
 * Both ends are checked, not only assumed: the primal lambda is recomputed from the flow
 * (min fraction delivered / max link utilisation), and every phase yields the dual bound
 * lambda* <= D(l) / alpha(l) (sum of capacity x length over the demand-weighted shortest
 * path lengths), so `bound` and `gap` in the result are proven. The run stops when the
 * proven gap is at most eps, when the theoretical end D(l) >= 1 is reached, or at the
 * time limit (still with a feasible flow and a bound).
 */
export async function solveMcfApprox(p: McfProblem, options: GargKonemannOptions = {}): Promise<Result<McfSolution>> {
  if (!p || p.kind !== 'mcf') throw new ModelError('model', 'must be an MCF problem (createMcfProblem)');
  const eps = options.epsilon ?? 0.1;
  if (!(eps >= 0.02 && eps <= 0.5)) throw new ModelError('options.epsilon', `must be in [0.02, 0.5], got ${String(eps)}`);
  const run = new SolveRun(options, 'mcf:garg-konemann', 'max');
  const gk = newGkState(p, options, eps, run);
  const noPath = await noPathResult(gk);
  if (noPath) return noPath;
  let scale = await demandScale(gk);
  const { K, m, cap, len, d } = gk;
  for (let k = 0; k < K; k++) d[k] = p.demand[k]! * scale;
  let mPos = 0;
  for (let e = 0; e < m; e++) if (cap[e]! > 0) mPos++;
  const delta = ((1 - eps) / mPos) ** (1 / eps);
  for (let e = 0; e < m; e++) if (cap[e]! > 0) len[e] = delta / cap[e]!;
  gk.D = mPos * delta;
  const phasesBeforeDoubling = Math.ceil(2 * Math.log(1 / delta) / Math.log(1 + eps));
  let phases = 0;
  let sincedoubling = 0;
  let bound = Infinity;
  let stopped = false;
  outer: while (gk.D < 1) {
    for (let j = 0; j < gk.groups.count && gk.D < 1; j++) {
      // One source group per turn; the event loop gets its turn every 10 ms.
      if ((await run.tick()) || !(await routeGroup(gk, j))) {
        stopped = true;
        break outer;
      }
    }
    phases++;
    sincedoubling++;
    const lam = primalLambda(gk);
    if (run.shouldStop()) {
      stopped = true;
      break;
    }
    // The bound costs one Dijkstra per source, as much as a phase: every phase at first,
    // then every fifth (the stop test can wait a few phases; the run cannot get worse).
    if (phases <= 10 || phases % 5 === 0) {
      bound = Math.min(bound, await dualBound(gk));
      // The primal lambda is not monotone (a phase can load one edge more than it adds to the
      // worst commodity): keep the flow of every reported incumbent, finish returns the best.
      if (lam > gk.best.lambda) saveBest(gk, lam);
      run.progress({ phase: 'garg-konemann', incumbent: lam, bound, iterations: phases });
      if (lam >= bound / (1 + eps)) break;
    }
    if (sincedoubling >= phasesBeforeDoubling) {
      // lambda* of the scaled demands is at least 2: double them (the GK running-time trick).
      for (let k = 0; k < K; k++) d[k]! *= 2;
      scale *= 2;
      sincedoubling = 0;
    }
  }
  return finish(gk, { stopped, phases, bound, scale });
}

/** The run's arrays and counters, allocated once and shared by the steps below. */
interface GkState {
  readonly p: McfProblem;
  readonly run: SolveRun;
  readonly eps: number;
  readonly m: number;
  readonly K: number;
  readonly groups: CommodityGroups;
  readonly cap: Float64Array;
  readonly dj: LengthDijkstra;
  readonly guarantee: { readonly kind: 'approximation'; readonly ratio: number };
  /** Per-commodity edge flows (empty when not kept: K x m above maxStoredFlows). */
  readonly storeFlows: boolean;
  readonly flows: Float64Array[];
  /** All of `flows` as one array (they are views of one buffer). */
  readonly flat: Float64Array;
  /** The entries of `flat` ever written: the final scaling touches only these. */
  readonly support: WrittenSet;
  /**
   * Sum over commodities of |flow| per edge and sum weight x cost x |flow|, kept as the
   * flows change: the answer after an abort is then the written entries of `flat` instead
   * of a per-commodity summary of K x m entries (70 ms at 1140 x 3120 under load, issue 13).
   */
  readonly absLoad: Float64Array;
  absCost: number;
  readonly routed: Float64Array;
  readonly load: Float64Array;
  /** Edge lengths (Infinity on zero-capacity edges). */
  readonly len: Float64Array;
  /** Scaled demands and what is left of them in the current phase. */
  readonly d: Float64Array;
  readonly left: Float64Array;
  /** Scratch of one routing step: load per touched edge. */
  readonly pathLoad: Float64Array;
  readonly touched: Int32Array;
  readonly mark: Uint8Array;
  /** D(l) = sum capacity x length. */
  D: number;
  steps: number;
  /** The flow of the best lambda reported so far (flat: its values on the first `count` entries of support). */
  readonly best: { lambda: number; readonly load: Float64Array; readonly routed: Float64Array; readonly absLoad: Float64Array; absCost: number; flat: Float64Array; count: number };
}

function saveBest(gk: GkState, lambda: number): void {
  const b = gk.best;
  b.lambda = lambda;
  b.load.set(gk.load);
  b.routed.set(gk.routed);
  b.absLoad.set(gk.absLoad);
  b.absCost = gk.absCost;
  b.flat = gk.support.save(gk.flat, b.flat);
  b.count = gk.support.size;
}

/** Puts the saved best flow back (finish found the current one worse). */
function restoreBest(gk: GkState): void {
  const b = gk.best;
  gk.load.set(b.load);
  gk.routed.set(b.routed);
  gk.absLoad.set(b.absLoad);
  gk.absCost = b.absCost;
  gk.support.restore(gk.flat, b.flat, b.count);
}

function newGkState(p: McfProblem, options: GargKonemannOptions, eps: number, run: SolveRun): GkState {
  const m = p.graph.m;
  const K = p.demand.length;
  const groups = groupCommodities(p, true);
  const cap = p.capacity;
  let total = 0;
  for (let k = 0; k < K; k++) total += p.demand[k]!;
  if (!(total > 0)) throw new ModelError('commodities', 'need at least one positive demand for a concurrent flow');
  const storeFlows = K * m <= (options.maxStoredFlows ?? 2e7);
  const flows = storeFlows ? edgeFlowRows(K, m) : [];
  const len = new Float64Array(m);
  // Lengths: positive-capacity edges only.
  for (let e = 0; e < m; e++) len[e] = cap[e]! > 0 ? 1 / cap[e]! : Infinity;
  return {
    p,
    run,
    eps,
    m,
    K,
    groups,
    cap,
    dj: new LengthDijkstra(p),
    guarantee: { kind: 'approximation', ratio: 1 / (1 - eps) ** 3 },
    storeFlows,
    flows,
    flat: flows.length > 0 ? new Float64Array(flows[0]!.buffer, 0, K * m) : new Float64Array(0),
    support: new WrittenSet(storeFlows ? K * m : 0),
    absLoad: new Float64Array(m),
    absCost: 0,
    routed: new Float64Array(K),
    load: new Float64Array(m),
    len,
    d: new Float64Array(K),
    left: new Float64Array(K),
    pathLoad: new Float64Array(m),
    touched: new Int32Array(m),
    mark: new Uint8Array(m),
    D: 0,
    steps: 0,
    best: { lambda: 0, load: new Float64Array(m), routed: new Float64Array(K), absLoad: new Float64Array(m), absCost: 0, flat: new Float64Array(0), count: 0 },
  };
}

/** A demand with no path at all: lambda* = 0, proven by the empty cut around its source. */
async function noPathResult(gk: GkState): Promise<Result<McfSolution> | undefined> {
  const { p, groups, dj, len, K, m, run } = gk;
  for (let j = 0; j < groups.count; j++) {
    // One Dijkstra per source group: a checkpoint each (a stop leaves the check to the phases).
    if (await run.tick()) return undefined;
    dj.run(groups.source[j]!, len);
    for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
      const k = groups.members[q]!;
      if (p.demand[k]! > 0 && dj.dist[p.sink[k]!] === Infinity) {
        const sol = summarize(p, 'max-concurrent', edgeFlowRows(K, m), Array.from({ length: K }, () => []));
        sol.lambda = 0;
        return gk.run.solved({ solution: sol, objective: 0, bound: 0, proven: true, guarantee: gk.guarantee, stats: { commodities: K, phases: 0 }, warnings: [`commodity ${p.names[k]} has no path of positive capacity: lambda* = 0`] });
      }
    }
  }
  return undefined;
}

/**
 * Scale demands so that lambda* >= 1 (the analysis's assumption): route every demand on
 * its fewest-1/capacity path and divide by the congestion that causes. Returns the scale.
 */
async function demandScale(gk: GkState): Promise<number> {
  const { p, groups, dj, len, m, cap, run } = gk;
  const g = p.graph;
  const greedyLoad = new Float64Array(m);
  for (let j = 0; j < groups.count; j++) {
    // Stopped: the scale only enters the stats of a flow that stays empty.
    if (await run.tick()) return 1;
    dj.run(groups.source[j]!, len);
    for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
      const k = groups.members[q]!;
      for (let v = p.sink[k]!; dj.predEdge[v]! >= 0; ) {
        const e = dj.predEdge[v]!;
        greedyLoad[e]! += p.demand[k]!;
        v = g.edgeU[e] === v ? g.edgeV[e]! : g.edgeU[e]!;
      }
    }
  }
  let congestion = 0;
  for (let e = 0; e < m; e++) if (greedyLoad[e]! > 0) congestion = Math.max(congestion, greedyLoad[e]! / cap[e]!);
  return 1 / congestion;
}

/** Routes the demands of source group j once (in steps of shortest-path trees); false when the run must stop. */
async function routeGroup(gk: GkState, j: number): Promise<boolean> {
  const { groups, left, d, dj, len, run } = gk;
  const s = groups.source[j]!;
  for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) left[groups.members[q]!] = d[groups.members[q]!]!;
  for (;;) {
    // A group can take many shortest-path trees (sigma < 1): a checkpoint per tree.
    if (await run.tick()) return false;
    dj.run(s, len);
    gk.steps++;
    const nt = loadTree(gk, j, s);
    if (nt === 0) break;
    let sigma = 1;
    for (let i = 0; i < nt; i++) {
      const e = gk.touched[i]!;
      sigma = Math.min(sigma, gk.cap[e]! / gk.pathLoad[e]!);
    }
    routeStep(gk, j, s, sigma);
    growLengths(gk, nt, sigma);
    if (sigma === 1 || gk.D >= 1) break;
  }
  return true;
}

/** Sums what is left of each demand of group j onto its tree path; returns how many edges were touched. */
function loadTree(gk: GkState, j: number, s: number): number {
  const { p, groups, left, dj, mark, touched, pathLoad } = gk;
  const g = p.graph;
  let nt = 0;
  for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
    const k = groups.members[q]!;
    const r = left[k]!;
    if (r <= 0) continue;
    for (let v = p.sink[k]!; v !== s; ) {
      const e = dj.predEdge[v]!;
      if (!mark[e]) {
        mark[e] = 1;
        touched[nt++] = e;
      }
      pathLoad[e]! += r;
      v = g.edgeU[e] === v ? g.edgeV[e]! : g.edgeU[e]!;
    }
  }
  return nt;
}

/** Routes the fraction sigma of what is left of each demand of group j along the tree. */
function routeStep(gk: GkState, j: number, s: number, sigma: number): void {
  const { p, groups, left, routed, dj, storeFlows, flows, absLoad } = gk;
  const g = p.graph;
  const edgeCost = p.cost;
  for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
    const k = groups.members[q]!;
    const r = left[k]!;
    if (r <= 0) continue;
    const amount = sigma * r;
    routed[k]! += amount;
    left[k] = sigma === 1 ? 0 : r - amount;
    const fk = storeFlows ? flows[k]! : undefined;
    if (fk) {
      let costChange = 0;
      const row = k * gk.m;
      for (let v = p.sink[k]!; v !== s; ) {
        const e = dj.predEdge[v]!;
        const from = g.edgeU[e] === v ? g.edgeV[e]! : g.edgeU[e]!;
        const old = fk[e]!;
        if (old === 0) gk.support.add(row + e);
        const now = old + (from === g.edgeU[e] ? amount : -amount);
        fk[e] = now;
        const change = Math.abs(now) - Math.abs(old);
        absLoad[e]! += change;
        costChange += edgeCost[e]! * change;
        v = from;
      }
      gk.absCost += p.weight[k]! * costChange;
    }
  }
}

/**
 * The indices of a flat array that were ever written, each once, in first-write order (a
 * bitmap of n bits plus a list that doubles as needed). Scaling all of the K x m flows (28 MB
 * at 1140 x 3120) was 10-33 ms after every stop (issue 13: mcf abort p99 54 ms); the flows
 * are sparse (66k-250k of 3.56M entries nonzero after 15 to 280 phases), so the answer
 * scales only these.
 */
export class WrittenSet {
  private readonly bits: Uint8Array;
  private list: Int32Array;
  size = 0;
  constructor(private readonly n: number) {
    this.bits = new Uint8Array((n + 7) >> 3);
    this.list = new Int32Array(Math.min(n, 1 << 16));
  }
  /** Adds i unless present: a flow can return to exactly 0 and be written again, and must not be scaled twice. */
  add(i: number): void {
    const bit = 1 << (i & 7);
    if (this.bits[i >> 3]! & bit) return;
    this.bits[i >> 3]! |= bit;
    if (this.size === this.list.length) {
      // Doubling: amortised O(1) per entry, never longer than n.
      const grown = new Int32Array(Math.min(this.n, 2 * this.list.length));
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.size++] = i;
  }
  /** The written entries of `a` in list order, into `out` (grown when too short); returns it. */
  save(a: Float64Array, out: Float64Array): Float64Array {
    const { list, size } = this;
    const dst = out.length >= size ? out : new Float64Array(Math.min(this.n, 2 * size));
    for (let q = 0; q < size; q++) dst[q] = a[list[q]!]!;
    return dst;
  }
  /** Writes back what save stored for the first `count` entries; the later ones were 0 then. */
  restore(a: Float64Array, saved: Float64Array, count: number): void {
    const { list, size } = this;
    for (let q = 0; q < size; q++) a[list[q]!] = q < count ? saved[q]! : 0;
  }
  /** Multiplies the written entries of `a` by `factor`. */
  scale(a: Float64Array, factor: number): void {
    const { list, size } = this;
    for (let q = 0; q < size; q++) a[list[q]!]! *= factor;
  }
}

/** The multiplicative length update on the touched edges; clears the step's scratch. */
function growLengths(gk: GkState, nt: number, sigma: number): void {
  const { touched, pathLoad, load, len, cap, mark, eps } = gk;
  for (let i = 0; i < nt; i++) {
    const e = touched[i]!;
    const f = sigma * pathLoad[e]!;
    load[e]! += f;
    const old = len[e]!;
    len[e] = old * (1 + (eps * f) / cap[e]!);
    gk.D += cap[e]! * (len[e]! - old);
    pathLoad[e] = 0;
    mark[e] = 0;
  }
}

/** Feasible lambda of the flow so far: min delivered fraction over max utilisation. */
function primalLambda(gk: GkState): number {
  const { p, m, K, load, cap, routed } = gk;
  let util = 0;
  for (let e = 0; e < m; e++) if (load[e]! > 0) util = Math.max(util, load[e]! / cap[e]!);
  let frac = Infinity;
  for (let k = 0; k < K; k++) if (p.demand[k]! > 0) frac = Math.min(frac, routed[k]! / p.demand[k]!);
  return util > 0 ? frac / util : 0;
}

/** Dual bound D(l) / alpha(l) at the current lengths. */
async function dualBound(gk: GkState): Promise<number> {
  const { p, m, cap, len, groups, dj, run } = gk;
  let alpha = 0;
  let dl = 0;
  for (let e = 0; e < m; e++) if (cap[e]! > 0) dl += cap[e]! * len[e]!;
  for (let j = 0; j < groups.count; j++) {
    // One Dijkstra per source: yield / poll between them (a bound cut short is no bound).
    if (await run.tick()) return Infinity;
    dj.run(groups.source[j]!, len);
    for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
      const k = groups.members[q]!;
      alpha += p.demand[k]! * dj.dist[p.sink[k]!]!;
    }
  }
  return alpha > 0 ? dl / alpha : Infinity;
}

/** The flow scaled to its congestion (every link within capacity), its lambda and the result. */
function finish(gk: GkState, end: { stopped: boolean; phases: number; bound: number; scale: number }): Result<McfSolution> {
  const { p, run, m, K, load, cap, guarantee, groups, eps, steps } = gk;
  const { stopped, phases, bound, scale } = end;
  if (primalLambda(gk) < gk.best.lambda) restoreBest(gk);
  const lambdaNow = primalLambda(gk);
  if (stopped && phases === 0 && lambdaNow === 0) {
    return run.unsolved({ status: 'no-solution', guarantee, stats: { commodities: K, phases, steps } });
  }
  const warnings: string[] = [];
  if (!gk.storeFlows) warnings.push(`per-commodity flows not kept (${K} commodities x ${m} edges); loads and lambda are`);
  let util = 0;
  for (let e = 0; e < m; e++) if (load[e]! > 0) util = Math.max(util, load[e]! / cap[e]!);
  const factor = util > 0 ? 1 / util : 0;
  const sol = gk.storeFlows ? scaledSolution(gk, factor) : summarizeLoads(p, load, factor);
  sol.lambda = lambdaNow;
  return run.solved({
    solution: sol,
    objective: lambdaNow,
    ...(Number.isFinite(bound) ? { bound } : {}),
    guarantee,
    iterations: phases,
    stats: { commodities: K, sources: groups.count, phases, dijkstras: steps, epsilon: eps, demandScale: scale },
    warnings,
  });
}

/** The kept flows scaled by `factor` (only the entries ever written), with the loads and cost tracked while routing. */
function scaledSolution(gk: GkState, factor: number): McfSolution {
  const { p, m, K, flat, absLoad } = gk;
  gk.support.scale(flat, factor);
  const edgeLoad = new Float64Array(m);
  for (let e = 0; e < m; e++) edgeLoad[e] = Math.max(0, absLoad[e]!) * factor;
  const paths: McfPath[][] = Array.from({ length: K }, () => []);
  return summaryFromLoads(p, 'max-concurrent', gk.flows, paths, edgeLoad, Math.max(0, gk.absCost) * factor);
}

function summarizeLoads(p: McfProblem, load: Float64Array, factor: number): McfSolution {
  const m = p.graph.m;
  const edgeLoad = new Float64Array(m);
  const utilization = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    edgeLoad[e] = load[e]! * factor;
    utilization[e] = edgeLoad[e]! > 0 ? edgeLoad[e]! / p.capacity[e]! : 0;
  }
  return { objectiveKind: 'max-concurrent', lambda: 0, cost: NaN, edgeLoad, utilization, commodityFlow: [], paths: [] };
}
