import { traceExit } from './exit-trace.js';

/*
 * The command's exit once its output is flushed (issue 13: exit within 100 ms of Ctrl-C).
 *
 * process.exit, and not a quicker way out. process.exit first joins Node's V8 platform
 * threads, and a platform thread ends only when its task has (a concurrent GC mark, a
 * sweeper, a TurboFan compile): on a loaded 2-core machine that held an aborted Steiner
 * solve's exit 60-180 ms after its answer was flushed. Ending through WASI's proc_exit (the C
 * library's exit(), no joins) took that wait away (steiner p50 134 against 323 ms with two
 * busy loops beside it; docs/cli.md), but exit() runs the process's exit handlers while those
 * threads still run their tasks, and it crashed: 3 SIGSEGVs in 2,500 runs of the built CLI
 * signalled during its start (the core dump: a V8 ArrayBufferSweeper task on a platform
 * thread while the main thread was in __run_exit_handlers), against 0 in 2,500 through
 * process.exit. A crash is worse than a slow exit.
 */

/** Ends the process with `code` (traced as the `exit` step). Call it only once stdout and stderr are flushed. */
export function exitNow(code: number): never {
  traceExit('exit');
  return process.exit(code);
}

/**
 * Ends the process with `code` (exitNow) once stdout and stderr hold no unwritten text: at
 * once when every write has reached the kernel already (pipes and files are written
 * synchronously on Linux, and stdout blocks after an abort: signals.ts), which spares the
 * exit an event-loop turn (10 ms on a loaded machine, with whatever the solver's teardown
 * queued running first); otherwise after the pending writes complete.
 */
export function exitWhenFlushed(code: number): void {
  const done = (): void => {
    traceExit('flushed');
    exitNow(code);
  };
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  let left = pending.length;
  if (left === 0) done();
  else for (const s of pending) s.write('', () => --left === 0 && done());
}
