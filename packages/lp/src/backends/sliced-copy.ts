import { yieldToEventLoop } from '@emplace/core';
import type { CompiledModel } from '../linear-model.js';

/** Bytes copied between checks of the clock; fresh memory is slow to write where pages are first touched (~10 ms per MB measured on the benchmark VM). */
const SLICE_BYTES = 1 << 17;
/** Time the caller's thread may copy between turns of its event loop. */
const SLICE_MS = 4;

type Copyable = Float64Array | Int32Array | Uint8Array;

/**
 * The compiled model for a HiGHS worker, with copies of its arrays made a slice at a time
 * between turns of the event loop, to be transferred (not cloned) with the request: a
 * structured clone copies them synchronously, 3-10 ms per MB on the caller's event loop
 * (a model of 10^6 nonzeros is ~12 MB). The caller keeps its own arrays (the objective and
 * the violation of the answer are computed from them). Names stay behind (unused there).
 */
export async function copyForWorker(m: CompiledModel): Promise<{ model: CompiledModel; transfer: ArrayBuffer[] }> {
  const transfer: ArrayBuffer[] = [];
  const clock = { slice: performance.now() };
  const copy = async <T extends Copyable>(src: T): Promise<T> => {
    const out = new (src.constructor as new (n: number) => T)(src.length);
    const per = Math.max(1, Math.floor(SLICE_BYTES / src.BYTES_PER_ELEMENT));
    for (let at = 0; at < src.length; at += per) {
      out.set(src.subarray(at, Math.min(src.length, at + per)) as never, at);
      if (performance.now() - clock.slice >= SLICE_MS) {
        await yieldToEventLoop();
        clock.slice = performance.now();
      }
    }
    transfer.push(out.buffer as ArrayBuffer);
    return out;
  };
  const model: CompiledModel = {
    ...m,
    colLower: await copy(m.colLower),
    colUpper: await copy(m.colUpper),
    colCost: await copy(m.colCost),
    colType: await copy(m.colType),
    rowLower: await copy(m.rowLower),
    rowUpper: await copy(m.rowUpper),
    rowStart: await copy(m.rowStart),
    rowIndex: await copy(m.rowIndex),
    rowValue: await copy(m.rowValue),
    colNames: [],
    rowNames: [],
  };
  return { model, transfer };
}
