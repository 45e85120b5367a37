import { runSteps, type Steps } from '@emplace/core';
import type { FacilityProblem } from './problem.js';
import type { FlowShare } from './solution.js';

/** The serving cost of an open set and the shares that achieve it. */
export interface TransportationResult {
  cost: number;
  flows: FlowShare[];
}

/**
 * Exact transportation problem of split-demand CFL for a fixed set of open sites:
 *   min sum_ij u_ij a_ij  s.t.  sum_i a_ij = d_j,  sum_j a_ij <= C_i (i open),  a >= 0,
 * with a_ij the amount of client j's demand served by i and u_ij = c_ij / d_j.
 *
 * Successive shortest paths on the residual graph over sites: start with every client
 * at its cheapest open site (optimal for the relaxed capacities, so every residual arc
 * i -> k "move some of client j from i to k", cost u_kj - u_ij, has non-negative
 * reduced cost), then push the excess of overloaded sites along shortest paths (dense
 * Dijkstra with potentials) to sites with spare capacity. The arc i -> k takes the best
 * client at i, so one Dijkstra costs O(S * (S + clients at popped sites)) = O(S * C).
 */
export class Transportation {
  private readonly S: number;
  private readonly C: number;
  /** Unit costs u_ij = c_ij / d_j (site-major). */
  readonly u: Float64Array;
  /** u transposed (client-major), so the relaxation over sites reads contiguous memory. */
  private readonly uT: Float64Array;
  private readonly c: Float64Array;
  private readonly d: Float64Array;
  private readonly cap: Float64Array;
  private readonly a: Float64Array;
  private readonly load: Float64Array;
  private readonly pi: Float64Array;
  private readonly dist: Float64Array;
  private readonly done: Uint8Array;
  private readonly predSite: Int32Array;
  private readonly predClient: Int32Array;
  /** The open sites of the current solve, in index order: Dijkstra scans these only (a third or less of S on tight instances). */
  private readonly openList: Int32Array;
  private nOpen = 0;
  private readonly eps: number;
  augmentations = 0;
  /**
   * Polled before every augmenting path: a transportation on a large instance takes hundreds
   * of ms, too long to go without seeing an abort or the deadline. When it answers true,
   * `solve` returns null with `interrupted` set (the open set is then NOT known infeasible).
   */
  stop: () => boolean = () => false;
  interrupted = false;

  constructor(pr: FacilityProblem, unit: Float64Array) {
    this.S = pr.nSites;
    this.C = pr.nClients;
    this.u = unit;
    this.uT = new Float64Array(this.S * this.C);
    for (let i = 0; i < this.S; i++) for (let j = 0; j < this.C; j++) this.uT[j * this.S + i] = unit[i * this.C + j]!;
    this.c = pr.c;
    this.d = pr.d;
    this.cap = pr.cap;
    this.a = new Float64Array(this.S * this.C);
    this.load = new Float64Array(this.S);
    this.pi = new Float64Array(this.S);
    this.dist = new Float64Array(this.S);
    this.done = new Uint8Array(this.S);
    this.predSite = new Int32Array(this.S);
    this.predClient = new Int32Array(this.S);
    this.openList = new Int32Array(this.S);
    let dmax = 0;
    for (let j = 0; j < this.C; j++) if (pr.d[j]! > dmax) dmax = pr.d[j]!;
    this.eps = 1e-9 * Math.max(1, dmax);
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
    const { S, C, u, d, cap, a, load, pi, eps } = this;
    this.interrupted = false;
    a.fill(0);
    load.fill(0);
    pi.fill(0);
    let capTotal = 0;
    let demandTotal = 0;
    this.nOpen = 0;
    for (let i = 0; i < S; i++) {
      if (!open[i]) continue;
      capTotal += cap[i]!;
      this.openList[this.nOpen++] = i;
    }
    for (let j = 0; j < C; j++) demandTotal += d[j]!;
    if (capTotal < demandTotal - eps) return null;
    for (let j = 0; j < C; j++) {
      let best = -1;
      let bv = Infinity;
      // A zero-demand client still pays c_ij: it goes to its cheapest open site by c.
      const m = d[j]! > 0 ? u : this.c;
      for (let i = 0; i < S; i++) {
        if (!open[i]) continue;
        const v = m[i * C + j]!;
        if (v < bv) {
          bv = v;
          best = i;
        }
      }
      if (best < 0) return null;
      a[best * C + j] = d[j]! > 0 ? d[j]! : 0;
      if (d[j]! === 0) a[best * C + j] = -1; // marker: zero-demand client served here
      load[best]! += d[j]!;
    }
    for (;;) {
      let anyExcess = false;
      for (let i = 0; i < S; i++) if (open[i] && load[i]! > cap[i]! + eps) anyExcess = true;
      if (!anyExcess) break;
      if (this.stop()) {
        this.interrupted = true;
        return null;
      }
      if (!this.augment()) return null;
      yield;
    }
    const flows: FlowShare[] = [];
    for (let i = 0; i < S; i++) {
      if (!open[i]) continue;
      for (let j = 0; j < C; j++) {
        const amt = a[i * C + j]!;
        if (amt === -1) {
          flows.push({ site: i, client: j, fraction: 1 });
          continue;
        }
        if (amt > eps * 1e-3) {
          const frac = amt / d[j]!;
          flows.push({ site: i, client: j, fraction: frac });
        }
      }
    }
    // Normalise shares so each client sums to exactly 1 (rounding of pushed amounts).
    const sum = new Float64Array(C);
    for (const fl of flows) sum[fl.client]! += fl.fraction;
    let cost = 0;
    const kept: FlowShare[] = [];
    for (const fl of flows) {
      fl.fraction /= sum[fl.client]!;
      if (fl.fraction > 1e-12) {
        kept.push(fl);
        cost += fl.fraction * this.c[fl.site * C + fl.client]!;
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

  /** One shortest augmenting path from the overloaded sites to a site with spare capacity. */
  private augment(): boolean {
    const { S, uT, cap, a, load, pi, dist, done, predSite, predClient, eps, openList, nOpen } = this;
    const C = this.C;
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
      for (let j = 0; j < C; j++) {
        if (!(a[row + j]! > 0)) continue;
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
    if (target < 0) return false;
    const dt = dist[target]!;
    for (let t = 0; t < nOpen; t++) {
      const k = openList[t]!;
      pi[k]! += dist[k]! < dt ? dist[k]! : dt;
    }
    // Bottleneck.
    let delta = cap[target]! - load[target]!;
    let k = target;
    while (predSite[k]! >= 0) {
      const i = predSite[k]!;
      const amt = a[i * C + predClient[k]!]!;
      if (amt < delta) delta = amt;
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
      a[k * C + j]! += delta;
      k = i;
    }
    load[source]! -= delta;
    load[target]! += delta;
    return true;
  }
}
