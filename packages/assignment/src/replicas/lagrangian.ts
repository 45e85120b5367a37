import type { SolveRun, Steps } from '@emplace/core';
import { greedyPlaceSteps } from './greedy.js';
import { replicaCriteria, replicaObjective } from './metrics.js';
import type { ReplicaModel } from './model.js';

/**
 * Lagrangian relaxation of the shared capacity, for batches too big for the MIP (the same
 * class of objectives as `relaxationBound`: per-replica cost/latency, every workload placed).
 * Dualising sum_w x[w][c] * request[w][d] <= free[c][d] with multipliers lambda[c][d] >= 0
 * leaves one subproblem per workload: its per-cluster bounds and survivability domain caps,
 * priced at price + lambda . request, solved exactly by cheapest-first filling (laminar caps).
 *   L(lambda) = sum_w sub_w(lambda) - sum_cd lambda_cd free_cd  <=  optimum
 * (spread, skew and re-hosting are relaxed too, so the bound stays valid). Polyak
 * subgradient steps toward the incumbent; every few steps the greedy is re-run on the
 * Lagrangian prices (a Lagrangian heuristic) and kept when it is better.
 */
export interface LagrangianOutcome {
  bound: number;
  counts: Int32Array;
  value: number;
  iterations: number;
  improved: number;
}

/**
 * In steps: a checkpoint after every subgradient iteration and inside the Lagrangian
 * heuristic's greedy (the whole relaxation was one stretch of 550-800 ms on 800 clusters x
 * 50 workloads, to the deadline, and an abort timer could not fire: issue 13, --scale 4).
 */
export function* replicaLagrangianSteps(
  m: ReplicaModel,
  active: Int32Array,
  run: SolveRun,
  start: { counts: Int32Array; value: number },
  opts: { maxIterations?: number; deadline?: number } = {},
): Steps<LagrangianOutcome | undefined> {
  const { nSites: C, nClients: W } = m.placement;
  const D = m.placement.dimensions.length;
  const maxIt = opts.maxIterations ?? 2000;
  const lambda = new Float64Array(C * D);
  const grad = new Float64Array(C * D);
  const extra = new Float64Array(W * C);
  const price = new Float64Array(C);
  const x = new Int32Array(C);
  // Per workload, its eligible clusters in price order: the multipliers move a little per
  // step, so re-sorting the previous order by insertion is nearly linear.
  const orderStart = new Int32Array(W + 1);
  for (let w = 0; w < W; w++) {
    let n = 0;
    for (let c = 0; c < C; c++) n += m.eligible[w * C + c]!;
    orderStart[w + 1] = orderStart[w]! + n;
  }
  const orders = new Int32Array(orderStart[W]!);
  for (let w = 0; w < W; w++) {
    let k = orderStart[w]!;
    for (let c = 0; c < C; c++) if (m.eligible[w * C + c]) orders[k++] = c;
  }
  let best = start.counts;
  let ub = start.value;
  let lb = -Infinity;
  let theta = 2;
  let stall = 0;
  let improved = 0;
  let it = 0;
  const tol = Math.max(run.tolerance, 1e-9);
  // Subproblem work (entries and sort moves) since the last pause.
  const work = { units: 0 };
  for (; it < maxIt; it++) {
    if (run.shouldStop() || (opts.deadline !== undefined && performance.now() >= opts.deadline)) break;
    // L(lambda) and its subgradient.
    grad.fill(0);
    let value = 0;
    for (let k = 0; k < C * D; k++) {
      const f = m.placement.capacity[k]!;
      if (f !== Infinity) {
        value -= lambda[k]! * f;
        grad[k] = -f;
      }
    }
    for (const w of active) {
      const sub = subproblem(m, w, lambda, price, orders.subarray(orderStart[w]!, orderStart[w + 1]!), x, work);
      if (sub === undefined) return undefined;
      // A pause (yield only: the stop is tested per iteration) every SUB_WORK entries and sort
      // moves: one iteration over 50 workloads x 800 clusters was a 36 ms stretch (issue 13).
      if (work.units >= SUB_WORK) {
        work.units = 0;
        yield;
      }
      value += sub;
      for (let c = 0; c < C; c++) {
        const n = x[c]!;
        if (n === 0) continue;
        for (let d = 0; d < D; d++) grad[c * D + d]! += n * m.placement.demand[w * D + d]!;
      }
    }
    if (lb === -Infinity || value > lb + 1e-12 * Math.max(1, Math.abs(lb))) {
      lb = value;
      stall = 0;
    } else if (++stall >= 15) {
      theta /= 2;
      stall = 0;
    }
    if (ub - lb <= tol * Math.max(1, Math.abs(ub))) break;
    // Lagrangian heuristic.
    if (it % 10 === 9) {
      for (const w of active) {
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += lambda[c * D + d]! * m.placement.demand[w * D + d]!;
          extra[w * C + c] = s;
        }
      }
      const g = yield* greedyPlaceSteps(m, run, extra);
      let all = true;
      for (const w of active) if (g.status[w] !== 0) all = false;
      if (all) {
        const v = replicaObjective(m, replicaCriteria(m, g.counts));
        if (v < ub - 1e-12 * Math.max(1, Math.abs(ub))) {
          ub = v;
          best = g.counts;
          improved++;
        }
      }
    }
    // Polyak step on the capacity rows (a row at lambda = 0 with slack is projected away).
    let norm = 0;
    for (let k = 0; k < C * D; k++) {
      if (lambda[k] === 0 && grad[k]! < 0) grad[k] = 0;
      norm += grad[k]! * grad[k]!;
    }
    if (norm === 0) break; // the relaxed plan fits: L = its value is the optimum of the relaxation
    const step = (theta * Math.max(ub - lb, 1e-9 * Math.max(1, Math.abs(ub)))) / norm;
    for (let k = 0; k < C * D; k++) if (m.placement.capacity[k] !== Infinity) lambda[k] = Math.max(0, lambda[k]! + step * grad[k]!);
    run.progress({ phase: 'lagrangian', incumbent: ub, bound: lb });
    yield;
  }
  return { bound: lb, counts: best, value: ub, iterations: it, improved };
}

/** Entries and insertion-sort moves between two pauses of the Lagrangian's subproblems. */
const SUB_WORK = 1 << 18;

/** min sum_c (price_c + lambda_c . request_w) x_c over lo <= x <= hi, domain caps, sum x = N; x in `x`; its entries and sort moves are added to `work.units`. */
function subproblem(m: ReplicaModel, w: number, lambda: Float64Array, price: Float64Array, sub: Int32Array, x: Int32Array, work: { units: number }): number | undefined {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const { weights } = m;
  const N = m.placement.replicas[w]!;
  x.fill(0);
  if (N === 0) return 0;
  const sv = m.survivabilityOf[w];
  const domainLeft = sv ? new Int32Array(sv.groups.length).fill(N - sv.minAvailable) : undefined;
  const n = sub.length;
  let moves = n;
  let left = N;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = sub[i]!;
    const k = w * C + c;
    let p = weights.cost * m.unitCost[k]! + weights.latency * m.unitLatency[c]!;
    for (let d = 0; d < D; d++) p += lambda[c * D + d]! * m.placement.demand[w * D + d]!;
    price[c] = p;
    const lo = m.lo[k]!;
    if (lo > 0) {
      x[c] = lo;
      total += lo * p;
      left -= lo;
      if (domainLeft) domainLeft[sv!.groupOf[c]!]! -= lo;
    }
  }
  // Insertion sort from the previous order (ties by index keep it deterministic).
  for (let i = 1; i < n; i++) {
    const c = sub[i]!;
    const pc = price[c]!;
    let j = i - 1;
    while (j >= 0 && (price[sub[j]!]! > pc || (price[sub[j]!]! === pc && sub[j]! > c))) {
      sub[j + 1] = sub[j]!;
      j--;
      moves++;
    }
    sub[j + 1] = c;
  }
  for (let i = 0; i < n && left > 0; i++) {
    const c = sub[i]!;
    const k = w * C + c;
    let take = Math.min(left, m.hi[k]! - x[c]!);
    if (domainLeft) take = Math.min(take, domainLeft[sv!.groupOf[c]!]!);
    if (take <= 0) continue;
    x[c]! += take;
    total += take * price[c]!;
    left -= take;
    if (domainLeft) domainLeft[sv!.groupOf[c]!]! -= take;
  }
  work.units += moves;
  return left > 0 ? undefined : total;
}
