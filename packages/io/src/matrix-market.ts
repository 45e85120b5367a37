import { FormatError, ModelError, type DuplicatePolicy, type Graph, type Steps } from '@emplace/core';
import { EdgeColumns, graphSteps } from './graph-steps.js';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { LineCursor, parseNumber, sourceAt } from './tokens.js';

export interface MatrixMarketOptions extends ReadOptions {
  /**
   * Edge weights from the entries: `'value'` (default; a negative value is an error),
   * `'abs'` (absolute value, e.g. for Laplacian-like matrices whose off-diagonals are
   * negative) or `'unit'` (ignore values).
   */
  weights?: 'value' | 'abs' | 'unit';
  /** Entries (i, j) and (j, i) of a general matrix become one edge: keep the `'min'` (default), `'max'`, `'last'`, `'sum'` or `'keep'` both. */
  duplicates?: DuplicatePolicy;
}

export interface MatrixMarketInstance {
  name: string;
  /** Undirected weighted graph on the n = rows = cols indices (ids "1".."n"). */
  graph: Graph;
  field: 'real' | 'integer' | 'pattern';
  symmetry: 'general' | 'symmetric' | 'skew-symmetric';
  /** Entries stored in the file (nnz of the size line). */
  entries: number;
  /** Diagonal entries dropped (a graph has no self-loops). */
  diagonal: number;
}

/**
 * Reads a Matrix Market `coordinate` file (field real, integer or pattern; symmetry
 * general, symmetric or skew-symmetric) as an undirected weighted graph: entry (i, j, v)
 * with i != j is an edge {i, j}. The matrix must be square.
 */
export function readMatrixMarket(text: string, options: MatrixMarketOptions = {}): MatrixMarketInstance {
  return readSync(readMatrixMarketSteps(text, options));
}

/** readMatrixMarket giving the event loop a turn every 10 ms; throws a ReadAbortedError when `options.signal` aborts. */
export function readMatrixMarketAsync(text: string, options: MatrixMarketOptions & AsyncReadOptions = {}): Promise<MatrixMarketInstance> {
  return readAsync(readMatrixMarketSteps(text, options), 'the Matrix Market file', options);
}

function* readMatrixMarketSteps(text: string, options: MatrixMarketOptions): Steps<MatrixMarketInstance> {
  const source = sourceOf(options);
  const fail = (message: string, line: number): FormatError => new FormatError(message, sourceAt(source, line));
  // Line by line, without splitting the whole text (14 MB for a million entries) in one go.
  const lines = new LineCursor(text);
  const header = (lines.next() ?? '').replace(/^\uFEFF/, '').trim();
  const h = header.split(/\s+/).map((s) => s.toLowerCase());
  if (h[0] !== '%%matrixmarket') throw fail(`not a Matrix Market file: the first line must start with "%%MatrixMarket", got ${JSON.stringify(header.slice(0, 60))}`, 1);
  if (h[1] !== 'matrix') throw fail(`only "matrix" objects are supported, got ${JSON.stringify(h[1] ?? '')}`, 1);
  if (h[2] !== 'coordinate') throw fail(`only the "coordinate" (sparse) format can be read as a graph, got ${JSON.stringify(h[2] ?? '')}`, 1);
  const field = h[3];
  if (field !== 'real' && field !== 'integer' && field !== 'pattern') throw fail(`field must be real, integer or pattern, got ${JSON.stringify(field ?? '')}`, 1);
  const symmetry = h[4];
  if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
    throw fail(`symmetry must be general, symmetric or skew-symmetric, got ${JSON.stringify(symmetry ?? '')}`, 1);
  }
  let sizeText = lines.next();
  while (sizeText !== undefined && (sizeText.trim() === '' || sizeText.trim().startsWith('%'))) sizeText = lines.next();
  if (sizeText === undefined) throw fail('file ends before the size line "rows cols entries"', lines.index);
  const sizeLine = lines.index;
  const size = sizeText.trim().split(/\s+/).map((t) => parseNumber(t));
  if (size.length !== 3 || size.some((v) => v === undefined || !Number.isInteger(v) || v < 0)) {
    throw fail(`expected the size line "rows cols entries" (three non-negative integers), got ${JSON.stringify(sizeText.trim().slice(0, 60))}`, sizeLine);
  }
  const [rows, cols, nnz] = size as [number, number, number];
  if (rows !== cols) throw fail(`the matrix is ${rows} x ${cols}: only square matrices are graphs`, sizeLine);
  const perLine = field === 'pattern' ? 2 : 3;
  const edges = new EdgeColumns();
  let diagonal = 0;
  let read = 0;
  const mode = options.weights ?? 'value';
  for (let line = lines.next(); line !== undefined; line = lines.next()) {
    if ((lines.index & 4095) === 0) yield;
    const t = line.trim();
    if (t === '' || t.startsWith('%')) continue;
    const lineNo = lines.index;
    if (read === nnz) throw fail(`more entries than the ${nnz} announced on line ${sizeLine}`, lineNo);
    const toks = t.split(/\s+/);
    if (toks.length !== perLine) throw fail(`expected ${perLine} fields (${field === 'pattern' ? 'i j' : 'i j value'}), got ${toks.length}`, lineNo);
    const i = parseNumber(toks[0]!);
    const j = parseNumber(toks[1]!);
    if (i === undefined || !Number.isInteger(i) || i < 1 || i > rows) throw fail(`row index must be an integer in 1..${rows}, got ${JSON.stringify(toks[0])}`, lineNo);
    if (j === undefined || !Number.isInteger(j) || j < 1 || j > cols) throw fail(`column index must be an integer in 1..${cols}, got ${JSON.stringify(toks[1])}`, lineNo);
    let w = 1;
    if (field !== 'pattern') {
      const v = parseNumber(toks[2]!);
      if (v === undefined || (field === 'integer' && !Number.isInteger(v))) throw fail(`expected an ${field === 'integer' ? 'integer' : 'real'} value, got ${JSON.stringify(toks[2])}`, lineNo);
      if (mode === 'value') {
        if (v < 0 && i !== j) throw fail(`entry (${i}, ${j}) is negative (${v}): pass weights: 'abs' or 'unit' to read it as a graph`, lineNo);
        w = v;
      } else if (mode === 'abs') w = Math.abs(v);
    }
    read++;
    if (i === j) {
      diagonal++;
      continue;
    }
    edges.push(i - 1, j - 1, w);
  }
  if (read < nnz) throw fail(`file ends after ${read} of the ${nnz} entries announced on line ${sizeLine} (truncated?)`, Math.max(1, lines.index - (text === '' || text.endsWith('\n') ? 1 : 0)));
  let graph: Graph;
  try {
    const { us, vs, ws } = edges.columns();
    graph = yield* graphSteps(Array.from({ length: rows }, (_, v) => String(v + 1)), us, vs, ws, options.duplicates ?? 'min');
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  return { name: options.name ?? 'matrix', graph, field, symmetry, entries: nnz, diagonal };
}

/**
 * Writes a graph as a symmetric Matrix Market coordinate matrix (lower triangle, 1-based
 * node indices; ids are not kept). `field: 'pattern'` drops the weights; the default is
 * `'integer'` when every weight is an integer, else `'real'`.
 */
export function writeMatrixMarket(graph: Graph, options: { field?: 'real' | 'integer' | 'pattern'; comment?: string } = {}): string {
  const field = options.field ?? (graph.edgeW.every((w) => Number.isInteger(w)) ? 'integer' : 'real');
  if (field === 'integer' && !graph.edgeW.every((w) => Number.isInteger(w))) throw new ModelError('field', "is 'integer' but some edge weights are not integers");
  const out: string[] = [`%%MatrixMarket matrix coordinate ${field} symmetric`];
  out.push(`% ${options.comment ?? `emplace graph: ${graph.n} nodes, ${graph.m} edges`}`);
  out.push(`${graph.n} ${graph.n} ${graph.m}`);
  for (let e = 0; e < graph.m; e++) {
    const a = Math.max(graph.edgeU[e]!, graph.edgeV[e]!) + 1;
    const b = Math.min(graph.edgeU[e]!, graph.edgeV[e]!) + 1;
    out.push(field === 'pattern' ? `${a} ${b}` : `${a} ${b} ${graph.edgeW[e]}`);
  }
  return out.join('\n') + '\n';
}
