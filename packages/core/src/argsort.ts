import { runSteps, type Steps } from './steps.js';

/**
 * Indices sorted by key, ties by index, in O(m): an LSD radix sort (four 16-bit passes) on
 * the IEEE-754 bit patterns, mapped so that unsigned order is numeric order (negative keys:
 * all bits flipped; others: the sign bit set); a comparator sort below RADIX_MIN_KEYS keys.
 * NaN is not expected (weights are validated).
 */
export function argsortStable(keys: Float64Array): Int32Array {
  return runSteps(argsortStableSteps(keys));
}

/**
 * Below this many keys the order comes from a comparator sort (the same order, no checkpoint:
 * ~2 ms warm at the limit). The radix passes' loops over their 65,536 counts run in cold code
 * on a first call: 24-50 ms for 8,000-12,000 keys against 3-4 ms for the comparator (a
 * steiner solve's first Mehlhorn tree, finished after a stop, issue 13).
 */
export const RADIX_MIN_KEYS = 1 << 14;

/** Keys mapped, counted or scattered between two checkpoints of argsortStableSteps. */
const SORT_CHUNK = 1 << 16;

/**
 * `argsortStable` as steps: a checkpoint every SORT_CHUNK keys of the key mapping and of
 * each radix pass (a pass over a million keys was one 35-45 ms stretch: its scatter writes
 * land all over memory).
 */
export function* argsortStableSteps(keys: Float64Array): Steps<Int32Array> {
  const m = keys.length;
  if (m < RADIX_MIN_KEYS) {
    const order = new Int32Array(m);
    for (let i = 0; i < m; i++) order[i] = i;
    // Infinity - Infinity is NaN: equal infinite keys fall to the index, as equal finite ones.
    return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  }
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * m);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  let order = new Int32Array(m);
  let next = new Int32Array(m);
  for (let at = 0; at < m; at += SORT_CHUNK) {
    for (let i = at, end = Math.min(m, at + SORT_CHUNK); i < end; i++) order[i] = i;
    yield;
  }
  const count = new Int32Array(65537);
  // The mapped words are computed in each pass, not stored: two arrays of m words less to
  // allocate (issue 13: a million-edge MST allocated ~28 MB of typed arrays, and V8 answers
  // external memory with a full collection of the host's heap, a 35-95 ms stall).
  for (const [high, shift] of [[false, 0], [false, 16], [true, 0], [true, 16]] as const) {
    count.fill(0);
    for (let at = 0; at < m; at += SORT_CHUNK) {
      for (let i = at, end = Math.min(m, at + SORT_CHUNK); i < end; i++) count[((mappedWord(keys, bits, little, i, high) >>> shift) & 0xffff) + 1]!++;
      if (at + SORT_CHUNK < m) yield;
    }
    let allSame = false;
    for (let d = 0; d < 65536; d++) {
      if (count[d + 1] === m) allSame = true;
      count[d + 1]! += count[d]!;
    }
    if (allSame) continue; // this digit is equal everywhere: the pass would not change the order
    for (let at = 0; at < m; at += SORT_CHUNK) {
      for (let k = at, end = Math.min(m, at + SORT_CHUNK); k < end; k++) {
        const i = order[k]!;
        next[count[(mappedWord(keys, bits, little, i, high) >>> shift) & 0xffff]!++] = i;
      }
      if (at + SORT_CHUNK < m) yield;
    }
    const t = order;
    order = next;
    next = t;
    yield;
  }
  return order;
}

/**
 * The high or low 32-bit word of keys[i] mapped so that the unsigned order of (high, low)
 * is the keys' numeric order: negative keys have all bits flipped, the others the sign bit
 * set; -0 and +0 are the same key.
 */
function mappedWord(keys: Float64Array, bits: Uint32Array, little: boolean, i: number, high: boolean): number {
  if (keys[i] === 0) return high ? 0x80000000 : 0;
  const h = bits[little ? 2 * i + 1 : 2 * i]!;
  const word = high ? h : bits[little ? 2 * i : 2 * i + 1]!;
  if (h & 0x80000000) return ~word >>> 0;
  return high ? (h | 0x80000000) >>> 0 : word;
}
