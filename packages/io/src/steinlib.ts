import { FormatError, ModelError, checkMemory, createGraph, type DuplicatePolicy, type Graph, type Steps } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { parseNumber, sourceAt, splitLines } from './tokens.js';

export interface SteinlibOptions extends ReadOptions {
  /**
   * Parallel edges (and arc pairs read as undirected edges): keep only the lightest
   * (`'min'`, the default: a Steiner tree never uses the heavier copy) or another
   * core DuplicatePolicy such as `'keep'`.
   */
  duplicates?: DuplicatePolicy;
}

export interface SteinlibInstance {
  /** options.name, else the `Name` of SECTION Comment, else "steinlib". */
  name: string;
  /** Node ids "1".."N" as in the file. */
  graph: Graph;
  /** Terminal node indices (0-based), in file order. */
  terminals: Int32Array;
  /** `Root` of SECTION Terminals (0-based) when the file names one. */
  root?: number;
  /** Other `SECTION Comment` entries (Creator, Remark, Problem...). */
  comment: Record<string, string>;
}

const HEADER = /^33d32945\s+stp\s+file/i;

/**
 * Reads a SteinLib STP file: header `33D32945 STP File, STP Format Version 1.0`,
 * `SECTION Comment` / `Graph` (`Nodes N`, `Edges M`, `E u v w`; `Arcs`/`A u v w` are read as
 * undirected edges) / `Terminals` (`Terminals K`, `T v`, `Root r`) blocks closed by `END`,
 * then `EOF`. Other sections (Coordinates, Presolve, MaximumDegrees, ...) are skipped.
 * Counts in the header lines are checked against the E, A and T lines.
 */
export function readSteinlib(text: string, options: SteinlibOptions = {}): SteinlibInstance {
  return readSync(readSteinlibSteps(text, options));
}

/** readSteinlib giving the event loop a turn every 10 ms; throws a ReadAbortedError when `options.signal` aborts. */
export function readSteinlibAsync(text: string, options: SteinlibOptions & AsyncReadOptions = {}): Promise<SteinlibInstance> {
  return readAsync(readSteinlibSteps(text, options), 'the STP file', options);
}

function* readSteinlibSteps(text: string, options: SteinlibOptions): Steps<SteinlibInstance> {
  const source = sourceOf(options);
  const fail = (message: string, line: number): FormatError => new FormatError(message, sourceAt(source, line));
  const lines = splitLines(text);
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  if (k >= lines.length || !HEADER.test(lines[k]!.trim())) {
    throw fail(`not a SteinLib STP file: the first line must start with "33D32945 STP File", got ${JSON.stringify((lines[k] ?? '').trim().slice(0, 60))}`, Math.min(k + 1, lines.length));
  }
  const st = new StpState(fail);
  for (k = k + 1; k < lines.length; k++) {
    if ((k & 4095) === 0) yield;
    const raw = lines[k]!.trim();
    if (raw !== '' && st.line(raw, k + 1) === 'eof') break;
  }
  const lastLine = Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0));
  const nodes = st.checkCounts(lastLine);
  // A damaged "Nodes 1e300" was a RangeError (Invalid array length): refuse it by size first.
  checkMemory('the steinlib reader', `${nodes} nodes (ids and adjacency)`, 128 * nodes);
  const ids = Array.from({ length: nodes }, (_, v) => String(v + 1));
  let graph: Graph;
  try {
    graph = createGraph({ nodes: ids, edges: { u: st.us, v: st.vs, w: st.ws }, duplicates: options.duplicates ?? 'min', selfLoops: 'drop' });
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  const result: SteinlibInstance = {
    name: options.name ?? st.comment['Name'] ?? 'steinlib',
    graph,
    terminals: Int32Array.from(st.terminals),
    comment: st.comment,
  };
  if (st.root !== undefined) result.root = st.root;
  return result;
}

/** What the reader has seen so far: the open section, the declared counts and the lines read. */
class StpState {
  section: string | undefined;
  sectionLine = 0;
  nodes: number | undefined;
  /** Declared counts ("Edges M", "Arcs M", "Terminals K") and the line declaring each. */
  readonly declared = new Map<'edges' | 'arcs' | 'terminals', { count: number; line: number }>();
  eLines = 0;
  aLines = 0;
  readonly us: number[] = [];
  readonly vs: number[] = [];
  readonly ws: number[] = [];
  readonly terminals: number[] = [];
  readonly terminalSeen = new Set<number>();
  root: number | undefined;
  readonly comment: Record<string, string> = {};
  readonly seenSections = new Set<string>();
  sawEof = false;

  constructor(private readonly fail: (message: string, line: number) => FormatError) {}

  /** One non-empty line; 'eof' at the EOF line. */
  line(raw: string, lineNo: number): 'eof' | undefined {
    const toks = raw.split(/\s+/);
    const key = toks[0]!.toLowerCase();
    if (this.section === undefined) return this.outside(key, toks, raw, lineNo);
    if (key === 'end') {
      this.section = undefined;
      return undefined;
    }
    if (key === 'section' || key === 'eof') throw this.fail(`SECTION ${this.section} opened on line ${this.sectionLine} is not closed by END`, lineNo);
    if (this.section === 'comment') {
      const value = raw.slice(toks[0]!.length).trim();
      this.comment[toks[0]!] = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    } else if (this.section === 'graph') this.graphLine(key, toks, raw, lineNo);
    else if (this.section === 'terminals') this.terminalsLine(key, toks, raw, lineNo);
    // Other sections (Coordinates, Presolve, MaximumDegrees, ...): not needed for the graph problem.
    return undefined;
  }

  /** Between sections: only "SECTION <name>" or "EOF". */
  private outside(key: string, toks: readonly string[], raw: string, lineNo: number): 'eof' | undefined {
    if (key === 'eof') {
      this.sawEof = true;
      return 'eof';
    }
    if (key !== 'section') throw this.fail(`expected "SECTION <name>" or "EOF", got ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
    const name = (toks[1] ?? '').toLowerCase();
    if (!name) throw this.fail('SECTION without a name', lineNo);
    if (this.seenSections.has(name) && (name === 'graph' || name === 'terminals')) throw this.fail(`SECTION ${toks[1]} appears twice`, lineNo);
    this.seenSections.add(name);
    this.section = name;
    this.sectionLine = lineNo;
    return undefined;
  }

  private nodeIndex(tok: string | undefined, what: string, line: number): number {
    if (this.nodes === undefined) throw this.fail(`${what} before the "Nodes N" line`, line);
    const v = tok === undefined ? undefined : parseNumber(tok);
    if (v === undefined || !Number.isInteger(v)) throw this.fail(`expected ${what} (a node number), got ${tok === undefined ? 'nothing' : JSON.stringify(tok)}`, line);
    if (v < 1 || v > this.nodes) throw this.fail(`${what} is ${v}, outside 1..${this.nodes}`, line);
    return v - 1;
  }

  private count(tok: string | undefined, what: string, line: number): number {
    const v = tok === undefined ? undefined : parseNumber(tok);
    if (v === undefined || !Number.isInteger(v) || v < 0) throw this.fail(`expected ${what} (a non-negative integer), got ${tok === undefined ? 'nothing' : JSON.stringify(tok)}`, line);
    return v;
  }

  private graphLine(key: string, toks: readonly string[], raw: string, lineNo: number): void {
    if (key === 'nodes') this.nodes = this.count(toks[1], 'the number of nodes', lineNo);
    else if (key === 'edges' || key === 'arcs') this.declared.set(key, { count: this.count(toks[1], `the number of ${key}`, lineNo), line: lineNo });
    else if (key === 'e' || key === 'a') this.edgeLine(key, toks, lineNo);
    else if (key !== 'obstacles') throw this.fail(`unknown line in SECTION Graph: ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
    // "Obstacles": rectilinear-instance metadata, no effect on the graph.
  }

  private edgeLine(key: 'e' | 'a', toks: readonly string[], lineNo: number): void {
    const what = key === 'e' ? 'edge' : 'arc';
    const u = this.nodeIndex(toks[1], `the first node of the ${what}`, lineNo);
    const v = this.nodeIndex(toks[2], `the second node of the ${what}`, lineNo);
    const w = toks[3] === undefined ? undefined : parseNumber(toks[3]);
    if (w === undefined) throw this.fail(`expected the ${what} weight (a number), got ${toks[3] === undefined ? 'nothing' : JSON.stringify(toks[3])}`, lineNo);
    if (w < 0) throw this.fail(`${what} weight is negative (${w})`, lineNo);
    if (toks.length > 4) throw this.fail(`unexpected ${JSON.stringify(toks[4])} after the ${what} weight`, lineNo);
    this.us.push(u);
    this.vs.push(v);
    this.ws.push(w);
    if (key === 'e') this.eLines++;
    else this.aLines++;
  }

  private terminalsLine(key: string, toks: readonly string[], raw: string, lineNo: number): void {
    if (key === 'terminals') {
      this.declared.set('terminals', { count: this.count(toks[1], 'the number of terminals', lineNo), line: lineNo });
    } else if (key === 't' || key === 'tp') {
      const t = this.nodeIndex(toks[1], 'the terminal', lineNo);
      if (this.terminalSeen.has(t)) throw this.fail(`terminal ${t + 1} is listed twice`, lineNo);
      this.terminalSeen.add(t);
      this.terminals.push(t);
    } else if (key === 'root' || key === 'rootp') {
      this.root = this.nodeIndex(toks[1], 'the root', lineNo);
    } else {
      throw this.fail(`unknown line in SECTION Terminals: ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
    }
  }

  /** The end of the file: sections closed, counts as declared; returns the number of nodes. */
  checkCounts(lastLine: number): number {
    if (this.section !== undefined) throw this.fail(`file ends inside SECTION ${this.section} opened on line ${this.sectionLine} (truncated?)`, lastLine);
    if (!this.sawEof && !this.seenSections.has('terminals')) throw this.fail('file ends without EOF (truncated?)', lastLine);
    if (this.nodes === undefined) throw this.fail('no SECTION Graph with a "Nodes N" line', lastLine);
    const edges = this.declared.get('edges');
    if (edges && edges.count !== this.eLines) throw this.fail(`"Edges ${edges.count}" but the section has ${this.eLines} E lines`, edges.line);
    const arcs = this.declared.get('arcs');
    if (arcs && arcs.count !== this.aLines) throw this.fail(`"Arcs ${arcs.count}" but the section has ${this.aLines} A lines`, arcs.line);
    const terms = this.declared.get('terminals');
    if (terms && terms.count !== this.terminals.length) throw this.fail(`"Terminals ${terms.count}" but the section has ${this.terminals.length} T lines`, terms.line);
    return this.nodes;
  }
}

/** Writes a graph and its terminals as a SteinLib STP file (node ids are replaced by 1..n). */
export function writeSteinlib(graph: Graph, terminals: ArrayLike<number>, options: { name?: string; remark?: string } = {}): string {
  const out: string[] = ['33D32945 STP File, STP Format Version 1.0', '', 'SECTION Comment'];
  out.push(`Name    ${JSON.stringify(options.name ?? 'emplace')}`);
  out.push('Creator "emplace"');
  if (options.remark !== undefined) out.push(`Remark  ${JSON.stringify(options.remark)}`);
  out.push('END', '', 'SECTION Graph', `Nodes ${graph.n}`, `Edges ${graph.m}`);
  for (let e = 0; e < graph.m; e++) out.push(`E ${graph.edgeU[e]! + 1} ${graph.edgeV[e]! + 1} ${graph.edgeW[e]}`);
  out.push('END', '', 'SECTION Terminals', `Terminals ${terminals.length}`);
  for (let t = 0; t < terminals.length; t++) out.push(`T ${terminals[t]! + 1}`);
  out.push('END', '', 'EOF', '');
  return out.join('\n');
}
