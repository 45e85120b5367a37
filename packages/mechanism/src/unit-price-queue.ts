import type { Steps } from '@emplace/core';

/** Sift-downs (or pops) per step of the queue's construction: a checkpoint after each batch. */
export const QUEUE_STEP = 4096;

/**
 * Bids in clearing order, highest unit price first (ties: the earlier bid), as a binary heap
 * built in O(n) steps: a uniform-price auction fills its supply from the top and needs only
 * the winners and the first rejected bid in order, not a full sort of every bid (one
 * synchronous Array.prototype.sort of 20,000 bids with a comparator was a stretch of its own,
 * and grows as n log n).
 */
export class UnitPriceQueue {
  private readonly heap: Int32Array;
  private size: number;

  /** `ids`: candidate bids (taken over, not copied); `price`: unit price per bid index. */
  private constructor(
    ids: Int32Array,
    count: number,
    private readonly price: Float64Array,
  ) {
    this.heap = ids;
    this.size = count;
  }

  /** Heapifies the first `count` entries of `ids`, a checkpoint every QUEUE_STEP sift-downs. */
  static *build(ids: Int32Array, count: number, price: Float64Array): Steps<UnitPriceQueue> {
    const q = new UnitPriceQueue(ids, count, price);
    for (let i = (count >> 1) - 1, done = 0; i >= 0; i--) {
      q.siftDown(i);
      if (++done === QUEUE_STEP) {
        done = 0;
        yield;
      }
    }
    return q;
  }

  get length(): number {
    return this.size;
  }

  /** Removes and returns the next bid in clearing order (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0]!;
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size]!;
      this.siftDown(0);
    }
    return top;
  }

  /** a comes before b: higher unit price, or the same price and an earlier bid. */
  private before(a: number, b: number): boolean {
    const pa = this.price[a]!;
    const pb = this.price[b]!;
    return pa > pb || (pa === pb && a < b);
  }

  private siftDown(start: number): void {
    const h = this.heap;
    const n = this.size;
    let i = start;
    const x = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(h[child + 1]!, h[child]!)) child++;
      if (!this.before(h[child]!, x)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = x;
  }
}
