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
  const m = subset.length;
  const nSites = cp.sites.length;
  if (m === 0) return { status: 'optimal', sites: [], lowerBound: 0, value: 0 };
  if (K <= 0) return { status: 'optimal', lowerBound: 1 };
  // Local CSR: subset client -> sites, site -> subset clients.
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

  // A node costs O(incidences): large questions get fewer nodes (about workBudget steps in all).
  const budget = Math.min(nodeBudget, Math.max(100, Math.floor(workBudget / Math.max(1, cAdj.length))));
  const coverCount = new Int32Array(m); // chosen sites covering each client
  const excluded = new Int32Array(nSites); // > 0: excluded on the current path
  const mark = new Int32Array(nSites); // packing bound scratch (stamp)
  let stamp = 0;
  const chosen: number[] = [];
  let nodes = 0;
  let aborted = false;
  let uncovered = m;

  const choose = (s: number, delta: 1 | -1): void => {
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
      const q = sAdj[t]!;
      if (delta === 1) {
        if (coverCount[q]!++ === 0) uncovered--;
      } else if (--coverCount[q]! === 0) uncovered++;
    }
  };

  const orderKey = new Float64Array(m);
  /**
   * Lower bound on the sites still needed: uncovered clients with pairwise-disjoint usable
   * sites, picked greedily from the clients with the fewest usable sites; Infinity when one
   * has none.
   */
  const packing = (limit: number): number => {
    let n = 0;
    for (let q = 0; q < m; q++) {
      if (coverCount[q]! > 0) continue;
      let usable = 0;
      for (let t = cStart[q]!; t < cStart[q + 1]!; t++) if (excluded[cAdj[t]!] === 0) usable++;
      if (usable === 0) return Infinity;
      orderKey[n++] = usable * 1048576 + q;
    }
    const keys = orderKey.subarray(0, n);
    keys.sort();
    stamp++;
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
  };

  const dfs = (depth: number): boolean => {
    if (uncovered === 0) return true;
    if (++nodes > budget || ((nodes & 1023) === 0 && stop())) {
      aborted = true;
      return false;
    }
    const left = K - depth;
    if (left <= 0 || packing(left) > left) return false;
    // Branch on the uncovered client with the fewest usable sites.
    let bq = -1;
    let bUsable = Infinity;
    for (let q = 0; q < m; q++) {
      if (coverCount[q]! > 0) continue;
      let usable = 0;
      for (let t = cStart[q]!; t < cStart[q + 1]!; t++) if (excluded[cAdj[t]!] === 0) usable++;
      if (usable < bUsable) {
        bUsable = usable;
        bq = q;
        if (usable <= 1) break;
      }
    }
    // Its usable sites, the ones covering the most uncovered clients first.
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
    const order = cands.map((_, k) => k).sort((a, b) => gains[b]! - gains[a]! || cands[a]! - cands[b]!);
    const tried: number[] = [];
    let found = false;
    for (const k of order) {
      const s = cands[k]!;
      choose(s, 1);
      chosen.push(s);
      found = dfs(depth + 1);
      if (found || aborted) break;
      chosen.pop();
      choose(s, -1);
      excluded[s]!++;
      tried.push(s);
    }
    for (const s of tried) excluded[s]!--;
    return found;
  };

  const yes = dfs(0);
  if (aborted) return null;
  if (!yes) return { status: 'optimal', lowerBound: K + 1 };
  return { status: 'optimal', sites: chosen.slice(), lowerBound: 0, value: chosen.length };
}
