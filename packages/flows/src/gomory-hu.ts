import { checkModelShape, ModelError, runSteps, runStepsAsync, SolveRun, type Graph, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { dinicAdvance, dinicResultSteps, dinicStateSteps } from '@emplace/graph';

/**
 * A Gomory-Hu tree of an undirected capacitated graph: n - 1 tree edges (v, parent[v])
 * such that, for every pair s, t, the minimum s-t cut value equals the smallest weight on
 * the tree path between them, and removing that tree edge splits the nodes into a
 * minimum s-t cut. Node 0 is the root (parent -1).
 */
export interface GomoryHuTree {
  readonly n: number;
  readonly ids: readonly string[];
  readonly parent: Int32Array;
  /** weight[v] = min cut between v and parent[v] (0 for the root). */
  readonly weight: Float64Array;
}

export interface GomoryHuEdge {
  /** Node ids of the graph. */
  u: string;
  v: string;
  weight: number;
}

export interface WeakCut {
  /** The tree edge whose removal gives this cut. */
  u: string;
  v: string;
  /** Capacity of the cut (the minimum cut between u and v, and between any pair it separates). */
  weight: number;
  /** The smaller side of the cut (node ids). */
  side: string[];
  /** Number of node pairs this cut is a minimum cut for (|side| x |other side|, when weights are distinct). */
  pairs: number;
}

export interface GomoryHuOptions {
  /** Edge capacities (length m); default the edge weights. */
  capacities?: ArrayLike<number>;
  /** Polled between max-flow calls; true stops the build (the tree is then undefined). */
  shouldStop?: () => boolean;
}

/**
 * Gusfield's method: n - 1 max-flow computations (Dinic from @emplace/graph) on the
 * original graph, no contractions. For s = 1..n-1 a min cut between s and its current
 * tree neighbour t = p[s]; every later node on s's side that hangs from t moves under s,
 * and when t's own parent is on s's side, s and t swap places (this keeps the tree a
 * cut tree, not only an equivalent-flow tree). Returns undefined when stopped.
 */
export function gomoryHuTree(g: Graph, opts: GomoryHuOptions = {}): GomoryHuTree | undefined {
  return runSteps(gomoryHuTreeSteps(g, opts));
}

/** Units of Dinic work (arcs scanned, path steps) between two checkpoints inside one max flow. */
const FLOW_WORK = 1 << 16;

/**
 * `gomoryHuTree` as steps: a checkpoint after every max flow and inside each one (its residual
 * network, every 2^16 units of Dinic work, its cut): one max flow on a 141 x 141 grid was a
 * 70 ms stretch of its own (issue 13, sweep --scale 2).
 */
export function* gomoryHuTreeSteps(g: Graph, opts: GomoryHuOptions = {}): Steps<GomoryHuTree | undefined> {
  const n = g.n;
  const parent = new Int32Array(n);
  const weight = new Float64Array(n);
  if (n > 0) parent[0] = -1;
  const capacities = opts.capacities ?? g.edgeW;
  for (let s = 1; s < n; s++) {
    if (s > 1) yield;
    if (opts.shouldStop?.()) return undefined;
    const t = parent[s]!;
    const state = yield* dinicStateSteps(g, s, t, { capacities });
    while (!dinicAdvance(state, FLOW_WORK)) {
      yield;
      if (opts.shouldStop?.()) return undefined;
    }
    const r = yield* dinicResultSteps(state);
    const side = r.cut; // 1 on s's side
    weight[s] = r.value;
    for (let i = 0; i < n; i++) {
      if (i !== s && side[i] === 1 && parent[i] === t) parent[i] = s;
    }
    const pt = parent[t]!;
    if (pt >= 0 && side[pt] === 1) {
      parent[s] = pt;
      parent[t] = s;
      weight[s] = weight[t]!;
      weight[t] = r.value;
    }
  }
  return { n, ids: g.ids, parent, weight };
}

function indexOf(tree: GomoryHuTree, field: string, x: number | string): number {
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < tree.n) return x;
  if (typeof x === 'string') {
    const i = tree.ids.indexOf(x);
    if (i >= 0) return i;
  }
  throw new ModelError(field, `must be a node index or id, got ${JSON.stringify(x)}`);
}

/** Depths of the tree nodes (root 0), computed by walking parents with memoisation. */
function depths(tree: GomoryHuTree): Int32Array {
  const d = new Int32Array(tree.n).fill(-1);
  const stack: number[] = [];
  for (let v = 0; v < tree.n; v++) {
    let w = v;
    while (w >= 0 && d[w] === -1) {
      stack.push(w);
      w = tree.parent[w]!;
    }
    let base = w >= 0 ? d[w]! : -1;
    while (stack.length > 0) d[stack.pop()!] = ++base;
  }
  return d;
}

/**
 * The minimum cut between nodes u and v: its value (the lightest edge on their tree path)
 * and the tree edge (child node) that realises it. O(n) per query.
 */
export function minCut(tree: GomoryHuTree, u: number | string, v: number | string): { value: number; edgeChild: number } {
  let a = indexOf(tree, 'u', u);
  let b = indexOf(tree, 'v', v);
  if (a === b) return { value: Infinity, edgeChild: -1 };
  const d = depths(tree);
  let best = Infinity;
  let child = -1;
  while (a !== b) {
    const step = d[a]! >= d[b]! ? a : b;
    if (tree.weight[step]! < best) {
      best = tree.weight[step]!;
      child = step;
    }
    if (step === a) a = tree.parent[a]!;
    else b = tree.parent[b]!;
  }
  return { value: best, edgeChild: child };
}

/** side[w] = 1 for the nodes in the subtree of `child` (removing its tree edge cuts them off). */
export function subtreeSide(tree: GomoryHuTree, child: number): Uint8Array {
  const side = new Uint8Array(tree.n);
  // A node is below `child` when its parent chain meets it; memoise per node (0 unknown, 1 in, 2 out).
  const memo = new Uint8Array(tree.n);
  memo[child] = 1;
  const stack: number[] = [];
  for (let v = 0; v < tree.n; v++) {
    let w = v;
    while (w >= 0 && memo[w] === 0) {
      stack.push(w);
      w = tree.parent[w]!;
    }
    const val = w >= 0 ? memo[w]! : 2;
    while (stack.length > 0) memo[stack.pop()!] = val;
  }
  for (let v = 0; v < tree.n; v++) side[v] = memo[v] === 1 ? 1 : 0;
  return side;
}

/** All-pairs min cut values as a dense n x n matrix (row-major), by one traversal per node: O(n^2). */
export function allPairsMinCut(tree: GomoryHuTree): Float64Array {
  const n = tree.n;
  const out = new Float64Array(n * n);
  const adjStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) if (tree.parent[v]! >= 0) {
    adjStart[v + 1]!++;
    adjStart[tree.parent[v]! + 1]!++;
  }
  for (let v = 0; v < n; v++) adjStart[v + 1]! += adjStart[v]!;
  const fill = adjStart.slice(0, n);
  const adjNode = new Int32Array(2 * Math.max(0, n - 1));
  const adjW = new Float64Array(2 * Math.max(0, n - 1));
  for (let v = 0; v < n; v++) {
    const p = tree.parent[v]!;
    if (p < 0) continue;
    adjNode[fill[v]!] = p;
    adjW[fill[v]!++] = tree.weight[v]!;
    adjNode[fill[p]!] = v;
    adjW[fill[p]!++] = tree.weight[v]!;
  }
  const stack = new Int32Array(n);
  const seen = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    const row = s * n;
    out[row + s] = Infinity;
    let top = 0;
    stack[top++] = s;
    seen[s] = s;
    while (top > 0) {
      const u = stack[--top]!;
      for (let k = adjStart[u]!; k < adjStart[u + 1]!; k++) {
        const w = adjNode[k]!;
        if (seen[w] === s) continue;
        seen[w] = s;
        out[row + w] = Math.min(u === s ? Infinity : out[row + u]!, adjW[k]!);
        stack[top++] = w;
      }
    }
  }
  return out;
}

/** The tree edges as {u, v, weight} with node ids, child first. */
export function treeEdges(tree: GomoryHuTree): GomoryHuEdge[] {
  const out: GomoryHuEdge[] = [];
  for (let v = 0; v < tree.n; v++) {
    const p = tree.parent[v]!;
    if (p >= 0) out.push({ u: tree.ids[v]!, v: tree.ids[p]!, weight: tree.weight[v]! });
  }
  return out;
}

/** The k weakest cuts of the network (lightest tree edges first), each with its smaller side. */
export function weakestCuts(tree: GomoryHuTree, k = 10): WeakCut[] {
  const children: number[] = [];
  for (let v = 0; v < tree.n; v++) if (tree.parent[v]! >= 0) children.push(v);
  children.sort((a, b) => tree.weight[a]! - tree.weight[b]! || a - b);
  return children.slice(0, Math.max(0, k)).map((c) => {
    const side = subtreeSide(tree, c);
    const inside: string[] = [];
    const outside: string[] = [];
    for (let v = 0; v < tree.n; v++) (side[v] ? inside : outside).push(tree.ids[v]!);
    const small = inside.length <= outside.length ? inside : outside;
    return { u: tree.ids[c]!, v: tree.ids[tree.parent[c]!]!, weight: tree.weight[c]!, side: small, pairs: inside.length * outside.length };
  });
}

export interface GomoryHuSolveOptions extends SolveOptions {
  /** How many weakest cuts to list (default 10). */
  weakest?: number;
}

export interface GomoryHuSolution {
  /** The n - 1 tree edges {u, v, weight} with the graph's node ids. */
  tree: GomoryHuEdge[];
  /** The weakest cuts, lightest first. */
  weakest: WeakCut[];
  /** The tree itself (parent / weight arrays) for min-cut queries. */
  gomoryHu: GomoryHuTree;
}

/**
 * All-pairs minimum cuts (family 'gomoryhu'): the Gomory-Hu tree of an undirected graph
 * with capacities = edge weights. `objective` is the global minimum cut (the lightest
 * tree edge; 0 when the graph is disconnected), exact.
 */
export async function solveGomoryHu(model: Graph, options: GomoryHuSolveOptions = {}): Promise<Result<GomoryHuSolution>> {
  const run = new SolveRun(options, 'gomoryhu:gusfield', 'min');
  if (!model || model.kind !== 'graph') throw new ModelError('model', 'must be a Graph (createGraph / fromEdgeList)');
  checkModelShape(model);
  const g = model;
  for (let e = 0; e < g.m; e++) {
    const w = g.edgeW[e]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new ModelError(`edges[${e}].weight`, `is a capacity: must be finite and >= 0, got ${w}`);
  }
  const weakest = options.weakest ?? 10;
  if (!Number.isInteger(weakest) || weakest < 0) throw new ModelError('options.weakest', `must be a non-negative integer, got ${String(weakest)}`);
  if (g.n < 2) throw new ModelError('model', `needs at least 2 nodes, got ${g.n}`);
  const tree = await runStepsAsync(gomoryHuTreeSteps(g, { shouldStop: () => run.shouldStop() }), run);
  const guarantee = { kind: 'exact' } as const;
  if (!tree) return run.unsolved({ status: 'no-solution', guarantee, stats: { nodes: g.n, edges: g.m } });
  let globalMin = Infinity;
  for (let v = 1; v < g.n; v++) globalMin = Math.min(globalMin, tree.weight[v]!);
  return run.solved({
    solution: { tree: treeEdges(tree), weakest: weakestCuts(tree, weakest), gomoryHu: tree },
    objective: globalMin,
    proven: true,
    guarantee,
    iterations: g.n - 1,
    stats: { nodes: g.n, edges: g.m, maxFlows: g.n - 1 },
  });
}
