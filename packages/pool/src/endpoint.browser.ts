import type { HostMessage, WorkerMessage } from './protocol.js';
import type { SpawnOptions, WorkerEndpoint } from './endpoint.js';

/*
 * Browser side of endpoint.ts (package.json "browser" map): module Web Workers only, so a
 * browser bundle of @emplace/pool never reaches node:worker_threads / node:module.
 */

export type { SpawnOptions, WorkerEndpoint };

/** Starts one module Web Worker. */
export async function spawnWorker(opts: SpawnOptions): Promise<WorkerEndpoint> {
  const w = new Worker(opts.url, { type: 'module' });
  let terminating = false;
  return {
    post: (m: HostMessage, transfer) => w.postMessage(m, (transfer ?? []) as Transferable[]),
    onMessage: (h) => w.addEventListener('message', (e: MessageEvent<WorkerMessage>) => h(e.data)),
    onExit: (h) => w.addEventListener('error', (e: ErrorEvent) => !terminating && h(`worker error: ${e.message}`)),
    terminate: () => {
      terminating = true;
      w.terminate();
    },
  };
}
