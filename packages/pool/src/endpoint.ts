import type { HostMessage, WorkerMessage } from './protocol.js';

/** The host's handle on one worker, the same for Node worker_threads and Web Workers. */
export interface WorkerEndpoint {
  post(message: HostMessage, transfer?: readonly ArrayBuffer[]): void;
  onMessage(handler: (message: WorkerMessage) => void): void;
  /** Called when the worker dies (crash, out of memory, exit) outside terminate(). */
  onExit(handler: (reason: string) => void): void;
  terminate(): void;
}

export interface SpawnOptions {
  /** URL of the worker script (default: this package's worker). */
  url: URL;
  /** Node: resource limits of each worker (heap in MB), so a runaway model cannot take the host down. */
  maxOldGenerationSizeMb?: number;
}

/**
 * Running from the TypeScript sources (tests, benchmarks under tsx): a worker does not
 * inherit the parent's loader, so a tiny ESM bootstrap registers tsx in the worker
 * thread and then imports the .ts worker. Built code (dist/worker.js) needs none of this.
 */
async function sourceBootstrap(url: URL): Promise<URL> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const api = createRequire(url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(pathToFileURL(api).href)}; register(); await import(${JSON.stringify(url.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Starts one worker: worker_threads in Node, a module Web Worker elsewhere. */
export async function spawnWorker(opts: SpawnOptions): Promise<WorkerEndpoint> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    // Running from the TypeScript sources (tests, benchmarks): the worker needs the same
    // loader and the 'source' export condition to import the .ts files.
    const fromSource = opts.url.pathname.endsWith('.ts');
    const w = new Worker(fromSource ? await sourceBootstrap(opts.url) : opts.url, {
      ...(fromSource ? { execArgv: ['--conditions=source'] } : {}),
      ...(opts.maxOldGenerationSizeMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb } } : {}),
    });
    let terminating = false;
    return {
      post: (m, transfer) => w.postMessage(m, (transfer ?? []) as ArrayBuffer[]),
      onMessage: (h) => void w.on('message', (m: WorkerMessage) => h(m)),
      onExit: (h) => {
        w.on('error', (e: Error) => !terminating && h(`worker error: ${e.message}`));
        w.on('exit', (code: number) => !terminating && h(`worker exited with code ${code}`));
      },
      terminate: () => {
        terminating = true;
        void w.terminate();
      },
    };
  }
  const w = new Worker(opts.url, { type: 'module' });
  let terminating = false;
  return {
    post: (m, transfer) => w.postMessage(m, (transfer ?? []) as Transferable[]),
    onMessage: (h) => w.addEventListener('message', (e: MessageEvent<WorkerMessage>) => h(e.data)),
    onExit: (h) => w.addEventListener('error', (e: ErrorEvent) => !terminating && h(`worker error: ${e.message}`)),
    terminate: () => {
      terminating = true;
      w.terminate();
    },
  };
}
