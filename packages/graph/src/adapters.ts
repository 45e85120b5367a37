import { createGraph, ModelError, type DuplicatePolicy, type Graph } from '@emplace/core';

/** An edge as a tuple `[u, v, w?]` or an object `{ source, target, weight? }`; ends are indices or ids. */
export type EdgeLike =
  | readonly [number | string, number | string, number?]
  | { readonly source: number | string; readonly target: number | string; readonly weight?: number };

export interface EdgeListOptions {
  /** Node count when ends are indices (default: 1 + the largest index). */
  n?: number;
  /** Node ids; string ends are looked up here (default: the string ends in order of first appearance). */
  nodes?: readonly string[];
  /** Parallel edges: keep (default), error, min, max, last, sum. */
  duplicates?: DuplicatePolicy;
  /** Self-loops: 'error' (default) or 'drop'. */
  selfLoops?: 'error' | 'drop';
  allowNegative?: boolean;
}

/**
 * Builds a Graph from an edge list. Numeric ends are node indices; string ends are node
 * ids (collected in order of first appearance unless `nodes` is given). A missing weight is 1.
 */
export function fromEdgeList(edges: readonly EdgeLike[], opts: EdgeListOptions = {}): Graph {
  if (!Array.isArray(edges)) throw new ModelError('edges', 'must be an array of [u, v, w?] or { source, target, weight? }');
  const tuples: [number | string, number | string, (number | undefined)?][] = new Array(edges.length);
  let hasString = false;
  let maxIndex = -1;
  for (let e = 0; e < edges.length; e++) {
    const x = edges[e] as EdgeLike | undefined;
    let t: [number | string, number | string, (number | undefined)?];
    if (Array.isArray(x)) t = [x[0], x[1], x[2]];
    else if (x && typeof x === 'object' && 'source' in x) t = [x.source, x.target, x.weight];
    else throw new ModelError(`edges[${e}]`, 'must be [u, v, w?] or { source, target, weight? }');
    for (const end of [t[0], t[1]]) {
      if (typeof end === 'string') hasString = true;
      else if (typeof end === 'number' && end > maxIndex) maxIndex = end;
    }
    tuples[e] = t;
  }
  const common = { duplicates: opts.duplicates, selfLoops: opts.selfLoops, allowNegative: opts.allowNegative };
  if (hasString || opts.nodes) {
    let nodes = opts.nodes;
    if (!nodes) {
      const seen = new Set<string>();
      for (const t of tuples) for (const end of [t[0], t[1]]) seen.add(String(end));
      nodes = [...seen];
      for (const t of tuples) {
        t[0] = String(t[0]);
        t[1] = String(t[1]);
      }
    }
    return createGraph({ nodes, edges: tuples, ...common });
  }
  return createGraph({ n: opts.n ?? maxIndex + 1, edges: tuples, ...common });
}

/**
 * The part of a graphology Graph that `fromGraphology` reads (structural: graphology is
 * not a dependency, any object with these methods works).
 */
export interface GraphologyLike {
  forEachNode(callback: (key: string, attributes: Record<string, unknown>) => void): void;
  forEachEdge(callback: (edge: string, attributes: Record<string, unknown>, source: string, target: string) => void): void;
}

export interface GraphologyOptions {
  /** Edge attribute holding the weight (default 'weight'; a missing attribute means 1), or a function, or null for unit weights. */
  weight?: string | ((attributes: Record<string, unknown>, edge: string) => number) | null;
  /** Parallel edges (graphology multigraphs, or both directions of a directed graph): default 'min'. */
  duplicates?: DuplicatePolicy;
  /** Self-loops: default 'drop'. */
  selfLoops?: 'error' | 'drop';
}

/**
 * Converts a graphology graph (or anything shaped like one) to a Graph. Node ids are the
 * graphology keys; directed edges become undirected; by default parallel edges collapse to
 * the cheapest and self-loops are dropped.
 */
export function fromGraphology(source: GraphologyLike, opts: GraphologyOptions = {}): Graph {
  if (!source || typeof source.forEachNode !== 'function' || typeof source.forEachEdge !== 'function') {
    throw new ModelError('graph', 'must have forEachNode and forEachEdge (a graphology Graph)');
  }
  const nodes: string[] = [];
  source.forEachNode((key) => {
    nodes.push(String(key));
  });
  const weight = opts.weight === undefined ? 'weight' : opts.weight;
  const edges: [string, string, number][] = [];
  source.forEachEdge((edge, attributes, s, t) => {
    let w = 1;
    if (typeof weight === 'function') w = weight(attributes, edge);
    else if (typeof weight === 'string') {
      const a = attributes[weight];
      if (a !== undefined) {
        if (typeof a !== 'number') throw new ModelError(`edges[${JSON.stringify(edge)}].${weight}`, `must be a number, got ${typeof a}`);
        w = a;
      }
    }
    edges.push([String(s), String(t), w]);
  });
  return createGraph({ nodes, edges, duplicates: opts.duplicates ?? 'min', selfLoops: opts.selfLoops ?? 'drop' });
}
