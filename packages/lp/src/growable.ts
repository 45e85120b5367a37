/**
 * Append-only typed-array buffers that double their capacity when full, so a model with
 * hundreds of thousands of coefficients is built without one JavaScript object per
 * nonzero and with O(1) amortised appends.
 */

export class GrowableFloat64 {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Float64Array(Math.max(1, capacity));
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

  /** A view of the filled part; valid until the next append. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  /** A detached copy of the filled part. */
  copy(): Float64Array {
    return this.data.slice(0, this.length);
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableInt32 {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(1, capacity));
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

  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra);
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  copy(): Int32Array {
    return this.data.slice(0, this.length);
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableUint8 {
  private data: Uint8Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Uint8Array(Math.max(1, capacity));
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

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }

  copy(): Uint8Array {
    return this.data.slice(0, this.length);
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
