import { BackendError } from '@emplace/core';
import { solveLp, type LinearModel, type LpOffload, type LpOptions, type LpResult } from '@emplace/lp';

/*
 * Where the cut MIP's LPs run. The lp layer's `offload: 'auto'` keeps LPs under 5,000
 * nonzeros in the caller's thread whenever no HiGHS worker is idle, e.g. right after an
 * abort terminated the worker (its replacement is still loading). Such an in-thread solve
 * first loads HiGHS again in this thread (its runtime is dropped once a worker ran):
 * 450-700 ms during which the event loop is blocked and an abort is not seen (SteinLib c18,
 * issue 13). On the main thread every LP therefore goes to a worker: awaiting one that is
 * still loading blocks nothing, and an abort terminates it at once. Inside a worker thread
 * (a pool worker) `auto` runs HiGHS in that thread, which blocks no host.
 */

let where: Promise<LpOffload> | undefined;
/** Set when a HiGHS worker could not be used here: the LPs then run where `auto` puts them. */
let workerFailed = false;

function preferredOffload(): Promise<LpOffload> {
  where ??= import('node:worker_threads').then(
    ({ isMainThread }) => (isMainThread ? 'worker' : 'auto'),
    () => 'auto' as const,
  );
  return where;
}

/** solveLp with HiGHS off the main thread (see above); falls back to `auto` if no worker can start. */
export async function solveLpOffMainThread(model: LinearModel, options: Omit<LpOptions, 'offload'>): Promise<LpResult> {
  const offload = workerFailed ? 'auto' : await preferredOffload();
  if (offload === 'auto') return solveLp(model, options);
  try {
    return await solveLp(model, { ...options, offload });
  } catch (err) {
    // No worker here (a bundle without the worker script, no Worker): auto runs in-thread
    // (the lp layer does not export its start-error class; its message says so).
    if (!(err instanceof BackendError) || !err.message.includes('could not start a HiGHS worker')) throw err;
    workerFailed = true;
    return solveLp(model, options);
  }
}
