import { FormatError } from '@emplace/core';
import { readAwsLatency, type AwsLatencyInstance } from './aws-latency.js';
import { readDimacsMinCost, readDimacsMinCostAsync, type DimacsMinCostInstance } from './dimacs-mincost.js';
import { readEdgeList, readEdgeListAsync, type EdgeListInstance } from './edge-list.js';
import { readEmplaceJson, type EmplaceJsonItem } from './emplace-json.js';
import { readGraphml, type GraphmlInstance } from './graphml.js';
import { readMatrixMarket, readMatrixMarketAsync, type MatrixMarketInstance } from './matrix-market.js';
import { readOrlibCap, readOrlibCapAsync, type OrlibCapInstance } from './orlib-cap.js';
import { readOrlibGap, readOrlibGapAsync, type OrlibGapInstance } from './orlib-gap.js';
import { readOrlibPmed, readOrlibPmedAsync, type OrlibPmedInstance } from './orlib-pmed.js';
import { readSteinlib, readSteinlibAsync, type SteinlibInstance } from './steinlib.js';
import { sourceAt } from './tokens.js';

export type FormatName =
  | 'orlib-cap'
  | 'orlib-gap'
  | 'orlib-pmed'
  | 'steinlib'
  | 'dimacs-mincost'
  | 'graphml'
  | 'matrix-market'
  | 'edge-list'
  | 'aws-latency'
  | 'emplace-json';

export interface FormatInfo {
  name: FormatName;
  /** File extensions (without the dot) that select this format; `.gz` is always accepted on top. */
  extensions: readonly string[];
  description: string;
  /** What reading yields: a placement model, several, a graph, a latency matrix, or any kind (emplace JSON). */
  kind: 'placement' | 'placement-list' | 'graph' | 'flow-network' | 'matrix' | 'any';
  /** Other names accepted for `--format`. */
  aliases: readonly string[];
  /** Has a writer in this package. */
  writable: boolean;
}

const FORMATS: readonly FormatInfo[] = [
  { name: 'orlib-cap', extensions: ['txt'], kind: 'placement', aliases: ['cap', 'cflp', 'orlib-cflp'], writable: true,
    description: 'OR-Library capacitated warehouse location (cap41..cap134; capa/b/c need --capacity)' },
  { name: 'orlib-gap', extensions: ['txt'], kind: 'placement-list', aliases: ['gap'], writable: true,
    description: 'OR-Library generalized assignment, several problems per file (gap1..gap12, gapa..gapd)' },
  { name: 'orlib-pmed', extensions: ['txt'], kind: 'placement', aliases: ['pmed', 'pmedian'], writable: true,
    description: 'OR-Library p-median graph (pmed1..pmed40): shortest-path distances, last duplicate edge wins' },
  { name: 'steinlib', extensions: ['stp'], kind: 'graph', aliases: ['stp'], writable: true,
    description: 'SteinLib STP 1.0 Steiner tree instance: graph and terminals' },
  { name: 'dimacs-mincost', extensions: ['min', 'dmx', 'net'], kind: 'flow-network', aliases: ['dimacs', 'netgen'], writable: true,
    description: 'DIMACS min-cost flow (p min N M, n ID SUPPLY, a U V LOW CAP COST), as NETGEN writes it' },
  { name: 'graphml', extensions: ['graphml', 'xml'], kind: 'graph', aliases: ['topologyzoo'], writable: true,
    description: 'GraphML (Internet Topology Zoo): nodes with label/Latitude/Longitude, parallel edges collapsed' },
  { name: 'matrix-market', extensions: ['mtx', 'mm'], kind: 'graph', aliases: ['mtx', 'mm'], writable: true,
    description: 'Matrix Market coordinate matrix (real/integer/pattern, general/symmetric) as a weighted graph' },
  { name: 'edge-list', extensions: ['edges', 'el', 'tsv', 'csv', 'edgelist'], kind: 'graph', aliases: ['edges', 'snap'], writable: true,
    description: 'Plain edge list "u v [w]" (SNAP style: # comments, any ids, both directions collapsed, self-loops dropped)' },
  { name: 'aws-latency', extensions: ['json'], kind: 'matrix', aliases: ['latency', 'cloudping'], writable: false,
    description: 'CloudPing AWS inter-region latency JSON (data[from][to] = ms, directional)' },
  { name: 'emplace-json', extensions: ['json'], kind: 'any', aliases: ['json', 'emplace'], writable: true,
    description: 'emplace JSON: kind-tagged placement / graph / game / market documents' },
];

/** The readers of this package, for `emplace formats`. */
export function listFormats(): FormatInfo[] {
  return FORMATS.map((f) => ({ ...f }));
}

/** The format with this name or alias (case-insensitive); a FormatError listing the known names otherwise. */
export function findFormat(name: string): FormatInfo {
  const key = name.toLowerCase();
  const f = FORMATS.find((x) => x.name === key || x.aliases.includes(key));
  if (!f) throw new FormatError(`unknown format ${JSON.stringify(name)} (known: ${FORMATS.map((x) => x.name).join(', ')})`);
  return f;
}

/** Everything readInstance can return, tagged by format. */
export type InstanceData =
  | { format: 'orlib-cap'; name: string; data: OrlibCapInstance }
  | { format: 'orlib-gap'; name: string; data: OrlibGapInstance[] }
  | { format: 'orlib-pmed'; name: string; data: OrlibPmedInstance }
  | { format: 'steinlib'; name: string; data: SteinlibInstance }
  | { format: 'dimacs-mincost'; name: string; data: DimacsMinCostInstance }
  | { format: 'graphml'; name: string; data: GraphmlInstance }
  | { format: 'matrix-market'; name: string; data: MatrixMarketInstance }
  | { format: 'edge-list'; name: string; data: EdgeListInstance }
  | { format: 'aws-latency'; name: string; data: AwsLatencyInstance }
  | { format: 'emplace-json'; name: string; data: EmplaceJsonItem[] };

export interface ReadInstanceOptions {
  /** Format name or alias; detected from the file name and content when absent. */
  format?: string;
  /** Instance name (default: the file's base name). */
  name?: string;
  /** Where the text came from, for error messages. */
  source?: string;
  /** Warehouse capacity for OR-Library files that leave it to the caller (capa/b/c). */
  capacity?: number;
  /**
   * readInstanceAsync (and readInstanceFile) only: the readers of the formats a large input
   * comes in give the event loop turns and throw a ReadAbortedError when this aborts.
   */
  signal?: AbortSignal | undefined;
}

/**
 * readInstance that keeps the event loop turning during a long read (a million-edge list, a
 * pmed file's O(n^3) distances: a turn at least every 10 ms) and stops when `options.signal`
 * aborts (a ReadAbortedError). GraphML, JSON and AWS latency files are read in one go.
 */
export async function readInstanceAsync(text: string, fileName = '', options: ReadInstanceOptions = {}): Promise<InstanceData> {
  const format = options.format !== undefined ? findFormat(options.format).name : detectFormat(fileName, text);
  const name = options.name ?? baseName(fileName) ?? format;
  const source = options.source ?? (fileName !== '' ? fileName : undefined);
  const ro = { ...(source !== undefined ? { name, source } : { name }), signal: options.signal };
  switch (format) {
    case 'orlib-cap':
      return { format, name, data: await readOrlibCapAsync(text, options.capacity !== undefined ? { ...ro, capacity: options.capacity } : ro) };
    case 'orlib-gap':
      return { format, name, data: await readOrlibGapAsync(text, ro) };
    case 'orlib-pmed':
      return { format, name, data: await readOrlibPmedAsync(text, ro) };
    case 'steinlib':
      return { format, name, data: await readSteinlibAsync(text, ro) };
    case 'dimacs-mincost':
      return { format, name, data: await readDimacsMinCostAsync(text, ro) };
    case 'matrix-market':
      return { format, name, data: await readMatrixMarketAsync(text, ro) };
    case 'edge-list':
      return { format, name, data: await readEdgeListAsync(text, ro) };
    default:
      return readInstance(text, fileName, { ...options, format });
  }
}

/**
 * Reads text in the given (or detected) format. `fileName` helps detection (extension,
 * OR-Library name prefixes) and names the instance.
 */
export function readInstance(text: string, fileName = '', options: ReadInstanceOptions = {}): InstanceData {
  const format = options.format !== undefined ? findFormat(options.format).name : detectFormat(fileName, text);
  const name = options.name ?? baseName(fileName) ?? format;
  const source = options.source ?? (fileName !== '' ? fileName : undefined);
  const ro = source !== undefined ? { name, source } : { name };
  switch (format) {
    case 'orlib-cap':
      return { format, name, data: readOrlibCap(text, options.capacity !== undefined ? { ...ro, capacity: options.capacity } : ro) };
    case 'orlib-gap':
      return { format, name, data: readOrlibGap(text, ro) };
    case 'orlib-pmed':
      return { format, name, data: readOrlibPmed(text, ro) };
    case 'steinlib':
      return { format, name, data: readSteinlib(text, ro) };
    case 'dimacs-mincost':
      return { format, name, data: readDimacsMinCost(text, ro) };
    case 'graphml':
      return { format, name, data: readGraphml(text, ro) };
    case 'matrix-market':
      return { format, name, data: readMatrixMarket(text, ro) };
    case 'edge-list':
      return { format, name, data: readEdgeList(text, ro) };
    case 'aws-latency':
      return { format, name, data: readAwsLatency(text, ro) };
    case 'emplace-json':
      return { format, name, data: readEmplaceJson(text, ro) };
  }
}

/** The file's base name without directories, `.gz` and the last extension; undefined for ''. */
export function baseName(fileName: string): string | undefined {
  if (fileName === '') return undefined;
  let b = fileName.replace(/\\/g, '/').split('/').pop() ?? fileName;
  b = b.replace(/\.gz$/i, '');
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

/**
 * Detects a format from the file name and the content: unambiguous extensions first
 * (.stp, .graphml, .mtx), then the content's signature (STP header, XML, %%MatrixMarket,
 * JSON shape), then OR-Library name prefixes (cap*, gap*, pmed*), then the token layout
 * of the numbers, and an edge list as the last resort.
 */
export function detectFormat(fileName: string, text: string): FormatName {
  const ext = extension(fileName);
  if (ext === 'stp') return 'steinlib';
  if (ext === 'graphml') return 'graphml';
  if (ext === 'mtx' || ext === 'mm') return 'matrix-market';
  if (ext === 'min' || ext === 'dmx') return 'dimacs-mincost';
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  if (/^33d32945/i.test(head)) return 'steinlib';
  if (head.startsWith('<')) return 'graphml';
  if (/^%%matrixmarket/i.test(head)) return 'matrix-market';
  // DIMACS: comment lines, then the problem line `p min N M`.
  if (/^(c[^\n]*\n\s*)*p\s+min\s/i.test(head)) return 'dimacs-mincost';
  if (head.startsWith('{') || head.startsWith('[') || ext === 'json') {
    if (/^\{\s*"metadata"/.test(head) || (/"data"\s*:\s*\{/.test(head) && !/"kind"/.test(head))) return 'aws-latency';
    return 'emplace-json';
  }
  const base = (baseName(fileName) ?? '').toLowerCase();
  if (/^cap[a-z0-9]/.test(base)) return 'orlib-cap';
  if (/^gap[a-z0-9]/.test(base)) return 'orlib-gap';
  if (/^pmed\d/.test(base)) return 'orlib-pmed';
  if (ext && FORMATS.find((f) => f.name === 'edge-list')!.extensions.includes(ext)) return 'edge-list';
  const byLayout = detectOrlibLayout(text);
  if (byLayout) return byLayout;
  if (/^\s*(#|%)/.test(head) || head.split('\n', 1)[0]!.trim().split(/\s+/).length <= 3) return 'edge-list';
  throw new FormatError(`cannot tell the format of ${fileName || 'the input'}: pass --format (one of ${FORMATS.map((f) => f.name).join(', ')})`, sourceAt(fileName || undefined));
}

function extension(fileName: string): string | undefined {
  const b = fileName.replace(/\.gz$/i, '');
  const m = /\.([A-Za-z0-9]+)$/.exec(b);
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Recognises the OR-Library numeric layouts by their token counts, in one char-code pass
 * that keeps only the header values (a 10 MB file is read in a few tens of ms, without
 * splitting it into millions of strings).
 */
function detectOrlibLayout(text: string): FormatName | undefined {
  if (text.length > 50_000_000) return undefined;
  const layout = scanLayout(text);
  const { total, first } = layout;
  const [a, b, c] = first as [number, number, number];
  if (Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c)) {
    // pmed: n m p, then 3 m tokens.
    if (total === 3 + 3 * b && c <= a) return 'orlib-pmed';
  }
  if (Number.isInteger(a) && Number.isInteger(b) && a > 0 && b > 0) {
    // cap: m n, m (capacity, cost) pairs, n x (demand + m costs).
    if (total === 2 + 2 * a + b * (1 + a)) return 'orlib-cap';
  }
  // gap: P, then per problem m n (2 m n + m values).
  if (layout.gapOk && Number.isInteger(a) && a > 0 && layout.gapNext === total) return 'orlib-gap';
  return undefined;
}

/**
 * The token count, the first three tokens as numbers, and the walk of the gap layout: from
 * token 1, each of the (first token) problem headers `m n` announces 2 m n + m values before
 * the next; gapNext is where the walk ended (the token count for a gap file).
 */
function scanLayout(text: string): { total: number; first: number[]; gapOk: boolean; gapNext: number } {
  const first: number[] = [];
  let total = 0;
  let gapNext = 1;
  let gapProblems = 0;
  let gapDone = false;
  let gapOk = true;
  let gapM = 0;
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    let c = text.charCodeAt(pos);
    while (pos < len && (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xfeff)) c = text.charCodeAt(++pos);
    if (pos >= len) break;
    const begin = pos;
    while (pos < len && !(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12)) c = text.charCodeAt(++pos);
    const needed = total < 3 || (gapOk && !gapDone && (total === gapNext || total === gapNext + 1));
    if (needed) {
      const v = Number(text.slice(begin, pos));
      if (total < 3) first.push(v);
      if (gapOk && !gapDone && total === gapNext) gapM = v;
      else if (gapOk && !gapDone && total === gapNext + 1) {
        if (!Number.isInteger(gapM) || !Number.isInteger(v) || gapM <= 0 || v <= 0) gapOk = false;
        else {
          gapProblems++;
          gapNext += 2 + 2 * gapM * v + gapM;
          if (gapProblems === first[0]) gapDone = true;
        }
      }
    }
    total++;
  }
  return { total, first, gapOk, gapNext };
}
