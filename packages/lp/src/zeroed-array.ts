/**
 * Large zero-filled typed arrays whose pages are zeroed when first written, not all at once
 * when allocated (issue 13).
 *
 * `new Int32Array(n)` asks the allocator for zeroed memory (calloc). glibc maps a request
 * above its mmap threshold afresh (the kernel zeroes each page on first touch), but that
 * threshold rises after a large block is freed, up to 32 MiB on 64-bit, and a smaller
 * request is then served from reused heap memory that calloc clears in one memset. On the
 * 2-core VM every first touch of a page is a fault (~3 ms per MB): three 20 MB Int32Arrays
 * took up to 110 ms of CPU in one call after an earlier model of the same size was
 * collected, and LinearModel.reserve of a 5M-column model held the event loop for 60-140 ms
 * in the allocation alone (robust:mip). A buffer of at least FRESH_MAPPING_BYTES is always
 * mapped afresh, so an array from LAZY_MIN_BYTES up gets one: the pages past its end are
 * virtual only (never touched, no memory used), and the array's own pages are faulted in by
 * the writes that fill it, which the builders spread over turns of the event loop. The
 * array is an ordinary (non-resizable) typed array, zero-filled like `new T(n)`: a
 * resizable ArrayBuffer is also mapped afresh, but element access on it measured 1.2-2x
 * slower. Other allocators (browsers, musl) simply see a larger allocation.
 */

export type NumericArray = Float64Array | Int32Array | Uint8Array;

/** What zeroedArray needs of Float64Array, Int32Array or Uint8Array. */
export interface NumericArrayConstructor<T extends NumericArray> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Below this an array is allocated as usual: a memset of under 4 MB is ~12 ms at worst on
 * the VM. Not lower: V8 counts the whole buffer as external memory and answers large jumps
 * of it with garbage collections, so the padding must stay within 8x of the array.
 */
export const LAZY_MIN_BYTES = 4 << 20;

/** glibc's largest mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX, 32 MiB) plus a page: always a fresh mapping. */
export const FRESH_MAPPING_BYTES = 32 * 2 ** 20 + 4096;

/**
 * A zero-filled array of `length` elements, like `new make(length)`, whose memory is not
 * touched by the allocation when it is LAZY_MIN_BYTES or more. Its `buffer` may be larger
 * than the array (up to FRESH_MAPPING_BYTES): copy it with `slice()`, not by its buffer.
 */
export function zeroedArray<T extends NumericArray>(make: NumericArrayConstructor<T>, length: number): T {
  const bytes = length * make.BYTES_PER_ELEMENT;
  if (bytes < LAZY_MIN_BYTES || bytes >= FRESH_MAPPING_BYTES) return new make(length);
  return new make(new ArrayBuffer(FRESH_MAPPING_BYTES), 0, length);
}
