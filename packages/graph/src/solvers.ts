import { checkModelShape, ModelError, runStepsAsync, runStepsUnlessStopped, SolveRun, yieldToEventLoop, type Graph, type Result, type SolveOptions } from '@emplace/core';
import { dinicAdvance, dinicResultSteps, dinicStateSteps, type MaxFlowResult } from './maxflow.js';
import { kruskalSteps, primSteps, type SpanningForest } from './mst.js';

function requireGraph(model: unknown): Graph {
  const g = model as Graph | null;
  if (!g || g.kind !== 'graph') throw new ModelError('model', 'must be a Graph (createGraph / fromEdgeList)');
  // A hand-built or mutated graph (edgeW a string, n = -Infinity, adjNode = null) is refused with the field named.
  checkModelShape(g);
  return g;
}

export interface MstSolveOptions extends SolveOptions {
  algorithm?: 'kruskal' | 'prim' | 'auto';
}

/**
 * Minimum spanning tree/forest as a Result envelope (family 'mst'): `objective` is the
 * recomputed forest weight; the result is `optimal` (MST algorithms are exact).
 */
export async function solveMst(model: Graph, options: MstSolveOptions = {}): Promise<Result<SpanningForest>> {
  const g = requireGraph(model);
  const requested = options.algorithm ?? (options.method && options.method !== 'auto' ? options.method : 'auto');
  const algorithm = requested === 'auto' ? (g.m > g.n * Math.log2(Math.max(2, g.n)) ? 'prim' : 'kruskal') : requested;
  if (algorithm !== 'kruskal' && algorithm !== 'prim') throw new ModelError('options.algorithm', `must be 'kruskal' or 'prim', got ${JSON.stringify(requested)}`);
  const run = new SolveRun(options, `mst:${algorithm}`, 'min');
  // Called directly (not through the registry, whose check this one then skips), the shape
  // check above reads every array of the graph (15-20 ms on CPU on a million edges): the
  // event loop gets its turn first.
  await yieldToEventLoop();
  // Yields to the event loop every 10 ms; a stopped run has only part of a forest.
  const stop = { shouldStop: () => run.shouldStop() };
  const forest = await runStepsAsync(algorithm === 'prim' ? primSteps(g, stop) : kruskalSteps(g, stop), run);
  if (!forest) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  let weight = 0;
  // An indexed loop: the typed-array iterator was most of a ~20 ms stretch on 200k edges (cold code).
  for (let k = 0; k < forest.edges.length; k++) weight += g.edgeW[forest.edges[k]!]!;
  return run.solved({
    solution: { ...forest, weight },
    objective: weight,
    proven: true,
    guarantee: { kind: 'exact' },
    stats: { components: forest.components, edges: forest.edges.length },
    warnings: forest.components > 1 ? [`graph has ${forest.components} components: a spanning forest is returned`] : undefined,
  });
}

export interface MaxFlowSolveOptions extends SolveOptions {
  /** Source node: index or id. */
  source?: number | string;
  /** Sink node: index or id. */
  sink?: number | string;
  directed?: boolean;
}

function resolveNode(g: Graph, field: string, x: unknown): number {
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < g.n) return x;
  if (typeof x === 'string') {
    const at = g.ids.indexOf(x);
    if (at >= 0) return at;
    // A digit string that is not an id reads as an index, unless the graph's ids are
    // themselves digit strings (DIMACS-style "1".."n"): then "0" naming index 0 (node "1")
    // would silently answer for another node than the caller meant, so it is refused.
    if (/^\d+$/.test(x) && Number(x) < g.n && !g.ids.some((id) => /^\d+$/.test(id))) return Number(x);
  }
  throw new ModelError(`options.${field}`, `must be a node index or id of the graph, got ${JSON.stringify(x)}`);
}

/**
 * Maximum s-t flow with its minimum cut as a Result envelope (family 'maxflow', sense
 * max): `objective` is the flow value, `bound` the cut capacity (equal: optimal).
 */
export async function solveMaxFlow(model: Graph, options: MaxFlowSolveOptions = {}): Promise<Result<MaxFlowResult>> {
  const g = requireGraph(model);
  const run = new SolveRun(options, 'maxflow:dinic', 'max');
  const s = resolveNode(g, 'source', options.source);
  const t = resolveNode(g, 'sink', options.sink);
  // The residual network in steps: on a 600 x 600 grid its two passes were one 20-25 ms
  // stretch on CPU after the registry's shape check (issue 13).
  // A stop while it is built abandons it: the answer is then the zero flow and the cut around s.
  const state = await runStepsUnlessStopped(dinicStateSteps(g, s, t, { directed: options.directed }), run);
  if (!state) return stoppedBeforeFlow(run, g, s, options.directed === true);
  // About 2^16 units of work (arcs scanned, path steps) between checkpoints, about a ms;
  // the flow is valid at each one.
  let finished = false;
  while (!(await run.tick()) && !(finished = dinicAdvance(state, 1 << 16)));
  const r = await runStepsAsync(dinicResultSteps(state), run);
  const { value, sourceSide } = answerCounts(g, s, r);
  // Optimality is proven by the cut only when flow value and cut capacity agree (max-flow
  // min-cut); a disagreement (float rounding on extreme capacities) is reported, not hidden.
  const agree = finished && Math.abs(value - r.cutCapacity) <= 1e-9 * Math.max(1, Math.abs(r.cutCapacity));
  // Stopped early: the flow is feasible; the residual cut bounds the optimum only if it separates t.
  const separates = r.cut[t] === 0;
  return run.solved({
    solution: { ...r, value },
    objective: value,
    ...(separates ? { bound: r.cutCapacity } : {}),
    proven: agree,
    guarantee: { kind: 'exact' },
    stats: { cutEdges: r.cutEdges.length, sourceSide },
  });
}

/**
 * The flow value recomputed from the edge flows (net outflow of s, read off s's own edges:
 * O(deg s), not a pass over every edge) and the size of the source side.
 */
function answerCounts(g: Graph, s: number, r: MaxFlowResult): { value: number; sourceSide: number } {
  let value = 0;
  for (let k = g.offsets[s]!; k < g.offsets[s + 1]!; k++) {
    const e = g.adjEdge[k]!;
    value += g.edgeU[e] === s ? r.flow[e]! : -r.flow[e]!;
  }
  let sourceSide = 0;
  for (let v = 0; v < g.n; v++) sourceSide += r.cut[v]!;
  return { value, sourceSide };
}

/**
 * The answer of a run stopped before its residual network was built: the zero flow and the
 * cut {s} (an s-t cut, so its capacity is a bound), read off s's adjacency alone instead of
 * finishing an O(m) setup and result after the stop (issue 13: an abort during the setup of a
 * 424 x 424 grid was answered 33 ms on CPU after the timer).
 */
function stoppedBeforeFlow(run: SolveRun, g: Graph, s: number, directed: boolean): Result<MaxFlowResult> {
  const cut = new Uint8Array(g.n);
  cut[s] = 1;
  const cutList: number[] = [];
  let cutCapacity = 0;
  for (let k = g.offsets[s]!; k < g.offsets[s + 1]!; k++) {
    const e = g.adjEdge[k]!;
    const other = g.edgeU[e] === s ? g.edgeV[e]! : g.edgeU[e]!;
    if (other === s || (directed && g.edgeU[e] !== s)) continue;
    cutList.push(e);
    cutCapacity += g.edgeW[e]!;
  }
  const cutEdges = Int32Array.from(cutList).sort();
  return run.solved({
    solution: { value: 0, flow: new Float64Array(g.m), cut, cutEdges, cutCapacity },
    objective: 0,
    bound: cutCapacity,
    guarantee: { kind: 'exact' },
    stats: { cutEdges: cutEdges.length, sourceSide: 1 },
  });
}
