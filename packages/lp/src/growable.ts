/**
 * Append-only typed-array buffers that double their capacity when full, so a model with
 * hundreds of thousands of coefficients is built without one JavaScript object per
 * nonzero and with O(1) amortised appends.
 */

import { zeroedArray, type NumericArray, type NumericArrayConstructor } from './zeroed-array.js';

/** One buffer type for every element type; the subclasses below only fix the array kind. */
class GrowableArray<T extends NumericArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly make: NumericArrayConstructor<T>,
    capacity: number,
  ) {
    this.data = zeroedArray(make, Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** Makes room for `extra` more entries at once (used by bulk appends). */
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra);
  }

  /**
   * Makes room for `total` entries in all, allocated at exactly that size: a builder that
   * knows its size up front then never doubles (a doubling of a multi-million-entry array
   * copies it in one stretch, and the discarded buffer is more garbage to collect). The new
   * buffer's pages are zeroed as they are written (zeroedArray). True when it allocated.
   */
  ensureCapacity(total: number): boolean {
    if (total <= this.data.length) return false;
    const next = zeroedArray(this.make, total);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
    return true;
  }

  /** Entries the buffer holds before it must grow. */
  get capacity(): number {
    return this.data.length;
  }

  /** A view of the filled part; valid until the next append. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** A detached copy of the filled part. */
  copy(): T {
    return this.data.slice(0, this.length) as T;
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = zeroedArray(this.make, cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableFloat64 extends GrowableArray<Float64Array> {
  constructor(capacity = 16) {
    super(Float64Array, capacity);
  }
}

export class GrowableInt32 extends GrowableArray<Int32Array> {
  constructor(capacity = 16) {
    super(Int32Array, capacity);
  }
}

export class GrowableUint8 extends GrowableArray<Uint8Array> {
  constructor(capacity = 16) {
    super(Uint8Array, capacity);
  }
}
