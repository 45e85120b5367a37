/**
 * The solver worker: imports the solver packages (which register their methods), then
 * runs `solve(model, options)` for each request with a shared-memory abort signal, and
 * posts progress events, incumbents and the result back (buffers transferred, not copied:
 * the host's event loop only receives them).
 * Works as a Node worker_threads script and as a module Web Worker.
 */
import { solve, type ProgressEvent, type Result, type Sense } from '@emplace/core';
import { serializeError } from './errors.js';
import type { HostMessage, WorkerMessage } from './protocol.js';
import { sharedAbortSignal } from './shared-signal.js';
import { lowerThreadPriority } from './worker-priority.js';
import { decodeModel, encodeNow, type Encoded, type KnownLists } from './transfer.js';

/** The parts of a dedicated Web Worker's global scope this worker uses. */
interface DedicatedWorkerScope {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', handler: (e: MessageEvent<HostMessage>) => void): void;
}

interface Port {
  post(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: HostMessage) => void): void;
}

async function port(): Promise<Port> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    if (!parentPort) throw new Error('@emplace/pool worker: not running in a worker thread');
    return {
      post: (m, t) => parentPort.postMessage(m, t ?? []),
      listen: (h) => void parentPort.on('message', h),
    };
  }
  const scope: DedicatedWorkerScope = globalThis as typeof globalThis & DedicatedWorkerScope;
  return {
    post: (m, t) => scope.postMessage(m, t ?? []),
    listen: (h) => scope.addEventListener('message', (e) => h(e.data)),
  };
}

const p = await port();
const running = new Map<number, AbortController>();
/** Parts of the next solve message (one job at a time: parts of another id are dropped). */
let received: { id: number; items: unknown[][] } = { id: 0, items: [] };

/** Posts an encoding's parts, then the message that holds its value. */
function postEncoded(id: number, e: Encoded, message: WorkerMessage): void {
  for (const part of e.parts) p.post({ type: 'part', id, items: part.items }, part.transfer);
  p.post(message, e.transfer);
}

p.listen((msg) => {
  if (msg.type === 'init') {
    lowerThreadPriority(msg.nice)
      .then(() => Promise.all(msg.modules.map((m) => import(m))))
      .then(() => p.post({ type: 'ready' }))
      .catch((e: unknown) => p.post({ type: 'init-error', error: serializeError(e) }));
    return;
  }
  if (msg.type === 'abort') {
    running.get(msg.id)?.abort();
    return;
  }
  if (msg.type === 'part') {
    if (received.id !== msg.id) received = { id: msg.id, items: [] };
    received.items.push(msg.items);
    return;
  }
  const { id, model, packed, options, abortFlag, wantsProgress } = msg;
  const parts = received.id === id ? received.items : [];
  received = { id: 0, items: [] };
  const { signal, controller } = sharedAbortSignal(abortFlag);
  running.set(id, controller);
  const onProgress = wantsProgress ? (event: ProgressEvent) => p.post({ type: 'progress', id, event }) : undefined;
  // Always on: the host keeps the latest so that a worker that does not answer an abort in
  // time still has its solution returned. The solver keeps mutating its arrays, so the solution is
  // copied here, at once, and the copies are transferred (the host only receives them).
  let known: KnownLists | undefined;
  const onIncumbent = (solution: unknown, objective: number, sense: Sense) => {
    try {
      const e = encodeNow(solution, 'copy', known);
      postEncoded(id, e, { type: 'incumbent', id, solution: e.value, packed: e.packed, objective, sense });
    } catch {
      // A solution that cannot be cloned (a function inside): the result still comes at the end.
    }
  };
  const startedAt = performance.now();
  const aborted = (): boolean => signal.aborted;
  decodeModel(model, packed, parts, aborted)
    .then((decoded) => {
      // Aborted while the model was arriving: answer at once, there is nothing to keep.
      if (!decoded) return abortedBeforeStart(options['method'], startedAt);
      known = decoded.known;
      return solve(decoded.model as { kind: string }, { ...options, signal, onIncumbent, ...(onProgress ? { onProgress } : {}) } as Parameters<typeof solve>[1]);
    })
    .then((result) => postResult(id, result, known))
    .catch((e: unknown) => p.post({ type: 'error', id, error: serializeError(e) }))
    .finally(() => running.delete(id));
});

/** The answer to an abort that came before the solve started: nothing was computed, nothing to keep. */
function abortedBeforeStart(method: unknown, startedAt: number): Result<unknown> {
  return {
    status: 'no-solution',
    sense: 'min',
    stoppedBy: 'aborted',
    stats: { method: String(method), elapsedMs: performance.now() - startedAt },
    guarantee: { kind: 'heuristic' },
    warnings: ['aborted while the model was reaching the worker, before the solve started'],
  };
}

/**
 * The result, its buffers moved (the worker is done with them); copied when one cannot be
 * moved (a view on wasm memory). Lists of the model go back as references (`known`).
 */
function postResult(id: number, result: unknown, known: KnownLists | undefined): void {
  try {
    const e = encodeNow(result, 'move', known);
    postEncoded(id, e, { type: 'result', id, result: e.value as WorkerResult, packed: e.packed });
  } catch {
    const e = encodeNow(result, 'copy', known);
    postEncoded(id, e, { type: 'result', id, result: e.value as WorkerResult, packed: e.packed });
  }
}

type WorkerResult = Extract<WorkerMessage, { type: 'result' }>['result'];
