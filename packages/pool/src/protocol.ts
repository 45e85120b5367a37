import type { ProgressEvent, Result, Sense } from '@emplace/core';

/**
 * Messages between the host and a solver worker. Everything is structured-cloneable:
 * models are plain objects with typed arrays, options lose their functions (signal and
 * onProgress/onIncumbent are replaced by the shared abort flag and progress/incumbent messages).
 */
export type HostMessage =
  | { type: 'init'; modules: readonly string[] }
  | {
      type: 'solve';
      id: number;
      model: unknown;
      options: Record<string, unknown>;
      /** Int32Array over a SharedArrayBuffer: 0 = run, 1 = aborted. Read synchronously by the solver's polls. */
      abortFlag: Int32Array;
      wantsProgress: boolean;
    }
  | { type: 'abort'; id: number };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'progress'; id: number; event: ProgressEvent }
  /** The solver's best solution so far (throttled by SolveRun): what the host returns if it must kill the worker. */
  | { type: 'incumbent'; id: number; solution: unknown; objective: number; sense: Sense }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'error'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  field?: string;
  backend?: string;
  line?: number;
  source?: string;
}

/** Typed-array buffers inside a value (depth-limited walk), for a zero-copy transfer. */
export function collectBuffers(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): Set<ArrayBuffer> {
  if (value === null || typeof value !== 'object' || depth > 6) return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    // SharedArrayBuffers are shared, not transferred; only whole-buffer views are safe to move.
    if (buf instanceof ArrayBuffer && buf.byteLength > 0) out.add(buf);
    return out;
  }
  if (Array.isArray(value)) {
    // Arrays of typed arrays (affinity groups) are walked; long plain arrays are not.
    if (value.length <= 10_000) for (const v of value) collectBuffers(v, out, depth + 1);
    return out;
  }
  for (const v of Object.values(value as Record<string, unknown>)) collectBuffers(v, out, depth + 1);
  return out;
}
