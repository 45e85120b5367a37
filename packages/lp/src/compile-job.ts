import type { CompiledModel } from './linear-model.js';
import { zeroedArray } from './zeroed-array.js';

/** Entries of a typed array copied per step: 128 kB of Float64 (~20-40 us), as highs-offload's copy. */
const SLICE_ELEMENTS = 1 << 14;
/** Names copied per step (an element-wise loop that keeps holes as holes). */
const NAME_SLICE = 1 << 13;

type ModelArray = Float64Array | Int32Array | Uint8Array;

/** The model's header and views of its live buffers, taken when a compile starts. */
export interface CompileSource {
  readonly header: Pick<CompiledModel, 'sense' | 'numCols' | 'numRows' | 'offset' | 'isMip'>;
  readonly arrays: Pick<CompiledModel, 'colLower' | 'colUpper' | 'colCost' | 'colType' | 'rowLower' | 'rowUpper' | 'rowStart' | 'rowIndex' | 'rowValue'>;
  readonly colNames: readonly (string | undefined)[];
  readonly rowNames: readonly (string | undefined)[];
}

const ARRAY_KEYS = ['colLower', 'colUpper', 'colCost', 'colType', 'rowLower', 'rowUpper', 'rowStart', 'rowIndex', 'rowValue'] as const;

/**
 * A detached copy of a model made a slice at a time (issue 13: copying a 25 MB model in one
 * call held the caller's event loop for 100+ ms; a 5M-column MIP takes several times that).
 * `step()` copies one slice (a 128 kB piece of one array, or 8192 names) and returns
 * whether the copy is complete; `finish()` copies the rest at once. The model finishes a
 * pending job before any edit (LinearModel.settle), so the copy is always the model as it
 * was when the job started, however the steps are spread over time.
 */
export class CompileJob {
  private readonly out: Partial<Record<(typeof ARRAY_KEYS)[number], ModelArray>> = {};
  /** Copies of colNames and rowNames. */
  private readonly names: [(string | undefined)[], (string | undefined)[]] = [[], []];
  /** Index into ARRAY_KEYS, then the two name arrays. */
  private part = 0;
  private at = 0;
  private result: CompiledModel | undefined;
  private cancelled = false;

  constructor(
    private readonly source: CompileSource,
    private readonly onDone: (job: CompileJob) => void,
  ) {}

  get done(): boolean {
    return this.result !== undefined;
  }

  /** Copies one slice; true when the copy is complete (then `model` holds it). */
  step(): boolean {
    if (this.result !== undefined) return true;
    if (this.cancelled) throw new Error('CompileJob: stepped after cancel()');
    if (this.part < ARRAY_KEYS.length) this.copyArraySlice(ARRAY_KEYS[this.part]!);
    else if (this.part === ARRAY_KEYS.length) this.copyNameSlice(0, this.source.colNames);
    else if (this.part === ARRAY_KEYS.length + 1) this.copyNameSlice(1, this.source.rowNames);
    else this.complete();
    return this.result !== undefined;
  }

  /** The compiled model, once `step()` has returned true. */
  get model(): CompiledModel {
    if (this.result === undefined) throw new Error('CompileJob: not done');
    return this.result;
  }

  /** Copies whatever is left in one stretch. */
  finish(): CompiledModel {
    while (!this.step());
    return this.result!;
  }

  /** Gives up the copy (an abort while compiling): the model no longer waits on it. */
  cancel(): void {
    if (this.result !== undefined || this.cancelled) return;
    this.cancelled = true;
    this.onDone(this);
  }

  private copyArraySlice(key: (typeof ARRAY_KEYS)[number]): void {
    const src: ModelArray = this.source.arrays[key];
    let dst = this.out[key];
    if (dst === undefined) {
      // zeroedArray: the copy's pages are touched by the slices that fill them, not all at
      // once by the allocation (a 20 MB rowStart was up to 60 ms of memset, issue 13).
      dst = src instanceof Float64Array ? zeroedArray(Float64Array, src.length) : src instanceof Int32Array ? zeroedArray(Int32Array, src.length) : zeroedArray(Uint8Array, src.length);
      this.out[key] = dst;
    }
    const end = Math.min(src.length, this.at + SLICE_ELEMENTS);
    dst.set(src.subarray(this.at, end), this.at);
    this.advance(end, src.length);
  }

  private copyNameSlice(which: 0 | 1, src: readonly (string | undefined)[]): void {
    // Short arrays (the common case: none) in one slice(); long ones element-wise, holes kept as holes.
    if (this.at === 0 && src.length <= NAME_SLICE) {
      this.names[which] = src.slice();
      this.advance(src.length, src.length);
      return;
    }
    const dst = this.names[which];
    const end = Math.min(src.length, this.at + NAME_SLICE);
    for (let k = this.at; k < end; k++) {
      const name = src[k];
      if (name !== undefined) dst[k] = name;
    }
    if (end === src.length) dst.length = src.length;
    this.advance(end, src.length);
  }

  private advance(end: number, length: number): void {
    if (end < length) this.at = end;
    else {
      this.part++;
      this.at = 0;
    }
  }

  private complete(): void {
    const o = this.out as Record<(typeof ARRAY_KEYS)[number], ModelArray>;
    this.result = {
      ...this.source.header,
      colLower: o.colLower as Float64Array,
      colUpper: o.colUpper as Float64Array,
      colCost: o.colCost as Float64Array,
      colType: o.colType as Uint8Array,
      rowLower: o.rowLower as Float64Array,
      rowUpper: o.rowUpper as Float64Array,
      rowStart: o.rowStart as Int32Array,
      rowIndex: o.rowIndex as Int32Array,
      rowValue: o.rowValue as Float64Array,
      colNames: this.names[0],
      rowNames: this.names[1],
    };
    this.onDone(this);
  }
}
