import { FormatError, ModelError, type DuplicatePolicy, type Graph, type Steps } from '@emplace/core';
import { EdgeColumns, graphSteps } from './graph-steps.js';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
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
 * spaces, tabs, `,` or `;`, LF or CRLF line ends, `#` or `%` comment lines, arbitrary node
 * ids (any token). A line with a single token declares an (isolated) node. A missing weight
 * is 1. Self-loops are dropped and counted; duplicates are collapsed (see options).
 */
export function readEdgeList(text: string, options: EdgeListOptions = {}): EdgeListInstance {
  return readSync(readEdgeListSteps([text], text.length, options));
}

/**
 * readEdgeList giving the event loop a turn every 10 ms (a million-edge file takes a few
 * hundred ms); throws a ReadAbortedError when `options.signal` aborts.
 */
export function readEdgeListAsync(text: string, options: EdgeListOptions & AsyncReadOptions = {}): Promise<EdgeListInstance> {
  return readAsync(readEdgeListSteps([text], text.length, options), 'the edge list', options);
}

/**
 * readEdgeListAsync of a file's UTF-8 bytes, without the whole text as one string: the bytes
 * are decoded a piece at a time, each piece ending at a line end (an LF byte is never inside a
 * multi-byte character, so every piece decodes as it does within the whole), each piece
 * scanned before the next is decoded. A 12 MB list no longer makes two 12 MB strings (the
 * decoded pieces and their join, 40 ms in one go), and its buffer can be dropped by the caller
 * while the graph is built. A leading BOM is dropped, as a text decoder does. `decode` turns
 * bytes [start, end) into text as TextDecoder does, a BOM kept (read-file.ts passes Buffer's);
 * `pieceBytes` is the piece size (tests cut small pieces).
 */
export function readEdgeListBytesAsync(
  bytes: Uint8Array,
  options: EdgeListOptions & AsyncReadOptions = {},
  decode: (bytes: Uint8Array, start: number, end: number) => string = decodeKeepingBom,
  pieceBytes = PIECE_BYTES,
): Promise<EdgeListInstance> {
  return readAsync(readEdgeListSteps(bytePieces(bytes, decode, pieceBytes), bytes.length, options), 'the edge list', options);
}

/** Lines between two checkpoints of the parse (about a millisecond). */
const LINES_PER_STEP = 4096;

/** Bytes decoded at a time by readEdgeListBytesAsync (about 10 ms), up to a line end. */
const PIECE_BYTES = 1 << 21;

const utf8KeepingBom = typeof TextDecoder === 'function' ? new TextDecoder('utf-8', { ignoreBOM: true }) : undefined;

function decodeKeepingBom(bytes: Uint8Array, start: number, end: number): string {
  if (utf8KeepingBom === undefined) throw new Error('TextDecoder is not available');
  return utf8KeepingBom.decode(bytes.subarray(start, end));
}

/** The text of `bytes` in pieces that end at a line end (or the end), a leading UTF-8 BOM dropped. */
function* bytePieces(bytes: Uint8Array, decode: (bytes: Uint8Array, start: number, end: number) => string, pieceBytes: number): Generator<string> {
  let at = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length) {
    let end = Math.min(bytes.length, at + Math.max(1, pieceBytes));
    if (end < bytes.length) {
      const lf = bytes.lastIndexOf(10, end - 1);
      const next = lf >= at ? lf : bytes.indexOf(10, end);
      end = next < 0 ? bytes.length : next + 1;
    }
    yield decode(bytes, at, end);
    at = end;
  }
}

/**
 * The edge list of text given in pieces, each ending at a line end; `size` (characters or
 * bytes of the whole) sizes the edge columns: one edge per 10 of them (a SNAP line with
 * 5-digit ids is ~12), so a typical million-edge list fills them without a regrowth.
 */
function* readEdgeListSteps(pieces: Iterable<string>, size: number, options: EdgeListOptions): Steps<EdgeListInstance> {
  const source = sourceOf(options);
  const scanner = new EdgeListScanner(source, Math.min(EDGE_CAPACITY_LIMIT, Math.ceil(size / 10)));
  let first = true;
  for (const text of pieces) {
    scanner.start(text, first);
    first = false;
    while (!scanner.scan(LINES_PER_STEP)) yield;
    yield;
  }
  const { us, vs, ws } = scanner.edges.columns();
  let graph: Graph;
  try {
    graph = yield* graphSteps(scanner.nodes.ids, us, vs, ws, options.duplicates ?? 'min');
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  const { edgeLines, selfLoops, weighted } = scanner;
  return { name: options.name ?? 'edges', graph, edgeLines, selfLoops, duplicates: us.length - graph.m, weighted };
}

/** The most edges the columns are sized for up front (they grow past it by doubling). */
const EDGE_CAPACITY_LIMIT = 1 << 24;

/**
 * The edge-list parser: a char-code scanner over the text (no line slices, splits or regular
 * expressions; a token is sliced only for a new non-numeric id or a non-integer weight), run
 * a bounded number of lines at a time, over one piece of text after another (line numbers go on).
 */
class EdgeListScanner {
  readonly nodes = new NodeIds();
  readonly edges: EdgeColumns;
  edgeLines = 0;
  selfLoops = 0;
  weighted = false;
  private text = '';
  private pos = 0;
  private lineNo = 0;
  /** Token bounds of the current line: [start, end) of its first three tokens. */
  private readonly at = new Int32Array(6);

  constructor(
    private readonly source: string | undefined,
    capacity: number,
  ) {
    this.edges = new EdgeColumns(capacity);
  }

  /** The next piece of text (whole lines); a BOM character at the start of the first is skipped. */
  start(text: string, first: boolean): void {
    this.text = text;
    this.nodes.text = text;
    this.pos = first && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Reads up to `lines` lines; true at the end of the piece. */
  scan(lines: number): boolean {
    const text = this.text;
    const len = text.length;
    let pos = this.pos;
    for (let left = lines; left > 0 && pos < len; left--) {
      this.lineNo++;
      let c = text.charCodeAt(pos);
      while (c === 32 || c === 9 || c === 13) c = text.charCodeAt(++pos);
      if (pos >= len) break;
      if (c === 10 || c === 35 /* # */ || c === 37 /* % */) {
        const eol = c === 10 ? pos : text.indexOf('\n', pos);
        pos = eol < 0 ? len : eol + 1;
        continue;
      }
      let count = 0;
      for (;;) {
        while (isSeparator(c)) c = text.charCodeAt(++pos);
        if (pos >= len || c === 10) break;
        const begin = pos;
        while (pos < len && c !== 10 && !isSeparator(c)) c = text.charCodeAt(++pos);
        if (count < 3) {
          this.at[2 * count] = begin;
          this.at[2 * count + 1] = pos;
        }
        count++;
      }
      pos++; // past the LF (or the end)
      if (count > 0) this.line(count);
    }
    this.pos = pos;
    return pos >= len;
  }

  /** The current line, of `count` tokens. */
  private line(count: number): void {
    const at = this.at;
    if (count === 1) {
      this.nodes.index(at[0]!, at[1]!);
      return;
    }
    if (count > 3) throw new FormatError(`expected "u v" or "u v weight", got ${count} fields`, sourceAt(this.source, this.lineNo));
    let w = 1;
    if (count === 3) {
      w = weightOf(this.text, at[4]!, at[5]!);
      if (!(w >= 0)) {
        const tok = this.text.slice(at[4]!, at[5]!);
        if (Number.isNaN(w)) throw new FormatError(`expected a weight (a number), got ${JSON.stringify(tok)}`, sourceAt(this.source, this.lineNo));
        throw new FormatError(`weight is negative (${w})`, sourceAt(this.source, this.lineNo));
      }
      this.weighted = true;
    }
    this.edgeLines++;
    const u = this.nodes.index(at[0]!, at[1]!);
    const v = this.nodes.index(at[2]!, at[3]!);
    if (u === v) this.selfLoops++;
    else this.edges.push(u, v, w);
  }
}

/** Space, tab, CR, `,` and `;` separate tokens (LF ends the line). */
function isSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 44 || c === 59;
}

/** The weight token text[begin, end) as a number; NaN when it is not a decimal number. */
function weightOf(text: string, begin: number, end: number): number {
  // Plain digits (the common case) without a slice and a regular expression.
  if (end - begin <= 15) {
    let v = 0;
    let k = begin;
    for (; k < end; k++) {
      const d = text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (k === end) return v;
  }
  return parseNumber(text.slice(begin, end)) ?? Number.NaN;
}

/**
 * Node ids in order of first appearance, each token mapped once: a canonical decimal token
 * (`0`, `17`, no sign or leading zero, at most 15 digits: SNAP's ids) is looked up by its
 * value, in a flat table for values below 2^24, without slicing the text; any other token
 * through a string map. The two never collide: a canonical number's text is the number's.
 */
class NodeIds {
  readonly ids: string[] = [];
  private byValue = new Int32Array(1024);
  private readonly bigValues = new Map<number, number>();
  private readonly byText = new Map<string, number>();
  /** The piece of text the token bounds refer to. */
  text = '';

  /** The node of token text[begin, end), added on first sight. */
  index(begin: number, end: number): number {
    const value = canonicalValue(this.text, begin, end);
    if (value < 0) {
      const id = this.text.slice(begin, end);
      const known = this.byText.get(id);
      if (known !== undefined) return known;
      this.byText.set(id, this.ids.length);
      return this.add(id);
    }
    if (value < FLAT_LIMIT) {
      if (value >= this.byValue.length) this.growTo(value);
      const known = this.byValue[value]!;
      if (known !== 0) return known - 1;
      this.byValue[value] = this.ids.length + 1;
    } else {
      const known = this.bigValues.get(value);
      if (known !== undefined) return known;
      this.bigValues.set(value, this.ids.length);
    }
    return this.add(this.text.slice(begin, end));
  }

  private add(id: string): number {
    this.ids.push(id);
    return this.ids.length - 1;
  }

  private growTo(value: number): void {
    let size = this.byValue.length;
    while (size <= value) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.byValue);
    this.byValue = grown;
  }
}

/** Values below this are looked up in a flat Int32Array (at most 64 MB; SNAP ids are dense). */
const FLAT_LIMIT = 1 << 24;

/** The value of a canonical decimal token (digits, no leading zero, at most 15 digits); -1 otherwise. */
function canonicalValue(text: string, begin: number, end: number): number {
  const digits = end - begin;
  if (digits > 15 || (digits > 1 && text.charCodeAt(begin) === 48)) return -1;
  let v = 0;
  for (let k = begin; k < end; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
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
