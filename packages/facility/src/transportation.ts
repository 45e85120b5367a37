import { runSteps, type Steps } from '@emplace/core';
import type { TransportViews } from './kernels/transport-kernel.js';
import type { FacilityProblem } from './problem.js';
import type { FlowShare } from './solution.js';

/** The serving cost of an open set and the shares that achieve it. */
export interface TransportationResult {
  cost: number;
  flows: FlowShare[];
}

/**
 * The successive-shortest-path core shared by the exact transportation below and the small
 * search's early-exit one (cfl-small-transport.ts): the transportation problem of
 * split-demand CFL for a fixed set of open sites,
 *   min sum_ij u_ij a_ij  s.t.  sum_i a_ij = d_j,  sum_j a_ij <= C_i (i open),  a >= 0,
 * with a_ij the amount of client j's demand served by i and u_ij = c_ij / d_j.
 *
 * Start with every client at its cheapest open site (optimal for the relaxed capacities, so
 * every residual arc i -> k "move some of client j from i to k", cost u_kj - u_ij, has
 * non-negative reduced cost), then push the excess of overloaded sites along shortest paths
 * (dense Dijkstra with potentials) to sites with spare capacity. The arc i -> k takes the
 * best client at i, so one Dijkstra costs O(S * (S + clients at popped sites)) = O(S * C).
 * With a super source feeding the overloaded sites, the unit cost of the shortest augmenting
 * path (pathCost) never decreases from one augmentation to the next.
 */
export class SiteTransport {
  protected readonly S: number;
  protected readonly C: number;
  /** Unit costs transposed (client-major, uT[j * S + i] = u_ij), so the relaxation over sites reads contiguous memory. */
  protected readonly uT: Float64Array;
  private readonly c: Float64Array;
  private readonly d: Float64Array;
  private readonly cap: Float64Array;
  /** Amount of client j served by site i (site-major); -1 marks a zero-demand client's site. */
  private readonly a: Float64Array;
  /**
   * The clients each site serves (a_ij > 0), in client order: site i's in clients[i * C ..
   * i * C + served[i]). Dijkstra reads these instead of scanning every client of a popped site.
   */
  private readonly clients: Int32Array;
  private readonly served: Int32Array;
  private readonly load: Float64Array;
  private readonly pi: Float64Array;
  private readonly dist: Float64Array;
  private readonly done: Uint8Array;
  private readonly predSite: Int32Array;
  private readonly predClient: Int32Array;
  /** The open sites of the current solve, in index order: Dijkstra scans these only (a third or less of S on tight instances). */
  private readonly openList: Int32Array;
  protected nOpen = 0;
  protected readonly eps: number;
  /** The unit cost of the last augmenting path (see push). */
  protected pathCost = 0;
  augmentations = 0;
  /**
   * Polled before every augmenting path: a transportation on a large instance takes hundreds
   * of ms, too long to go without seeing an abort or the deadline. When it answers true, the
   * solve gives up with `interrupted` set (the open set is then NOT known infeasible).
   */
  stop: () => boolean = () => false;
  interrupted = false;

  /**
   * `uT`: the unit costs client-major (see unitCostsByClient). `views`: the working arrays, when
   * a WebAssembly kernel solves over them (cfl-small-transport.ts; uT is then the kernel's copy).
   */
  constructor(pr: FacilityProblem, uT: Float64Array, views?: TransportViews | undefined) {
    const S = pr.nSites;
    const C = pr.nClients;
    this.S = S;
    this.C = C;
    this.uT = views ? views.uT : uT;
    this.c = pr.c;
    this.d = pr.d;
    this.cap = pr.cap;
    this.a = views ? views.a : new Float64Array(S * C);
    this.clients = views ? views.clients : new Int32Array(S * C);
    this.served = views ? views.served : new Int32Array(S);
    this.load = views ? views.load : new Float64Array(S);
    this.pi = views ? views.pi : new Float64Array(S);
    this.dist = views ? views.dist : new Float64Array(S);
    this.done = views ? views.done : new Uint8Array(S);
    this.predSite = views ? views.predSite : new Int32Array(S);
    this.predClient = views ? views.predClient : new Int32Array(S);
    this.openList = views ? views.openList : new Int32Array(S);
    let dmax = 0;
    for (let j = 0; j < C; j++) if (pr.d[j]! > dmax) dmax = pr.d[j]!;
    this.eps = 1e-9 * Math.max(1, dmax);
  }

  /**
   * Starts a solve: every client at its cheapest open site (zero demand: by c). Returns that
   * serving cost, Infinity when the open capacity is short of the demand or a client has no
   * open site.
   */
  protected start(open: Uint8Array): number {
    const { S, C, uT, c, d, cap, a, load, openList, eps } = this;
    this.interrupted = false;
    this.pi.fill(0);
    let capacity = 0;
    let demand = 0;
    let nOpen = 0;
    for (let i = 0; i < S; i++) {
      if (!open[i]) continue;
      capacity += cap[i]!;
      openList[nOpen++] = i;
    }
    this.nOpen = nOpen;
    for (let j = 0; j < C; j++) demand += d[j]!;
    if (capacity < demand - eps) return Infinity;
    a.fill(0);
    load.fill(0);
    const { clients, served } = this;
    served.fill(0);
    let cost = 0;
    for (let j = 0; j < C; j++) {
      let best = -1;
      let bv = Infinity;
      const col = j * S;
      for (let t = 0; t < nOpen; t++) {
        const i = openList[t]!;
        const v = d[j]! > 0 ? uT[col + i]! : c[i * C + j]!;
        if (v < bv) {
          bv = v;
          best = i;
        }
      }
      if (best < 0) return Infinity;
      a[best * C + j] = d[j]! > 0 ? d[j]! : -1;
      if (d[j]! > 0) clients[best * C + served[best]!++] = j;
      load[best]! += d[j]!;
      cost += c[best * C + j]!;
    }
    return cost;
  }

  /** The demand still above capacity at the open sites overloaded by more than eps (0: none, the flow is optimal). */
  protected excess(): number {
    const { load, cap, eps, openList, nOpen } = this;
    let excess = 0;
    for (let t = 0; t < nOpen; t++) {
      const i = openList[t]!;
      if (load[i]! > cap[i]! + eps) excess += load[i]! - cap[i]!;
    }
    return excess;
  }

  /**
   * One shortest augmenting path from the overloaded sites to a site with spare capacity;
   * pushes the bottleneck amount, stores the path's unit cost in pathCost and returns the
   * amount moved (-1: no path, the set cannot serve its clients).
   */
  protected augment(): number {
    const { S, C, uT, cap, load, pi, dist, done, predSite, predClient, eps, openList, nOpen } = this;
    this.augmentations++;
    for (let t = 0; t < nOpen; t++) {
      const k = openList[t]!;
      dist[k] = load[k]! > cap[k]! + eps ? 0 : Infinity;
      done[k] = 0;
      predSite[k] = -1;
    }
    let target = -1;
    for (;;) {
      let i = -1;
      let best = Infinity;
      for (let t = 0; t < nOpen; t++) {
        const k = openList[t]!;
        if (!done[k] && dist[k]! < best) {
          best = dist[k]!;
          i = k;
        }
      }
      if (i < 0) break;
      done[i] = 1;
      if (load[i]! < cap[i]! - eps) {
        target = i;
        break;
      }
      const di = dist[i]!;
      const base = di + pi[i]!;
      const row = i * C;
      const clients = this.clients;
      const nServed = this.served[i]!;
      for (let q = 0; q < nServed; q++) {
        const j = clients[row + q]!;
        const col = j * S;
        const uij = uT[col + i]!;
        for (let t = 0; t < nOpen; t++) {
          const k = openList[t]!;
          if (done[k]) continue;
          const ukj = uT[col + k]!;
          if (ukj === Infinity) continue;
          let nd = base + ukj - uij - pi[k]!;
          if (nd < di) nd = di; // clamp rounding below the popped label
          if (nd < dist[k]!) {
            dist[k] = nd;
            predSite[k] = i;
            predClient[k] = j;
          }
        }
      }
    }
    if (target < 0) return -1;
    const dt = dist[target]!;
    for (let t = 0; t < nOpen; t++) {
      const k = openList[t]!;
      pi[k]! += dist[k]! < dt ? dist[k]! : dt;
    }
    return this.push(target);
  }

  /** Pushes the bottleneck amount along the predecessor path ending at target; sets pathCost; returns the amount. */
  private push(target: number): number {
    const { S, C, uT, cap, a, load, predSite, predClient, eps } = this;
    let delta = cap[target]! - load[target]!;
    let unit = 0;
    let k = target;
    while (predSite[k]! >= 0) {
      const i = predSite[k]!;
      const j = predClient[k]!;
      const amt = a[i * C + j]!;
      if (amt < delta) delta = amt;
      unit += uT[j * S + k]! - uT[j * S + i]!;
      k = i;
    }
    const source = k;
    const exc = load[source]! - cap[source]!;
    if (exc < delta) delta = exc;
    k = target;
    while (predSite[k]! >= 0) {
      const i = predSite[k]!;
      const j = predClient[k]!;
      a[i * C + j]! -= delta;
      if (a[i * C + j]! < eps * 1e-3) a[i * C + j] = 0;
      if (!(a[i * C + j]! > 0)) this.unlist(i, j);
      const before = a[k * C + j]!;
      a[k * C + j]! += delta;
      if (!(before > 0) && a[k * C + j]! > 0) this.enlist(k, j);
      k = i;
    }
    load[source]! -= delta;
    load[target]! += delta;
    // Rounding can make a zero-cost path read slightly negative: a bound built on it must not fall.
    this.pathCost = unit > 0 ? unit : 0;
    return delta;
  }

  /** Removes client j from site i's served list (kept in client order). */
  private unlist(i: number, j: number): void {
    const { clients, served } = this;
    const row = i * this.C;
    const n = served[i]!;
    let q = 0;
    while (q < n && clients[row + q] !== j) q++;
    if (q === n) return;
    for (; q < n - 1; q++) clients[row + q] = clients[row + q + 1]!;
    served[i] = n - 1;
  }

  /** Inserts client j into site i's served list at its place in client order. */
  private enlist(i: number, j: number): void {
    const { clients, served } = this;
    const row = i * this.C;
    let q = served[i]!;
    while (q > 0 && clients[row + q - 1]! > j) {
      clients[row + q] = clients[row + q - 1]!;
      q--;
    }
    clients[row + q] = j;
    served[i]! += 1;
  }

  /**
   * The shares of the last solve that completed (not cut short), each client's summing to 1
   * (rounding of pushed amounts normalised away), and their cost recomputed from the shares.
   */
  flows(): TransportationResult {
    const { C, a, d, c, eps, openList, nOpen } = this;
    const flows: FlowShare[] = [];
    const sum = new Float64Array(C);
    for (let t = 0; t < nOpen; t++) {
      const i = openList[t]!;
      for (let j = 0; j < C; j++) {
        const amt = a[i * C + j]!;
        const fraction = amt === -1 ? 1 : amt > eps * 1e-3 ? amt / d[j]! : 0;
        if (fraction > 0) {
          flows.push({ site: i, client: j, fraction });
          sum[j]! += fraction;
        }
      }
    }
    let cost = 0;
    const kept: FlowShare[] = [];
    for (const fl of flows) {
      fl.fraction /= sum[fl.client]!;
      if (fl.fraction > 1e-12) {
        kept.push(fl);
        cost += fl.fraction * c[fl.site * C + fl.client]!;
      }
    }
    return { cost, flows: kept };
  }

  /**
   * Lagrangian multipliers from the last completed solve's duals: v_j = d_j * alpha_j, where
   * alpha_j = min over open i of (u_ij - pi_i) + P and P = max pi over the open sites (sites with spare
   * capacity all carry that potential, full ones at most it: see augment). (alpha, beta_i = P - pi_i)
   * is an optimal dual of the transportation, so at these v the CFL relaxation's bound of the
   * solved open set equals its transportation cost plus opening costs, and its site costs rho_i(v)
   * price every neighbouring open set. A zero-demand client gets its cheapest open cost.
   */
  clientMultipliers(out: Float64Array): void {
    const { S, C, uT, d, pi, openList, nOpen } = this;
    let P = -Infinity;
    for (let t = 0; t < nOpen; t++) if (pi[openList[t]!]! > P) P = pi[openList[t]!]!;
    for (let j = 0; j < C; j++) {
      let best = Infinity;
      const col = j * S;
      if (d[j]! > 0) {
        for (let t = 0; t < nOpen; t++) {
          const i = openList[t]!;
          const x = uT[col + i]! - pi[i]!;
          if (x < best) best = x;
        }
        out[j] = best === Infinity ? 0 : d[j]! * (best + P);
      } else {
        for (let t = 0; t < nOpen; t++) {
          const x = this.c[openList[t]! * C + j]!;
          if (x < best) best = x;
        }
        out[j] = best === Infinity ? 0 : best;
      }
    }
  }

  /**
   * The capacity prices of the last completed solve: beta_i = P - pi_i >= 0 for the open sites (0
   * for the sites with spare capacity), 0 for the closed ones; with alpha_j = min over open i of
   * (u_ij + beta_i), (alpha, beta) is an optimal dual of the transportation (see clientMultipliers).
   */
  capacityPrices(out: Float64Array): void {
    const { pi, openList, nOpen } = this;
    let P = -Infinity;
    for (let t = 0; t < nOpen; t++) if (pi[openList[t]!]! > P) P = pi[openList[t]!]!;
    out.fill(0);
    for (let t = 0; t < nOpen; t++) {
      const i = openList[t]!;
      out[i] = Math.max(0, P - pi[i]!);
    }
  }

}

/** Unit costs u_ij = c_ij / d_j client-major (uT[j * S + i]); 0 for a zero-demand client (it pays c_ij, see SiteTransport.start). */
export function unitCostsByClient(pr: FacilityProblem, unit?: Float64Array): Float64Array {
  const { nSites: S, nClients: C, c, d } = pr;
  const uT = new Float64Array(S * C);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < C; j++) {
      const v = c[i * C + j]!;
      uT[j * S + i] = unit ? unit[i * C + j]! : v === Infinity ? Infinity : d[j]! > 0 ? v / d[j]! : 0;
    }
  }
  return uT;
}

/**
 * Exact transportation problem of split-demand CFL for a fixed set of open sites (see
 * SiteTransport), solved to the end, with a checkpoint after every augmenting path.
 */
export class Transportation extends SiteTransport {
  /** Unit costs u_ij = c_ij / d_j (site-major). */
  readonly u: Float64Array;

  constructor(pr: FacilityProblem, unit: Float64Array) {
    super(pr, unitCostsByClient(pr, unit));
    this.u = unit;
  }

  /**
   * Solves for the open set. Returns the serving cost and the shares, or null when the
   * open sites cannot serve every client (capacity or `allowed`).
   */
  solve(open: Uint8Array): TransportationResult | null {
    return runSteps(this.solveSteps(open));
  }

  /**
   * `solve` as steps: a checkpoint after every augmenting path. One solve on a 100 x 1000
   * instance with tight capacities takes hundreds of augmentations (hundreds of ms), which
   * an in-thread caller must be able to interrupt with an abort fired by a timer (the
   * driver yields to the event loop at the checkpoints; see core's runStepsAsync). Do not
   * interleave two solves of one Transportation: they share its arrays.
   */
  *solveSteps(open: Uint8Array): Steps<TransportationResult | null> {
    if (this.start(open) === Infinity) return null;
    while (this.excess() > 0) {
      if (this.stop()) {
        this.interrupted = true;
        return null;
      }
      if (this.augment() < 0) return null;
      yield;
    }
    return this.flows();
  }
}
