import { runSteps, yieldToEventLoop, type Steps } from '@emplace/core';

/**
 * How a model's typed arrays reach a worker (and a result's come back) without stalling
 * the sending thread.
 *
 * `postMessage` structured-clones synchronously: measured on Node 20 3-10 ms per MB of
 * typed arrays (the serializer writes fresh memory) and 10-20 ms per 100,000 strings, all
 * on the sender's event loop (a 32 MB Shapley table stalled the host 130-200 ms). A
 * transferred ArrayBuffer costs nothing to send. So the sender rewrites the value first:
 *   - typed arrays: the buffer is transferred: the caller's own buffer ('move', zero copy,
 *     the caller's array is detached afterwards), or a copy made a slice at a time with a
 *     turn of the event loop whenever ~2 ms have passed ('copy': the caller's
 *     data stays intact and the event loop stays free);
 *   - long lists of strings (node ids, names) become one string and an Int32Array of end
 *     offsets, long lists of numbers one Float64Array (packed, unpacked by the receiver:
 *     its own time, not the sender's);
 *   - everything else (small objects, labels) is structured-cloned as before.
 * 'clone' skips all of this: one synchronous structured clone.
 */
export type TransferMode = 'copy' | 'move' | 'clone';

/** A packed list at `path` inside the value (a path of [] is the value itself). */
export type PackedList =
  /** UTF-8 text of each PACK_CHUNK strings, and each string's end (UTF-16 units) within its chunk's text. */
  | { path: readonly (string | number)[]; kind: 'strings'; chunks: Uint8Array[]; ends: Int32Array }
  | { path: readonly (string | number)[]; kind: 'numbers'; values: Float64Array }
  /** A long list of objects sent as parts (Encoded.parts, in separate messages): the concatenation of these parts. */
  | { path: readonly (string | number)[]; kind: 'parts'; indices: number[] }
  /**
   * A list the receiver sent itself: the list at `at` in the model it posted (a Fiedler
   * result's 90,000 node ids are the model's own `ids`). Nothing is copied either way:
   * packing those ids into every incumbent and the result cost the worker 7-40 ms each,
   * and unpacking them the host 5-48 ms (issue 13).
   */
  | { path: readonly (string | number)[]; kind: 'model'; at: readonly (string | number)[] };

/** Lists a worker received in its model (decodeModel), each with its path there: sent back by reference. */
export type KnownLists = ReadonlyMap<object, readonly (string | number)[]>;

/** A slice of a long list of objects, posted on its own (its clone is one bounded step). */
export interface Part {
  items: unknown[];
  transfer: ArrayBuffer[];
}

export interface Encoded {
  value: unknown;
  packed: PackedList[];
  transfer: ArrayBuffer[];
  /** Posted before the value's own message, in this order (receivers keep them until that message). */
  parts: Part[];
}

/** Typed arrays smaller than this ride along in the structured clone (cheap; not worth a transfer). */
const MIN_COPY_BYTES = 4096;
/** Lists of primitives at least this long are packed. */
const MIN_PACKED_LENGTH = 256;
/**
 * Work between checkpoints: bytes copied, entries packed, nodes walked. Small, because
 * writing fresh memory is slow where pages are first touched (measured ~10 ms per MB on
 * the benchmark VM, against ~0.3 ms per MB for a copy into touched memory).
 */
const COPY_CHUNK_BYTES = 1 << 16;
/** Strings (or numbers) per packing step: 4096 strings joined and UTF-8 encoded were 2-4 ms steps on the loaded benchmark VM. */
const PACK_CHUNK = 2048;
const NODES_PER_STEP = 256;
/**
 * Lists of objects at least SPLIT_LENGTH long go as parts of PART_SIZE entries: a structured
 * clone of 10,000 market bids (two small Int32Arrays each) blocked the sender 70-130 ms.
 */
const SPLIT_LENGTH = 1024;
const PART_SIZE = 256;
/** Depth of the walk; deeper parts are structured-cloned as they are. */
const MAX_DEPTH = 8;

/** What the copy needs of any typed array (Float64Array ... BigInt64Array). */
interface TypedArray extends ArrayBufferView {
  readonly length: number;
  subarray(begin: number, end: number): TypedArray;
  set(source: TypedArray, offset: number): void;
}

class Encoder {
  readonly packed: PackedList[] = [];
  readonly parts: Part[] = [];
  /** Buffers moved with the value's own message (packed lists always go there: their records do). */
  readonly transfer = new Set<ArrayBuffer>();
  /** The transfer list of the message being filled (the value's own, or a part's). */
  private current = this.transfer;
  /** Which message each buffer is moved with: a buffer can be moved once; another message's reference gets a copy. */
  private readonly claimed = new Map<ArrayBuffer, Set<ArrayBuffer>>();
  /** What each object already walked became, within one message (shared parts stay shared, cycles end). */
  private seen = new Map<object, unknown>();
  /** Lists already packed: a second reference records a second place for the same data. */
  private readonly packedLists = new Map<object, PackedList>();
  /** The keys from the root to the node being walked. */
  private readonly path: (string | number)[] = [];
  private nodes = 0;

  constructor(
    private readonly mode: 'copy' | 'move',
    private readonly known?: KnownLists | undefined,
  ) {}

  /**
   * The value with its typed arrays made transferable and its long lists packed: a copy of
   * each container that changed, the same reference where nothing did (the caller's objects
   * are never written); a packed list's place holds null until the receiver puts it back.
   */
  *walk(value: unknown): Steps<unknown> {
    if (value === null || typeof value !== 'object' || this.path.length > MAX_DEPTH) return value;
    const at = this.known?.get(value);
    if (at) {
      this.packed.push({ path: [...this.path], kind: 'model', at });
      return null;
    }
    const packed = this.packedLists.get(value);
    if (packed) {
      this.packed.push({ ...packed, path: [...this.path] });
      return null;
    }
    if (this.seen.has(value)) return this.seen.get(value);
    if (++this.nodes % NODES_PER_STEP === 0) yield;
    if (ArrayBuffer.isView(value)) {
      const out = yield* this.view(value);
      this.seen.set(value, out);
      return out;
    }
    if (Array.isArray(value)) {
      if (value.length >= MIN_PACKED_LENGTH) {
        const list = (yield* this.pack(value)) ?? (value.length >= SPLIT_LENGTH ? this.splitRecord() : undefined);
        if (list) {
          this.packedLists.set(value, list);
          this.packed.push(list);
          if (list.kind === 'parts') yield* this.split(value, list);
          return null;
        }
      }
      return yield* this.children(value, value.keys(), () => value.slice());
    }
    // Plain objects and class instances clone as their own enumerable properties; Map, Set, Date, ... as they are.
    if (Object.prototype.toString.call(value) !== '[object Object]') return value;
    return yield* this.children(value, Object.keys(value), () => ({ ...value }));
  }

  private splitRecord(): PackedList {
    return { path: [...this.path], kind: 'parts', indices: [] };
  }

  /**
   * Walks a long list of objects into parts of PART_SIZE entries, each its own message with
   * its own transfer list (and its own `seen`: an object in two parts is sent twice).
   * The record is pushed before the entries are walked, so that packed lists inside an
   * entry are put back after the list itself.
   */
  private *split(list: readonly unknown[], record: Extract<PackedList, { kind: 'parts' }>): Steps<void> {
    const { seen, current } = this;
    for (let at = 0; at < list.length; at += PART_SIZE) {
      const end = Math.min(list.length, at + PART_SIZE);
      this.seen = new Map();
      this.current = new Set();
      const items = new Array<unknown>(end - at);
      for (let i = at; i < end; i++) {
        this.path.push(i);
        items[i - at] = yield* this.walk(list[i]);
        this.path.pop();
      }
      record.indices.push(this.parts.length);
      this.parts.push({ items, transfer: [...this.current] });
    }
    this.seen = seen;
    this.current = current;
  }

  /** Walks the entries of a container; copies it (once) when an entry changed. */
  private *children(value: object, keys: Iterable<string | number>, shallowCopy: () => object): Steps<unknown> {
    this.seen.set(value, value);
    const rec = value as Record<string | number, unknown>;
    let copy: Record<string | number, unknown> | undefined;
    for (const key of keys) {
      const v = rec[key];
      this.path.push(key);
      const w = yield* this.walk(v);
      this.path.pop();
      if (w !== v) {
        if (copy === undefined) {
          copy = shallowCopy() as Record<string | number, unknown>;
          this.seen.set(value, copy);
        }
        copy[key] = w;
      }
    }
    return copy ?? value;
  }

  private *view(v: ArrayBufferView): Steps<unknown> {
    const buffer = v.buffer;
    // Shared memory is shared, not copied; a DataView is rare: both go by structured clone.
    if (!(buffer instanceof ArrayBuffer) || v instanceof DataView || v.byteLength === 0) return v;
    const owner = this.claimed.get(buffer);
    if (this.mode === 'move' && (owner === undefined || owner === this.current)) {
      this.claim(buffer);
      return v;
    }
    if (this.mode === 'copy' && v.byteLength < MIN_COPY_BYTES) return v;
    const src = v as TypedArray;
    const Ctor = src.constructor as new (length: number) => TypedArray;
    const copy = new Ctor(src.length);
    const per = Math.max(1, Math.floor(COPY_CHUNK_BYTES / (src.byteLength / src.length)));
    for (let at = 0; at < src.length; at += per) {
      copy.set(src.subarray(at, Math.min(src.length, at + per)), at);
      yield;
    }
    this.claim(copy.buffer as ArrayBuffer);
    return copy;
  }

  private claim(buffer: ArrayBuffer): void {
    this.claimed.set(buffer, this.current);
    this.current.add(buffer);
  }

  /** Packs a list of only strings or only numbers; undefined for any other list. */
  private *pack(list: readonly unknown[]): Steps<PackedList | undefined> {
    const kind = typeof list[0];
    if (kind !== 'string' && kind !== 'number') return undefined;
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== kind) return undefined;
      if (i % PACK_CHUNK === PACK_CHUNK - 1) yield;
    }
    if (kind === 'number') {
      const values = new Float64Array(list.length);
      for (let at = 0; at < list.length; at += PACK_CHUNK) {
        const end = Math.min(list.length, at + PACK_CHUNK);
        for (let i = at; i < end; i++) values[i] = list[i] as number;
        yield;
      }
      this.transfer.add(values.buffer);
      return { path: [...this.path], kind: 'numbers', values };
    }
    const ends = new Int32Array(list.length);
    const chunks: Uint8Array[] = [];
    const utf8 = new TextEncoder();
    for (let at = 0; at < list.length; at += PACK_CHUNK) {
      const end = Math.min(list.length, at + PACK_CHUNK);
      let length = 0;
      for (let i = at; i < end; i++) {
        const str = list[i] as string;
        // A lone surrogate would not survive UTF-8: such a list goes by structured clone.
        if (!isWellFormed(str)) return undefined;
        length += str.length;
        ends[i] = length;
      }
      chunks.push(utf8.encode((list as readonly string[]).slice(at, end).join('')));
      yield;
    }
    this.transfer.add(ends.buffer);
    for (const c of chunks) this.transfer.add(c.buffer as ArrayBuffer);
    return { path: [...this.path], kind: 'strings', chunks, ends };
  }
}

/** The encoding as steps: one step per ~1 MB copied, per 16k list entries or per 512 nodes walked. */
function* encodeSteps(value: unknown, mode: 'copy' | 'move', known?: KnownLists): Steps<Encoded> {
  const enc = new Encoder(mode, known);
  const out = yield* enc.walk(value);
  return { value: out, packed: enc.packed, transfer: [...enc.transfer], parts: enc.parts };
}

/**
 * Time the sender may work between turns of its event loop while encoding or decoding.
 * The host's stall budget (20 ms) also has to absorb the time its thread waits for a CPU
 * while the worker and V8's compiler threads run: a 4 ms slice left the pool's kcenter
 * solve at 21.5 ms on an idle 2-core machine (7.9 ms of it on the host's CPU); at 2 ms the
 * fiedler and shapley solves still reached 20-24 ms (issue 13), so 1 ms.
 */
const SLICE_MS = 1;

/**
 * Drives steps to the end, giving the event loop a turn whenever ~SLICE_MS have passed.
 * The first step waits for a turn too: called from a timer callback, a first slice run at
 * once and the next one (an immediate of the same loop iteration) would block as one.
 */
async function runSliced<T>(steps: Steps<T>): Promise<T> {
  await yieldToEventLoop();
  let slice = performance.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    if (performance.now() - slice >= SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
  }
}

/**
 * runSliced for a thread that only has to see `stopped()` (a worker decoding its model):
 * a turn of its event loop every WORKER_SLICE_MS, the test between every two steps; undefined when stopped.
 */
async function runUnlessStopped<T>(steps: Steps<T>, stopped: () => boolean): Promise<T | undefined> {
  let slice = performance.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (stopped()) return undefined;
    if (r.done) return r.value;
    if (performance.now() - slice >= WORKER_SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
  }
}

/** A worker's event loop has no one waiting on it but the abort message (where there is no shared memory). */
const WORKER_SLICE_MS = 10;

/**
 * Encodes `value` for postMessage without blocking the event loop for more than ~SLICE_MS
 * at a time ('copy' / 'move'); 'clone' returns it unchanged with nothing to transfer.
 */
export function encodeForPost(value: unknown, mode: TransferMode): Promise<Encoded> {
  if (mode === 'clone') return Promise.resolve({ value, packed: [], transfer: [], parts: [] });
  return runSliced(encodeSteps(value, mode));
}

/**
 * The same encoding done at once (a worker copying an incumbent the solver keeps mutating);
 * lists in `known` (the worker's model, decodeModel) go as references to the model.
 */
export function encodeNow(value: unknown, mode: 'copy' | 'move', known?: KnownLists): Encoded {
  return runSteps(encodeSteps(value, mode, known));
}

/**
 * Posts the parts of an encoding, in order, giving the event loop a turn whenever ~SLICE_MS
 * have passed; false when `stopped()` says to give up (an abort) before all were sent.
 */
export async function postParts(parts: readonly Part[], post: (part: Part) => void, stopped: () => boolean): Promise<boolean> {
  let slice = performance.now();
  for (const part of parts) {
    if (stopped()) return false;
    post(part);
    if (performance.now() - slice >= SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
  }
  return !stopped();
}

/**
 * Puts the packed lists (and the lists sent as parts, received before the value) back into
 * a received value, in place, a slice at a time; `model` is the model this side sent (for
 * lists sent back by reference).
 */
export function decodeReceived(value: unknown, packed: readonly PackedList[] | undefined, parts: readonly unknown[][] = [], model?: unknown): Promise<unknown> {
  if (!packed || packed.length === 0) return Promise.resolve(value);
  return runSliced(decodeSteps(value, packed, parts, model));
}

/** decodeReceived at once (incumbents: kept in arrival order). */
export function decodeNow(value: unknown, packed: readonly PackedList[] | undefined, parts: readonly unknown[][] = [], model?: unknown): unknown {
  if (!packed || packed.length === 0) return value;
  return runSteps(decodeSteps(value, packed, parts, model));
}

/** True when decoding takes more than putting back lists of the model (references): worth slicing. */
export function decodingWorks(packed: readonly PackedList[] | undefined): boolean {
  return packed !== undefined && packed.some((p) => p.kind !== 'model');
}

/**
 * A worker's model, decoded with the test `stopped()` between steps (undefined when it
 * stopped first: an abort while the model was arriving), and the lists it holds by path
 * (`known`: a result or incumbent that contains one of them sends a reference).
 */
export async function decodeModel(value: unknown, packed: readonly PackedList[], parts: readonly unknown[][], stopped: () => boolean): Promise<{ model: unknown; known: KnownLists } | undefined> {
  const known = new Map<object, readonly (string | number)[]>();
  const model = await runUnlessStopped(decodeSteps(value, packed, parts, undefined, known), stopped);
  return model === undefined ? undefined : { model, known };
}

function* decodeSteps(value: unknown, packed: readonly PackedList[], parts: readonly unknown[][], model: unknown, known?: Map<object, readonly (string | number)[]>): Steps<unknown> {
  let root = value;
  const done = new Map<object, unknown[]>();
  for (const p of packed) {
    let list: unknown[] | undefined;
    if (p.kind === 'model') list = modelList(model, p.at);
    else {
      const data = p.kind === 'strings' ? p.ends : p.kind === 'numbers' ? p.values : p.indices;
      // The same list at two places (a shared reference) comes back as one list.
      list = done.get(data);
      if (!list) {
        list = p.kind === 'parts' ? yield* joinParts(p.indices, parts) : yield* unpack(p);
        done.set(data, list);
        if (known && !known.has(list)) known.set(list, p.path);
      }
    }
    if (p.path.length === 0) root = list;
    else setAt(root, p.path, list);
  }
  return root;
}

/** The list at `path` in the model this side sent. */
function modelList(model: unknown, path: readonly (string | number)[]): unknown[] {
  let node = model;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  if (!Array.isArray(node)) throw new Error(`@emplace/pool: the model has no list at ${path.join('.')} (changed while it was solved?)`);
  return node;
}

function* joinParts(indices: readonly number[], parts: readonly unknown[][]): Steps<unknown[]> {
  const out: unknown[] = [];
  for (const i of indices) {
    const items = parts[i];
    if (items === undefined) throw new Error(`@emplace/pool: part ${i} of a list is missing`);
    for (const item of items) out.push(item);
    yield;
  }
  return out;
}

function* unpack(p: Extract<PackedList, { kind: 'strings' | 'numbers' }>): Steps<unknown[]> {
  if (p.kind === 'numbers') {
    const out = new Array<number>(p.values.length);
    for (let at = 0; at < out.length; at += PACK_CHUNK) {
      for (let i = at; i < Math.min(out.length, at + PACK_CHUNK); i++) out[i] = p.values[i]!;
      yield;
    }
    return out;
  }
  const out = new Array<string>(p.ends.length);
  const utf8 = new TextDecoder();
  for (let c = 0; c < p.chunks.length; c++) {
    const text = utf8.decode(p.chunks[c]);
    let start = 0;
    for (let i = c * PACK_CHUNK; i < Math.min(out.length, (c + 1) * PACK_CHUNK); i++) {
      const stop = p.ends[i]!;
      out[i] = text.slice(start, stop);
      start = stop;
    }
    yield;
  }
  return out;
}

/** String.prototype.isWellFormed where the runtime has it (Node 20, current browsers); otherwise a scan for lone surrogates. */
function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') return native.call(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function setAt(root: unknown, path: readonly (string | number)[], v: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]!] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = v;
}
