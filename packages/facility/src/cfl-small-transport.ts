import type { FacilityProblem } from './problem.js';
import type { FlowShare } from './solution.js';

/**
 * The transportation problem of split-demand CFL for a fixed open set, for the small exact
 * search (cfl-small.ts): the same successive-shortest-path method as transportation.ts
 * (every client at its cheapest open site, then the overload pushed along shortest paths of
 * the residual graph over the open sites, dense Dijkstra with potentials), plus an early
 * exit: most sets the search prices only have to be compared with the incumbent.
 *
 * Why the early exit is valid: with a super source feeding the overloaded sites, successive
 * shortest paths keep the flow of least cost among those with the same excesses, and the
 * unit cost of the shortest augmenting path never decreases from one augmentation to the
 * next (the first one is >= 0: every client starts at its cheapest site). So after an
 * augmentation whose path costs p per unit, the optimum is at least the current cost plus p
 * times the excess still to move; once that reaches the threshold the set cannot beat it.
 */
export class SmallTransport {
  private readonly S: number;
  private readonly C: number;
  private readonly c: Float64Array;
  private readonly d: Float64Array;
  private readonly cap: Float64Array;
  /** Unit costs u_ij = c_ij / d_j, client-major (uT[j * S + i]). */
  private readonly uT: Float64Array;
  /** Amount of client j served by site i (site-major); -1 marks a zero-demand client's site. */
  private readonly a: Float64Array;
  private readonly load: Float64Array;
  private readonly pi: Float64Array;
  private readonly dist: Float64Array;
  private readonly done: Uint8Array;
  private readonly predSite: Int32Array;
  private readonly predClient: Int32Array;
  private readonly openList: Int32Array;
  private nOpen = 0;
  private readonly eps: number;
  /** The unit cost of the last augmenting path (see augment). */
  private pathCost = 0;
  /** Solves started, augmenting paths pushed, solves cut short by the threshold. */
  solves = 0;
  augmentations = 0;
  earlyExits = 0;
  /** Polled before every augmenting path; a true answer ends the solve with `interrupted` set. */
  stop: () => boolean = () => false;
  interrupted = false;

  constructor(pr: FacilityProblem) {
    const S = pr.nSites;
    const C = pr.nClients;
    this.S = S;
    this.C = C;
    this.c = pr.c;
    this.d = pr.d;
    this.cap = pr.cap;
    this.uT = new Float64Array(S * C);
    for (let i = 0; i < S; i++) {
      for (let j = 0; j < C; j++) {
        const v = pr.c[i * C + j]!;
        this.uT[j * S + i] = v === Infinity ? Infinity : pr.d[j]! > 0 ? v / pr.d[j]! : 0;
      }
    }
    this.a = new Float64Array(S * C);
    this.load = new Float64Array(S);
    this.pi = new Float64Array(S);
    this.dist = new Float64Array(S);
    this.done = new Uint8Array(S);
    this.predSite = new Int32Array(S);
    this.predClient = new Int32Array(S);
    this.openList = new Int32Array(S);
    let dmax = 0;
    for (let j = 0; j < C; j++) if (pr.d[j]! > dmax) dmax = pr.d[j]!;
    this.eps = 1e-9 * Math.max(1, dmax);
  }

  /**
   * The serving cost of the open set (opening costs not included): the optimum, or, when the
   * optimum is proven at or above `threshold`, a lower bound at or above it (then `flows`
   * must not be read); Infinity when the open sites cannot serve every client; NaN when
   * `stop` interrupted the solve (the set is then not known either way).
   */
  solve(open: Uint8Array, threshold: number): number {
    const { S, C, d, cap, load, eps } = this;
    this.solves++;
    this.interrupted = false;
    this.pi.fill(0);
    let demand = 0;
    let capacity = 0;
    this.nOpen = 0;
    for (let i = 0; i < S; i++) {
      if (!open[i]) continue;
      capacity += cap[i]!;
      this.openList[this.nOpen++] = i;
    }
    for (let j = 0; j < C; j++) demand += d[j]!;
    if (capacity < demand - eps) return Infinity;
    let cost = this.nearestStart();
    if (cost === Infinity) return Infinity;
    let excess = 0;
    for (let t = 0; t < this.nOpen; t++) {
      const i = this.openList[t]!;
      if (load[i]! > cap[i]! + eps) excess += load[i]! - cap[i]!;
    }
    const margin = 1e-9 * Math.max(1, Math.abs(threshold));
    while (excess > eps) {
      if (this.stop()) {
        this.interrupted = true;
        return Number.NaN;
      }
      const moved = this.augment();
      if (moved < 0) return Infinity;
      cost += moved * this.pathCost;
      excess -= moved;
      const bound = cost + (excess > eps ? excess * this.pathCost : 0);
      if (bound >= threshold + margin) {
        this.earlyExits++;
        return bound;
      }
    }
    return cost;
  }

  /** Every client at its cheapest open site (zero demand: by c); returns that cost, Infinity when a client has no open site. */
  private nearestStart(): number {
    const { S, C, uT, c, d, a, load, openList, nOpen } = this;
    a.fill(0);
    load.fill(0);
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
      load[best]! += d[j]!;
      cost += c[best * C + j]!;
    }
    return cost;
  }

  /**
   * One shortest augmenting path from the overloaded sites to a site with spare capacity;
   * pushes the bottleneck amount, stores the path's unit cost in pathCost and returns the
   * amount moved (-1: no path, the set cannot serve its clients).
   */
  private augment(): number {
    const { S, C, uT, cap, a, load, pi, dist, done, predSite, predClient, eps, openList, nOpen } = this;
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
      a[k * C + j]! += delta;
      k = i;
    }
    load[source]! -= delta;
    load[target]! += delta;
    // Rounding can make a zero-cost path read slightly negative: the bound must not fall.
    this.pathCost = unit > 0 ? unit : 0;
    return delta;
  }

  /**
   * The shares of the last solve that completed (not cut short), each client's summing to 1,
   * and their cost (the serving cost recomputed from the normalised shares).
   */
  flows(): { cost: number; flows: FlowShare[] } {
    const { C, a, d, c, eps } = this;
    const flows: FlowShare[] = [];
    const sum = new Float64Array(C);
    for (let t = 0; t < this.nOpen; t++) {
      const i = this.openList[t]!;
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
}
