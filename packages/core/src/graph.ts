import { ModelError } from './errors.js';
import { describe, indexIds, requireInteger } from './validate.js';

/**
 * The network model (DESIGN.md §2): an undirected weighted graph in CSR form.
 *
 * Edges are stored once in `edgeU/edgeV/edgeW` (edge e joins edgeU[e] and edgeV[e]);
 * the adjacency of node v is `adjNode/adjEdge/adjWeight[offsets[v] .. offsets[v+1])`,
 * every edge appearing in the lists of both its ends. All arrays are typed arrays so
 * hot loops never touch objects.
 */
export interface Graph {
  readonly kind: 'graph';
  readonly n: number;
  readonly m: number;
  /** Node ids (the file's names or "0".."n-1"). */
  readonly ids: readonly string[];
  readonly edgeU: Int32Array;
  readonly edgeV: Int32Array;
  readonly edgeW: Float64Array;
  readonly offsets: Int32Array;
  readonly adjNode: Int32Array;
  readonly adjEdge: Int32Array;
  readonly adjWeight: Float64Array;
}

/**
 * A directed flow network: the shared Graph is undirected, but min-cost flow needs arcs
 * with a direction, a lower bound, a capacity and a cost, and nodes with a supply (> 0)
 * or a demand (< 0). Arrays are typed and indexed by arc / node. Built by @emplace/flows,
 * read from DIMACS by @emplace/io.
 */
export interface FlowNetwork {
  readonly kind: 'flow-network';
  readonly n: number;
  readonly m: number;
  /** Node ids (the file's names or "0".."n-1"). */
  readonly ids: readonly string[];
  /** 0-based arc ends. */
  readonly tail: Int32Array;
  readonly head: Int32Array;
  /** Lower bound of each arc (default 0). */
  readonly lower: Float64Array;
  /** Capacity (upper bound) of each arc; `Infinity` for an uncapacitated arc. */
  readonly capacity: Float64Array;
  /** Cost per unit of flow; may be negative. */
  readonly cost: Float64Array;
  /** Supply of each node: > 0 a source, < 0 a sink (its demand is -supply). */
  readonly supply: Float64Array;
}

export type DuplicatePolicy = 'keep' | 'error' | 'min' | 'max' | 'last' | 'sum';

export interface GraphInput {
  /** Number of nodes (ids "0".."n-1"), or the node ids. One of the two is required. */
  n?: number;
  nodes?: readonly string[];
  /**
   * Edges as tuples `[u, v, w?]` (indices, or ids when `nodes` is given), or as column
   * arrays. A missing weight is 1.
   */
  edges:
    | readonly (readonly [number | string, number | string, (number | undefined)?])[]
    | { u: ArrayLike<number>; v: ArrayLike<number>; w?: ArrayLike<number> };
  /**
   * What to do with parallel edges: keep them all (a multigraph; the default), reject,
   * or collapse to the min / max / last / summed weight.
   */
  duplicates?: DuplicatePolicy | undefined;
  /** Self-loops: reject (default) or drop. */
  selfLoops?: 'error' | 'drop' | undefined;
  /** Allow negative weights (default false: weights must be finite and >= 0). */
  allowNegative?: boolean | undefined;
}

/** Builds and validates a Graph; the input is copied. */
export function createGraph(input: GraphInput): Graph {
  if (input === null || typeof input !== 'object') throw new ModelError('graph', `must be an object, got ${describe(input)}`);
  const { ids, idIndex } = nodeIds(input);
  const edges = input.edges;
  if (!edges || typeof edges !== 'object') throw new ModelError('edges', `must be an edge list, got ${describe(edges)}`);
  const n = ids.length;
  const resolve = (field: string, x: unknown): number => {
    if (typeof x === 'string') {
      const idx = idIndex?.get(x);
      if (idx === undefined) throw new ModelError(field, `names unknown node ${JSON.stringify(x)}`);
      return idx;
    }
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= n) throw new ModelError(field, `must be a node index in [0, ${n}), got ${describe(x)}`);
    return x;
  };
  const list = isEdgeList(edges) ? edgesFromTuples(edges, resolve) : edgesFromColumns(edges, resolve);
  let { us, vs, ws } = withoutSelfLoops(list, ids, input);
  const policy = input.duplicates ?? 'keep';
  if (policy !== 'keep') ({ us, vs, ws } = collapseDuplicates(us, vs, ws, policy, ids));
  return buildCsr(ids, Int32Array.from(us), Int32Array.from(vs), Float64Array.from(ws));
}

type EdgeTuples = readonly (readonly [number | string, number | string, (number | undefined)?])[];
type EdgeColumns = { u: ArrayLike<number>; v: ArrayLike<number>; w?: ArrayLike<number> };
interface EdgeArrays {
  us: Int32Array;
  vs: Int32Array;
  ws: Float64Array;
}

function isEdgeList(edges: GraphInput['edges']): edges is EdgeTuples {
  return Array.isArray(edges);
}

function nodeIds(input: GraphInput): { ids: string[]; idIndex: Map<string, number> | undefined } {
  if (input.nodes) {
    if (!Array.isArray(input.nodes)) throw new ModelError('nodes', `must be an array of ids, got ${describe(input.nodes)}`);
    const ids = [...input.nodes];
    const idIndex = indexIds('nodes', ids);
    if (input.n !== undefined && input.n !== ids.length) throw new ModelError('n', `is ${input.n} but nodes has ${ids.length} ids`);
    return { ids, idIndex };
  }
  const n = requireInteger('n', input.n, 0);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = String(i);
  return { ids, idIndex: undefined };
}

function edgesFromTuples(list: EdgeTuples, resolve: (field: string, x: unknown) => number): EdgeArrays {
  const us = new Int32Array(list.length);
  const vs = new Int32Array(list.length);
  const ws = new Float64Array(list.length);
  for (let e = 0; e < list.length; e++) {
    const t = list[e];
    if (!Array.isArray(t) || t.length < 2) throw new ModelError(`edges[${e}]`, `must be [u, v, w?], got ${describe(t)}`);
    us[e] = resolve(`edges[${e}][0]`, t[0]);
    vs[e] = resolve(`edges[${e}][1]`, t[1]);
    const w = t[2] ?? 1;
    if (typeof w !== 'number') throw new ModelError(`edges[${e}][2]`, `must be a number, got ${describe(w)}`);
    ws[e] = w;
  }
  return { us, vs, ws };
}

function edgesFromColumns(cols: EdgeColumns, resolve: (field: string, x: unknown) => number): EdgeArrays {
  const m = cols.u?.length ?? -1;
  if (m < 0 || cols.v?.length !== m) throw new ModelError('edges', 'column arrays u and v must have the same length');
  if (cols.w && cols.w.length !== m) throw new ModelError('edges.w', `must have ${m} entries, got ${cols.w.length}`);
  const us = new Int32Array(m);
  const vs = new Int32Array(m);
  const ws = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    us[e] = resolve(`edges.u[${e}]`, cols.u[e]);
    vs[e] = resolve(`edges.v[${e}]`, cols.v[e]);
    const w = cols.w ? cols.w[e] : 1;
    if (typeof w !== 'number') throw new ModelError(`edges.w[${e}]`, `must be a number, got ${describe(w)}`);
    ws[e] = w;
  }
  return { us, vs, ws };
}

/** Checks the weights and drops (or rejects) self-loops. */
function withoutSelfLoops(list: EdgeArrays, ids: readonly string[], input: GraphInput): EdgeArrays {
  const { us, vs, ws } = list;
  let keep = 0;
  for (let e = 0; e < us.length; e++) {
    const w = ws[e]!;
    if (Number.isNaN(w)) throw new ModelError(`edges[${e}] weight`, 'is NaN');
    if (!Number.isFinite(w)) throw new ModelError(`edges[${e}] weight`, `must be finite, got ${w}`);
    if (w < 0 && !input.allowNegative) throw new ModelError(`edges[${e}] weight`, `is negative (${w})`);
    if (us[e] === vs[e]) {
      if ((input.selfLoops ?? 'error') === 'error') {
        throw new ModelError(`edges[${e}]`, `is a self-loop on node ${JSON.stringify(ids[us[e]!])} (pass selfLoops: 'drop' to ignore self-loops)`);
      }
      continue;
    }
    us[keep] = us[e]!;
    vs[keep] = vs[e]!;
    ws[keep] = w;
    keep++;
  }
  return { us: us.subarray(0, keep), vs: vs.subarray(0, keep), ws: ws.subarray(0, keep) };
}

function isPlainRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function optionalField<T>(doc: Record<string, unknown>, key: string, ok: (v: unknown) => v is T, expected: string): T | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (!ok(v)) throw new ModelError(key, `must be ${expected}, got ${describe(v)}`);
  return v;
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isDuplicatePolicy = (v: unknown): v is DuplicatePolicy => v === 'keep' || v === 'error' || v === 'min' || v === 'max' || v === 'last' || v === 'sum';
const isSelfLoopPolicy = (v: unknown): v is 'error' | 'drop' => v === 'error' || v === 'drop';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/**
 * A GraphInput from a parsed JSON document (`{"kind": "graph", ...}`): checks the shape
 * of every field (errors name it) and copies the edge tuples; createGraph checks the rest.
 */
export function graphInputFromJson(doc: unknown): GraphInput {
  if (!isPlainRecord(doc)) throw new ModelError('graph', `must be an object, got ${describe(doc)}`);
  const raw = doc['edges'];
  let edges: GraphInput['edges'];
  if (Array.isArray(raw)) {
    edges = raw.map((t: unknown, e) => {
      if (!Array.isArray(t) || t.length < 2) throw new ModelError(`edges[${e}]`, `must be [u, v, w?], got ${describe(t)}`);
      const u: unknown = t[0];
      const v: unknown = t[1];
      const w: unknown = t[2];
      if (typeof u !== 'number' && typeof u !== 'string') throw new ModelError(`edges[${e}][0]`, `must be a node id or index, got ${describe(u)}`);
      if (typeof v !== 'number' && typeof v !== 'string') throw new ModelError(`edges[${e}][1]`, `must be a node id or index, got ${describe(v)}`);
      if (w !== undefined && w !== null && typeof w !== 'number') throw new ModelError(`edges[${e}][2]`, `must be a number, got ${describe(w)}`);
      return [u, v, typeof w === 'number' ? w : undefined] as const;
    });
  } else if (isPlainRecord(raw)) {
    const { u, v, w } = raw;
    if (!isNumberArray(u) || !isNumberArray(v)) throw new ModelError('edges', 'must be [u, v, w?] tuples or { u, v, w? } arrays of node indices');
    if (w !== undefined && !isNumberArray(w)) throw new ModelError('edges.w', `must be an array of numbers, got ${describe(w)}`);
    edges = { u, v, ...(w !== undefined ? { w } : {}) };
  } else {
    throw new ModelError('edges', `must be an edge list, got ${describe(raw)}`);
  }
  const n = optionalField(doc, 'n', isNumber, 'a number of nodes');
  const nodes = optionalField(doc, 'nodes', isStringArray, 'an array of node ids (strings)');
  return {
    edges,
    ...(n !== undefined ? { n } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
    duplicates: optionalField(doc, 'duplicates', isDuplicatePolicy, "'keep', 'error', 'min', 'max', 'last' or 'sum'"),
    selfLoops: optionalField(doc, 'selfLoops', isSelfLoopPolicy, "'error' or 'drop'"),
    allowNegative: optionalField(doc, 'allowNegative', isBoolean, 'true or false'),
  };
}

/** The CSR adjacency of an edge list that has already been validated. */
function buildCsr(ids: readonly string[], edgeU: Int32Array, edgeV: Int32Array, edgeW: Float64Array): Graph {
  const n = ids.length;
  const m = edgeU.length;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    offsets[edgeU[e]! + 1]!++;
    offsets[edgeV[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, n);
  const adjNode = new Int32Array(2 * m);
  const adjEdge = new Int32Array(2 * m);
  const adjWeight = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    const u = edgeU[e]!;
    const v = edgeV[e]!;
    let k = fill[u]!++;
    adjNode[k] = v;
    adjEdge[k] = e;
    adjWeight[k] = edgeW[e]!;
    k = fill[v]!++;
    adjNode[k] = u;
    adjEdge[k] = e;
    adjWeight[k] = edgeW[e]!;
  }
  return { kind: 'graph', n, m, ids, edgeU, edgeV, edgeW, offsets, adjNode, adjEdge, adjWeight };
}

function collapseDuplicates(
  us: Int32Array,
  vs: Int32Array,
  ws: Float64Array,
  policy: Exclude<DuplicatePolicy, 'keep'>,
  ids: readonly string[],
): { us: Int32Array; vs: Int32Array; ws: Float64Array } {
  const seen = new Map<number, number>();
  const n = ids.length;
  const outU: number[] = [];
  const outV: number[] = [];
  const outW: number[] = [];
  for (let e = 0; e < us.length; e++) {
    const a = Math.min(us[e]!, vs[e]!);
    const b = Math.max(us[e]!, vs[e]!);
    const key = a * n + b;
    const at = seen.get(key);
    const w = ws[e]!;
    if (at === undefined) {
      seen.set(key, outU.length);
      outU.push(us[e]!);
      outV.push(vs[e]!);
      outW.push(w);
      continue;
    }
    switch (policy) {
      case 'error':
        throw new ModelError(`edges[${e}]`, `duplicates the edge {${ids[a]}, ${ids[b]}}`);
      case 'min':
        outW[at] = Math.min(outW[at]!, w);
        break;
      case 'max':
        outW[at] = Math.max(outW[at]!, w);
        break;
      case 'last':
        outW[at] = w;
        break;
      case 'sum':
        outW[at]! += w;
        break;
    }
  }
  return { us: Int32Array.from(outU), vs: Int32Array.from(outV), ws: Float64Array.from(outW) };
}

/** Degree (number of incident edge ends) of node v. */
export function degree(g: Graph, v: number): number {
  return g.offsets[v + 1]! - g.offsets[v]!;
}

/** Sum of incident edge weights of every node. */
export function weightedDegrees(g: Graph): Float64Array {
  const out = new Float64Array(g.n);
  for (let e = 0; e < g.m; e++) {
    out[g.edgeU[e]!]! += g.edgeW[e]!;
    out[g.edgeV[e]!]! += g.edgeW[e]!;
  }
  return out;
}

/** Total weight of a set of edges (by edge index). */
export function edgeWeightSum(g: Graph, edges: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < edges.length; k++) s += g.edgeW[edges[k]!]!;
  return s;
}
