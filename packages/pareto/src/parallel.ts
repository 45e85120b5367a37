/**
 * Parallel evaluation of a population in Node worker threads (`@emplace/pareto/parallel`).
 * Node-only, so it lives apart from the browser-safe core. The objective is given as a
 * module path and an export name: each worker imports the module and calls
 * `export(x: Float64Array) => { objectives, violations? }`. Worth it only when one
 * evaluation costs far more than copying a decision vector (~1 ms or more).
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelError } from '@emplace/core';
import type { BatchEvaluator } from './evolve.js';
import type { Evaluation } from './problem.js';

export interface WorkerEvaluatorOptions {
  /** Path (absolute, or relative to the working directory) or file: URL of an ES module. */
  module: string;
  /** Name of the exported evaluation function. Default 'evaluate'. */
  exportName?: string;
  /** Worker threads. Default: available cores - 1 (at least 1). */
  threads?: number;
}

export interface WorkerEvaluator extends BatchEvaluator {
  /** Terminates the workers; call when the run is over. */
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const mod = await import(workerData.url);
  const fn = mod[workerData.exportName];
  if (typeof fn !== 'function') throw new Error('module ' + workerData.url + ' has no function export ' + JSON.stringify(workerData.exportName));
  parentPort.on('message', ({ id, xs }) => {
    try {
      const out = xs.map((x) => {
        const e = fn(x);
        return { objectives: Array.from(e.objectives), violations: e.violations ? Array.from(e.violations) : undefined };
      });
      parentPort.postMessage({ id, out });
    } catch (err) {
      parentPort.postMessage({ id, error: String((err && err.stack) || err) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((err) => parentPort.postMessage({ fatal: String((err && err.stack) || err) }));
`;

interface Pending {
  resolve: (e: Evaluation[]) => void;
  reject: (err: Error) => void;
}

/** Starts the worker pool; use the result as `options.evaluator` of nsga2 / nsga3. */
export async function createWorkerEvaluator(options: WorkerEvaluatorOptions): Promise<WorkerEvaluator> {
  if (!options || typeof options.module !== 'string' || options.module.length === 0) throw new ModelError('options.module', 'must be a module path or file: URL');
  const exportName = options.exportName ?? 'evaluate';
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isInteger(threads) || threads < 1) throw new ModelError('options.threads', `must be a positive integer, got ${threads}`);
  const url = options.module.startsWith('file:') ? options.module : pathToFileURL(isAbsolute(options.module) ? options.module : resolve(options.module)).href;
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const ready: Promise<void>[] = [];
  for (let w = 0; w < threads; w++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url, exportName } });
    ready.push(
      new Promise<void>((res, rej) => {
        worker.on('message', (msg: { ready?: boolean; fatal?: string; id?: number; out?: Evaluation[]; error?: string }) => {
          if (msg.ready) return res();
          if (msg.fatal !== undefined) return rej(new ModelError('options.module', `could not be loaded in a worker: ${msg.fatal}`));
          const p = pending.get(msg.id!);
          if (!p) return;
          pending.delete(msg.id!);
          if (msg.error !== undefined) p.reject(new ModelError(`${exportName}(x)`, `threw in a worker: ${msg.error}`));
          else p.resolve(msg.out!);
        });
        worker.on('error', (err) => {
          rej(err);
          for (const p of pending.values()) p.reject(err);
          pending.clear();
        });
      }),
    );
    workers.push(worker);
  }
  try {
    await Promise.all(ready);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  const evaluate = async (xs: readonly Float64Array[]): Promise<Evaluation[]> => {
    // Contiguous chunks, one per worker, results concatenated in order.
    const chunk = Math.ceil(xs.length / workers.length);
    const parts = workers.map((worker, w) => {
      const slice = xs.slice(w * chunk, (w + 1) * chunk);
      if (slice.length === 0) return Promise.resolve([] as Evaluation[]);
      const id = nextId++;
      return new Promise<Evaluation[]>((res, rej) => {
        pending.set(id, { resolve: res, reject: rej });
        worker.postMessage({ id, xs: slice });
      });
    });
    return (await Promise.all(parts)).flat();
  };
  return Object.assign(evaluate, {
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  });
}
