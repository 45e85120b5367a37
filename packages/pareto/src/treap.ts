/**
 * An ordered map from number keys to int payloads: a treap (randomised balanced binary
 * search tree) in typed arrays, expected O(log n) per operation. Used as the staircase of
 * the 3D non-dominated sort and of the 3D hypervolume sweep, where every point is inserted
 * and removed at most once, giving O(n log n) overall. Keys are unique by construction of
 * both callers.
 */
export class Treap {
  private key: Float64Array;
  private val: Int32Array;
  private pri: Uint32Array;
  private left: Int32Array;
  private right: Int32Array;
  private root = -1;
  private free: number[] = [];
  private used = 0;
  private seed = 0x2545f491;
  size = 0;

  constructor(capacity = 16) {
    this.key = new Float64Array(capacity);
    this.val = new Int32Array(capacity);
    this.pri = new Uint32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
  }

  clear(): void {
    this.root = -1;
    this.free.length = 0;
    this.used = 0;
    this.size = 0;
  }

  private alloc(k: number, v: number): number {
    let node: number;
    if (this.free.length > 0) node = this.free.pop()!;
    else {
      if (this.used === this.key.length) this.grow();
      node = this.used++;
    }
    this.key[node] = k;
    this.val[node] = v;
    // xorshift32 priorities: deterministic, independent of the caller's RNG.
    let s = this.seed;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.seed = s >>> 0;
    this.pri[node] = this.seed;
    this.left[node] = -1;
    this.right[node] = -1;
    return node;
  }

  private grow(): void {
    const cap = this.key.length * 2;
    const k = new Float64Array(cap); k.set(this.key); this.key = k;
    const v = new Int32Array(cap); v.set(this.val); this.val = v;
    const p = new Uint32Array(cap); p.set(this.pri); this.pri = p;
    const l = new Int32Array(cap); l.set(this.left); this.left = l;
    const r = new Int32Array(cap); r.set(this.right); this.right = r;
  }

  /** Inserts (key, value); the key must not be present. */
  insert(k: number, v: number): void {
    const node = this.alloc(k, v);
    this.root = this.insertAt(this.root, node);
    this.size++;
  }

  private insertAt(t: number, node: number): number {
    if (t < 0) return node;
    if (this.pri[node]! > this.pri[t]!) {
      this.splitInto(t, this.key[node]!, node);
      return node;
    }
    if (this.key[node]! < this.key[t]!) this.left[t] = this.insertAt(this.left[t]!, node);
    else this.right[t] = this.insertAt(this.right[t]!, node);
    return t;
  }

  /** Splits subtree t by key k into node's left (< k) and right (>= k) children. */
  private splitInto(t: number, k: number, node: number): void {
    // Iterative split writing into the node's child slots.
    let lHook = node;
    let lSide = 0; // 0 = left child of hook
    let rHook = node;
    let rSide = 1;
    let cur = t;
    const setChild = (hook: number, side: number, child: number): void => {
      if (side === 0) this.left[hook] = child;
      else this.right[hook] = child;
    };
    while (cur >= 0) {
      if (this.key[cur]! < k) {
        setChild(lHook, lSide, cur);
        lHook = cur;
        lSide = 1;
        cur = this.right[cur]!;
      } else {
        setChild(rHook, rSide, cur);
        rHook = cur;
        rSide = 0;
        cur = this.left[cur]!;
      }
    }
    setChild(lHook, lSide, -1);
    setChild(rHook, rSide, -1);
  }

  /** Removes the entry with exactly this key (no-op when absent). */
  remove(k: number): void {
    let parent = -1;
    let t = this.root;
    while (t >= 0 && this.key[t] !== k) {
      parent = t;
      t = k < this.key[t]! ? this.left[t]! : this.right[t]!;
    }
    if (t < 0) return;
    const merged = this.merge(this.left[t]!, this.right[t]!);
    if (parent < 0) this.root = merged;
    else if (this.left[parent] === t) this.left[parent] = merged;
    else this.right[parent] = merged;
    this.free.push(t);
    this.size--;
  }

  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if (this.pri[a]! > this.pri[b]!) {
      this.right[a] = this.merge(this.right[a]!, b);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b]!);
    return b;
  }

  /** Node of the largest key <= k, or -1. */
  floor(k: number): number {
    return this.below(k, false);
  }

  /** Node of the largest key < k, or -1. */
  lower(k: number): number {
    return this.below(k, true);
  }

  /** Node of the smallest key >= k, or -1. */
  ceiling(k: number): number {
    return this.above(k, false);
  }

  /** Node of the smallest key > k, or -1. */
  higher(k: number): number {
    return this.above(k, true);
  }

  /** Node of the largest key below k (strictly, or equal allowed), or -1. */
  private below(k: number, strict: boolean): number {
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      const key = this.key[t]!;
      if (key < k || (!strict && key === k)) {
        best = t;
        t = this.right[t]!;
      } else t = this.left[t]!;
    }
    return best;
  }

  /** Node of the smallest key above k (strictly, or equal allowed), or -1. */
  private above(k: number, strict: boolean): number {
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      const key = this.key[t]!;
      if (key > k || (!strict && key === k)) {
        best = t;
        t = this.left[t]!;
      } else t = this.right[t]!;
    }
    return best;
  }

  keyOf(node: number): number {
    return this.key[node]!;
  }

  valueOf(node: number): number {
    return this.val[node]!;
  }
}
