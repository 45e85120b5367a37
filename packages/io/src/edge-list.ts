import { FormatError, ModelError, createGraph, type DuplicatePolicy, type Graph } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { parseNumber, sourceAt } from './tokens.js';

export interface EdgeListOptions extends ReadOptions {
  /**
   * Repeated edges, including the same edge listed in both directions as SNAP does:
   * collapse to one edge keeping the `'min'` weight (the default), `'max'`, `'last'`,
   * `'sum'`, or `'keep'` them all (a multigraph).
   */
  duplicates?: DuplicatePolicy;
}

export interface EdgeListInstance {
  name: string;
  /** Node ids are the file's tokens, in order of first appearance. */
  graph: Graph;
  /** Edge lines read (excluding comments and node-only lines). */
  edgeLines: number;
  /** Self-loops `u u` dropped. */
  selfLoops: number;
  /** Edges removed by collapsing duplicates (both directions of one edge count once). */
  duplicates: number;
  /** True when at least one line carried a weight. */
  weighted: boolean;
}

/**
 * Reads a plain edge list (SNAP style): one edge `u v [weight]` per line separated by
 * spaces or tabs, LF or CRLF line ends, `#` or `%` comment lines, arbitrary node ids
 * (any token). A line with a single token declares an (isolated) node. A missing weight
 * is 1. Self-loops are dropped and counted; duplicates are collapsed (see options).
 */
export function readEdgeList(text: string, options: EdgeListOptions = {}): EdgeListInstance {
  const source = sourceOf(options);
  const index = new Map<string, number>();
  const ids: string[] = [];
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  let selfLoops = 0;
  let edgeLines = 0;
  let weighted = false;
  const node = (id: string): number => {
    let k = index.get(id);
    if (k === undefined) {
      k = ids.length;
      ids.push(id);
      index.set(id, k);
    }
    return k;
  };
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  const toks: string[] = [];
  while (pos < len) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    const line = text.slice(pos, end);
    pos = end + 1;
    const first = firstNonBlank(line);
    if (first < 0) continue;
    const c = line.charCodeAt(first);
    if (c === 35 /* # */ || c === 37 /* % */) continue;
    toks.length = 0;
    for (const t of line.split(/[ \t\r,;]+/)) if (t !== '') toks.push(t);
    if (toks.length === 1) {
      node(toks[0]!);
      continue;
    }
    if (toks.length > 3) throw new FormatError(`expected "u v" or "u v weight", got ${toks.length} fields`, sourceAt(source, lineNo));
    let w = 1;
    if (toks.length === 3) {
      const v = parseNumber(toks[2]!);
      if (v === undefined) throw new FormatError(`expected a weight (a number), got ${JSON.stringify(toks[2])}`, sourceAt(source, lineNo));
      if (v < 0) throw new FormatError(`weight is negative (${v})`, sourceAt(source, lineNo));
      w = v;
      weighted = true;
    }
    edgeLines++;
    const u = node(toks[0]!);
    const v = node(toks[1]!);
    if (u === v) {
      selfLoops++;
      continue;
    }
    us.push(u);
    vs.push(v);
    ws.push(w);
  }
  let graph: Graph;
  try {
    graph = createGraph({ nodes: ids, edges: { u: us, v: vs, w: ws }, duplicates: options.duplicates ?? 'min' });
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  return { name: options.name ?? 'edges', graph, edgeLines, selfLoops, duplicates: us.length - graph.m, weighted };
}

function firstNonBlank(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return i;
  }
  return -1;
}

export interface WriteEdgeListOptions {
  /** Write the weight column (default: only when some weight is not 1). */
  weights?: boolean;
  /** A comment line at the top (without the `#`). */
  comment?: string;
}

/**
 * Writes a graph as a tab-separated edge list of node ids, each edge once. Isolated
 * nodes are written as single-id lines so that reading the file back gives the same
 * node set. Ids must not contain whitespace, `,` or `;` and must not start with `#` or `%`.
 */
export function writeEdgeList(graph: Graph, options: WriteEdgeListOptions = {}): string {
  for (let v = 0; v < graph.n; v++) {
    const id = graph.ids[v]!;
    if (/[\s,;]/.test(id) || id.startsWith('#') || id.startsWith('%')) {
      throw new ModelError(`ids[${v}]`, `${JSON.stringify(id)} cannot be written in an edge list (whitespace, ',', ';' or a leading comment character)`);
    }
  }
  const weights = options.weights ?? graph.edgeW.some((w) => w !== 1);
  const out: string[] = [];
  out.push(`# ${options.comment ?? `emplace edge list: ${graph.n} nodes, ${graph.m} edges`}`);
  for (let v = 0; v < graph.n; v++) if (graph.offsets[v + 1] === graph.offsets[v]) out.push(graph.ids[v]!);
  for (let e = 0; e < graph.m; e++) {
    const line = `${graph.ids[graph.edgeU[e]!]}\t${graph.ids[graph.edgeV[e]!]}`;
    out.push(weights ? `${line}\t${graph.edgeW[e]}` : line);
  }
  return out.join('\n') + '\n';
}
