/*
 * Large typed arrays over a Node IPC channel in pieces. `child.send` serializes a message
 * synchronously, and the receiver deserializes it in one go: a 25 MB model blocked the
 * sender's event loop for 120-190 ms (2 loaded cores) and took 0.5-1 s to arrive. Sent as
 * 256 kB pieces with an event-loop turn between them, no step blocks more than a few ms and
 * 25 MB arrives in ~80 ms. A message's typed arrays above the piece size (top level or one
 * object down: `model.rowIndex`, `outcome.x`) travel first, as `Piece` messages in order; the
 * message itself follows with empty arrays of the same type and a list of what to fill in.
 */

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Uint16Array | Int16Array;
type TypedCtor = new (length: number) => Typed;

const PIECE_BYTES = 1 << 18;

/** One piece of a large array (the receiver appends pieces in arrival order). */
export interface Piece {
  type: 'piece';
  data: Typed;
}

/** What a message carried in pieces: [property path, element count], in sending order. */
interface Pieced {
  pieced: [string[], number][];
}

function isTyped(v: unknown): v is Typed {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !isTyped(v) && !Array.isArray(v);
}

/**
 * The message without its large arrays (shallow copies down to them; the caller's object is
 * unchanged), and those arrays in order. Messages with none come back as they are.
 */
export function splitLarge<T extends object>(message: T): { head: T; large: Typed[] } {
  const large: Typed[] = [];
  const pieced: [string[], number][] = [];
  const strip = (obj: Record<string, unknown>, path: string[], depth: number): Record<string, unknown> => {
    let out = obj;
    for (const [key, v] of Object.entries(obj)) {
      let replacement: unknown = v;
      if (isTyped(v) && v.byteLength > PIECE_BYTES) {
        large.push(v);
        pieced.push([[...path, key], v.length]);
        replacement = new (v.constructor as TypedCtor)(0);
      } else if (depth > 0 && isPlainObject(v)) replacement = strip(v, [...path, key], depth - 1);
      if (replacement !== v) {
        if (out === obj) out = { ...obj };
        out[key] = replacement;
      }
    }
    return out;
  };
  const head = strip(message as Record<string, unknown>, [], 1);
  if (large.length === 0) return { head: message, large };
  return { head: { ...head, pieced } as T, large };
}

/** The pieces of `large`, in order (views, no copies). */
export function* piecesOf(large: readonly Typed[]): Generator<Piece> {
  for (const a of large) {
    const per = Math.max(1, Math.floor(PIECE_BYTES / a.BYTES_PER_ELEMENT));
    for (let at = 0; at < a.length; at += per) yield { type: 'piece', data: a.subarray(at, at + per) };
  }
}

export function isPiece(m: unknown): m is Piece {
  return isPlainObject(m) && m['type'] === 'piece';
}

/**
 * The receiving side: `take` stores pieces (true) and returns false for any other message,
 * which `join` then completes from the stored pieces.
 */
export function pieceAssembler(): { take(m: unknown): boolean; join<T>(m: T): T } {
  let stored: Typed[] = [];
  return {
    take(m) {
      if (!isPiece(m)) return false;
      stored.push(m.data);
      return true;
    },
    join<T>(m: T): T {
      if (!isPlainObject(m) || !Array.isArray(m['pieced'])) return m;
      const { pieced, ...rest } = m as unknown as Pieced & Record<string, unknown>;
      let next = 0;
      for (const [path, length] of pieced) {
        let holder: Record<string, unknown> = rest;
        for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
        const key = path[path.length - 1]!;
        const out = new ((holder[key] as Typed).constructor as TypedCtor)(length);
        for (let at = 0; at < length; ) {
          const piece = stored[next++];
          if (piece === undefined) throw new Error(`@emplace/lp worker channel: ${path.join('.')} arrived incomplete (${at} of ${length})`);
          out.set(piece, at);
          at += piece.length;
        }
        holder[key] = out;
      }
      stored = [];
      return rest as T;
    },
  };
}
