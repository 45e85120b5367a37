import { FormatError, checkMemory, type FlowNetwork, type Steps } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { readAsync, readSync, type AsyncReadOptions } from './read-steps.js';
import { countLines, LineCursor, parseNumber } from './tokens.js';

/**
 * A directed flow network as read from a DIMACS min-cost flow file: core's FlowNetwork
 * (ids "1".."n", the file's node numbers; supply 0 for nodes without an `n` line), which
 * @emplace/flows' solveMinCostFlow takes as it is.
 */
export type DimacsFlowNetwork = FlowNetwork;

export interface DimacsMinCostInstance {
  name: string;
  network: DimacsFlowNetwork;
  /** The `c` comment lines, without the leading `c `. */
  comments: string[];
}

/**
 * Reads the DIMACS min-cost flow format (the first DIMACS implementation challenge, as
 * NETGEN and the LEMON/OR-Tools benchmarks write it):
 *
 *   c comment
 *   p min NODES ARCS
 *   n ID FLOW            supply (> 0) or demand (< 0) of node ID (1-based)
 *   a SRC DST LOW CAP COST
 *
 * Any of the numbers may be fractional. A capacity of -1 or "inf"/"infinity" is read as
 * unbounded (some generators write that). Errors are FormatErrors with the line.
 */
export function readDimacsMinCost(text: string, options: ReadOptions = {}): DimacsMinCostInstance {
  return readSync(readDimacsMinCostSteps(text, options));
}

/** readDimacsMinCost giving the event loop a turn every 10 ms; throws a ReadAbortedError when `options.signal` aborts. */
export function readDimacsMinCostAsync(text: string, options: ReadOptions & AsyncReadOptions = {}): Promise<DimacsMinCostInstance> {
  return readAsync(readDimacsMinCostSteps(text, options), 'the DIMACS file', options);
}

function* readDimacsMinCostSteps(text: string, options: ReadOptions): Steps<DimacsMinCostInstance> {
  const source = sourceOf(options);
  let n = -1;
  let m = -1;
  let k = 0;
  let tail = new Int32Array(0);
  let head = new Int32Array(0);
  let lower = new Float64Array(0);
  let capacity = new Float64Array(0);
  let cost = new Float64Array(0);
  let supply = new Float64Array(0);
  const comments: string[] = [];
  const lines = new LineCursor(text); // line by line, not the whole text split at once
  const lineCount = countLines(text);
  const num = (tok: string | undefined, what: string, line: number): number => dimacsNumber(tok, what, line, source);
  const nodeOf = (tok: string | undefined, what: string, line: number): number => {
    const v = num(tok, what, line);
    if (!Number.isInteger(v) || v < 1 || v > n) throw new FormatError(`${what} must be a node number in 1..${n}, got ${tok}`, { line, ...(source ? { source } : {}) });
    return v - 1;
  };
  for (let lineText = lines.next(); lineText !== undefined; lineText = lines.next()) {
    const i = lines.index - 1;
    if ((i & 4095) === 0) yield;
    const line = i + 1;
    const raw = lineText.trim();
    if (raw === '') continue;
    const t = raw.split(/\s+/);
    const tag = t[0]!;
    if (tag === 'c') {
      comments.push(raw.slice(1).trim());
      continue;
    }
    if (tag === 'p') {
      if (n >= 0) throw new FormatError('second problem line', { line, ...(source ? { source } : {}) });
      if (t[1] !== 'min') throw new FormatError(`problem type must be "min", got ${JSON.stringify(t[1])}`, { line, ...(source ? { source } : {}) });
      n = num(t[2], 'number of nodes', line);
      m = num(t[3], 'number of arcs', line);
      if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) throw new FormatError('node and arc counts must be non-negative integers', { line, ...(source ? { source } : {}) });
      // Checked before the arrays are allocated: a damaged count (1e300) was a RangeError.
      if (m > lineCount - i) throw new FormatError(`the problem line announces ${m} arcs, but the file has only ${lineCount - i - 1} more lines`, { line, ...(source ? { source } : {}) });
      checkMemory('the dimacs-mincost reader', `${n} nodes (the solver's per-node arrays)`, 64 * n);
      tail = new Int32Array(m);
      head = new Int32Array(m);
      lower = new Float64Array(m);
      capacity = new Float64Array(m);
      cost = new Float64Array(m);
      supply = new Float64Array(n);
      continue;
    }
    if (n < 0) throw new FormatError(`"${tag}" line before the problem line "p min NODES ARCS"`, { line, ...(source ? { source } : {}) });
    if (tag === 'n') {
      const v = nodeOf(t[1], 'node', line);
      supply[v]! += num(t[2], 'supply', line);
    } else if (tag === 'a') {
      if (k >= m) throw new FormatError(`more arc lines than the ${m} announced`, { line, ...(source ? { source } : {}) });
      tail[k] = nodeOf(t[1], 'arc tail', line);
      head[k] = nodeOf(t[2], 'arc head', line);
      const lo = num(t[3], 'lower bound', line);
      const cap = num(t[4], 'capacity', line);
      if (!(lo >= 0) || !(cap >= lo)) throw new FormatError(`arc bounds must satisfy 0 <= low <= cap, got low ${lo} cap ${cap}`, { line, ...(source ? { source } : {}) });
      lower[k] = lo;
      capacity[k] = cap;
      cost[k] = num(t[5], 'cost', line);
      k++;
    } else {
      throw new FormatError(`unknown line type ${JSON.stringify(tag)} (expected c, p, n or a)`, { line, ...(source ? { source } : {}) });
    }
  }
  if (n < 0) throw new FormatError('no problem line "p min NODES ARCS"', source ? { source } : {});
  if (k !== m) throw new FormatError(`the problem line announces ${m} arcs, the file has ${k}`, { line: lineCount, ...(source ? { source } : {}) });
  const ids = Array.from({ length: n }, (_, i) => String(i + 1));
  return { name: options.name ?? 'dimacs-mincost', network: { kind: 'flow-network', n, m, ids, tail, head, lower, capacity, cost, supply }, comments };
}

/** Writes a flow network in the DIMACS min-cost format (node numbers 1..n; an infinite capacity as "inf", which readDimacsMinCost reads back). */
export function writeDimacsMinCost(net: Omit<DimacsFlowNetwork, 'kind' | 'ids'>, comments: readonly string[] = []): string {
  const out: string[] = comments.map((c) => `c ${c}`);
  out.push(`p min ${net.n} ${net.m}`);
  for (let v = 0; v < net.n; v++) if (net.supply[v] !== 0) out.push(`n ${v + 1} ${net.supply[v]}`);
  for (let a = 0; a < net.m; a++) {
    const cap = net.capacity[a]!;
    out.push(`a ${net.tail[a]! + 1} ${net.head[a]! + 1} ${net.lower[a]} ${cap === Infinity ? 'inf' : cap} ${net.cost[a]}`);
  }
  return out.join('\n') + '\n';
}

/** A number of a DIMACS line (`what` names it in errors); a capacity of -1 or inf is Infinity. */
function dimacsNumber(tok: string | undefined, what: string, line: number, source: string | undefined): number {
  if (tok === undefined) throw new FormatError(`expected ${what}`, { line, ...(source ? { source } : {}) });
  const low = tok.toLowerCase();
  if (what === 'capacity' && (low === 'inf' || low === 'infinity' || low === '-1')) return Infinity;
  const v = parseNumber(tok);
  if (v === undefined) throw new FormatError(`expected ${what} (a number), got ${JSON.stringify(tok)}`, { line, ...(source ? { source } : {}) });
  return v;
}
