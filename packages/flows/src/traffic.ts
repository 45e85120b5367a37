import { ModelError, type Graph, type Steps } from '@emplace/core';

/** One traffic demand: `demand` units from `source` to `sink`. */
export interface Commodity {
  source: number | string;
  sink: number | string;
  demand: number;
  /**
   * Cost multiplier per unit of link cost (the class's priority/price): a control-plane
   * class may pay 10 per unit of latency where bulk data pays 1. Default 1.
   */
  weight?: number;
  /** Traffic class label (e.g. 'control', 'data', 'mesh'), carried into the result. */
  class?: string;
  name?: string;
}

export interface McfInput {
  graph: Graph;
  commodities: readonly Commodity[];
  /** Capacity per edge, shared by both directions and by all commodities; default the edge weights. */
  capacity?: ArrayLike<number>;
  /** Cost per unit of flow per edge (e.g. latency); default 1 (hop count). */
  cost?: ArrayLike<number>;
}

/**
 * A multi-commodity flow problem on the undirected Graph: commodities share each link's
 * capacity in both directions (full-duplex links would be modelled as two graphs' worth of
 * arcs; inter-cluster links are usually provisioned as one shared pipe).
 */
export interface McfProblem {
  readonly kind: 'mcf';
  readonly graph: Graph;
  readonly capacity: Float64Array;
  readonly cost: Float64Array;
  readonly source: Int32Array;
  readonly sink: Int32Array;
  readonly demand: Float64Array;
  readonly weight: Float64Array;
  readonly classes: readonly (string | undefined)[];
  readonly names: readonly string[];
}

function node(g: Graph, field: string, x: unknown): number {
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < g.n) return x;
  if (typeof x === 'string') {
    const i = g.ids.indexOf(x);
    if (i >= 0) return i;
  }
  throw new ModelError(field, `must be a node id or index of the graph, got ${JSON.stringify(x)}`);
}

/** Validates and freezes an MCF problem; errors name the field (`commodities[3].sink`, `capacity[7]`). */
export function createMcfProblem(input: McfInput): McfProblem {
  const g = input.graph;
  if (!g || g.kind !== 'graph') throw new ModelError('graph', 'must be a Graph');
  const cap = Float64Array.from(input.capacity ?? g.edgeW);
  if (cap.length !== g.m) throw new ModelError('capacity', `must have ${g.m} entries (one per edge), got ${cap.length}`);
  const cost = input.cost ? Float64Array.from(input.cost) : new Float64Array(g.m).fill(1);
  if (cost.length !== g.m) throw new ModelError('cost', `must have ${g.m} entries (one per edge), got ${cost.length}`);
  for (let e = 0; e < g.m; e++) {
    if (!(cap[e]! >= 0) || !Number.isFinite(cap[e]!)) throw new ModelError(`capacity[${e}]`, `must be finite and >= 0, got ${cap[e]}`);
    if (!(cost[e]! >= 0) || !Number.isFinite(cost[e]!)) throw new ModelError(`cost[${e}]`, `must be finite and >= 0, got ${cost[e]}`);
  }
  if (!Array.isArray(input.commodities)) throw new ModelError('commodities', 'must be an array of {source, sink, demand}');
  const K = input.commodities.length;
  const source = new Int32Array(K);
  const sink = new Int32Array(K);
  const demand = new Float64Array(K);
  const weight = new Float64Array(K);
  const classes: (string | undefined)[] = [];
  const names: string[] = [];
  input.commodities.forEach((c, k) => {
    const f = `commodities[${k}]`;
    if (!c || typeof c !== 'object') throw new ModelError(f, 'must be an object {source, sink, demand}');
    source[k] = node(g, `${f}.source`, c.source);
    sink[k] = node(g, `${f}.sink`, c.sink);
    if (source[k] === sink[k]) throw new ModelError(`${f}.sink`, `equals the source (${JSON.stringify(c.source)})`);
    if (!(c.demand >= 0) || !Number.isFinite(c.demand)) throw new ModelError(`${f}.demand`, `must be finite and >= 0, got ${String(c.demand)}`);
    demand[k] = c.demand;
    const w = c.weight ?? 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new ModelError(`${f}.weight`, `must be finite and >= 0, got ${String(w)}`);
    weight[k] = w;
    classes.push(c.class);
    names.push(c.name ?? `${g.ids[source[k]!]}->${g.ids[sink[k]!]}${c.class ? `:${c.class}` : ''}`);
  });
  return { kind: 'mcf', graph: g, capacity: cap, cost, source, sink, demand, weight, classes, names };
}

/**
 * Commodities grouped by (source, weight): in an LP, one flow per group carries all its
 * commodities exactly (a single-source flow to several sinks decomposes into paths to
 * each sink), which divides the model size by up to the number of sinks per source.
 */
export interface CommodityGroups {
  count: number;
  /** group of each commodity */
  of: Int32Array;
  source: Int32Array;
  weight: Float64Array;
  /** commodities of group j: members[start[j] .. start[j+1]) */
  start: Int32Array;
  members: Int32Array;
}

export function groupCommodities(p: McfProblem, bySourceOnly = false): CommodityGroups {
  const K = p.demand.length;
  const key = new Map<string, number>();
  const of = new Int32Array(K);
  const src: number[] = [];
  const wt: number[] = [];
  for (let k = 0; k < K; k++) {
    const id = bySourceOnly ? `${p.source[k]}` : `${p.source[k]}|${p.weight[k]}`;
    let j = key.get(id);
    if (j === undefined) {
      j = src.length;
      key.set(id, j);
      src.push(p.source[k]!);
      wt.push(p.weight[k]!);
    }
    of[k] = j;
  }
  const count = src.length;
  const start = new Int32Array(count + 1);
  for (let k = 0; k < K; k++) start[of[k]! + 1]!++;
  for (let j = 0; j < count; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, count);
  const members = new Int32Array(K);
  for (let k = 0; k < K; k++) members[fill[of[k]!]!++] = k;
  return { count, of, source: Int32Array.from(src), weight: Float64Array.from(wt), start, members };
}

/**
 * K zeroed rows of m edge flows, all views of one buffer: one allocation instead of K
 * (1140 separate 25 kB Float64Arrays took 60 ms in one stretch, issue 13; one large
 * buffer is zeroed lazily by the OS).
 */
export function edgeFlowRows(K: number, m: number): Float64Array[] {
  const all = new Float64Array(K * m);
  const rows: Float64Array[] = new Array(K);
  for (let k = 0; k < K; k++) rows[k] = all.subarray(k * m, (k + 1) * m);
  return rows;
}

/**
 * Writes zeros over the rows' buffer in chunks of 2^16 entries (512 kB), a step each. A
 * fresh 28 MB buffer is zero pages the OS maps on first touch: touched all at once by the
 * final scaling or summary that was a 100+ ms stretch under load (issue 13), so the pages
 * are faulted in here, in steps, before the work starts.
 */
export function* touchFlowRows(rows: Float64Array[]): Steps<void> {
  if (rows.length === 0) return;
  const flat = new Float64Array(rows[0]!.buffer);
  for (let at = 0; at < flat.length; at += TOUCH_CHUNK) {
    flat.fill(0, at, Math.min(flat.length, at + TOUCH_CHUNK));
    yield;
  }
}
export const TOUCH_CHUNK = 1 << 16;

export interface McfPath {
  /** Node ids from source to sink. */
  nodes: string[];
  amount: number;
}

/**
 * Splits a group's arc flow (arcs 2e: u -> v, 2e + 1: v -> u) into one flow per member
 * commodity: repeatedly a depth-first path from the source along arcs with flow left to a
 * member sink still owed flow, carrying min(bottleneck, owed). Fills `perCommodity[k]`
 * (signed per edge) and returns the paths per commodity.
 */
export function decomposeGroup(
  p: McfProblem,
  groups: CommodityGroups,
  j: number,
  arcFlow: Float64Array,
  owed: Float64Array,
  perCommodity: Float64Array[] | undefined,
  paths: McfPath[][],
  eps: number,
): void {
  const n = p.graph.n;
  const want = new Float64Array(n);
  for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
    const k = groups.members[q]!;
    want[p.sink[k]!]! += owed[k]!;
  }
  const walk: PathSearch = {
    g: p.graph,
    s: groups.source[j]!,
    eps,
    left: Float64Array.from(arcFlow),
    want,
    predArc: new Int32Array(n),
    visited: new Int32Array(n).fill(-1),
    stack: new Int32Array(n),
    iter: new Int32Array(n),
  };
  for (let round = 0; ; round++) {
    const found = findOwedNode(walk, round);
    if (found < 0) break;
    const { nodes, amount } = withdrawPath(walk, found);
    want[found]! -= amount;
    assignPath(p, groups, j, walk, found, nodes, amount, owed, perCommodity, paths);
  }
}

/** The DFS of one group's decomposition over the arcs with flow left. */
interface PathSearch {
  readonly g: McfProblem['graph'];
  readonly s: number;
  readonly eps: number;
  /** Flow left per arc (2e: u -> v, 2e + 1: v -> u). */
  readonly left: Float64Array;
  /** Flow still owed to each node (member sinks). */
  readonly want: Float64Array;
  readonly predArc: Int32Array;
  readonly visited: Int32Array;
  readonly stack: Int32Array;
  readonly iter: Int32Array;
}

/** Depth-first from the source along arcs with flow left, to a node still owed flow; -1 if none. */
function findOwedNode(w: PathSearch, round: number): number {
  const { g, s, eps, left, want, predArc, visited, stack, iter } = w;
  let top = 0;
  stack[top++] = s;
  visited[s] = round;
  iter[s] = g.offsets[s]!;
  while (top > 0) {
    const u = stack[top - 1]!;
    if (u !== s && want[u]! > eps) return u;
    let pushed = false;
    while (iter[u]! < g.offsets[u + 1]!) {
      const slot = iter[u]!++;
      const e = g.adjEdge[slot]!;
      const v = g.adjNode[slot]!;
      const a = g.edgeU[e] === u ? 2 * e : 2 * e + 1;
      if (visited[v] !== round && left[a]! > eps) {
        visited[v] = round;
        predArc[v] = a;
        iter[v] = g.offsets[v]!;
        stack[top++] = v;
        pushed = true;
        break;
      }
    }
    if (!pushed) top--;
  }
  return -1;
}

/** Takes min(owed, bottleneck) off the arcs of the path to `found`; returns the path (source first) and the amount. */
function withdrawPath(w: PathSearch, found: number): { nodes: number[]; amount: number } {
  const { g, s, left, predArc } = w;
  const tailOf = (a: number): number => ((a & 1) === 0 ? g.edgeU[a >> 1]! : g.edgeV[a >> 1]!);
  let amount = w.want[found]!;
  for (let v = found; v !== s; v = tailOf(predArc[v]!)) amount = Math.min(amount, left[predArc[v]!]!);
  const nodes: number[] = [found];
  for (let v = found; v !== s; ) {
    const a = predArc[v]!;
    left[a]! -= amount;
    v = tailOf(a);
    nodes.push(v);
  }
  nodes.reverse();
  return { nodes, amount };
}

/** Hands a path to the member commodities that end at `found`, in order, up to what each is owed. */
function assignPath(
  p: McfProblem,
  groups: CommodityGroups,
  j: number,
  w: PathSearch,
  found: number,
  nodes: number[],
  amount: number,
  owed: Float64Array,
  perCommodity: Float64Array[] | undefined,
  paths: McfPath[][],
): void {
  let rest = amount;
  for (let q = groups.start[j]!; q < groups.start[j + 1]! && rest > w.eps; q++) {
    const k = groups.members[q]!;
    if (p.sink[k] !== found || owed[k]! <= w.eps) continue;
    const take = Math.min(rest, owed[k]!);
    owed[k]! -= take;
    rest -= take;
    paths[k]!.push({ nodes: nodes.map((v) => p.graph.ids[v]!), amount: take });
    const fk = perCommodity?.[k];
    if (fk) {
      for (let i = 0; i + 1 < nodes.length; i++) {
        const a = w.predArc[nodes[i + 1]!]!;
        fk[a >> 1]! += (a & 1) === 0 ? take : -take;
      }
    }
  }
}
