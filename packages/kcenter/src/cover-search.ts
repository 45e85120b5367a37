import type { SolveRun } from '@emplace/core';
import type { CoverProblem } from './cover.js';

/** The answer of coverSearch, in the shape of minCoverMip's (positions into cp.sites). */
export interface CoverSearchAnswer {
  status: 'optimal';
  /** A cover of the subset with at most K sites (absent when there is none). */
  sites?: number[];
  /** K + 1 when no cover with K sites exists; 0 otherwise (no minimum is claimed). */
  lowerBound: number;
  value?: number;
}

/**
 * Exact decision "can at most K sites cover every client of `subset`?" by depth-first
 * branching, for the small covering questions of the p-center search (issue 17: no MIP
 * start-up for questions a few thousand nodes settle). Branches on the uncovered client with
 * the fewest usable sites, one child per site, each later child excluding the sites of the
 * earlier ones (their covers were searched there); prunes with a packing bound: uncovered
 * clients whose usable sites are pairwise disjoint each need a site of their own.
 *
 * Returns null when `nodeBudget` nodes (fewer on large questions: about `workBudget` steps)
 * do not settle the question or `stop()` answers true:
 * the caller then asks the MIP. Never wrong: "no" only after the whole tree is searched.
 */
export function coverSearch(cp: CoverProblem, subset: readonly number[], K: number, nodeBudget: number, stop: () => boolean, workBudget = 1e8): CoverSearchAnswer | null {
  const settled = settleEmpty(subset, K);
  if (settled) return settled;
  const tree = new CoverTree(cp, subset, K, nodeBudget, workBudget, stop);
  const state = tree.advance(() => false); // never 'paused': pause() is always false
  return answerOf(tree, state === 'paused' ? 'stopped' : state);
}

/**
 * coverSearch that yields to the event loop whenever the run has computed for its yield
 * interval (the search pauses and resumes where it was), so an abort is seen promptly.
 */
export async function coverSearchAsync(cp: CoverProblem, subset: readonly number[], K: number, nodeBudget: number, run: SolveRun, workBudget = 1e8): Promise<CoverSearchAnswer | null> {
  const settled = settleEmpty(subset, K);
  if (settled) return settled;
  const tree = new CoverTree(cp, subset, K, nodeBudget, workBudget, () => run.shouldStop());
  for (;;) {
    const state = tree.advance(() => run.needsYield());
    if (state !== 'paused') return answerOf(tree, state);
    if (await run.tick()) return null;
  }
}

function settleEmpty(subset: readonly number[], K: number): CoverSearchAnswer | undefined {
  if (subset.length === 0) return { status: 'optimal', sites: [], lowerBound: 0, value: 0 };
  if (K <= 0) return { status: 'optimal', lowerBound: 1 };
  return undefined;
}

function answerOf(tree: CoverTree, state: 'yes' | 'no' | 'stopped'): CoverSearchAnswer | null {
  if (state === 'stopped') return null;
  if (state === 'no') return { status: 'optimal', lowerBound: tree.K + 1 };
  return { status: 'optimal', sites: tree.chosen.slice(), lowerBound: 0, value: tree.chosen.length };
}

/** One open node of the depth-first search: its candidate sites, the next to try, the one being tried and those done. */
interface Frame {
  cands: number[];
  next: number;
  current: number;
  tried: number[];
}

/** The branching state of one coverSearch question: the subset's local CSR and the current path. */
class CoverTree {
  readonly m: number;
  /** Local CSR: subset client -> sites (`cStart`/`cAdj`), site -> subset clients (`sStart`/`sAdj`). */
  readonly cStart: Int32Array;
  readonly cAdj: Int32Array;
  readonly sStart: Int32Array;
  readonly sAdj: Int32Array;
  /** Chosen sites covering each client. */
  readonly coverCount: Int32Array;
  /** > 0: the site is excluded on the current path. */
  readonly excluded: Int32Array;
  /** Packing bound scratch (stamped). */
  readonly mark: Int32Array;
  readonly orderKey: Float64Array;
  stamp = 0;
  readonly chosen: number[] = [];
  nodes = 0;
  readonly budget: number;
  uncovered: number;
  /** The open nodes of the current path (explicit stack, so the search can pause and resume). */
  readonly frames: Frame[] = [];
  /** The last site chosen has not been examined yet (the root at the start). */
  needEnter = true;
  /** Node count at the last pause. */
  pausedAt = 0;

  constructor(
    cp: CoverProblem,
    subset: readonly number[],
    readonly K: number,
    nodeBudget: number,
    workBudget: number,
    readonly stop: () => boolean,
  ) {
    const m = subset.length;
    const nSites = cp.sites.length;
    this.m = m;
    const cStart = new Int32Array(m + 1);
    for (let q = 0; q < m; q++) {
      const c = subset[q]!;
      cStart[q + 1] = cStart[q]! + (cp.start[c + 1]! - cp.start[c]!);
    }
    const cAdj = new Int32Array(cStart[m]!);
    const sCount = new Int32Array(nSites + 1);
    for (let q = 0; q < m; q++) {
      const c = subset[q]!;
      let w = cStart[q]!;
      for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) {
        const s = cp.adj[t]!;
        cAdj[w++] = s;
        sCount[s + 1]!++;
      }
    }
    const sStart = new Int32Array(nSites + 1);
    for (let s = 0; s < nSites; s++) sStart[s + 1] = sStart[s]! + sCount[s + 1]!;
    const sAdj = new Int32Array(sStart[nSites]!);
    const fill = Int32Array.from(sStart.subarray(0, nSites));
    for (let q = 0; q < m; q++) for (let t = cStart[q]!; t < cStart[q + 1]!; t++) sAdj[fill[cAdj[t]!]!++] = q;
    this.cStart = cStart;
    this.cAdj = cAdj;
    this.sStart = sStart;
    this.sAdj = sAdj;
    this.coverCount = new Int32Array(m);
    this.excluded = new Int32Array(nSites);
    this.mark = new Int32Array(nSites);
    this.orderKey = new Float64Array(m);
    this.uncovered = m;
    // A node costs O(incidences): large questions get fewer nodes (about workBudget steps in all).
    this.budget = Math.min(nodeBudget, Math.max(100, Math.floor(workBudget / Math.max(1, cAdj.length))));
  }

  /** Opens (delta 1) or closes (delta -1) site s on the current path. */
  choose(s: number, delta: 1 | -1): void {
    const { sStart, sAdj, coverCount } = this;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
      const q = sAdj[t]!;
      if (delta === 1) {
        if (coverCount[q]!++ === 0) this.uncovered--;
      } else if (--coverCount[q]! === 0) this.uncovered++;
    }
  }

  /** Sites of client q not excluded on the current path. */
  usableSites(q: number): number {
    const { cStart, cAdj, excluded } = this;
    let usable = 0;
    for (let t = cStart[q]!; t < cStart[q + 1]!; t++) if (excluded[cAdj[t]!] === 0) usable++;
    return usable;
  }

  /**
   * Lower bound on the sites still needed: uncovered clients with pairwise-disjoint usable
   * sites, picked greedily from the clients with the fewest usable sites; Infinity when one
   * has none. Stops counting above `limit`.
   */
  packing(limit: number): number {
    const { m, cStart, cAdj, excluded, mark, coverCount, orderKey } = this;
    let n = 0;
    for (let q = 0; q < m; q++) {
      if (coverCount[q]! > 0) continue;
      const usable = this.usableSites(q);
      if (usable === 0) return Infinity;
      orderKey[n++] = usable * 1048576 + q;
    }
    const keys = orderKey.subarray(0, n);
    keys.sort();
    const stamp = ++this.stamp;
    let count = 0;
    for (let k = 0; k < n; k++) {
      const q = keys[k]! % 1048576;
      let disjoint = true;
      for (let t = cStart[q]!; t < cStart[q + 1]!; t++) {
        const s = cAdj[t]!;
        if (excluded[s] === 0 && mark[s] === stamp) {
          disjoint = false;
          break;
        }
      }
      if (!disjoint) continue;
      for (let t = cStart[q]!; t < cStart[q + 1]!; t++) mark[cAdj[t]!] = stamp;
      if (++count > limit) return count;
    }
    return count;
  }

  /** The uncovered client with the fewest usable sites (the branching client). */
  branchClient(): number {
    const { m, coverCount } = this;
    let bq = -1;
    let bUsable = Infinity;
    for (let q = 0; q < m; q++) {
      if (coverCount[q]! > 0) continue;
      const usable = this.usableSites(q);
      if (usable < bUsable) {
        bUsable = usable;
        bq = q;
        if (usable <= 1) break;
      }
    }
    return bq;
  }

  /** The usable sites of client bq, the ones covering the most uncovered clients first. */
  candidates(bq: number): number[] {
    const { cStart, cAdj, sStart, sAdj, excluded, coverCount } = this;
    const cands: number[] = [];
    const gains: number[] = [];
    for (let t = cStart[bq]!; t < cStart[bq + 1]!; t++) {
      const s = cAdj[t]!;
      if (excluded[s] !== 0) continue;
      let gain = 0;
      for (let u = sStart[s]!; u < sStart[s + 1]!; u++) if (coverCount[sAdj[u]!] === 0) gain++;
      cands.push(s);
      gains.push(gain);
    }
    return cands.map((_, k) => k).sort((a, b) => gains[b]! - gains[a]! || cands[a]! - cands[b]!).map((k) => cands[k]!);
  }

  /**
   * Depth-first search over covers with at most K sites: one child per candidate site of the
   * branching client, each later child excluding the sites of the earlier ones (their covers
   * were searched there). Runs until it settles ('yes': `chosen` holds the cover; 'no'),
   * hits its node budget or `stop` ('stopped'), or `pause()` asks for a break ('paused':
   * call again to resume).
   */
  advance(pause: () => boolean): 'yes' | 'no' | 'stopped' | 'paused' {
    for (;;) {
      if (this.needEnter) {
        if ((this.nodes & 63) === 0 && this.nodes > this.pausedAt && pause()) {
          this.pausedAt = this.nodes; // resume here without asking again
          return 'paused';
        }
        this.needEnter = false;
        const entered = this.enter(this.frames.length);
        if (entered === 'yes' || entered === 'stopped') return entered;
      }
      const f = this.frames[this.frames.length - 1];
      if (f === undefined) return 'no';
      if (f.current >= 0) {
        // The child failed: undo it and exclude its site for the later children.
        this.chosen.pop();
        this.choose(f.current, -1);
        this.excluded[f.current]!++;
        f.tried.push(f.current);
        f.current = -1;
      }
      if (f.next >= f.cands.length) {
        for (const s of f.tried) this.excluded[s]!--;
        this.frames.pop();
        continue;
      }
      const s = f.cands[f.next++]!;
      this.choose(s, 1);
      this.chosen.push(s);
      f.current = s;
      this.needEnter = true;
    }
  }

  /** Examines the node at the end of the current path: solved, pruned ('fail'), or opened as a frame. */
  private enter(depth: number): 'yes' | 'fail' | 'open' | 'stopped' {
    if (this.uncovered === 0) return 'yes';
    if (++this.nodes > this.budget || ((this.nodes & 1023) === 0 && this.stop())) return 'stopped';
    const left = this.K - depth;
    if (left <= 0 || this.packing(left) > left) return 'fail';
    this.frames.push({ cands: this.candidates(this.branchClient()), next: 0, current: -1, tried: [] });
    return 'open';
  }
}
