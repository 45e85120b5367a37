/**
 * The HiGHS worker: keeps one HiGHS runtime loaded and solves each request with
 * runHighs, inside HiGHS's own time limit. It is never asked to stop: the caller
 * terminates it on abort (the wasm call holds this thread, so no message could get in).
 * Runs as a Node child process (highs-child.ts) and as a module Web Worker. A Node worker
 * whose host died stops its solve at the next interrupt check (`port.hostGone`).
 */
import type { Highs } from 'highs';
import { BackendError } from '@emplace/core';
import { now } from '../backend.js';
import type { HighsLocation } from './highs-config.js';
import type { HighsReply, HighsRequest } from './highs-protocol.js';
import { runHighs } from './highs-run.js';
import { errorMessage as message } from './runtime-cache.js';
import { highsWorkerPort, loadHighsRuntime } from './platform.js';

let runtime: { where: string; highs: Promise<Highs> } | undefined;

function getRuntime(location: HighsLocation): Promise<Highs> {
  const where = JSON.stringify(location);
  if (runtime === undefined || runtime.where !== where) runtime = { where, highs: loadHighsRuntime(location) as Promise<Highs> };
  return runtime.highs;
}

/** Result vectors move back to the caller instead of being copied. */
function buffersOf(reply: HighsReply): ArrayBuffer[] {
  if (reply.type === 'incumbent') return [reply.x.buffer as ArrayBuffer];
  if (reply.type !== 'done') return [];
  const out: ArrayBuffer[] = [];
  for (const v of [reply.outcome.x, reply.outcome.duals]) if (v !== undefined && v.buffer instanceof ArrayBuffer) out.push(v.buffer);
  return out;
}

/** Loads HiGHS; false (after posting the error) when it cannot be loaded. */
async function load(id: number, location: HighsLocation, post: (r: HighsReply) => void): Promise<Highs | undefined> {
  try {
    return await getRuntime(location);
  } catch (err) {
    runtime = undefined;
    post({ type: 'error', id, kind: 'load', message: message(err) });
    return undefined;
  }
}

async function solve(req: HighsRequest, post: (r: HighsReply) => void, hostGone: (() => boolean) | undefined): Promise<void> {
  const { id } = req;
  const highs = await load(id, req.location, post);
  if (highs === undefined) return;
  const startedAt = now();
  try {
    const outcome = runHighs(highs, req.model, {
      deadline: req.remainingMs === Infinity ? Infinity : startedAt + req.remainingMs,
      aborted: hostGone ?? (() => false),
      abortable: hostGone !== undefined,
      mipRelGap: req.mipRelGap,
      warmStart: req.warmStart,
      highsOptions: req.highsOptions,
      progressIntervalMs: req.progressIntervalMs,
      startedAt,
      onProgress: req.wantsProgress ? (event) => post({ type: 'progress', id, event }) : undefined,
      onIncumbent: (x) => post({ type: 'incumbent', id, x: x.slice() }),
    });
    post({ type: 'done', id, outcome });
  } catch (err) {
    // A BackendError is HiGHS refusing the input; anything else may have corrupted the runtime.
    if (err instanceof BackendError) post({ type: 'error', id, kind: 'rejected', message: err.message.replace(/^highs: /, '') });
    else {
      // The runtime may be corrupted: the next solve loads a fresh one (this thread stays).
      runtime = undefined;
      post({ type: 'error', id, kind: 'crashed', message: message(err) });
    }
  }
}

const port = await highsWorkerPort();
const post = (reply: HighsReply): void => port.post(reply, buffersOf(reply));
port.listen((msg) => {
  if (msg.type === 'load') {
    void load(0, msg.location, post).then((highs) => highs !== undefined && post({ type: 'ready', id: 0 }));
  } else void solve(msg, post, port.hostGone);
});
