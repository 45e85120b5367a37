// Minimum-degree ordering and symbolic factorization of a grounded Laplacian
// (packages/spectral/src/min-degree.ts: EliminationGraph, eliminateChunk, denseRest,
// sortedColumns) as WebAssembly, compiled by AssemblyScript (packages/facility/scripts/
// build-kernels.mjs). The same decisions in the same order as the TypeScript: the same
// permutation and pattern. Why: in a fresh process the TypeScript loops of a 4,000-node
// ordering run interpreted for most of their few milliseconds of work; WebAssembly is
// compiled at once.
//
// Memory: the caller (src/kernels/ordering-kernel.ts) lays the arrays out and writes their
// byte offsets into the header below. No allocation here. The element lists live in one of
// two pools; a compaction copies the live lists into the other.

// Header slots (i32 at byte 4 * slot); keep in step with HEADER in src/kernels/ordering-kernel.ts.
const H_OFFSETS: i32 = 0; // i32[n + 1] Laplacian rows
const H_COLS: i32 = 4; // i32[nnz]
const H_VALUES: i32 = 8; // f64[nnz]
const H_DEGREE: i32 = 12; // i32[n]
const H_ADJ: i32 = 16; // i32[nnz]
const H_ADJ_START: i32 = 20; // i32[n]
const H_ADJ_LENGTH: i32 = 24; // i32[n]
const H_ELEM_START: i32 = 28; // i32[n]
const H_ELEM_LENGTH: i32 = 32; // i32[n]
const H_ELEM_CAPACITY: i32 = 36; // i32[n]
const H_POOL_A: i32 = 40; // i32[poolSize]
const H_POOL_B: i32 = 44; // i32[poolSize]
const H_ELEMENT_START: i32 = 48; // i32[n]
const H_ELEMENT_LENGTH: i32 = 52; // i32[n]
const H_ELEMENT_ALIVE: i32 = 56; // i32[n]
const H_ALIVE: i32 = 60; // i32[n]
const H_MARK: i32 = 64; // i32[n]
const H_W_MARK: i32 = 68; // i32[n]
const H_W_VALUE: i32 = 72; // i32[n]
const H_HEAD: i32 = 76; // i32[n + 1]
const H_NEXT: i32 = 80; // i32[n]
const H_PREV: i32 = 84; // i32[n]
const H_PERM: i32 = 88; // i32[n] (n - 1 used)
const H_INVERSE: i32 = 92; // i32[n]
const H_PATTERN: i32 = 96; // i32[patternCapacity]
const H_PATTERN_START: i32 = 100; // i32[n]
const H_POSITION: i32 = 104; // i32[patternCapacity]
const H_ROW_START: i32 = 108; // i32[n + 1]
const H_FILL: i32 = 112; // i32[n + 1]
const H_TCOLS: i32 = 116; // i32[patternCapacity]
const H_COL_START: i32 = 120; // i32[n + 1]
const H_ROWS: i32 = 124; // i32[patternCapacity]

@inline function hp(slot: i32): usize {
  return <usize>load<i32>(<usize>slot);
}
@inline function at(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
@inline function put(base: usize, k: i32, x: i32): void {
  store<i32>(base + (<usize>k << 2), x);
}

let DEGREE: usize = 0;
let ADJ: usize = 0;
let ADJ_START: usize = 0;
let ADJ_LENGTH: usize = 0;
let ELEM_START: usize = 0;
let ELEM_LENGTH: usize = 0;
let ELEM_CAPACITY: usize = 0;
let POOL: usize = 0;
let OTHER_POOL: usize = 0;
let ELEMENT_START: usize = 0;
let ELEMENT_LENGTH: usize = 0;
let ELEMENT_ALIVE: usize = 0;
let ALIVE: usize = 0;
let MARK: usize = 0;
let W_MARK: usize = 0;
let W_VALUE: usize = 0;
let HEAD: usize = 0;
let NEXT: usize = 0;
let PREV: usize = 0;
let PERM: usize = 0;
let INVERSE: usize = 0;
let PATTERN: usize = 0;
let PATTERN_START: usize = 0;

let n: i32 = 0;
let size: i32 = 0;
let k: i32 = 0;
let denseStart: i32 = 0;
let nnz: i32 = 0;
let flops: f64 = 0;
let work: f64 = 0;
let maxNnz: f64 = 0;
let maxFlops: f64 = 0;
let maxWork: f64 = 0;
let stamp: i32 = 0;
let remaining: i32 = 0;
let minDegree: i32 = 0;
let elemsUsed: i32 = 0;
let poolSize: i32 = 0;
let patternCapacity: i32 = 0;
let lastCount: i32 = 0;

export function eliminated(): i32 {
  return k;
}
export function factorNnz(): i32 {
  return nnz;
}
export function factorFlops(): f64 {
  return flops;
}
export function orderingWork(): f64 {
  return work;
}
export function denseFrom(): i32 {
  return denseStart;
}

/** The quotient graph of the Laplacian in memory with row `grounded` left out (EliminationGraph's constructor). */
export function init(nodes: i32, grounded: i32, nnzLimit: f64, flopsLimit: f64, workLimit: f64, pool: i32, patternRoom: i32): void {
  DEGREE = hp(H_DEGREE);
  ADJ = hp(H_ADJ);
  ADJ_START = hp(H_ADJ_START);
  ADJ_LENGTH = hp(H_ADJ_LENGTH);
  ELEM_START = hp(H_ELEM_START);
  ELEM_LENGTH = hp(H_ELEM_LENGTH);
  ELEM_CAPACITY = hp(H_ELEM_CAPACITY);
  POOL = hp(H_POOL_A);
  OTHER_POOL = hp(H_POOL_B);
  ELEMENT_START = hp(H_ELEMENT_START);
  ELEMENT_LENGTH = hp(H_ELEMENT_LENGTH);
  ELEMENT_ALIVE = hp(H_ELEMENT_ALIVE);
  ALIVE = hp(H_ALIVE);
  MARK = hp(H_MARK);
  W_MARK = hp(H_W_MARK);
  W_VALUE = hp(H_W_VALUE);
  HEAD = hp(H_HEAD);
  NEXT = hp(H_NEXT);
  PREV = hp(H_PREV);
  PERM = hp(H_PERM);
  INVERSE = hp(H_INVERSE);
  PATTERN = hp(H_PATTERN);
  PATTERN_START = hp(H_PATTERN_START);
  n = nodes;
  size = n - 1;
  k = 0;
  denseStart = n - 1;
  nnz = 0;
  flops = 0;
  work = 0;
  maxNnz = nnzLimit;
  maxFlops = flopsLimit;
  maxWork = workLimit;
  stamp = 0;
  remaining = n - 1;
  minDegree = 0;
  elemsUsed = 0;
  poolSize = pool;
  patternCapacity = patternRoom;
  lastCount = 0;
  const offsets = hp(H_OFFSETS);
  const cols = hp(H_COLS);
  const values = hp(H_VALUES);
  let used: i32 = 0;
  for (let v: i32 = 0; v < n; v++) {
    put(ADJ_START, v, used);
    if (v != grounded) {
      for (let q = at(offsets, v), end = at(offsets, v + 1); q < end; q++) {
        const w = at(cols, q);
        if (w != grounded && w != v && load<f64>(values + (<usize>q << 3)) != 0) put(ADJ, used++, w);
      }
    }
    const length = used - at(ADJ_START, v);
    put(ADJ_LENGTH, v, length);
    put(DEGREE, v, length);
    put(ELEM_START, v, elemsUsed);
    const capacity = max(4, length + 2);
    put(ELEM_CAPACITY, v, capacity);
    elemsUsed += capacity;
    put(ALIVE, v, v == grounded ? 0 : 1);
    put(NEXT, v, -1);
    put(PREV, v, -1);
    put(HEAD, v, -1);
    put(INVERSE, v, -1);
  }
  put(HEAD, n, -1);
  for (let v = n - 1; v >= 0; v--) if (v != grounded) link(v);
}

@inline function link(v: i32): void {
  const d = at(DEGREE, v);
  const h = at(HEAD, d);
  put(NEXT, v, h);
  put(PREV, v, -1);
  if (h >= 0) put(PREV, h, v);
  put(HEAD, d, v);
  if (d < minDegree) minDegree = d;
}

@inline function unlink(v: i32): void {
  const p = at(PREV, v);
  const q = at(NEXT, v);
  if (p >= 0) put(NEXT, p, q);
  else put(HEAD, at(DEGREE, v), q);
  if (q >= 0) put(PREV, q, p);
}

/**
 * Eliminates nodes (eliminateChunk) until `chunkWork` units of work or 4,096 eliminations
 * are done. Returns 1 when the ordering is complete, 0 when paused (call again), -1 when
 * the budget is passed, -2 when the pattern or element pool ran out of room (the caller
 * then runs the TypeScript ordering).
 */
export function order(chunkWork: f64): i32 {
  const k0 = k;
  const workEnd = work + chunkWork;
  for (; k < size; k++) {
    if (k > k0 && (work > workEnd || k - k0 >= 4096)) return 0;
    while (at(HEAD, minDegree) < 0) minDegree++;
    const v = at(HEAD, minDegree);
    unlink(v);
    put(PERM, k, v);
    put(INVERSE, v, k);
    const bound = at(DEGREE, v);
    const r = size - k;
    if (<f64>nnz + (<f64>r * <f64>bound) / 2 > maxNnz || flops + (<f64>r * <f64>bound * <f64>bound) / 4 > maxFlops) return -1;
    if (nnz + bound > patternCapacity) return -2;
    const scanned = eliminate(v, nnz);
    if (scanned < 0) return -2;
    work += <f64>scanned;
    const count = lastCount;
    nnz += count;
    flops += <f64>count * <f64>count;
    put(PATTERN_START, k + 1, nnz);
    if (<f64>nnz > maxNnz || flops > maxFlops || work > maxWork) return -1;
    if (count > 1 && count == size - k - 1) return denseRest() ? 1 : -1;
  }
  return 1;
}

/** The nodes left form a clique (column k's pattern): they become the dense block (denseRest). */
function denseRest(): bool {
  const r = size - k - 1;
  const from = at(PATTERN_START, k);
  for (let t: i32 = 0; t < r; t++) {
    const v = at(PATTERN, from + t);
    put(PERM, k + 1 + t, v);
    put(INVERSE, v, k + 1 + t);
  }
  denseStart = k + 1;
  const rf = <f64>r;
  nnz += <i32>((rf * (rf - 1)) / 2);
  flops += ((rf - 1) * rf * (2 * rf - 1)) / 6;
  k = size;
  return <f64>nnz <= maxNnz && flops <= maxFlops;
}

/** EliminationGraph.eliminate: writes L_p to the pattern at `start`; the entries scanned, or -1 when the pool ran out. */
function eliminate(p: i32, start: i32): i32 {
  const s = ++stamp;
  put(ALIVE, p, 0);
  put(MARK, p, s);
  let count: i32 = 0;
  let scanned = at(ADJ_LENGTH, p) + at(ELEM_LENGTH, p);
  for (let q = at(ADJ_START, p), end = q + at(ADJ_LENGTH, p); q < end; q++) {
    const j = at(ADJ, q);
    if (at(ALIVE, j) != 0 && at(MARK, j) != s) {
      put(MARK, j, s);
      put(PATTERN, start + count++, j);
    }
  }
  for (let q = at(ELEM_START, p), end = q + at(ELEM_LENGTH, p); q < end; q++) {
    const e = at(POOL, q);
    if (at(ELEMENT_ALIVE, e) == 0) continue;
    put(ELEMENT_ALIVE, e, 0);
    scanned += at(ELEMENT_LENGTH, e);
    for (let r = at(ELEMENT_START, e), rend = r + at(ELEMENT_LENGTH, e); r < rend; r++) {
      const j = at(PATTERN, r);
      if (at(ALIVE, j) != 0 && at(MARK, j) != s) {
        put(MARK, j, s);
        put(PATTERN, start + count++, j);
      }
    }
  }
  remaining--;
  put(ADJ_LENGTH, p, 0);
  put(ELEM_LENGTH, p, 0);
  put(ELEMENT_ALIVE, p, 1);
  put(ELEMENT_START, p, start);
  put(ELEMENT_LENGTH, p, count);
  lastCount = count;
  const more = updateMembers(p, start, count, s);
  return more < 0 ? -1 : scanned + more;
}

/** EliminationGraph.updateMembers; -1 when the element pool ran out. */
function updateMembers(p: i32, start: i32, count: i32, s: i32): i32 {
  let scanned: i32 = 0;
  for (let t: i32 = 0; t < count; t++) {
    const i = at(PATTERN, start + t);
    for (let q = at(ELEM_START, i), end = q + at(ELEM_LENGTH, i); q < end; q++) {
      const e = at(POOL, q);
      if (at(ELEMENT_ALIVE, e) == 0) continue;
      if (at(W_MARK, e) != s) {
        put(W_MARK, e, s);
        put(W_VALUE, e, at(ELEMENT_LENGTH, e));
      }
      put(W_VALUE, e, at(W_VALUE, e) - 1);
    }
    scanned += at(ELEM_LENGTH, i);
  }
  for (let t: i32 = 0; t < count; t++) {
    const i = at(PATTERN, start + t);
    unlink(i);
    let external: i32 = 0;
    const es = at(ELEM_START, i);
    let elen: i32 = 0;
    for (let q = es, end = es + at(ELEM_LENGTH, i); q < end; q++) {
      const e = at(POOL, q);
      if (at(ELEMENT_ALIVE, e) == 0) continue;
      if (at(W_VALUE, e) == 0) {
        put(ELEMENT_ALIVE, e, 0);
        continue;
      }
      external += at(W_VALUE, e);
      put(POOL, es + elen++, e);
    }
    put(ELEM_LENGTH, i, elen);
    if (elen + 1 > at(ELEM_CAPACITY, i) && !growElems(i, elen + 1)) return -1;
    put(POOL, at(ELEM_START, i) + elen, p);
    put(ELEM_LENGTH, i, elen + 1);
    const as = at(ADJ_START, i);
    let alen: i32 = 0;
    for (let q = as, end = as + at(ADJ_LENGTH, i); q < end; q++) {
      const j = at(ADJ, q);
      if (at(ALIVE, j) != 0 && at(MARK, j) != s) put(ADJ, as + alen++, j);
    }
    scanned += at(ADJ_LENGTH, i) + elen;
    put(ADJ_LENGTH, i, alen);
    const bound = min(remaining - 1, min(at(DEGREE, i) + count - 1, alen + count - 1 + external));
    put(DEGREE, i, max(0, bound));
    link(i);
  }
  return scanned;
}

/** EliminationGraph.growElems: moves E_i to the end of the pool, compacting into the other pool first when full; false when that does not fit either. */
function growElems(i: i32, need: i32): bool {
  const cap = max(need, 2 * at(ELEM_CAPACITY, i));
  if (elemsUsed + cap > poolSize) {
    let total = cap;
    for (let v: i32 = 0; v < n; v++) if (at(ALIVE, v) != 0) total += 2 * at(ELEM_LENGTH, v) + 4;
    if (total > poolSize) return false;
    let used: i32 = 0;
    for (let v: i32 = 0; v < n; v++) {
      if (at(ALIVE, v) == 0) {
        put(ELEM_START, v, used);
        put(ELEM_LENGTH, v, 0);
        put(ELEM_CAPACITY, v, 0);
        continue;
      }
      memory.copy(OTHER_POOL + (<usize>used << 2), POOL + (<usize>at(ELEM_START, v) << 2), <usize>at(ELEM_LENGTH, v) << 2);
      put(ELEM_START, v, used);
      put(ELEM_CAPACITY, v, 2 * at(ELEM_LENGTH, v) + 4);
      used += at(ELEM_CAPACITY, v);
    }
    const old = POOL;
    POOL = OTHER_POOL;
    OTHER_POOL = old;
    elemsUsed = used;
    if (elemsUsed + cap > poolSize) return false;
  }
  memory.copy(POOL + (<usize>elemsUsed << 2), POOL + (<usize>at(ELEM_START, i) << 2), <usize>at(ELEM_LENGTH, i) << 2);
  put(ELEM_START, i, elemsUsed);
  put(ELEM_CAPACITY, i, cap);
  elemsUsed += cap;
  return true;
}

/**
 * The sparse columns' patterns renumbered to positions and sorted (sortedColumns: two
 * counting transposes) into COL_START (denseStart + 1 entries) and ROWS.
 */
export function sortColumns(): void {
  const columns = denseStart;
  const total = at(PATTERN_START, columns);
  const position = hp(H_POSITION);
  const rowStart = hp(H_ROW_START);
  const fill = hp(H_FILL);
  const tcols = hp(H_TCOLS);
  const colStart = hp(H_COL_START);
  const rows = hp(H_ROWS);
  for (let p: i32 = 0; p < total; p++) put(position, p, at(INVERSE, at(PATTERN, p)));
  countingStarts(position, total, size, rowStart);
  memory.copy(fill, rowStart, <usize>size << 2);
  scatterColumns(PATTERN_START, position, fill, tcols, columns);
  countingStarts(tcols, total, columns, colStart);
  memory.copy(fill, colStart, <usize>columns << 2);
  scatterColumns(rowStart, tcols, fill, rows, size);
}

function countingStarts(keys: usize, length: i32, count: i32, start: usize): void {
  memory.fill(start, 0, (<usize>count + 1) << 2);
  for (let p: i32 = 0; p < length; p++) {
    const b = at(keys, p) + 1;
    put(start, b, at(start, b) + 1);
  }
  for (let i: i32 = 0; i < count; i++) put(start, i + 1, at(start, i + 1) + at(start, i));
}

function scatterColumns(listStart: usize, keys: usize, fill: usize, out: usize, lists: i32): void {
  for (let l: i32 = 0; l < lists; l++) {
    for (let p = at(listStart, l), end = at(listStart, l + 1); p < end; p++) {
      const key = at(keys, p);
      const slot = at(fill, key);
      put(out, slot, l);
      put(fill, key, slot + 1);
    }
  }
}
