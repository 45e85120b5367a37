/**
 * The order Go's `sort.Sort` leaves equal elements in.
 *
 * Karmada sorts clusters by available replicas with `sort.Sort`, which is not stable, and the
 * Aggregated division keeps the first clusters of that order, so where ties end up decides which
 * clusters are used. Go's `sort.Sort` (Go 1.19 and later) is a pattern-defeating quicksort whose
 * every step is deterministic (its pattern breaker draws from an xorshift seeded with the slice
 * length), so running the same sequence of comparisons and swaps reproduces Go's order of ties
 * exactly. This is that algorithm (Go's `pdqsort` with insertion sort up to 12 elements, heapsort
 * fallback, ninther pivots, the equal-elements partition), restated for a TypeScript array.
 */

const INCREASING = 1;
const DECREASING = 2;
const UNKNOWN = 0;

type Less = (i: number, j: number) => boolean;

/** The xorshift shifts of Go's pattern breaker: (13, 7, 17) in current Go (Karmada builds with a current toolchain); the first pdqsort releases (Go 1.19) used (13, 17, 5). */
export type GoXorshiftShifts = readonly [number, number, number];

/** Sorts `items` in place as Go's `sort.Sort` would with `less`, and returns it. */
export function goSortSort<T>(items: T[], less: (a: T, b: T) => boolean, shifts: GoXorshiftShifts = [13, 7, 17]): T[] {
  const n = items.length;
  if (n <= 1) return items;
  const lessAt: Less = (i, j) => less(items[i]!, items[j]!);
  const swap = (i: number, j: number): void => {
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  };
  new GoPdq(lessAt, swap, shifts).sort(0, n, bitLength(n));
  return items;
}

/** `bits.Len`: the number of bits needed to write n. */
function bitLength(n: number): number {
  return n <= 0 ? 0 : 32 - Math.clz32(n);
}

class GoPdq {
  constructor(
    private readonly less: Less,
    private readonly swap: (i: number, j: number) => void,
    private readonly shifts: GoXorshiftShifts,
  ) {}

  sort(a: number, b: number, limit: number): void {
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= 12) {
        this.insertion(a, b);
        return;
      }
      if (limit === 0) {
        this.heap(a, b);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = this.choosePivot(a, b);
      if (hint === DECREASING) {
        this.reverse(a, b);
        pivot = b - 1 - (pivot - a);
        hint = INCREASING;
      }
      if (wasBalanced && wasPartitioned && hint === INCREASING && this.partialInsertion(a, b)) return;
      if (a > 0 && !this.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, already] = this.partition(a, b, pivot);
      wasPartitioned = already;
      const left = mid - a;
      const right = b - mid;
      const threshold = Math.trunc(length / 8);
      if (left < right) {
        wasBalanced = left >= threshold;
        this.sort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = right >= threshold;
        this.sort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  private insertion(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && this.less(j, j - 1); j--) this.swap(j, j - 1);
  }

  private siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  private heap(a: number, b: number): void {
    const hi = b - a;
    for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) this.siftDown(i, hi, a);
    for (let i = hi - 1; i >= 0; i--) {
      this.swap(a, a + i);
      this.siftDown(0, i, a);
    }
  }

  /** Moves elements below the pivot left of it; reports whether nothing had to move. */
  private partition(a: number, b: number, pivot: number): [number, boolean] {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && this.less(i, a)) i++;
    while (i <= j && !this.less(j, a)) j--;
    if (i > j) {
      this.swap(j, a);
      return [j, true];
    }
    this.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && this.less(i, a)) i++;
      while (i <= j && !this.less(j, a)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    this.swap(j, a);
    return [j, false];
  }

  private partitionEqual(a: number, b: number, pivot: number): number {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !this.less(a, i)) i++;
      while (i <= j && this.less(a, j)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  private partialInsertion(a: number, b: number): boolean {
    let i = a + 1;
    for (let step = 0; step < 5; step++) {
      while (i < b && !this.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < 50) return false;
      this.swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  private breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    // Go's xorshift on a uint64, seeded with the length.
    let random = BigInt(length);
    const mask = (1n << 64n) - 1n;
    const [s1, s2, s3] = this.shifts.map(BigInt) as [bigint, bigint, bigint];
    const next = (): bigint => {
      random ^= (random << s1) & mask;
      random ^= random >> s2;
      random ^= (random << s3) & mask;
      return random;
    };
    const modulus = BigInt(2 ** bitLength(length));
    const centre = a + Math.trunc(length / 4) * 2;
    for (let idx = centre - 1; idx <= centre + 1; idx++) {
      let other = Number(next() & (modulus - 1n));
      if (other >= length) other -= length;
      this.swap(idx, a + other);
    }
  }

  private choosePivot(a: number, b: number): [number, number] {
    const l = b - a;
    const swaps = { n: 0 };
    const quarter = Math.trunc(l / 4);
    let i = a + quarter;
    let j = a + quarter * 2;
    let k = a + quarter * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = this.median(i - 1, i, i + 1, swaps);
        j = this.median(j - 1, j, j + 1, swaps);
        k = this.median(k - 1, k, k + 1, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    if (swaps.n === 0) return [j, INCREASING];
    if (swaps.n === 12) return [j, DECREASING];
    return [j, UNKNOWN];
  }

  private median(a: number, b: number, c: number, swaps: { n: number }): number {
    // Go's a, b = order2(a, b); b, c = order2(b, c); a, b = order2(a, b); return b,
    // keeping only the values that are read (each call counts its swap).
    const [lo, hi] = this.order2(a, b, swaps);
    const mid = this.order2(hi, c, swaps)[0];
    return this.order2(lo, mid, swaps)[1];
  }

  private order2(a: number, b: number, swaps: { n: number }): [number, number] {
    if (this.less(b, a)) {
      swaps.n++;
      return [b, a];
    }
    return [a, b];
  }

  private reverse(a: number, b: number): void {
    for (let i = a, j = b - 1; i < j; i++, j--) this.swap(i, j);
  }
}
