import type { Steps } from '@emplace/core';
import type { Checkpoints } from '../chunks.js';
import type { SparseLaplacian } from '../laplacian.js';
import type { FillBudget, SymbolicFactor } from '../min-degree.js';
import { ORDERING_WASM } from './ordering-wasm.js';
import { compileInBackground, instantiateKernel } from './wasm.js';

compileInBackground([ORDERING_WASM]);

/**
 * The minimum-degree ordering and symbolic factorization (min-degree.ts) as WebAssembly
 * (assembly/ordering.ts: the same decisions in the same order, so the same permutation and
 * pattern). Why: a fresh process runs the TypeScript quotient-graph loops interpreted for
 * most of a 4,000-node ordering.
 */

/** Header slots, in the order of assembly/ordering.ts's H_* byte offsets (4 bytes each). */
const HEADER = [
  'offsets', 'cols', 'values', 'degree', 'adj', 'adjStart', 'adjLength', 'elemStart', 'elemLength', 'elemCapacity', 'poolA', 'poolB',
  'elementStart', 'elementLength', 'elementAlive', 'alive', 'mark', 'wMark', 'wValue', 'head', 'next', 'prev', 'perm', 'inverse',
  'pattern', 'patternStart', 'position', 'rowStart', 'fill', 'tcols', 'colStart', 'rows',
] as const;
type Slot = (typeof HEADER)[number];

interface OrderingExports {
  init(n: number, grounded: number, maxNnz: number, maxFlops: number, maxWork: number, poolSize: number, patternCapacity: number): void;
  order(chunkWork: number): number;
  sortColumns(): void;
  eliminated(): number;
  factorNnz(): number;
  factorFlops(): number;
  orderingWork(): number;
  denseFrom(): number;
}

/** Most pattern entries the kernel makes room for (4 arrays of them); an ordering that needs more runs in TypeScript. */
const MAX_PATTERN = 1 << 23;
/** Units of the ordering's work (entries scanned) between two checkpoints. */
const CHUNK_WORK = 1 << 16;

/**
 * The symbolic factor by the kernel, with a checkpoint (a yield when the run wants one, a
 * stop test) every CHUNK_WORK units of work; undefined when the budget is passed or the run
 * stops, null when the kernel cannot run here or ran out of room (the caller then runs the
 * TypeScript ordering).
 */
export function* kernelOrderingSteps(lap: SparseLaplacian, grounded: number, budget: FillBudget, cp: Checkpoints): Steps<SymbolicFactor | undefined | null> {
  const n = lap.n;
  const nnz = lap.nnz;
  // Room for the whole factor the budget admits (the ordering stops at the budget), at most
  // the full lower triangle, plus one column's worth.
  const capacity = Math.min(budget.maxNnz, (n * (n - 1)) / 2) + n;
  if (!(capacity <= MAX_PATTERN)) return null;
  const pool = 2 * (nnz + 4 * n) + 64;
  const I = 4;
  const sizes: Record<Slot, number> = {
    offsets: I * (n + 1), cols: I * nnz, values: 8 * nnz, degree: I * n, adj: I * nnz, adjStart: I * n, adjLength: I * n,
    elemStart: I * n, elemLength: I * n, elemCapacity: I * n, poolA: I * pool, poolB: I * pool, elementStart: I * n,
    elementLength: I * n, elementAlive: I * n, alive: I * n, mark: I * n, wMark: I * n, wValue: I * n, head: I * (n + 1),
    next: I * n, prev: I * n, perm: I * n, inverse: I * n, pattern: I * capacity, patternStart: I * n, position: I * capacity,
    rowStart: I * (n + 1), fill: I * (n + 1), tcols: I * capacity, colStart: I * (n + 1), rows: I * capacity,
  };
  const kernel = instantiateKernel(ORDERING_WASM, HEADER, sizes);
  if (!kernel) return null;
  kernel.i32('offsets', n + 1).set(lap.offsets);
  kernel.i32('cols', nnz).set(lap.cols);
  kernel.f64('values', nnz).set(lap.values);
  const ex = kernel.exports as unknown as OrderingExports;
  const finite = (x: number): number => (Number.isFinite(x) ? x : Number.MAX_VALUE);
  ex.init(n, grounded, finite(budget.maxNnz), finite(budget.maxFlops), finite(budget.maxWork), pool, capacity);
  for (;;) {
    const status = ex.order(CHUNK_WORK);
    if (status === 1) break;
    if (status === -1) return undefined;
    if (status === -2) return null;
    if (cp.needsYield()) yield;
    if (cp.shouldStop()) return undefined;
  }
  ex.sortColumns();
  const size = n - 1;
  const denseStart = ex.denseFrom();
  const colStart = kernel.i32('colStart', denseStart + 1).slice();
  return {
    size,
    perm: kernel.i32('perm', size).slice(),
    inverse: kernel.i32('inverse', n).slice(),
    colStart,
    rows: kernel.i32('rows', colStart[denseStart]!).slice(),
    denseStart,
    nnz: ex.factorNnz(),
    flops: ex.factorFlops(),
    work: ex.orderingWork(),
  };
}
