import type { SolveRun } from '@emplace/core';
import type { KCenterInstance } from './instance.js';

/**
 * The covering question behind exact k-center: at radius r, which sites can serve which
 * clients, reduced so that the set-cover model stays small:
 *
 * - clients already within r of a pre-opened site are dropped;
 * - a client with a single candidate site fixes that site open;
 * - a client whose candidate sites include all candidate sites of another client is
 *   dropped (covering the other covers it);
 * - a site whose clients are a subset of another site's clients is dropped.
 *
 * Clients with identical candidate sets are merged and counted by multiplicity (needed
 * by the outlier variant, where every client counts).
 */
export interface CoverProblem {
  r: number;
  /** Sites that must be open at this radius (forced by single-site clients), not counting mustOpen. */
  forced: number[];
  /** Remaining candidate sites (indices into the instance). */
  sites: Int32Array;
  /** Remaining clients (representatives), and how many original clients each stands for. */
  clients: Int32Array;
  multiplicity: Int32Array;
  /** CSR client -> positions in `sites`. */
  start: Int32Array;
  adj: Int32Array;
  /** Original clients not covered by a pre-opened site at r (before any reduction). */
  openClients: number;
  /** A client no remaining site can serve (the radius is then infeasible without outliers). */
  uncoverable: number;
  /** With `keepCounts`: original clients that no site can serve at r (they must be outliers). */
  lost: number;
}

/**
 * Builds and reduces the covering problem at radius r. With `keepCounts` (outliers) the
 * client-dominance and forcing reductions are not applied (dropping a client changes
 * the count of uncovered ones), only merging of identical clients and site dominance.
 */
export function buildCover(inst: KCenterInstance, r: number, keepCounts = false): CoverProblem {
  const steps = coverSteps(inst, r, keepCounts);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** buildCover that yields to the event loop every few milliseconds; undefined when the run stops first. */
export async function buildCoverAsync(inst: KCenterInstance, r: number, run: SolveRun, keepCounts = false): Promise<CoverProblem | undefined> {
  const steps = coverSteps(inst, r, keepCounts);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (await run.tick()) return undefined;
  }
}

/** The reduction rounds, pausing (a bare `yield`) between steps and every few clients or sites inside them. */
export function* coverSteps(inst: KCenterInstance, r: number, keepCounts: boolean): Generator<void, CoverProblem, void> {
  const b = new CoverBuilder(inst, r, keepCounts);
  yield* b.buildAdjacency();
  yield;
  for (let round = 0; round < 3; round++) {
    b.recount();
    const forcing = b.forceSingleSiteClients();
    if (forcing === 'uncoverable') return emptyProblem(r, b.forced, b.openClients, b.uncoverable);
    if (forcing) b.recount();
    yield;
    const merged = yield* b.dropDominatedClients();
    if (merged) b.recount();
    const dropped = yield* b.dropDominatedSites();
    if (!forcing && !merged && !dropped) break;
  }
  b.recount();
  const lostClient = b.settleUncovered();
  if (lostClient >= 0) return emptyProblem(r, b.forced, b.openClients, lostClient);
  return b.toProblem();
}

/** Clients or sites handled between two pauses of coverSteps. */
const PAUSE_EVERY = 16;

/** Distance-matrix entries scanned between two pauses of the adjacency build. */
export const ROWS_ENTRIES = 1 << 15;

/**
 * The state of one reduction: alive flags over the pairs within r, stored once in both
 * directions (client -> sites `cAdj`, site -> clients `sAdj`, CSR); reductions only flip
 * alive flags, and `recount` refreshes the degrees over alive entries.
 */
class CoverBuilder {
  readonly nS: number;
  readonly nC: number;
  readonly d: Float64Array;
  readonly siteAlive: Uint8Array;
  readonly clientAlive: Uint8Array;
  readonly mult: Int32Array;
  readonly forced: number[] = [];
  openClients = 0;
  uncoverable = -1;
  lost = 0;
  cStart!: Int32Array;
  sStart!: Int32Array;
  cAdj!: Int32Array;
  sAdj!: Int32Array;
  readonly siteDeg: Int32Array;
  readonly clientDeg: Int32Array;
  /** Alive sites of one client, filled by `sitesOf`. */
  readonly sitesBuf: Int32Array;

  constructor(
    inst: KCenterInstance,
    readonly r: number,
    readonly keepCounts: boolean,
  ) {
    const { nS, nC, d } = inst;
    this.nS = nS;
    this.nC = nC;
    this.d = d;
    this.siteAlive = new Uint8Array(nS);
    this.clientAlive = new Uint8Array(nC);
    this.mult = new Int32Array(nC).fill(1);
    this.siteDeg = new Int32Array(nS);
    this.clientDeg = new Int32Array(nC);
    this.sitesBuf = new Int32Array(nS);
    this.dropPreCovered(inst);
  }

  /** Clients within r of a pre-opened site are served already; pre-opened sites are not candidates. */
  private dropPreCovered(inst: KCenterInstance): void {
    const { nS, nC, d, r } = this;
    const { mustOpen, openable } = inst;
    const covered = new Uint8Array(nC);
    for (let a = 0; a < mustOpen.length; a++) {
      const row = mustOpen[a]! * nC;
      for (let j = 0; j < nC; j++) if (d[row + j]! <= r) covered[j] = 1;
    }
    const isMust = new Uint8Array(nS);
    for (const s of mustOpen) isMust[s] = 1;
    for (const s of openable) if (!isMust[s]) this.siteAlive[s] = 1;
    for (let j = 0; j < nC; j++) {
      if (!covered[j]) {
        this.clientAlive[j] = 1;
        this.openClients++;
      }
    }
  }

  /**
   * The pairs within r, once, over the sites and clients alive at the start: two scans of
   * the distance matrix (count, then fill), a pause every ROWS_ENTRIES entries (on 500 x 500
   * the two scans were a 25 ms stretch of their own).
   */
  *buildAdjacency(): Generator<void, void, void> {
    const { nS, nC, d, r, siteAlive, clientAlive } = this;
    const rowsPerPause = Math.max(1, Math.floor(ROWS_ENTRIES / Math.max(1, nC)));
    const cStart = new Int32Array(nC + 1);
    const sStart = new Int32Array(nS + 1);
    for (let q = 0; q < nS; q++) {
      if (q % rowsPerPause === rowsPerPause - 1) yield;
      if (!siteAlive[q]) continue;
      const row = q * nC;
      for (let j = 0; j < nC; j++) {
        if (clientAlive[j] && d[row + j]! <= r) {
          cStart[j + 1]!++;
          sStart[q + 1]!++;
        }
      }
    }
    for (let j = 0; j < nC; j++) cStart[j + 1]! += cStart[j]!;
    for (let q = 0; q < nS; q++) sStart[q + 1]! += sStart[q]!;
    const cAdj = new Int32Array(cStart[nC]!);
    const sAdj = new Int32Array(sStart[nS]!);
    const cFill = cStart.slice(0, nC);
    for (let q = 0; q < nS; q++) {
      if (q % rowsPerPause === rowsPerPause - 1) yield;
      if (!siteAlive[q]) continue;
      const row = q * nC;
      let p = sStart[q]!;
      for (let j = 0; j < nC; j++) {
        if (clientAlive[j] && d[row + j]! <= r) {
          sAdj[p++] = j;
          cAdj[cFill[j]!++] = q;
        }
      }
    }
    this.cStart = cStart;
    this.sStart = sStart;
    this.cAdj = cAdj;
    this.sAdj = sAdj;
  }

  /** Degrees (clients per site / sites per client) over alive entries. */
  recount(): void {
    const { nS, siteAlive, clientAlive, sStart, sAdj, siteDeg, clientDeg } = this;
    siteDeg.fill(0);
    clientDeg.fill(0);
    for (let q = 0; q < nS; q++) {
      if (!siteAlive[q]) continue;
      let c = 0;
      for (let t = sStart[q]!; t < sStart[q + 1]!; t++) {
        const j = sAdj[t]!;
        if (clientAlive[j]) {
          c++;
          clientDeg[j]!++;
        }
      }
      siteDeg[q] = c;
    }
  }

  /** Alive sites of client j into `sitesBuf`; returns how many. */
  sitesOf(j: number): number {
    const { cStart, cAdj, siteAlive, sitesBuf } = this;
    let m = 0;
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (siteAlive[cAdj[t]!]) sitesBuf[m++] = cAdj[t]!;
    return m;
  }

  /**
   * A client with one candidate site forces it open (its clients are then served); a client
   * with none is lost (outliers) or makes the radius infeasible ('uncoverable').
   */
  forceSingleSiteClients(): boolean | 'uncoverable' {
    const { nC, clientAlive, clientDeg, siteAlive, sStart, sAdj, mult, keepCounts } = this;
    let changed = false;
    for (let j = 0; j < nC; j++) {
      if (!clientAlive[j]) continue;
      if (clientDeg[j] === 0 && keepCounts) {
        this.lost += mult[j]!;
        clientAlive[j] = 0;
        continue;
      }
      if (clientDeg[j] === 0) {
        this.uncoverable = j;
        return 'uncoverable';
      }
      if (!keepCounts && clientDeg[j] === 1) {
        this.sitesOf(j);
        const s = this.sitesBuf[0]!;
        this.forced.push(s);
        siteAlive[s] = 0;
        for (let t = sStart[s]!; t < sStart[s + 1]!; t++) clientAlive[sAdj[t]!] = 0;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Client dominance / merging: clients by ascending degree; a client is dropped when an
   * earlier kept client's sites are all among its own (with `keepCounts`: identical sets
   * only, and the kept client counts it).
   */
  *dropDominatedClients(): Generator<void, boolean, void> {
    const { nS, nC, clientAlive, clientDeg, siteDeg, mult, keepCounts, sitesBuf } = this;
    const order: number[] = [];
    for (let j = 0; j < nC; j++) if (clientAlive[j]) order.push(j);
    order.sort((a, b) => clientDeg[a]! - clientDeg[b]! || a - b);
    // bucket[s] = kept clients whose representative (least-loaded) site is s.
    const bucketHead = new Int32Array(nS).fill(-1);
    const bucketNext = new Int32Array(nC).fill(-1);
    const keptSites: Int32Array[] = new Array(nC);
    let changed = false;
    let count = 0;
    for (const j of order) {
      if (++count % PAUSE_EVERY === 0) yield;
      const m = this.sitesOf(j);
      const dominatedBy = this.keptSubsetOf(j, m, bucketHead, bucketNext, keptSites);
      if (dominatedBy >= 0) {
        clientAlive[j] = 0;
        if (keepCounts) mult[dominatedBy]! += mult[j]!;
        changed = true;
        continue;
      }
      const own = sitesBuf.slice(0, m);
      keptSites[j] = own;
      let rep = own[0]!;
      for (let t = 1; t < m; t++) if (siteDeg[own[t]!]! < siteDeg[rep]!) rep = own[t]!;
      bucketNext[j] = bucketHead[rep]!;
      bucketHead[rep] = j;
    }
    return changed;
  }

  /** A kept client whose sites all serve client j (whose m sites are in `sitesBuf`), or -1. */
  private keptSubsetOf(j: number, m: number, bucketHead: Int32Array, bucketNext: Int32Array, keptSites: Int32Array[]): number {
    const { nC, d, r, keepCounts, sitesBuf } = this;
    for (let t = 0; t < m; t++) {
      for (let u = bucketHead[sitesBuf[t]!]!; u !== -1; u = bucketNext[u]!) {
        const su = keptSites[u]!;
        if (keepCounts && su.length !== m) continue; // merging only: identical sets
        let subset = true;
        for (let q = 0; q < su.length; q++) {
          if (!(d[su[q]! * nC + j]! <= r)) {
            subset = false;
            break;
          }
        }
        if (subset) return u;
      }
    }
    return -1;
  }

  /** Site dominance: sites by descending degree; a site is dropped when a kept site serves all its clients. */
  *dropDominatedSites(): Generator<void, boolean, void> {
    const { nS, nC, d, r, siteAlive, clientAlive, siteDeg, clientDeg, sStart, sAdj, cStart, cAdj } = this;
    const sOrder: number[] = [];
    for (let s = 0; s < nS; s++) if (siteAlive[s]) sOrder.push(s);
    sOrder.sort((a, b) => siteDeg[b]! - siteDeg[a]! || a - b);
    const keptSite = new Uint8Array(nS);
    const clientsBuf = new Int32Array(nC);
    let changed = false;
    let count = 0;
    for (const s of sOrder) {
      if (++count % PAUSE_EVERY === 0) yield;
      if (siteDeg[s] === 0) {
        siteAlive[s] = 0;
        changed = true;
        continue;
      }
      // The site's alive clients, and the one with the fewest sites (the fewest candidates to test).
      let m = 0;
      let pivot = -1;
      for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
        const j = sAdj[t]!;
        if (clientAlive[j]) {
          clientsBuf[m++] = j;
          if (pivot < 0 || clientDeg[j]! < clientDeg[pivot]!) pivot = j;
        }
      }
      let dominated = false;
      for (let q = cStart[pivot]!; q < cStart[pivot + 1]! && !dominated; q++) {
        const t = cAdj[q]!;
        if (!keptSite[t]) continue;
        const trow = t * nC;
        let subset = true;
        for (let x = 0; x < m; x++) {
          if (!(d[trow + clientsBuf[x]!]! <= r)) {
            subset = false;
            break;
          }
        }
        if (subset) dominated = true;
      }
      if (dominated) {
        siteAlive[s] = 0;
        changed = true;
      } else keptSite[s] = 1;
    }
    return changed;
  }

  /** After the last recount: a client left with no site is lost (outliers) or returned as uncoverable. */
  settleUncovered(): number {
    const { nC, clientAlive, clientDeg, mult } = this;
    for (let j = 0; j < nC; j++) {
      if (clientAlive[j] && clientDeg[j] === 0) {
        if (!this.keepCounts) return j;
        this.lost += mult[j]!;
        clientAlive[j] = 0;
      }
    }
    return -1;
  }

  /** The reduced problem: alive sites renumbered, alive clients with their site positions (CSR). */
  toProblem(): CoverProblem {
    const { nS, nC, siteAlive, clientAlive, clientDeg, cStart, cAdj, mult } = this;
    const siteList: number[] = [];
    const pos = new Int32Array(nS).fill(-1);
    for (let s = 0; s < nS; s++) {
      if (siteAlive[s]) {
        pos[s] = siteList.length;
        siteList.push(s);
      }
    }
    const clientList: number[] = [];
    for (let j = 0; j < nC; j++) if (clientAlive[j]) clientList.push(j);
    const start = new Int32Array(clientList.length + 1);
    let nnz = 0;
    for (let c = 0; c < clientList.length; c++) nnz += clientDeg[clientList[c]!]!;
    const adj = new Int32Array(nnz);
    let p = 0;
    for (let c = 0; c < clientList.length; c++) {
      const j = clientList[c]!;
      start[c] = p;
      for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (siteAlive[cAdj[t]!]) adj[p++] = pos[cAdj[t]!]!;
    }
    start[clientList.length] = p;
    return {
      r: this.r,
      forced: this.forced,
      sites: Int32Array.from(siteList),
      clients: Int32Array.from(clientList),
      multiplicity: Int32Array.from(clientList, (j) => mult[j]!),
      start,
      adj,
      openClients: this.openClients,
      uncoverable: -1,
      lost: this.lost,
    };
  }
}

function emptyProblem(r: number, forced: number[], openClients: number, uncoverable: number): CoverProblem {
  return {
    r,
    forced,
    sites: new Int32Array(0),
    clients: new Int32Array(0),
    multiplicity: new Int32Array(0),
    start: new Int32Array(1),
    adj: new Int32Array(0),
    openClients,
    uncoverable,
    lost: 0,
  };
}

/**
 * Greedy set cover on a reduced problem (largest number of uncovered clients first),
 * restricted to at most `limit` sites. Returns positions into `cp.sites` or undefined
 * when it needs more.
 */
export function greedyCover(cp: CoverProblem, limit: number, seed: readonly number[] = []): number[] | undefined {
  const g = greedyFill(cp, limit, seed);
  return g.complete ? g.chosen : undefined;
}

/** Greedy maximum coverage with at most `limit` sites (after `seed`): the chosen sites and whether they cover everybody. */
export function greedyFill(cp: CoverProblem, limit: number, seed: readonly number[] = []): { chosen: number[]; complete: boolean } {
  const m = cp.sites.length;
  const n = cp.clients.length;
  if (n === 0) return { chosen: [], complete: true };
  // site -> clients (transpose of the CSR).
  const sStart = new Int32Array(m + 1);
  for (let t = 0; t < cp.adj.length; t++) sStart[cp.adj[t]! + 1]!++;
  for (let s = 0; s < m; s++) sStart[s + 1]! += sStart[s]!;
  const sAdj = new Int32Array(cp.adj.length);
  const fill = sStart.slice(0, m);
  for (let c = 0; c < n; c++) for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) sAdj[fill[cp.adj[t]!]!++] = c;
  const gain = new Int32Array(m);
  for (let s = 0; s < m; s++) gain[s] = sStart[s + 1]! - sStart[s]!;
  const isCovered = new Uint8Array(n);
  let left = n;
  const chosen: number[] = [];
  const take = (s: number): void => {
    chosen.push(s);
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
      const c = sAdj[t]!;
      if (isCovered[c]) continue;
      isCovered[c] = 1;
      left--;
      for (let q = cp.start[c]!; q < cp.start[c + 1]!; q++) gain[cp.adj[q]!]!--;
    }
  };
  for (const s of seed) if (gain[s]! > 0) take(s);
  while (left > 0) {
    if (chosen.length >= limit) return { chosen, complete: false };
    let best = -1;
    for (let s = 0; s < m; s++) if (best < 0 || gain[s]! > gain[best]!) best = s;
    if (best < 0 || gain[best] === 0) return { chosen, complete: false };
    take(best);
  }
  return { chosen, complete: true };
}
