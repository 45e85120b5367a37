import type { Steps } from '@emplace/core';
import { dinicAdvance, dinicResult, dinicState } from '@emplace/graph';
import type { McfObjective } from './mcf-lp.js';
import type { McfProblem } from './traffic.js';

/**
 * The units of the MCF arc LP (issue 13 audit: a capacity of 1e15 next to a demand of 12 set
 * the flow scale, the demands fell below HiGHS's tolerances and the LP "routed" them with
 * nothing: objective 0 claimed optimal; the concurrent LP said unbounded). Flows are
 * measured in a power of two near the largest demand and the largest capacity that can
 * matter, and lambda in a power of two near its own upper bound.
 */

/** The power of two nearest to x (1 when x is 0 or not finite). */
export const nearPowerOfTwo = (x: number): number => (x > 0 && x < Infinity ? 2 ** Math.round(Math.log2(x)) : 1);

/** Capacities spanning more than this ratio get the max-flow bound on lambda (below it the source bound's scale is fine). */
const WIDE_CAPACITY_RANGE = 1e3;
/** Dinic steps between checkpoints. */
const MAXFLOW_BUDGET = 20_000;

/**
 * An upper bound on lambda in the max-concurrent LP (Infinity when no demand is positive):
 * each commodity's lambda x demand leaves its source through the edges at it; when the
 * capacities span a wide range, the max flow of each source-sink pair over its total demand
 * (within a factor K of lambda itself: each commodity can route its share of every
 * capacity), computed by Dinic in steps. `stop` cuts the max flows short; the source bound
 * then stands.
 */
export function* lambdaCeilingSteps(p: McfProblem, stop: () => boolean): Steps<number> {
  const g = p.graph;
  let ceiling = Infinity;
  let lo = Infinity;
  let hi = 0;
  for (let e = 0; e < g.m; e++) {
    const c = p.capacity[e]!;
    if (c > 0 && c < Infinity) {
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
  }
  const pairDemand = new Map<number, number>();
  for (let k = 0; k < p.demand.length; k++) {
    const d = p.demand[k]!;
    if (!(d > 0)) continue;
    const s = p.source[k]!;
    let out = 0;
    for (let q = g.offsets[s]!; q < g.offsets[s + 1]!; q++) out += p.capacity[g.adjEdge[q]!]!;
    ceiling = Math.min(ceiling, out / d);
    const key = s * g.n + p.sink[k]!;
    pairDemand.set(key, (pairDemand.get(key) ?? 0) + d);
  }
  if (!(hi > WIDE_CAPACITY_RANGE * lo) || ceiling === Infinity) return ceiling;
  for (const [key, d] of pairDemand) {
    const st = dinicState(g, Math.floor(key / g.n), key % g.n, { capacities: p.capacity });
    while (!dinicAdvance(st, MAXFLOW_BUDGET)) {
      yield;
      if (stop()) return ceiling;
    }
    ceiling = Math.min(ceiling, dinicResult(st).value / d);
    yield;
    if (stop()) return ceiling;
  }
  return ceiling;
}

/**
 * The capacity each edge's row gets: its own, capped at twice the most flow any edge can
 * carry (all demands, times lambda's ceiling for max-concurrent). The cap changes no
 * feasible flow and leaves the capped rows slack (dual 0, as the true ones), but keeps a
 * huge capacity from setting the flow scale.
 */
export function capacityCeiling(p: McfProblem, objective: McfObjective, lambdaMax: number): number {
  let total = 0;
  for (let k = 0; k < p.demand.length; k++) total += Math.max(0, p.demand[k]!);
  if (!(total > 0)) return Infinity;
  return 2 * total * (objective === 'max-concurrent' ? lambdaMax : 1);
}

/**
 * A power of two near the largest flow a commodity can route and the largest (capped)
 * capacity (1 when all are zero). For max-concurrent a commodity routes at most lambda's
 * ceiling times its demand: with capacities of 1e-12 and demands of 12, measuring flows in
 * demand units put every capacity and lambda's coefficients below HiGHS's small-value cut
 * (lambda then had no row left and the LP said unbounded; issue 13 audit).
 * Module sizes do not count: a module far above the flows is a large coefficient of an
 * integer column, which HiGHS handles, where flows far below the scale would fall inside
 * its tolerances.
 */
export function flowScaleOf(p: McfProblem, capCeiling: number, lambdaMax = 1): number {
  const perDemand = lambdaMax > 0 && lambdaMax < Infinity ? lambdaMax : 1;
  let largest = 0;
  for (let k = 0; k < p.demand.length; k++) largest = Math.max(largest, p.demand[k]! * perDemand);
  for (let e = 0; e < p.capacity.length; e++) largest = Math.max(largest, Math.min(capCeiling, p.capacity[e]!));
  return nearPowerOfTwo(largest);
}
