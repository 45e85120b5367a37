import { argsortStableSteps, runSteps, type Steps } from '@emplace/core';
import type { Interchange } from './interchange.js';
import type { FacilityProblem } from './problem.js';

/**
 * Clients from which a site's client sort is core's radix argsort (its four passes over a
 * 65,536-entry count array cost about what a comparator sort of ~16,000 keys does) in steps.
 */
const RADIX_MIN_CLIENTS = 16_384;

/**
 * Jain-Mahdian-Saberi greedy for UFL (JMS 2003, "Algorithm 2"; ratio 1.61 on metric
 * instances). Repeatedly picks the most cost-effective star: a site i with a set of k
 * unconnected clients minimising
 *     (f_i' + sum_{j in star} c_ij - sum_{j connected} max(0, c(j) - c_ij)) / k,
 * where f_i' is 0 once i is open and c(j) is connected client j's current cost; opening
 * i also reconnects every connected client that i serves more cheaply. Pre-opened
 * (mustOpen) sites start open; forbidden sites never open.
 */
export function jmsGreedy(pr: FacilityProblem, shouldStop: () => boolean = () => false): Uint8Array {
  return runSteps(jmsGreedySteps(pr, shouldStop));
}

/** jmsGreedy as steps: a checkpoint after each site's client sort and after each star (see core's runStepsAsync). */
export function* jmsGreedySteps(pr: FacilityProblem, shouldStop: () => boolean = () => false): Steps<Uint8Array> {
  const st = new JmsState(pr);
  if (pr.nClients === 0) return st.open;
  for (let i = 0; i < pr.nSites; i++) {
    // The S sorts take ~0.1 s at 100 x 1000: poll, and fall back to cheapest-site
    // connection when the deadline or an abort comes first.
    if (shouldStop() || !(yield* st.sortClientsSteps(i, shouldStop))) return st.connectRest();
    yield;
  }
  while (st.left > 0) {
    if (!(yield* st.connectBestStarSteps())) break; // remaining clients have no allowed site (prepared problems exclude this)
    if (shouldStop() && st.left > 0) return st.connectRest();
    yield;
  }
  return st.open;
}

/** The greedy's state: open sites, effective opening costs, each site's clients by cost, connections. */
class JmsState {
  readonly open: Uint8Array;
  private readonly fEff: Float64Array;
  private readonly order: Int32Array;
  private readonly tmp: Int32Array;
  private readonly connected: Uint8Array;
  private readonly cur: Float64Array;
  left: number;

  constructor(private readonly pr: FacilityProblem) {
    const { nSites: S, nClients: C } = pr;
    this.open = new Uint8Array(S);
    this.fEff = Float64Array.from(pr.f);
    for (let i = 0; i < S; i++) {
      if (pr.mustOpen[i]) {
        this.open[i] = 1;
        this.fEff[i] = 0;
      }
    }
    this.order = new Int32Array(S * C);
    this.tmp = new Int32Array(C);
    this.connected = new Uint8Array(C);
    this.cur = new Float64Array(C).fill(Infinity);
    this.left = C;
  }

  /**
   * Site i's clients by cost, ties by index. From RADIX_MIN_CLIENTS clients on, core's radix
   * argsort in steps (the same order): a comparator sort of the 100,000 clients of a
   * stochastic set's UFL equivalent (50 x 500, 200 scenarios) ran between two yields, and an
   * abort of stochastic:ufl-equivalent waited 51 ms (the responsiveness sweep). A stop at one of
   * its checkpoints abandons it (false; connectRest needs no order): ~10 ms after an abort.
   */
  *sortClientsSteps(i: number, shouldStop: () => boolean): Steps<boolean> {
    const C = this.pr.nClients;
    const c = this.pr.c;
    const row = i * C;
    if (C >= RADIX_MIN_CLIENTS) {
      const sort = argsortStableSteps(c.subarray(row, row + C));
      let r = sort.next();
      for (; !r.done; r = sort.next()) {
        if (shouldStop()) return false;
        yield;
      }
      this.order.set(r.value, row);
      return true;
    }
    const { tmp } = this;
    for (let j = 0; j < C; j++) tmp[j] = j;
    tmp.sort((a, b) => c[row + a]! - c[row + b]! || a - b);
    this.order.set(tmp, row);
    return true;
  }

  /**
   * Opens (or reuses) the site of the most cost-effective star and connects its clients; false
   * when none exists. One star scans every site's clients (O(S C), ~0.1 s at 1000 x 1000 in
   * cold code): a checkpoint every 32 sites.
   */
  *connectBestStarSteps(): Steps<boolean> {
    const { pr, order, connected, cur } = this;
    const { nSites: S, nClients: C, c } = pr;
    let bestI = -1;
    let bestK = 0;
    let bestRatio = Infinity;
    for (let i = 0; i < S; i++) {
      if ((i & 31) === 31) yield;
      if (pr.forbidden[i]) continue;
      const row = i * C;
      let savings = 0;
      for (let j = 0; j < C; j++) {
        if (connected[j]) {
          const s = cur[j]! - c[row + j]!;
          if (s > 0) savings += s;
        }
      }
      let numer = this.fEff[i]! - savings;
      let k = 0;
      for (let t = 0; t < C; t++) {
        const j = order[row + t]!;
        if (connected[j]) continue;
        const cij = c[row + j]!;
        if (cij === Infinity) break;
        // Clients come by increasing cost: once c_ij reaches the ratio, more cannot lower it.
        if (k > 0 && cij * k >= numer) break;
        numer += cij;
        k++;
        const ratio = numer / k;
        if (ratio < bestRatio) {
          bestRatio = ratio;
          bestI = i;
          bestK = k;
        }
      }
    }
    if (bestI < 0) return false;
    const row = bestI * C;
    this.open[bestI] = 1;
    this.fEff[bestI] = 0;
    for (let j = 0; j < C; j++) if (connected[j] && c[row + j]! < cur[j]!) cur[j] = c[row + j]!;
    let k = 0;
    for (let t = 0; t < C && k < bestK; t++) {
      const j = order[row + t]!;
      if (connected[j]) continue;
      connected[j] = 1;
      cur[j] = c[row + j]!;
      k++;
      this.left--;
    }
    return true;
  }

  /**
   * Out of time: connect the rest, in client order, to an open site, opening the cheapest
   * c + f site for a client that has none. Which open site serves it does not change the plan:
   * only whether one does, from the open rows read in order (each client's column, a cache
   * miss per read, was ~10 ms at 51 x 100,000) and the sites opened here.
   */
  connectRest(): Uint8Array {
    const { pr, open, connected } = this;
    const { nSites: S, nClients: C, c } = pr;
    const served = new Uint8Array(C);
    for (let i = 0; i < S; i++) if (open[i]) markFinite(c, i * C, C, served);
    const opened: number[] = [];
    for (let j = 0; j < C; j++) {
      if (connected[j]) continue;
      let has = served[j] === 1;
      for (let t = 0; t < opened.length && !has; t++) has = c[opened[t]! * C + j]! < Infinity;
      if (!has) {
        let b = -1;
        for (let i = 0; i < S; i++) if (!pr.forbidden[i] && c[i * C + j]! < Infinity && (b < 0 || c[i * C + j]! + pr.f[i]! < c[b * C + j]! + pr.f[b]!)) b = i;
        if (b >= 0) {
          open[b] = 1;
          opened.push(b);
        }
      }
      connected[j] = 1;
    }
    return open;
  }
}

/** served[j] = 1 where the row starting at `row` has a finite cost for client j. */
function markFinite(c: Float64Array, row: number, C: number, served: Uint8Array): void {
  for (let j = 0; j < C; j++) if (c[row + j]! < Infinity) served[j] = 1;
}

/**
 * Greedy add for p-median (and a UFL fallback): starting from the pre-opened sites,
 * open the site with the largest cost decrease until p sites are open. Uses the
 * interchange gain table, so each step costs only the affected clients.
 */
export function greedyAdd(pr: FacilityProblem, ls: Interchange, p: number): Uint8Array {
  return runSteps(greedyAddSteps(pr, ls, p, () => false));
}

/** Stopped before any table exists: the pre-opened sites and the first usable ones up to p (a feasible set, nothing more). */
function firstUsable(pr: FacilityProblem, open: Uint8Array, p: number): Uint8Array {
  let count = 0;
  for (let i = 0; i < pr.nSites; i++) count += open[i]!;
  for (let i = 0; i < pr.nSites && count < p; i++) {
    if (!open[i] && !pr.forbidden[i]) {
      open[i] = 1;
      count++;
    }
  }
  return open;
}

/**
 * greedyAdd as steps: checkpoints inside the table updates and after every site added. When
 * `shouldStop` answers true, the remaining sites are the best adds of the current gain table
 * at once (no more updates), so that a stop still gets p sites.
 */
export function* greedyAddSteps(pr: FacilityProblem, ls: Interchange, p: number, shouldStop: () => boolean): Steps<Uint8Array> {
  const S = pr.nSites;
  const open = new Uint8Array(S);
  for (let i = 0; i < S; i++) if (pr.mustOpen[i]) open[i] = 1;
  if (shouldStop()) return firstUsable(pr, open, p);
  // The first table build (O(S C), ~20 ms at 2000 x 2000) is abandoned after a stop too.
  if (!(yield* ls.setOpenSteps(open, shouldStop))) return firstUsable(pr, open, p);
  let count = ls.openCount();
  while (count < p) {
    if (shouldStop()) return ls.bestAddsAtOnce(p - count);
    const u = ls.bestAdd();
    if (u < 0) break;
    // Stopped inside the update: u is open and the rest are the best adds of the (stale) gains.
    if (!(yield* ls.moveSteps(u, -1, shouldStop))) return ls.bestAddsAtOnce(p - count - 1);
    count++;
    yield;
  }
  return Uint8Array.from(ls.open);
}
