import type { Graph, Steps } from '@emplace/core';
import type { DualAscentResult } from './dual-ascent.js';
import { ShortestPathHeuristic } from './heuristics.js';
import { MstWorkspace, pruneLeaves, resteinerizeSteps } from './tree.js';

/**
 * Ascend and prune (Polzin & Vahdati Daneshmand; SCIP-Jack's "ascend-and-prune"): the arcs
 * that dual ascent leaves at zero reduced cost connect its root to every terminal, and when
 * the dual bound is close to the optimum they hold a near-optimal tree. The shortest-path
 * heuristic from the dual-ascent root, with every other edge priced out of reach (its weight
 * plus the total weight of the graph), then pruning and re-steinerization on the true
 * weights, gives that tree. Returns reduced-graph edges (a Steiner tree when the graph
 * connects the terminals).
 */
export function* ascendAndPruneSteps(
  g: Graph,
  terminals: Int32Array,
  isTerminal: Uint8Array,
  da: DualAscentResult,
  shouldStop: () => boolean,
): Steps<number[]> {
  const cr = da.reducedCost;
  let total = 0;
  for (let e = 0; e < g.m; e++) total += g.edgeW[e]!;
  const penalty = total + 1;
  const w = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) w[e] = cr[2 * e] === 0 || cr[2 * e + 1] === 0 ? g.edgeW[e]! : g.edgeW[e]! + penalty;
  const grown = yield* new ShortestPathHeuristic(g).steps(terminals, da.root, w);
  yield;
  const pruned = pruneLeaves(g, grown, isTerminal);
  if (shouldStop()) return pruned;
  return yield* resteinerizeSteps(g, pruned, isTerminal, da.root, new MstWorkspace(g.n), shouldStop);
}
