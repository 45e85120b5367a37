import type { HighsReply, HighsWorkerEndpoint, HighsWorkerPort } from './highs-protocol.js';

/*
 * Node's default HiGHS worker: a worker_threads thread. Starting one costs the host nothing
 * but the thread; a child process (highs-child.ts) costs a fork() of the host, which blocks
 * its event loop in proportion to its memory (benchmarks/lp/fork-cost.ts: 20-28 ms at 245 MiB
 * RSS, 39-58 ms at 845 MiB, idle) at every start and every replacement after an abort: too much for a long-running
 * scheduler. The thread's drawback is at exit (V8 finishes compiling the HiGHS module on the
 * process's compile threads before `process.exit` returns), which only a command that exits
 * right after an abort notices: the CLI asks for worker processes (EMPLACE_HIGHS_WORKER).
 */

/**
 * Running from the TypeScript sources (tests, benchmarks under tsx): a worker does not
 * inherit the parent's loader, so a tiny ESM bootstrap registers tsx in the worker thread
 * and then imports the .ts worker. Built code (dist/) needs none of this.
 */
async function sourceBootstrap(url: URL): Promise<URL> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const api = createRequire(url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(pathToFileURL(api).href)}; register(); await import(${JSON.stringify(url.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts one HiGHS worker thread (highs-worker.ts next to this file). */
export async function spawnHighsThread(): Promise<HighsWorkerEndpoint> {
  const { Worker } = await import('node:worker_threads');
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './highs-worker.ts' : './highs-worker.js', import.meta.url);
  // The worker's JavaScript is small (messages; models are typed arrays outside the heap):
  // a small young generation keeps its resident memory flat over thousands of solves.
  const resourceLimits = { maxYoungGenerationSizeMb: 4 };
  const w = new Worker(fromSource ? await sourceBootstrap(url) : url, fromSource ? { execArgv: ['--conditions=source'], resourceLimits } : { resourceLimits });
  let terminating = false;
  return {
    post: (request, transfer) => w.postMessage(request, transfer ?? []),
    onMessage: (h) => void w.on('message', (m: HighsReply) => h(m)),
    onExit: (h) => {
      w.on('error', (e: Error) => !terminating && h(`HiGHS worker error: ${e.message}`));
      w.on('exit', (code: number) => !terminating && h(`HiGHS worker exited with code ${code}`));
    },
    terminate: () => {
      terminating = true;
      void w.terminate();
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

/** The HiGHS worker thread's side of the channel. */
export async function highsThreadPort(): Promise<HighsWorkerPort> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('@emplace/lp HiGHS worker: not running in a worker thread');
  return {
    post: (reply, transfer) => parentPort.postMessage(reply, transfer ?? []),
    listen: (h) => void parentPort.on('message', h),
  };
}
