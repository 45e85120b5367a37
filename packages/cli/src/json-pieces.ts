import { jsonReplacer, toJsonValue } from './output.js';

/**
 * The text of `JSON.stringify(toJsonValue(value))`, character for character, produced in
 * pieces of about `pieceChars` characters so that the caller can write each piece and give
 * the event loop a turn before formatting the next: the reader of stdout drains one piece
 * while the next is formatted (issue 13: an aborted Fiedler solve of 200,000 nodes prints a
 * 6 MB line; formatting it and draining it were two stretches one after the other).
 *
 * Long arrays and typed arrays are formatted by JSON.stringify (V8's native number
 * formatting) in slices of SLICE entries, each slice a packed array: toJsonValue turned a
 * 200,000-entry Float64Array into `new Array(n)`, a dictionary-mode array that JSON.stringify
 * serialises about twice as slowly as a packed one.
 */
export function* jsonPieces(value: unknown, pieceChars = 1 << 18): Generator<string, void, void> {
  const out = new PieceBuffer(pieceChars);
  for (const _ of writeValue(value, out, false)) yield out.take();
  const rest = out.take();
  if (rest.length > 0) yield rest;
}

/** Entries per JSON.stringify call for long arrays (a slice of doubles is ~100-200 KB of text). */
const SLICE = 8192;

class PieceBuffer {
  private parts: string[] = [];
  private size = 0;
  constructor(readonly pieceChars: number) {}
  push(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= this.pieceChars;
  }
  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return text;
  }
}

/**
 * Appends the JSON of `value` (as toJsonValue sees it) to `out`; yields when a piece is full.
 * `inArray`: undefined, functions and symbols are written `null` there (JSON.stringify's rule);
 * elsewhere the caller has already dropped them (omitted keys) or there is nothing to write.
 */
function* writeValue(value: unknown, out: PieceBuffer, inArray: boolean): Generator<void, void, void> {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(jsonReplacer('', value));
    if (out.push(text === undefined ? (inArray ? 'null' : '') : text)) yield;
    return;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return yield* writeValue((withJson.toJSON as () => unknown).call(value), out, inArray);
  if ((ArrayBuffer.isView(value) && !(value instanceof DataView)) || Array.isArray(value) || value instanceof Set) {
    const items = value instanceof Set ? [...value] : (value as ArrayLike<unknown>);
    return yield* writeArray(items, out);
  }
  const plain = (value instanceof Map ? Object.fromEntries(value) : value) as Record<string, unknown>;
  out.push('{');
  let first = true;
  for (const key of Object.keys(plain)) {
    const v = plain[key];
    if (omitted(v)) continue;
    if (out.push(`${first ? '' : ','}${JSON.stringify(key)}:`)) yield;
    first = false;
    yield* writeValue(v, out, false);
  }
  if (out.push('}')) yield;
}

/** Whether JSON.stringify leaves out an object property holding `v` (after toJsonValue). */
function omitted(v: unknown): boolean {
  if (v !== null && typeof v === 'object') {
    const toJson = (v as { toJSON?: unknown }).toJSON;
    return typeof toJson === 'function' && omitted((toJson as () => unknown).call(v));
  }
  return JSON.stringify(jsonReplacer('', v)) === undefined;
}

/** An array-like (array, typed array, set's items) in slices of SLICE entries, each stringified natively. */
function* writeArray(items: ArrayLike<unknown>, out: PieceBuffer): Generator<void, void, void> {
  const n = items.length;
  if (n === 0) {
    if (out.push('[]')) yield;
    return;
  }
  const numbers = isNumberArray(items);
  out.push('[');
  for (let from = 0; from < n; from += SLICE) {
    const to = Math.min(n, from + SLICE);
    const text = JSON.stringify(numbers ? numberSlice(numbers, from, to) : itemSlice(items, from, to));
    if (out.push(`${from === 0 ? '' : ','}${text.slice(1, -1)}`)) yield;
  }
  if (out.push(']')) yield;
}

type NumberArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

function isNumberArray(items: ArrayLike<unknown>): NumberArray | undefined {
  return ArrayBuffer.isView(items) && !(items instanceof BigInt64Array) && !(items instanceof BigUint64Array) ? (items as NumberArray) : undefined;
}

/**
 * Entries [from, to) of a typed array as a packed array, non-finite ones as null (toJsonValue's
 * rule). No call per entry (`x - x === 0` is the finiteness test): this loop runs once per
 * process, mostly before V8 has optimised it.
 */
function numberSlice(v: NumberArray, from: number, to: number): (number | null)[] {
  const slice: (number | null)[] = [];
  for (let i = from; i < to; i++) {
    const x = v[i]!;
    slice.push(x - x === 0 ? x : null);
  }
  return slice;
}

/** Entries [from, to) as toJsonValue makes them: strings, booleans, null and finite numbers as they are. */
function itemSlice(items: ArrayLike<unknown>, from: number, to: number): unknown[] {
  const slice: unknown[] = [];
  for (let i = from; i < to; i++) {
    const x = items[i];
    const t = typeof x;
    slice.push(t === 'string' || t === 'boolean' || x === null || (t === 'number' && (x as number) - (x as number) === 0) ? x : toJsonValue(x));
  }
  return slice;
}
