/**
 * An indexed binary min-heap over the items 0..capacity-1 with float keys, stored in
 * typed arrays. `decrease` moves an item already in the heap up, so Dijkstra and Prim
 * push each node once (no stale entries, no allocation while running).
 */
export class IndexedMinHeap {
  /** heap[k] = item at heap slot k. */
  private readonly heap: Int32Array;
  /** pos[item] = its slot, or -1 when the item is not in the heap. */
  private readonly pos: Int32Array;
  private readonly key: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.key = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.pos.length;
  }

  has(item: number): boolean {
    return this.pos[item]! >= 0;
  }

  keyOf(item: number): number {
    return this.key[item]!;
  }

  /** Inserts `item` with `key`, or lowers its key if it is present with a larger one. */
  push(item: number, key: number): void {
    const p = this.pos[item]!;
    if (p >= 0) {
      if (key < this.key[item]!) {
        this.key[item] = key;
        this.up(p);
      }
      return;
    }
    this.key[item] = key;
    const slot = this.count++;
    this.heap[slot] = item;
    this.pos[item] = slot;
    this.up(slot);
  }

  /** The item with the smallest key (undefined behaviour on an empty heap: check `size`). */
  peek(): number {
    return this.heap[0]!;
  }

  /** Removes and returns the item with the smallest key. */
  pop(): number {
    const top = this.heap[0]!;
    this.pos[top] = -1;
    const last = this.heap[--this.count]!;
    if (this.count > 0) {
      this.heap[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  /** Empties the heap in O(size). */
  clear(): void {
    for (let k = 0; k < this.count; k++) this.pos[this.heap[k]!] = -1;
    this.count = 0;
  }

  private up(slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const key = this.key;
    const item = heap[slot]!;
    const k = key[item]!;
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      const pItem = heap[parent]!;
      if (key[pItem]! <= k) break;
      heap[slot] = pItem;
      pos[pItem] = slot;
      slot = parent;
    }
    heap[slot] = item;
    pos[item] = slot;
  }

  private down(slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const key = this.key;
    const n = this.count;
    const item = heap[slot]!;
    const k = key[item]!;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && key[heap[right]!]! < key[heap[child]!]!) child = right;
      const cItem = heap[child]!;
      if (key[cItem]! >= k) break;
      heap[slot] = cItem;
      pos[cItem] = slot;
      slot = child;
    }
    heap[slot] = item;
    pos[item] = slot;
  }
}
