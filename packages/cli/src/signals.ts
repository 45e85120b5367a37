import { traceExit } from './exit-trace.js';
import { exitNow } from './exit.js';

/**
 * The one stderr line (exit 2, nothing on stdout) for a stop that comes before the first
 * problem of the file is solved, whichever way it arrives: the command's signal handler
 * (cliSignals) or runCli's `signal` aborted while the file loads (a library host, a reader
 * that returned early). docs/cli.md quotes it; scripts/audit/cli-fuzz.ts checks it.
 */
export const STOPPED_BEFORE_FIRST_SOLVE = 'emplace: interrupted before the first problem was solved\n';

/**
 * SIGINT / SIGTERM as an abort: the first signal aborts the controller (the solver returns
 * its incumbent, the CLI prints it); the listeners are then removed, so a second signal gets
 * the default action and ends the process at once, even while a solver holds the event loop.
 */
export function abortOnSignals(controller: AbortController, onFirst?: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const handler = (sig: NodeJS.Signals) => {
    traceExit('signal');
    remove();
    onFirst?.(sig);
    controller.abort(new Error(`${sig} received`));
  };
  const remove = () => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return remove;
}

/**
 * The command's signal wiring (bin.ts). Until the first problem of the file starts solving
 * (modules loading, the file being read and parsed) there is nothing to print, so the first
 * SIGINT / SIGTERM ends the process at once: exit 2 (no solution), a line on stderr, nothing
 * on stdout. Once `onSolveStart` has been called (runCli does, before the first solve), the
 * first signal aborts `signal`: the solver returns its incumbent, which is printed (exit 0, or
 * 2 without one). A second signal gets the default action. Readers and solvers yield every
 * ~10 ms, so the handler runs promptly in either phase.
 */
export function cliSignals(): { signal: AbortSignal; onSolveStart: () => void } {
  const controller = new AbortController();
  let solving = false;
  abortOnSignals(controller, () => {
    if (solving) return writeStdoutThrough();
    // stderr is written synchronously (a pipe, file or terminal on Linux): the line is out.
    process.stderr.write(STOPPED_BEFORE_FIRST_SOLVE);
    exitNow(2);
  });
  return {
    signal: controller.signal,
    onSolveStart: () => {
      solving = true;
    },
  };
}

/**
 * After an abort, stdout writes block until the reader has taken them (a pipe's handle set
 * blocking, as tty streams always are): the incumbent's --json line, written in pieces
 * (output.ts writeJsonLine), then leaves while its next piece is formatted, instead of
 * queueing every piece behind the first until the event loop turns again (6 MB for a
 * 200k-node Fiedler vector). libuv keeps the order of writes already queued.
 */
function writeStdoutThrough(): void {
  const handle = (process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  handle?.setBlocking?.(true);
}
