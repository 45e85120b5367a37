import type { SolveRun } from '@emplace/core';
import { BipartiteFlow } from './flow.js';
import type { KCenterInstance } from './instance.js';
import type { KCenterShare, KCenterSolution } from './types.js';

/**
 * The value of a set of open sites, recomputed from the model: every client goes to its
 * nearest open site (weighted distance), the z farthest are ignored as outliers, and the
 * radius is the largest remaining distance. With capacities the assignment is the
 * bottleneck transportation problem (demand may be split when it is not a unit), solved
 * by max-flow over the sorted candidate radii.
 */
export function evaluateOpen(inst: KCenterInstance, openIn: ArrayLike<number>): KCenterSolution {
  const open = Int32Array.from(new Set(Array.from(openIn))).sort();
  if (inst.capacitated) return evaluateCapacitated(inst, open);
  const { nC, d, z } = inst;
  const best = new Float64Array(nC).fill(Infinity);
  const assignment = new Int32Array(nC).fill(-1);
  for (let a = 0; a < open.length; a++) {
    const s = open[a]!;
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      const v = d[row + j]!;
      if (v < best[j]!) {
        best[j] = v;
        assignment[j] = s;
      }
    }
  }
  let outliers = new Int32Array(0);
  const ignored = new Uint8Array(nC);
  if (z > 0) {
    const order = Int32Array.from({ length: nC }, (_, j) => j);
    // Farthest first; ties by index so the choice is deterministic.
    order.sort((a, b) => (best[b]! - best[a]! || a - b));
    outliers = order.slice(0, z).sort();
    for (let t = 0; t < z; t++) {
      assignment[order[t]!] = -1;
      ignored[order[t]!] = 1;
    }
  }
  let radius = 0;
  let critical = -1;
  for (let j = 0; j < nC; j++) {
    if (ignored[j] === 1) continue;
    if (critical === -1 || best[j]! > radius) {
      radius = best[j]!;
      critical = j;
    }
  }
  return finish(inst, open, assignment, radius, outliers, critical);
}

function finish(inst: KCenterInstance, open: Int32Array, assignment: Int32Array, radius: number, outliers: Int32Array, critical: number): KCenterSolution {
  return {
    open,
    openIds: Array.from(open, (s) => inst.model.siteIds[s]!),
    assignment,
    radius,
    outliers,
    criticalClient: critical,
  };
}

/**
 * Is there a capacity-respecting assignment of every client within radius r of `open`? A
 * client of zero demand loads no site but is still served: it needs an open site within r
 * (its nearest), as in the uncapacitated problem, where demand plays no part in the radius.
 */
export function capacitatedFeasible(inst: KCenterInstance, open: Int32Array, r: number, withParts = false): { ok: boolean; assignment: Int32Array; parts: KCenterShare[] } {
  const { nC, d, capacity, demand } = inst;
  const m = open.length;
  const src = m + nC;
  const sink = src + 1;
  const flow = new BipartiteFlow(m + nC + 2, m + nC + m * 8);
  let total = 0;
  for (let a = 0; a < m; a++) flow.addEdge(src, a, capacity[open[a]!]!);
  const pairEdges: number[] = [];
  for (let a = 0; a < m; a++) {
    const row = open[a]! * nC;
    for (let j = 0; j < nC; j++) {
      if (d[row + j]! <= r) {
        pairEdges.push(flow.addEdge(a, m + j, Infinity), a, j);
      }
    }
  }
  for (let j = 0; j < nC; j++) {
    flow.addEdge(m + j, sink, demand[j]!);
    total += demand[j]!;
  }
  const value = flow.maxFlow(src, sink);
  const assignment = new Int32Array(nC).fill(-1);
  const largest = new Float64Array(nC).fill(-1);
  // With `withParts`, every part of the flow (client, site, amount): a client's demand may be split.
  const parts: KCenterShare[] = [];
  for (let p = 0; p < pairEdges.length; p += 3) {
    const f = flow.flowOn(pairEdges[p]!);
    const j = pairEdges[p + 2]!;
    if (withParts && f > 0) parts.push({ client: j, site: open[pairEdges[p + 1]!]!, amount: f });
    if (f > largest[j]!) {
      largest[j] = f;
      assignment[j] = open[pairEdges[p + 1]!]!;
    }
  }
  let covered = true;
  for (let j = 0; j < nC; j++) {
    if (demand[j]! > 0) continue;
    let v = Infinity;
    for (let a = 0; a < m; a++) {
      const x = d[open[a]! * nC + j]!;
      if (x < v) {
        v = x;
        assignment[j] = open[a]!;
      }
    }
    if (!(v <= r)) covered = false;
  }
  return { ok: covered && value >= total * (1 - 1e-9) - 1e-9, assignment, parts };
}

function evaluateCapacitated(inst: KCenterInstance, open: Int32Array): KCenterSolution {
  const { nC, d } = inst;
  // Candidate radii: distances from the open sites; the bottleneck is one of them.
  const values: number[] = [];
  for (let a = 0; a < open.length; a++) {
    const row = open[a]! * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < Infinity) values.push(d[row + j]!);
  }
  const cand = Float64Array.from(new Set(values)).sort();
  let lo = 0;
  let hi = cand.length - 1;
  if (cand.length === 0 || !capacitatedFeasible(inst, open, cand[hi]!).ok) {
    return finish(inst, open, new Int32Array(nC).fill(-1), Infinity, new Int32Array(0), -1);
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (capacitatedFeasible(inst, open, cand[mid]!).ok) hi = mid;
    else lo = mid + 1;
  }
  const { assignment, parts } = capacitatedFeasible(inst, open, cand[lo]!, true);
  // Radius from the parts of the flow (a split client's farthest part counts, not only its
  // largest share: 1 of 4 units 2 away and 3 units 1 away is radius 2), zero-demand clients at
  // their nearest site. The flow at the least feasible radius uses an edge of that length.
  const far = new Float64Array(nC).fill(-1);
  const count = new Int32Array(nC);
  for (const part of parts) {
    far[part.client] = Math.max(far[part.client]!, d[part.site * nC + part.client]!);
    count[part.client]!++;
  }
  let radius = 0;
  let critical = -1;
  for (let j = 0; j < nC; j++) {
    const s = assignment[j]!;
    const v = far[j]! >= 0 ? far[j]! : s >= 0 ? d[s * nC + j]! : Infinity;
    if (v >= radius) {
      radius = v;
      critical = j;
    }
  }
  radius = Math.max(radius, cand[lo]!);
  const split = parts.filter((part) => count[part.client]! > 1);
  const sol = finish(inst, open, assignment, radius, new Int32Array(0), critical);
  if (split.length > 0) sol.split = split;
  return sol;
}

/**
 * A "yes" at candidate radius cand[mid] in a bisection over sorted radii, with the open
 * sites found: the incumbent improves (and is reported) when they are better, and the new
 * upper index skips the candidates at or above the incumbent's radius (never below lo).
 */
export function acceptYes(inst: KCenterInstance, run: SolveRun, best: KCenterSolution, open: ArrayLike<number>, cand: Float64Array, lo: number, mid: number): { best: KCenterSolution; hi: number } {
  const sol = evaluateOpen(inst, open);
  if (sol.radius < best.radius) {
    best = sol;
    run.incumbent(sol.radius, () => sol, true);
  }
  let hi = mid;
  while (hi > lo && cand[hi - 1]! >= best.radius) hi--;
  return { best, hi };
}
