import type { BackendOutcome } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import type { LpProgress } from '../types.js';
import type { HighsLocation } from './highs-config.js';

/**
 * Messages between solveLp's thread and a HiGHS worker (highs-worker.ts). Everything is
 * structured-cloneable; result vectors are transferred back, not copied.
 */
/** Sent once after start: load HiGHS from `location`, answer `ready` (or an error with id 0). */
export interface HighsLoad {
  type: 'load';
  location: HighsLocation;
}

export interface HighsRequest {
  type: 'solve';
  id: number;
  /** The compiled model without names (the worker needs none). */
  model: CompiledModel;
  /** Milliseconds the solve may take, measured from its arrival (clocks differ between threads). */
  remainingMs: number;
  mipRelGap: number;
  warmStart: Float64Array | undefined;
  highsOptions: Readonly<Record<string, string | number | boolean>> | undefined;
  progressIntervalMs: number;
  wantsProgress: boolean;
  /** Where the worker loads HiGHS from (configureHighs in the caller's thread). */
  location: HighsLocation;
}

export type HighsReply =
  | { type: 'ready'; id: 0 }
  | { type: 'progress'; id: number; event: LpProgress }
  /** An improved MIP solution: what the caller gets back if it aborts before the end. */
  | { type: 'incumbent'; id: number; x: Float64Array }
  | { type: 'done'; id: number; outcome: BackendOutcome }
  /** `rejected`: HiGHS refused the options or the model (the runtime is fine); `crashed`: the runtime failed. */
  | { type: 'error'; id: number; message: string; kind: 'rejected' | 'crashed' | 'load' };

/** The host's handle on one HiGHS worker (a Node child process or a Web Worker). */
export interface HighsWorkerEndpoint {
  /** `transfer`: buffers moved with the message (the request's model arrays, copies of the caller's). */
  post(message: HighsLoad | HighsRequest, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (reply: HighsReply) => void): void;
  /** The worker died or could not start (not called after terminate()). */
  onExit(handler: (reason: string) => void): void;
  terminate(): void;
  /** Node: whether a busy/idle worker keeps the process alive. No-ops in browsers. */
  ref(): void;
  unref(): void;
  /**
   * True when `post` serializes the message in pieces with event-loop turns (a Node worker
   * process): the caller then posts its own arrays, without first copying them to transfer.
   */
  serializes?: boolean | undefined;
  /** Node: the worker process's id (tests check that an aborted solve's worker is gone). */
  pid?: number | undefined;
}

/** The port a HiGHS worker talks through, from inside the worker. */
export interface HighsWorkerPort {
  post(reply: HighsReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: HighsLoad | HighsRequest) => void): void;
  /**
   * Node: true once the host is gone (the worker process was orphaned), checked from HiGHS's
   * interrupt callbacks so that the solve stops. Absent for a Web Worker (it ends with its page).
   */
  hostGone?: (() => boolean) | undefined;
}
