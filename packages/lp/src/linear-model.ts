import { ModelError, runSteps, type Steps } from '@emplace/core';
import { CompileJob } from './compile-job.js';
import { GrowableFloat64, GrowableInt32, GrowableUint8 } from './growable.js';
import { zeroedArray } from './zeroed-array.js';

/** LinearModel.reserve's size hint: totals (not increments) of columns, rows and nonzeros. */
export interface ReserveSize {
  variables?: number | undefined;
  constraints?: number | undefined;
  nonzeros?: number | undefined;
}

export type VarType = 'continuous' | 'integer' | 'binary';
export type ObjectiveSense = 'min' | 'max';

/** Storage code of a variable type (index into VAR_TYPES). */
export const VAR_TYPE_CODE: Readonly<Record<VarType, number>> = { continuous: 0, integer: 1, binary: 2 };
export const VAR_TYPES: readonly VarType[] = ['continuous', 'integer', 'binary'];

export interface VariableSpec {
  /** Lower bound, default 0. `-Infinity` for a free variable. */
  lb?: number;
  /** Upper bound, default `Infinity` (1 for binaries). */
  ub?: number;
  /** Default `continuous`. A binary is an integer in [max(0, lb), min(1, ub)]. */
  type?: VarType;
  /** Objective coefficient, default 0. */
  obj?: number;
  name?: string;
}

/**
 * A frozen, backend-neutral copy of a model: column data, and the constraint matrix in
 * CSR form (rows are what the user adds). Backends convert from this once.
 */
export interface CompiledModel {
  readonly sense: ObjectiveSense;
  readonly numCols: number;
  readonly numRows: number;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly colCost: Float64Array;
  /** 0 continuous, 1 integer, 2 binary. */
  readonly colType: Uint8Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** CSR: row i occupies [rowStart[i], rowStart[i+1]) of rowIndex/rowValue; no duplicate columns in a row. */
  readonly rowStart: Int32Array;
  readonly rowIndex: Int32Array;
  readonly rowValue: Float64Array;
  readonly offset: number;
  /** True when at least one variable is integer or binary. */
  readonly isMip: boolean;
  readonly colNames: readonly (string | undefined)[];
  readonly rowNames: readonly (string | undefined)[];
}

/**
 * A linear or mixed-integer model:
 *
 *   min/max  c'x + offset   s.t.  rowLower <= A x <= rowUpper,  lb <= x <= ub,  x_j integer for j in I.
 *
 * Coefficients live in growable typed arrays (CSR by rows), never in one object per
 * nonzero, so models with 10^5-10^6 nonzeros build in milliseconds. Input is validated
 * as it is added, and a bad value throws `ModelError` naming the variable or row.
 */
export class LinearModel {
  sense: ObjectiveSense;

  private readonly colLower = new GrowableFloat64();
  private readonly colUpper = new GrowableFloat64();
  private readonly colCost = new GrowableFloat64();
  private readonly colType = new GrowableUint8();
  private readonly colNames: (string | undefined)[] = [];

  private readonly rowLower = new GrowableFloat64();
  private readonly rowUpper = new GrowableFloat64();
  private readonly rowStart = new GrowableInt32();
  private readonly rowIndex = new GrowableInt32(64);
  private readonly rowValue = new GrowableFloat64(64);
  private readonly rowNames: (string | undefined)[] = [];

  private offset = 0;
  private integerCount = 0;

  // Scratch for merging duplicate column indices within one row: `seenRow[j]` is the
  // row (+1) that last touched column j, `seenSlot[j]` its position in rowValue.
  private seenRow = new Int32Array(0);
  private seenSlot = new Int32Array(0);

  /** A compile copying this model's buffers a slice at a time: finished before any edit (see settle). */
  private pending: CompileJob | undefined;

  constructor(sense: ObjectiveSense = 'min') {
    if (sense !== 'min' && sense !== 'max') {
      throw new ModelError('sense', `must be 'min' or 'max', got ${String(sense)}`);
    }
    this.sense = sense;
    this.rowStart.push(0);
  }

  get numVariables(): number {
    return this.colLower.length;
  }

  get numConstraints(): number {
    return this.rowLower.length;
  }

  /** Number of stored nonzero coefficients. */
  get numNonzeros(): number {
    return this.rowIndex.length;
  }

  get isMip(): boolean {
    return this.integerCount > 0;
  }

  /** Adds one variable and returns its column index. */
  addVariable(v: VariableSpec = {}): number {
    if (this.pending !== undefined) this.settle();
    const j = this.numVariables;
    const type = v.type ?? 'continuous';
    const code = VAR_TYPE_CODE[type];
    if (code === undefined) throw new ModelError(this.varLabel(j, v.name) + '.type', `is not a variable type: ${String(type)}`);
    let lb = v.lb ?? 0;
    let ub = v.ub ?? (type === 'binary' ? 1 : Infinity);
    const obj = v.obj ?? 0;
    if (type === 'binary') {
      lb = Math.max(0, lb);
      ub = Math.min(1, ub);
      if (lb > ub) throw new ModelError(this.varLabel(j, v.name), `is binary but its bounds [${v.lb ?? 0}, ${v.ub ?? 1}] exclude 0 and 1`);
    }
    this.checkBounds(j, v.name, lb, ub);
    if (!Number.isFinite(obj)) throw new ModelError(this.varLabel(j, v.name) + '.obj', `must be finite, got ${String(obj)}`);
    this.colLower.push(lb);
    this.colUpper.push(ub);
    this.colCost.push(obj);
    this.colType.push(code);
    if (code !== 0) this.integerCount++;
    if (v.name !== undefined) this.colNames[j] = v.name;
    return j;
  }

  /** Adds `count` identical variables and returns the index of the first. */
  addVariables(count: number, v: Omit<VariableSpec, 'name'> = {}): number {
    if (!Number.isInteger(count) || count < 0) throw new ModelError('count', `must be a non-negative integer, got ${String(count)}`);
    const first = this.numVariables;
    if (count === 0) return first;
    // Validate once through addVariable, then append the same column data in bulk.
    this.addVariable(v);
    const lb = this.colLower.get(first);
    const ub = this.colUpper.get(first);
    const obj = this.colCost.get(first);
    const code = this.colType.get(first);
    for (let k = 1; k < count; k++) {
      this.colLower.push(lb);
      this.colUpper.push(ub);
      this.colCost.push(obj);
      this.colType.push(code);
    }
    if (code !== 0) this.integerCount += count - 1;
    return first;
  }

  setObjective(col: number, coef: number): void {
    if (this.pending !== undefined) this.settle();
    this.checkCol(col, 'col');
    if (!Number.isFinite(coef)) throw new ModelError(`objective[${col}]` + this.nameSuffix(this.colNames[col]), `must be finite, got ${String(coef)}`);
    this.colCost.set(col, coef);
  }

  getObjective(col: number): number {
    this.checkCol(col, 'col');
    return this.colCost.get(col);
  }

  setObjectiveOffset(offset: number): void {
    if (this.pending !== undefined) this.settle();
    if (!Number.isFinite(offset)) throw new ModelError('objectiveOffset', `must be finite, got ${String(offset)}`);
    this.offset = offset;
  }

  get objectiveOffset(): number {
    return this.offset;
  }

  /** Changes a variable's bounds (e.g. for branching or fixing). */
  setBounds(col: number, lb: number, ub: number): void {
    if (this.pending !== undefined) this.settle();
    this.checkCol(col, 'col');
    this.checkBounds(col, this.colNames[col], lb, ub);
    this.colLower.set(col, lb);
    this.colUpper.set(col, ub);
  }

  getBounds(col: number): { lb: number; ub: number } {
    this.checkCol(col, 'col');
    return { lb: this.colLower.get(col), ub: this.colUpper.get(col) };
  }

  setType(col: number, type: VarType): void {
    if (this.pending !== undefined) this.settle();
    this.checkCol(col, 'col');
    const code = VAR_TYPE_CODE[type];
    if (code === undefined) throw new ModelError(this.varLabel(col, this.colNames[col]) + '.type', `is not a variable type: ${String(type)}`);
    const old = this.colType.get(col);
    if (old !== 0) this.integerCount--;
    if (code !== 0) this.integerCount++;
    this.colType.set(col, code);
    if (code === 2) {
      const lb = Math.max(0, this.colLower.get(col));
      const ub = Math.min(1, this.colUpper.get(col));
      if (lb > ub) throw new ModelError(this.varLabel(col, this.colNames[col]), 'cannot be binary: its bounds exclude 0 and 1');
      this.colLower.set(col, lb);
      this.colUpper.set(col, ub);
    }
  }

  getType(col: number): VarType {
    this.checkCol(col, 'col');
    return VAR_TYPES[this.colType.get(col)]!;
  }

  variableName(col: number): string {
    return this.colNames[col] ?? `x${col}`;
  }

  constraintName(row: number): string {
    return this.rowNames[row] ?? `r${row}`;
  }

  /**
   * Adds `lb <= sum_k coefs[k] * x[indices[k]] <= ub` and returns its row index. Use
   * `-Infinity` / `Infinity` for a one-sided row. A column listed twice has its
   * coefficients summed; exact zeros are dropped.
   */
  addConstraint(indices: ArrayLike<number>, coefs: ArrayLike<number>, lb: number, ub: number, name?: string): number {
    if (this.pending !== undefined) this.settle();
    const i = this.numConstraints;
    // The label (rowLabel) only when something is wrong: built eagerly it was a string per row,
    // millions of them in the largest models, and garbage-collection pauses (issue 13).
    const len = indices.length;
    if (coefs.length !== len) {
      throw new ModelError(this.rowLabel(i, name) + '.coefs', `has length ${coefs.length} but indices has length ${len}`);
    }
    if (Number.isNaN(lb) || lb === Infinity) throw new ModelError(this.rowLabel(i, name) + '.lb', `must be a number below +Infinity, got ${String(lb)}`);
    if (Number.isNaN(ub) || ub === -Infinity) throw new ModelError(this.rowLabel(i, name) + '.ub', `must be a number above -Infinity, got ${String(ub)}`);
    if (lb > ub) throw new ModelError(this.rowLabel(i, name), `has lb ${lb} > ub ${ub}`);
    const n = this.numVariables;
    // Validate everything before writing so a throw leaves the model unchanged.
    for (let k = 0; k < len; k++) {
      const j = indices[k]!;
      if (!Number.isInteger(j) || j < 0 || j >= n) {
        throw new ModelError(`${this.rowLabel(i, name)}.indices[${k}]`, `is ${String(j)}, not a variable index in [0, ${n})`);
      }
      const c = coefs[k]!;
      if (!Number.isFinite(c)) {
        throw new ModelError(`${this.rowLabel(i, name)}.coefs[${k}]`, `(coefficient of ${this.varLabel(j, this.colNames[j])}) must be finite, got ${String(c)}`);
      }
    }
    if (this.seenRow.length < n) this.growSeen(n);
    const stamp = i + 1;
    const seenRow = this.seenRow;
    const seenSlot = this.seenSlot;
    this.rowIndex.reserve(len);
    this.rowValue.reserve(len);
    const start = this.rowIndex.length;
    let dropped = false;
    for (let k = 0; k < len; k++) {
      const j = indices[k]!;
      const c = coefs[k]!;
      if (seenRow[j] === stamp) {
        const s = seenSlot[j]!;
        this.rowValue.set(s, this.rowValue.get(s) + c);
        dropped = true;
      } else {
        seenRow[j] = stamp;
        seenSlot[j] = this.rowIndex.length;
        this.rowIndex.push(j);
        this.rowValue.push(c);
      }
    }
    if (dropped || hasZero(this.rowValue, start)) this.compactRow(start);
    this.rowLower.push(lb);
    this.rowUpper.push(ub);
    this.rowStart.push(this.rowIndex.length);
    if (name !== undefined) this.rowNames[i] = name;
    return i;
  }

  addLe(indices: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number, name?: string): number {
    return this.addConstraint(indices, coefs, -Infinity, rhs, name);
  }

  addGe(indices: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number, name?: string): number {
    return this.addConstraint(indices, coefs, rhs, Infinity, name);
  }

  addEq(indices: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number, name?: string): number {
    if (!Number.isFinite(rhs)) throw new ModelError(`constraints[${this.numConstraints}]` + this.nameSuffix(name) + '.rhs', `must be finite, got ${String(rhs)}`);
    return this.addConstraint(indices, coefs, rhs, rhs, name);
  }

  /** Changes a row's bounds. */
  setConstraintBounds(row: number, lb: number, ub: number): void {
    if (this.pending !== undefined) this.settle();
    if (!Number.isInteger(row) || row < 0 || row >= this.numConstraints) {
      throw new ModelError('row', `is ${String(row)}, not a constraint index in [0, ${this.numConstraints})`);
    }
    const label = `constraints[${row}]` + this.nameSuffix(this.rowNames[row]);
    if (Number.isNaN(lb) || lb === Infinity) throw new ModelError(label + '.lb', `must be a number below +Infinity, got ${String(lb)}`);
    if (Number.isNaN(ub) || ub === -Infinity) throw new ModelError(label + '.ub', `must be a number above -Infinity, got ${String(ub)}`);
    if (lb > ub) throw new ModelError(label, `has lb ${lb} > ub ${ub}`);
    this.rowLower.set(row, lb);
    this.rowUpper.set(row, ub);
  }

  /** Objective value of `x` (including the offset), computed from the model. */
  evaluate(x: ArrayLike<number>): number {
    return objectiveOf(this.snapshot(), x);
  }

  /**
   * The largest violation of a bound, row or integrality by `x` (0 when feasible), and
   * where it occurs. Row violations are absolute, in the row's units.
   */
  violation(x: ArrayLike<number>): { max: number; where?: string } {
    return violationOf(this.snapshot(), x);
  }

  /**
   * Capacity hint for a builder that knows (an upper bound of) the model's final size: the
   * column, row and coefficient buffers are allocated once at that size instead of
   * doubling (a doubling of a multi-million-entry buffer is one long copy, and the
   * discarded buffers are garbage to collect). Sizes are totals, not increments; a hint
   * below the current size is ignored, and the model still grows past it if needed.
   */
  reserve(size: ReserveSize): void {
    runSteps(this.reserveSteps(size));
  }

  /**
   * `reserve()` as steps, one buffer allocated per step (the last one: the two column
   * scratch arrays), for a caller that keeps an event loop turning: each allocation of a
   * multi-megabyte buffer can set off a garbage collection (V8 answers a jump in external
   * memory with one), and several in one call were one long stretch (issue 13: 5M columns, ~465 MB, robust:mip). The buffers are
   * zeroedArray's, so an allocation does not touch the memory it gets. The sizes are
   * checked at the first step, before anything is allocated.
   */
  *reserveSteps(size: ReserveSize): Steps<void> {
    if (this.pending !== undefined) this.settle();
    const count = (field: string, v: number | undefined): number => {
      if (v === undefined) return 0;
      if (!Number.isInteger(v) || v < 0) throw new ModelError(`reserve.${field}`, `must be a non-negative integer, got ${String(v)}`);
      return v;
    };
    const cols = count('variables', size.variables);
    const rows = count('constraints', size.constraints);
    const nonzeros = count('nonzeros', size.nonzeros);
    const buffers: [{ ensureCapacity(total: number): boolean }, number][] = [
      [this.colLower, cols],
      [this.colUpper, cols],
      [this.colCost, cols],
      [this.colType, cols],
      [this.rowLower, rows],
      [this.rowUpper, rows],
      [this.rowStart, rows + 1],
      [this.rowIndex, nonzeros],
      [this.rowValue, nonzeros],
    ];
    for (const [buffer, total] of buffers) if (buffer.ensureCapacity(total)) yield;
    if (cols > this.seenRow.length) this.growSeen(cols);
  }

  /** A detached snapshot for a backend; later edits to the model do not affect it. */
  compile(): CompiledModel {
    return this.compileJob().finish();
  }

  /**
   * `compile()` as steps: one step per 128 kB slice of the model copied (a few tens of
   * microseconds each), for callers that must keep an event loop turning (runStepsAsync;
   * solveLp drives the job itself). The result is the model as it was when the steps
   * started: an edit in between finishes the copy first.
   */
  *compileSteps(): Steps<CompiledModel> {
    const job = this.compileJob();
    while (!job.step()) yield;
    return job.model;
  }

  /**
   * Starts a compile copied a slice at a time (`job.step()`), see CompileJob. Any edit to the
   * model finishes a pending job first; `job.cancel()` drops it.
   */
  compileJob(): CompileJob {
    if (this.pending !== undefined) this.settle();
    const view = this.snapshot();
    const { colNames, rowNames, sense, numCols, numRows, offset, isMip, ...arrays } = view;
    const job = new CompileJob({ header: { sense, numCols, numRows, offset, isMip }, arrays, colNames, rowNames }, (j) => {
      if (this.pending === j) this.pending = undefined;
    });
    this.pending = job;
    return job;
  }

  /** Finishes a pending compile in one stretch: it holds views of buffers that an edit would change. */
  private settle(): void {
    const job = this.pending;
    this.pending = undefined;
    job?.finish();
  }

  /** The model's arrays as views of the live buffers (valid until the next edit). */
  private snapshot(): CompiledModel {
    return {
      sense: this.sense,
      numCols: this.numVariables,
      numRows: this.numConstraints,
      colLower: this.colLower.view(),
      colUpper: this.colUpper.view(),
      colCost: this.colCost.view(),
      colType: this.colType.view(),
      rowLower: this.rowLower.view(),
      rowUpper: this.rowUpper.view(),
      rowStart: this.rowStart.view(),
      rowIndex: this.rowIndex.view(),
      rowValue: this.rowValue.view(),
      offset: this.offset,
      isMip: this.integerCount > 0,
      colNames: this.colNames,
      rowNames: this.rowNames,
    };
  }

  private growSeen(min: number): void {
    const cap = Math.max(min, this.seenRow.length * 2, 16);
    const seenRow = zeroedArray(Int32Array, cap);
    seenRow.set(this.seenRow);
    this.seenRow = seenRow;
    const seenSlot = zeroedArray(Int32Array, cap);
    seenSlot.set(this.seenSlot);
    this.seenSlot = seenSlot;
  }

  private compactRow(start: number): void {
    let w = start;
    const end = this.rowIndex.length;
    for (let k = start; k < end; k++) {
      const c = this.rowValue.get(k);
      if (c === 0) continue;
      this.rowIndex.set(w, this.rowIndex.get(k));
      this.rowValue.set(w, c);
      w++;
    }
    this.rowIndex.length = w;
    this.rowValue.length = w;
  }

  private checkCol(col: number, field: string): void {
    if (!Number.isInteger(col) || col < 0 || col >= this.numVariables) {
      throw new ModelError(field, `is ${String(col)}, not a variable index in [0, ${this.numVariables})`);
    }
  }

  private checkBounds(j: number, name: string | undefined, lb: number, ub: number): void {
    // Labels only on error (one string per column was garbage in a 5M-column build).
    if (Number.isNaN(lb) || lb === Infinity) throw new ModelError(this.varLabel(j, name) + '.lb', `must be a number below +Infinity, got ${String(lb)}`);
    if (Number.isNaN(ub) || ub === -Infinity) throw new ModelError(this.varLabel(j, name) + '.ub', `must be a number above -Infinity, got ${String(ub)}`);
    if (lb > ub) throw new ModelError(this.varLabel(j, name), `has lb ${lb} > ub ${ub}`);
  }

  private rowLabel(i: number, name: string | undefined): string {
    return `constraints[${i}]` + this.nameSuffix(name);
  }

  private varLabel(j: number, name: string | undefined): string {
    return `variables[${j}]` + this.nameSuffix(name);
  }

  private nameSuffix(name: string | undefined): string {
    return name === undefined ? '' : ` "${name}"`;
  }
}

function label(kind: 'variables' | 'constraints', index: number, name: string | undefined): string {
  return `${kind}[${index}]` + (name === undefined ? '' : ` "${name}"`);
}

/** c'x + offset of a compiled model. */
export function objectiveOf(m: CompiledModel, x: ArrayLike<number>): number {
  const n = m.numCols;
  if (x.length !== n) throw new ModelError('x', `has length ${x.length}, expected ${n}`);
  const c = m.colCost;
  let z = m.offset;
  for (let j = 0; j < n; j++) z += c[j]! * x[j]!;
  return z;
}

/** Largest bound, row or integrality violation of `x` in a compiled model, and where. */
export function violationOf(m: CompiledModel, x: ArrayLike<number>): { max: number; where?: string } {
  return runSteps(violationSteps(m, x));
}

/** Work between two checkpoints of violationSteps: columns, or row nonzeros (plus one per row). */
const VIOLATION_STEP = 1 << 15;

/**
 * `violationOf` as steps, a checkpoint every VIOLATION_STEP columns or row nonzeros: on a
 * model with tens of millions of nonzeros the pass is tens of ms, which solveLp spreads
 * over turns of the event loop.
 */
export function* violationSteps(m: CompiledModel, x: ArrayLike<number>): Steps<{ max: number; where?: string }> {
  const n = m.numCols;
  if (x.length !== n) throw new ModelError('x', `has length ${x.length}, expected ${n}`);
  let max = 0;
  let whereCol = -1;
  let whereRow = -1;
  const { colLower: lo, colUpper: hi, colType: ty } = m;
  for (let j0 = 0; j0 < n; j0 += VIOLATION_STEP) {
    const j1 = Math.min(n, j0 + VIOLATION_STEP);
    for (let j = j0; j < j1; j++) {
      const v = x[j]!;
      if (Number.isNaN(v)) return { max: Infinity, where: label('variables', j, m.colNames[j]) };
      const d = Math.max(lo[j]! - v, v - hi[j]!, ty[j] !== 0 ? Math.abs(v - Math.round(v)) : 0);
      if (d > max) {
        max = d;
        whereCol = j;
      }
    }
    if (j1 < n) yield;
  }
  const { rowStart: rs, rowIndex: ri, rowValue: rv, rowLower: rl, rowUpper: ru } = m;
  let work = 0;
  for (let i = 0; i < m.numRows; i++) {
    let a = 0;
    const end = rs[i + 1]!;
    for (let k = rs[i]!; k < end; k++) a += rv[k]! * x[ri[k]!]!;
    const d = Math.max(rl[i]! - a, a - ru[i]!);
    if (d > max) {
      max = d;
      whereRow = i;
    }
    work += end - rs[i]! + 1;
    if (work >= VIOLATION_STEP) {
      work = 0;
      yield;
    }
  }
  if (whereRow >= 0) return { max, where: label('constraints', whereRow, m.rowNames[whereRow]) };
  if (whereCol >= 0) return { max, where: label('variables', whereCol, m.colNames[whereCol]) };
  return { max };
}

function hasZero(values: GrowableFloat64, start: number): boolean {
  for (let k = start; k < values.length; k++) if (values.get(k) === 0) return true;
  return false;
}
