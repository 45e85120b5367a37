import { FormatError, ModelError, createGraph, type DuplicatePolicy, type Graph } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
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
  const source = sourceOf(options);
  const fail = (message: string, line: number): FormatError => new FormatError(message, sourceAt(source, line));
  const lines = splitLines(text);
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  if (k >= lines.length || !HEADER.test(lines[k]!.trim())) {
    throw fail(`not a SteinLib STP file: the first line must start with "33D32945 STP File", got ${JSON.stringify((lines[k] ?? '').trim().slice(0, 60))}`, Math.min(k + 1, lines.length));
  }
  let section: string | undefined;
  let sectionLine = 0;
  let nodes: number | undefined;
  let edgesDeclared: number | undefined;
  let edgesDeclaredLine = 0;
  let arcsDeclared: number | undefined;
  let arcsDeclaredLine = 0;
  let terminalsDeclared: number | undefined;
  let terminalsDeclaredLine = 0;
  let eLines = 0;
  let aLines = 0;
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const terminals: number[] = [];
  const terminalSeen = new Set<number>();
  let root: number | undefined;
  const comment: Record<string, string> = {};
  const seenSections = new Set<string>();
  let sawEof = false;

  const nodeIndex = (tok: string | undefined, what: string, line: number): number => {
    if (nodes === undefined) throw fail(`${what} before the "Nodes N" line`, line);
    const v = tok === undefined ? undefined : parseNumber(tok);
    if (v === undefined || !Number.isInteger(v)) throw fail(`expected ${what} (a node number), got ${tok === undefined ? 'nothing' : JSON.stringify(tok)}`, line);
    if (v < 1 || v > nodes) throw fail(`${what} is ${v}, outside 1..${nodes}`, line);
    return v - 1;
  };
  const count = (tok: string | undefined, what: string, line: number): number => {
    const v = tok === undefined ? undefined : parseNumber(tok);
    if (v === undefined || !Number.isInteger(v) || v < 0) throw fail(`expected ${what} (a non-negative integer), got ${tok === undefined ? 'nothing' : JSON.stringify(tok)}`, line);
    return v;
  };

  for (k = k + 1; k < lines.length; k++) {
    const lineNo = k + 1;
    const raw = lines[k]!.trim();
    if (raw === '') continue;
    const toks = raw.split(/\s+/);
    const key = toks[0]!.toLowerCase();
    if (section === undefined) {
      if (key === 'section') {
        const name = (toks[1] ?? '').toLowerCase();
        if (!name) throw fail('SECTION without a name', lineNo);
        if (seenSections.has(name) && (name === 'graph' || name === 'terminals')) throw fail(`SECTION ${toks[1]} appears twice`, lineNo);
        seenSections.add(name);
        section = name;
        sectionLine = lineNo;
        continue;
      }
      if (key === 'eof') {
        sawEof = true;
        break;
      }
      throw fail(`expected "SECTION <name>" or "EOF", got ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
    }
    if (key === 'end') {
      section = undefined;
      continue;
    }
    if (key === 'section' || key === 'eof') throw fail(`SECTION ${section} opened on line ${sectionLine} is not closed by END`, lineNo);
    switch (section) {
      case 'comment': {
        const value = raw.slice(toks[0]!.length).trim();
        comment[toks[0]!] = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
        break;
      }
      case 'graph':
        if (key === 'nodes') {
          nodes = count(toks[1], 'the number of nodes', lineNo);
        } else if (key === 'edges') {
          edgesDeclared = count(toks[1], 'the number of edges', lineNo);
          edgesDeclaredLine = lineNo;
        } else if (key === 'arcs') {
          arcsDeclared = count(toks[1], 'the number of arcs', lineNo);
          arcsDeclaredLine = lineNo;
        } else if (key === 'e' || key === 'a') {
          const what = key === 'e' ? 'edge' : 'arc';
          const u = nodeIndex(toks[1], `the first node of the ${what}`, lineNo);
          const v = nodeIndex(toks[2], `the second node of the ${what}`, lineNo);
          const w = toks[3] === undefined ? undefined : parseNumber(toks[3]);
          if (w === undefined) throw fail(`expected the ${what} weight (a number), got ${toks[3] === undefined ? 'nothing' : JSON.stringify(toks[3])}`, lineNo);
          if (w < 0) throw fail(`${what} weight is negative (${w})`, lineNo);
          if (toks.length > 4) throw fail(`unexpected ${JSON.stringify(toks[4])} after the ${what} weight`, lineNo);
          us.push(u);
          vs.push(v);
          ws.push(w);
          if (key === 'e') eLines++;
          else aLines++;
        } else if (key === 'obstacles') {
          // Rectilinear-instance metadata; no effect on the graph.
        } else {
          throw fail(`unknown line in SECTION Graph: ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
        }
        break;
      case 'terminals':
        if (key === 'terminals') {
          terminalsDeclared = count(toks[1], 'the number of terminals', lineNo);
          terminalsDeclaredLine = lineNo;
        } else if (key === 't' || key === 'tp') {
          const t = nodeIndex(toks[1], 'the terminal', lineNo);
          if (terminalSeen.has(t)) throw fail(`terminal ${t + 1} is listed twice`, lineNo);
          terminalSeen.add(t);
          terminals.push(t);
        } else if (key === 'root' || key === 'rootp') {
          root = nodeIndex(toks[1], 'the root', lineNo);
        } else {
          throw fail(`unknown line in SECTION Terminals: ${JSON.stringify(raw.slice(0, 60))}`, lineNo);
        }
        break;
      default:
        // Coordinates, Presolve, MaximumDegrees, ...: not needed for the graph problem.
        break;
    }
  }
  const lastLine = Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0));
  if (section !== undefined) throw fail(`file ends inside SECTION ${section} opened on line ${sectionLine} (truncated?)`, lastLine);
  if (!sawEof && !seenSections.has('terminals')) throw fail('file ends without EOF (truncated?)', lastLine);
  if (nodes === undefined) throw fail('no SECTION Graph with a "Nodes N" line', lastLine);
  if (edgesDeclared !== undefined && edgesDeclared !== eLines) throw fail(`"Edges ${edgesDeclared}" but the section has ${eLines} E lines`, edgesDeclaredLine);
  if (arcsDeclared !== undefined && arcsDeclared !== aLines) throw fail(`"Arcs ${arcsDeclared}" but the section has ${aLines} A lines`, arcsDeclaredLine);
  if (terminalsDeclared !== undefined && terminalsDeclared !== terminals.length) {
    throw fail(`"Terminals ${terminalsDeclared}" but the section has ${terminals.length} T lines`, terminalsDeclaredLine);
  }
  const ids = Array.from({ length: nodes }, (_, v) => String(v + 1));
  let graph: Graph;
  try {
    graph = createGraph({ nodes: ids, edges: { u: us, v: vs, w: ws }, duplicates: options.duplicates ?? 'min', selfLoops: 'drop' });
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  const result: SteinlibInstance = {
    name: options.name ?? comment['Name'] ?? 'steinlib',
    graph,
    terminals: Int32Array.from(terminals),
    comment,
  };
  if (root !== undefined) result.root = root;
  return result;
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
