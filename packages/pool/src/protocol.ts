import type { ProgressEvent, Result, Sense } from '@emplace/core';
import type { PackedList } from './transfer.js';

/**
 * Messages between the host and a solver worker. Everything is structured-cloneable:
 * models are plain objects with typed arrays, options lose their functions (signal and
 * onProgress/onIncumbent are replaced by the shared abort flag and progress/incumbent messages).
 * Models, incumbents and results travel encoded (transfer.ts): typed-array buffers in the
 * transfer list, long lists of strings or numbers packed (`packed`, put back by the receiver).
 */
export type HostMessage =
  /** `nice`: how much to lower the worker thread's scheduling priority (worker-priority.ts). */
  | { type: 'init'; modules: readonly string[]; nice: number }
  | {
      type: 'solve';
      id: number;
      model: unknown;
      packed: PackedList[];
      options: Record<string, unknown>;
      /** Int32Array over a SharedArrayBuffer: 0 = run, 1 = aborted. Read synchronously by the solver's polls. */
      abortFlag: Int32Array;
      wantsProgress: boolean;
    }
  | { type: 'abort'; id: number }
  /** A part of a long list in the next 'solve' message of this id (transfer.ts Part). */
  | { type: 'part'; id: number; items: unknown[] };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'progress'; id: number; event: ProgressEvent }
  /** A part of a long list in the next incumbent or result message of this id. */
  | { type: 'part'; id: number; items: unknown[] }
  /** The solver's best solution so far (throttled by SolveRun): what the host returns if it must answer without the worker. */
  | { type: 'incumbent'; id: number; solution: unknown; packed: PackedList[]; objective: number; sense: Sense }
  | { type: 'result'; id: number; result: Result<unknown>; packed: PackedList[] }
  | { type: 'error'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  field?: string;
  backend?: string;
  line?: number;
  source?: string;
}
