import { yieldToEventLoop, type Result } from '@emplace/core';
import { traceExit } from './exit-trace.js';

/** JSON.stringify replacer: typed arrays become plain arrays, non-finite numbers become null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (isNumberArrayView(value)) return Array.from(value);
  if (isBigIntArrayView(value)) return Array.from(value, (v) => v.toString());
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * `value` as JSON.stringify(value, jsonReplacer) sees it, converted in one pass so that
 * stringify runs without a replacer: a 200,000-entry Fiedler vector is written in about 60 %
 * of the time (the replacer was called once per entry), which is most of the exit time of an
 * aborted large solve. Typed arrays become packed arrays (filled by push): `new Array(n)` of
 * 200,000 entries is a dictionary-mode array, which JSON.stringify writes about half as fast
 * (measured in a fresh process, piped to a reader: format and flush of a 200k-node Fiedler
 * record, median of 7, 614 ms -> 404 ms at load 7; written in 256 KB pieces with event-loop
 * turns between them, to overlap the formatting with the reader, it was 509 ms).
 */
export function toJsonValue(value: unknown): unknown {
  return convert(value, undefined);
}

/**
 * toJsonValue, with `cut` asked first about every long array it meets (a typed array of
 * numbers, or an array of strings and numbers, of at least `cut.long` entries): a string it
 * returns stands in for the array (jsonPieces writes the array itself in its place).
 */
function convert(value: unknown, cut: LongArrays | undefined): unknown {
  if (value === null || typeof value !== 'object') return jsonReplacer('', value);
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return convert((withJson.toJSON as () => unknown).call(value), cut);
  if (isNumberArrayView(value)) return cut !== undefined && value.length >= cut.long ? cut.stand(value) : packedNumbers(value, 0, value.length);
  if (isBigIntArrayView(value)) return Array.from(value, (v) => v.toString());
  // An array of strings and numbers (200,000 node ids) is written by JSON.stringify as it is
  // (non-finite numbers, undefined and functions as null, as after conversion): no call per entry.
  if (Array.isArray(value)) {
    // A prepared array (prepareJsonArray) is checked entry by entry when it is written.
    if (cut !== undefined && value.length >= cut.long && prepared.has(value)) return cut.stand(value);
    if (holdsObjects(value)) return value.map((v) => convert(v, cut));
    return cut !== undefined && value.length >= cut.long ? cut.stand(value) : value;
  }
  const plain = value instanceof Map ? Object.fromEntries(value) : value instanceof Set ? [...value] : value;
  if (Array.isArray(plain)) return plain.map((v) => convert(v, cut));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain as Record<string, unknown>)) out[k] = convert(v, cut);
  return out;
}

/** Entries [from, to) of a typed array as a packed array of numbers, non-finite ones as null. */
function packedNumbers(xs: NumberArrayView, from: number, to: number): (number | null)[] {
  return fillNumbers([], xs, from, to);
}

/** packedNumbers into `out` (overwritten, grown by push the first time, then cut to length): a reused array. */
function fillNumbers(out: (number | null)[], xs: NumberArrayView, from: number, to: number): (number | null)[] {
  const n = to - from;
  const had = out.length;
  for (let i = 0; i < n; i++) {
    const x = xs[from + i]!;
    // x - x is 0 exactly for finite x (NaN otherwise): no call per entry in a loop that
    // runs once per process, mostly before V8 has optimised it.
    const v = x - x === 0 ? x : null;
    if (i < had) out[i] = v;
    else out.push(v);
  }
  if (had > n) out.length = n;
  return out;
}

/** How convert hands long arrays to jsonPieces. */
interface LongArrays {
  long: number;
  stand(xs: NumberArrayView | readonly unknown[]): string;
}

/** Sizes of jsonPieces: arrays of at least `long` entries are cut out; typed arrays are formatted `piece` entries at a time. */
export interface PieceSizes {
  long?: number | undefined;
  piece?: number | undefined;
}

/** Prepared JSON texts of long arrays (prepareJsonArray), with the entries they were made from. */
const prepared = new WeakMap<readonly unknown[], { entries: readonly unknown[]; text: string }>();

/**
 * Makes the JSON text of a long array of strings and numbers ahead of output (the node ids
 * of a large graph: they do not change while it is solved), in slices with an event-loop turn
 * between them; jsonPieces then writes that text instead of formatting the array again, as
 * long as the array still holds the same entries (checked one by one, ~3 ms for 200,000).
 * Formatting 200,000 ids took 25-35 ms of the exit of an aborted solve.
 */
export async function prepareJsonArray(xs: readonly unknown[], signal?: AbortSignal | undefined, slice = 1 << 14): Promise<void> {
  if (xs.length === 0 || holdsObjects(xs)) return;
  const entries = xs.slice();
  const parts: string[] = [];
  for (let from = 0; from < entries.length; from += slice) {
    if (signal?.aborted) return;
    // JSON.stringify of a slice of primitives is the slice's entries, comma-separated, in brackets.
    parts.push(JSON.stringify(entries.slice(from, from + slice)).slice(1, -1));
    if (from + slice < entries.length) await yieldToEventLoop();
  }
  prepared.set(xs, { entries, text: `[${parts.join(',')}]` });
}

/** The prepared text of `xs` while it holds the entries it was made from. */
function preparedText(xs: readonly unknown[]): string | undefined {
  const p = prepared.get(xs);
  if (p === undefined || p.entries.length !== xs.length) return undefined;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== p.entries[i]) return undefined;
  return p.text;
}

/**
 * JSON.stringify(toJsonValue(value)) in pieces, for a writer that blocks until the reader has
 * taken each one (an aborted solve's stdout, signals.ts): the record is stringified with each
 * long array replaced by a marker string, then written up to the marker, then the array: a
 * typed array formatted `piece` entries at a time (the reader takes one piece while the next
 * is formatted), an array of strings and numbers from its prepared text when it has one.
 * The pieces join to exactly the text of JSON.stringify(toJsonValue(value)) (property test);
 * if a marker also occurs in the value's own strings, the whole text is one piece.
 */
export function* jsonPieces(value: unknown, sizes: PieceSizes = {}): Generator<string> {
  // 2048 entries (~45 KB of text): the packed array and its text die young, in cheap
  // scavenges; 16k-entry pieces (large-object strings) cost ~20 % more CPU on 200k doubles.
  const piece = sizes.piece ?? 1 << 11;
  const longs: (NumberArrayView | readonly unknown[])[] = [];
  // A string no record holds by chance (a NUL, a random tag); the check below makes sure.
  const tag = `\u0000emplace-long-${Math.random().toString(36).slice(2)}-`;
  const cut: LongArrays = { long: sizes.long ?? 1 << 12, stand: (xs) => tag + (longs.push(xs) - 1) };
  const text = JSON.stringify(convert(value, cut));
  if (text === undefined) return;
  // Each marker string, as JSON.stringify wrote it, and where: every one exactly once, in
  // order (the text without the long arrays is the record's small rest).
  const markers = longs.map((_, k) => JSON.stringify(tag + k));
  const at = markers.map((marker) => text.indexOf(marker));
  const once = markers.every((marker, k) => at[k]! >= 0 && (k === 0 || at[k]! > at[k - 1]!) && text.indexOf(marker, at[k]! + 1) < 0);
  if (!once) return yield JSON.stringify(toJsonValue(value));
  let from = 0;
  for (let k = 0; k < longs.length; k++) {
    yield text.slice(from, at[k]);
    yield* arrayPieces(longs[k]!, piece);
    from = at[k]! + markers[k]!.length;
  }
  yield text.slice(from);
}

/** The JSON text of a long array, in pieces: a typed array `piece` entries at a time. */
function* arrayPieces(xs: NumberArrayView | readonly unknown[], piece: number): Generator<string> {
  if (!isNumberArrayView(xs)) return yield preparedText(xs) ?? JSON.stringify(convert(xs, undefined));
  // One array refilled for every piece (no regrowth copies, less garbage to scavenge).
  const out: (number | null)[] = [];
  for (let from = 0; from < xs.length; from += piece) {
    const to = Math.min(xs.length, from + piece);
    const inner = JSON.stringify(fillNumbers(out, xs, from, to)).slice(1, -1);
    yield `${from === 0 ? '[' : ','}${inner}${to === xs.length ? ']' : ''}`;
  }
}

/**
 * Writes one --json line (JSON.stringify(toJsonValue(record)) and a newline) through `write`
 * in jsonPieces' pieces; EMPLACE_TRACE_EXIT marks when the last piece is formatted and written.
 */
export function writeJsonLine(record: unknown, write: (text: string) => void): void {
  const pieces = jsonPieces(record);
  let r = pieces.next();
  while (!r.done) {
    const next = pieces.next();
    if (next.done) {
      traceExit('formatted');
      write(`${r.value}\n`);
      traceExit('written');
    } else write(r.value);
    r = next;
  }
}

/** Whether an array holds an entry toJsonValue must convert (an object or a bigint). */
function holdsObjects(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const t = typeof x;
    if ((t === 'object' && x !== null) || t === 'bigint') return true;
  }
  return false;
}

type NumberArrayView = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A typed array of numbers (not a DataView, not a BigInt array). */
function isNumberArrayView(value: unknown): value is NumberArrayView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function isBigIntArrayView(value: unknown): value is BigInt64Array | BigUint64Array {
  return value instanceof BigInt64Array || value instanceof BigUint64Array;
}

/** The one JSON line printed per problem with `--json`. */
export function resultRecord(
  instance: string,
  family: string,
  result: Result<unknown>,
  extra: Record<string, string | number | boolean | null>,
): Record<string, unknown> {
  return {
    instance,
    family,
    status: result.status,
    objective: result.objective ?? null,
    bound: result.bound ?? null,
    gap: result.gap ?? null,
    elapsedMs: round(result.stats.elapsedMs),
    method: result.stats.method,
    stoppedBy: result.stoppedBy,
    guarantee: result.guarantee,
    ...extra,
    stats: result.stats,
    ...(result.warnings ? { warnings: result.warnings } : {}),
    ...(result.status === 'infeasible' && result.certificate ? { certificate: result.certificate } : {}),
    solution: result.solution ?? null,
  };
}

/**
 * Aligned plain-text table of the human output. With `maxWidth`, the widest columns are
 * narrowed and their cells wrapped onto continuation lines so that no line is longer.
 */
export function formatTable(rows: readonly Record<string, string>[], maxWidth = Infinity): string {
  if (rows.length === 0) return '';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const floor = cols.map((c) => Math.max(c.length, 10));
  let total = widths.reduce((a, b) => a + b, 0) + 2 * (cols.length - 1);
  while (total > maxWidth) {
    let k = -1;
    for (let j = 0; j < cols.length; j++) if (widths[j]! > floor[j]! && (k < 0 || widths[j]! > widths[k]!)) k = j;
    if (k < 0) break;
    widths[k]!--;
    total--;
  }
  const line = (cells: string[]) => cells.map((s, k) => s.padEnd(widths[k]!)).join('  ').trimEnd();
  const out = [line(cols), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) {
    const cells = cols.map((c, k) => wrapText(r[c] ?? '', widths[k]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(cells.map((c) => c[i] ?? '')));
  }
  return out.join('\n');
}

/** Splits text into lines of at most `width` characters, at spaces when it can. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(6);
  }
  return String(v);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
