import type { ChildProcess, Serializable } from 'node:child_process';
import { yieldToEventLoop } from '@emplace/core';
import type { HighsLoad, HighsReply, HighsRequest, HighsWorkerEndpoint, HighsWorkerPort } from './highs-protocol.js';
import { pieceAssembler, piecesOf, splitLarge } from './ipc-pieces.js';

/*
 * Node's HiGHS worker as a child process (EMPLACE_HIGHS_WORKER=process; the CLI's choice, a
 * worker thread is the default: highs-thread.ts) (issue 13, CLI exit after a signal). A
 * thread's V8 shares the process: V8 compiles hot HiGHS functions (TurboFan tier-up
 * of a 3.5 MB wasm module) on the process's compile threads, and `process.exit` waits for the
 * compile tasks still running and for the thread's heap to be freed: after Ctrl-C during a
 * Steiner solve the CLI printed its answer within ~15 ms and then took 100-550 ms more to exit
 * (perf: TurboFan wasm compile on the platform threads after the worker thread had ended). A
 * child process killed with SIGKILL holds nothing of its parent. Models go over the IPC
 * channel with V8's serializer (`serialization: 'advanced'`: typed arrays stay typed arrays),
 * large arrays in pieces (ipc-pieces.ts) so that neither side's event loop stalls on them.
 */

/** The last bytes the child wrote on stderr (an uncaught error's message), for the exit reason. */
const STDERR_TAIL = 2000;

/** How the child is started: running from the TypeScript sources (tests, tsx), it loads tsx. */
async function childArgv(fromSource: boolean): Promise<{ script: string; execArgv: string[] }> {
  const { fileURLToPath, pathToFileURL } = await import('node:url');
  const script = fileURLToPath(new URL(fromSource ? './highs-worker.ts' : './highs-worker.js', import.meta.url));
  // The child's JavaScript is small (messages; models are typed arrays outside the heap): a
  // small young generation keeps its resident memory flat over thousands of solves.
  const execArgv = ['--max-semi-space-size=1'];
  if (fromSource) {
    const { createRequire } = await import('node:module');
    execArgv.push('--conditions=source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href);
  }
  return { script, execArgv };
}

/** Starts one HiGHS worker process (highs-worker.ts next to this file). */
export async function spawnHighsChild(): Promise<HighsWorkerEndpoint> {
  const { fork } = await import('node:child_process');
  const { script, execArgv } = await childArgv(import.meta.url.endsWith('.ts'));
  // execArgv is set, not inherited: the host's own flags (--inspect, a loader) are not the child's.
  const child: ChildProcess = fork(script, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_TAIL);
  });
  // The stderr pipe never keeps the host alive (an idle worker must not); it is a net.Socket.
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  let terminating = false;
  const handles = (on: boolean): void => {
    if (on) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  };
  const alive = (): boolean => !terminating && child.connected;
  const pieces = pieceAssembler();
  return {
    post: (message) => void sendInPieces(message, alive, (m) => child.send(m as Serializable)),
    onMessage: (h) => void child.on('message', (m: unknown) => !pieces.take(m) && h(pieces.join(m as HighsReply))),
    onExit: (h) => {
      child.on('error', (e: Error) => !terminating && h(`HiGHS worker error: ${e.message}`));
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        if (terminating) return;
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        h(`HiGHS worker exited with ${signal !== null ? `signal ${signal}` : `code ${code}`}${last.length > 0 ? `: ${last}` : ''}`);
      });
    },
    terminate: () => {
      terminating = true;
      // At once: the solve in it (a wasm call) would not see a message, and SIGKILL leaves the
      // host nothing to wait for. Its handles no longer hold the host open.
      child.kill('SIGKILL');
      handles(false);
    },
    ref: () => handles(true),
    unref: () => handles(false),
    serializes: true,
    pid: child.pid,
  };
}

/** How long the sender runs between event-loop turns while it sends a large message's pieces. */
const SLICE_MS = 4;

/** Sends `message`, its large arrays first in pieces, with event-loop turns; stops when `alive` turns false (terminated). */
async function sendInPieces(message: HighsLoad | HighsRequest, alive: () => boolean, send: (m: object) => void): Promise<void> {
  const { head, large } = splitLarge(message);
  let slice = performance.now();
  for (const piece of piecesOf(large)) {
    if (!alive()) return;
    send(piece);
    if (performance.now() - slice >= SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
  }
  if (alive()) send(head);
}

/** How often a busy worker process checks that its host is still there (a few µs per check). */
const HOST_CHECK_MS = 50;

/**
 * The worker process's side of the channel. The host ends it with SIGKILL; Ctrl-C and a
 * SIGTERM to the process group go to the host, which decides (a worker killed by them
 * first would fail the solve instead of the host answering with its incumbent). If the host
 * dies, the worker ends too: idle, when the channel closes; busy in HiGHS (the channel is
 * not read then), when the solve's interrupt checks see another parent.
 */
export function highsChildPort(): HighsWorkerPort {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('@emplace/lp HiGHS worker: not started as a worker process (no IPC channel)');
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => {});
  process.on('disconnect', () => process.exit(0));
  const parent = process.ppid;
  let checkedAt = 0;
  let gone = false;
  const hostGone = (): boolean => {
    const t = performance.now();
    if (!gone && t - checkedAt >= HOST_CHECK_MS) {
      checkedAt = t;
      gone = process.ppid !== parent;
    }
    return gone;
  };
  const pieces = pieceAssembler();
  return {
    post: (reply) => {
      if (hostGone()) process.exit(0);
      // The host receives the pieces one message at a time (a worker may block: it does here).
      const { head, large } = splitLarge(reply);
      for (const piece of piecesOf(large)) send(piece);
      send(head);
    },
    listen: (h) => void process.on('message', (m: unknown) => !pieces.take(m) && h(pieces.join(m as HighsLoad | HighsRequest))),
    hostGone,
  };
}
