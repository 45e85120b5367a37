import { FormatError, checkMemory, createGraph, createPlacementModel, shortestPathClosure, shortestPathClosureSteps, type Graph, type PlacementModel, type Steps } from '@emplace/core';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { sourceOf, type ReadOptions } from './read-options.js';
import { TokenReader, sourceAt } from './tokens.js';

export interface OrlibPmedInstance {
  name: string;
  /** Number of vertices. */
  n: number;
  /** Number of medians (centres) to open, from the header. */
  p: number;
  /** The graph with duplicated edges collapsed (the last occurrence wins), ids "1".."n". */
  graph: Graph;
  /** n x n all-pairs shortest-path distances, row-major. */
  distances: Float64Array;
  /** sites = clients = vertices, cost = distances, unit demand, no opening cost. */
  model: PlacementModel;
}

/**
 * Reads an OR-Library p-median file (`pmed1`..`pmed40`): `n m p`, then m edge lines
 * `i j cost` (1-based, undirected).
 *
 * OR-Library's rule: c(i, j) = Infinity, c(i, i) = 0, then the edge lines are applied in
 * order, each overwriting c(i, j) = c(j, i); so the LAST occurrence of a duplicated edge
 * wins (not the minimum), and only then are shortest paths taken (Floyd-Warshall). Every
 * public pmed file has duplicates with different costs, so the rule changes the optima.
 * A disconnected graph (an infinite distance) is a FormatError naming a pair.
 */
export function readOrlibPmed(text: string, options: ReadOptions = {}): OrlibPmedInstance {
  const parsed = readSync(parsePmed(text, options));
  return finishPmed(parsed, shortestPathClosure(parsed.direct, parsed.n), options);
}

/**
 * readOrlibPmed giving the event loop a turn during the parse and the O(n^3) distance closure
 * (half a second for pmed25), so a signal is seen: it throws a ReadAbortedError when `signal`
 * aborts.
 */
export function readOrlibPmedAsync(text: string, options: ReadOptions & AsyncReadOptions = {}): Promise<OrlibPmedInstance> {
  return readAsync(readOrlibPmedSteps(text, options), 'the pmed file', options);
}

function* readOrlibPmedSteps(text: string, options: ReadOptions): Steps<OrlibPmedInstance> {
  const parsed = yield* parsePmed(text, options);
  const distances = yield* shortestPathClosureSteps(parsed.direct, parsed.n);
  return finishPmed(parsed, distances, options);
}

interface ParsedPmed {
  source: ReturnType<typeof sourceOf>;
  n: number;
  p: number;
  direct: Float64Array;
  eu: Int32Array;
  ev: Int32Array;
  ew: Float64Array;
}

/** The header and edge lines, checked, as the direct-link matrix (before shortest paths). */
function* parsePmed(text: string, options: ReadOptions): Steps<ParsedPmed> {
  const source = sourceOf(options);
  const tr = new TokenReader(text, source);
  const n = tr.integer('the number of vertices n', 1);
  const m = tr.count('the number of edges m', 0, 3);
  const headerLine = tr.line;
  const p = tr.integer('the number of medians p', 1);
  if (p > n) throw tr.error(`p = ${p} exceeds the number of vertices n = ${n}`);
  // Before the n x n matrix is allocated: a damaged n (1e300) was a RangeError.
  checkMemory('the orlib-pmed reader', `the ${n} x ${n} distance matrix (2 copies)`, 16 * n * n);
  const direct = new Float64Array(n * n).fill(Infinity);
  for (let v = 0; v < n; v++) direct[v * n + v] = 0;
  const eu = new Int32Array(m);
  const ev = new Int32Array(m);
  const ew = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    if ((e & 4095) === 0) yield;
    const i = tr.integer(`the first vertex of edge ${e + 1} of ${m}`, 1);
    if (i > n) throw tr.error(`vertex ${i} of edge ${e + 1} exceeds n = ${n}`);
    const j = tr.integer(`the second vertex of edge ${e + 1} of ${m}`, 1);
    if (j > n) throw tr.error(`vertex ${j} of edge ${e + 1} exceeds n = ${n}`);
    const w = tr.number(`the cost of edge ${e + 1} of ${m}`);
    if (w < 0) throw tr.error(`cost of edge ${e + 1} is negative (${w})`);
    eu[e] = i - 1;
    ev[e] = j - 1;
    ew[e] = w;
    if (i !== j) {
      direct[(i - 1) * n + (j - 1)] = w;
      direct[(j - 1) * n + (i - 1)] = w;
    }
  }
  if (!tr.atEnd()) {
    const extra = tr.next()!;
    throw tr.error(`unexpected token ${JSON.stringify(extra)} after the ${m} edges announced on line ${headerLine}`);
  }
  return { source, n, p, direct, eu, ev, ew };
}

/** Shortest-path distances checked for connectivity, then the graph and the placement model. */
function finishPmed(parsed: ParsedPmed, distances: Float64Array, options: ReadOptions): OrlibPmedInstance {
  const { source, n, p, eu, ev, ew } = parsed;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (distances[i * n + j] === Infinity) {
        throw new FormatError(`the graph is disconnected: no path between vertices ${i + 1} and ${j + 1}, so p-median distances are undefined`, sourceAt(source));
      }
    }
  }
  const ids = Array.from({ length: n }, (_, v) => String(v + 1));
  const graph = createGraph({ nodes: ids, edges: { u: eu, v: ev, w: ew }, duplicates: 'last', selfLoops: 'drop' });
  const model = createPlacementModel({
    sites: ids.map((id) => ({ id })),
    clients: ids.map((id) => ({ id })),
    cost: distances,
  });
  return { name: options.name ?? 'pmed', n, p, graph, distances, model };
}

/** Writes a graph and p in the OR-Library pmed layout (1-based vertices, one edge per line). */
export function writeOrlibPmed(graph: Graph, p: number): string {
  const out: string[] = [` ${graph.n} ${graph.m} ${p}`];
  for (let e = 0; e < graph.m; e++) out.push(` ${graph.edgeU[e]! + 1} ${graph.edgeV[e]! + 1} ${graph.edgeW[e]}`);
  return out.join('\n') + '\n';
}
