import { createRequire } from 'node:module';
import { traceExit } from './exit-trace.js';

/*
 * The command's exit once its output is flushed (issue 13: exit within 100 ms of Ctrl-C).
 *
 * process.exit does not end the process at once: Node first joins its libuv threadpool and
 * its V8 platform threads (node.cc DefaultProcessExitHandlerInternal: uv_library_shutdown,
 * DisposePlatform), and a platform thread ends only when its current task has: V8's
 * concurrent marking of the whole heap (a major GC is often under way when a solve is
 * aborted), a sweeper job or a TurboFan compile. On a loaded 2-core machine those tasks get a
 * fraction of a core: perf showed the flushed Steiner answer followed by 60-130 ms of
 * ConcurrentMarking::RunMajor, Sweeper and OptimizingCompileDispatcher samples on the platform
 * threads before exit_group. The isolate is not torn down on process.exit, so nothing
 * cancels those jobs; their work is thrown away anyway.
 *
 * WASI's proc_exit with `returnOnExit: false` is Node's documented way to end the process
 * with a code from inside a program ("will cause the Node.js process to exit with the
 * specified exit code"): it calls the C library's exit(), which runs the atexit handlers
 * (Node's terminal reset among them) and ends every thread with the process, without the
 * joins. The process 'exit' event is not emitted; the CLI registers no handler of its own,
 * and the output is flushed before this is called.
 */

/**
 * A WebAssembly module (hand-assembled) whose `_start` calls WASI's proc_exit with the code
 * its import `emplace.code` returns:
 * (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
 * (import "emplace" "code" (func $code (result i32)))
 * (memory (export "memory") 0) (func (export "_start") (call $exit (call $code))).
 */
function procExitModule(): Uint8Array<ArrayBuffer> {
  const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
  // Types: 0 (i32) -> (), 1 () -> i32, 2 () -> ().
  const types = [3, 0x60, 1, 0x7f, 0, 0x60, 0, 1, 0x7f, 0x60, 0, 0];
  const imports = [2, ...text('wasi_snapshot_preview1'), ...text('proc_exit'), 0, 0, ...text('emplace'), ...text('code'), 0, 1];
  const exports = [2, ...text('memory'), 2, 0, ...text('_start'), 0, 2];
  const body = [0, 0x10, 1, 0x10, 0, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, [1, 2]),
    ...section(5, [1, 0, 0]),
    ...section(7, exports),
    ...section(10, [1, body.length, ...body]),
  ]);
}

/** Node options that write a file at a normal exit (profiles, trace events, reports) or hold the process for a debugger. */
const WRITES_AT_EXIT = /--(?:cpu-prof|heap-prof|prof\b|trace-event|inspect|report-on|diagnostic-dir)/;

/**
 * Whether the fast exit may be used: not where Node writes files at a normal exit (coverage
 * with NODE_V8_COVERAGE, --cpu-prof and the like, from the command line or NODE_OPTIONS), and
 * not when EMPLACE_FAST_EXIT=0 asks for process.exit (benchmarks/responsiveness/cli-signal.ts
 * --ab compares the two).
 */
function fastExitAllowed(): boolean {
  const env = process.env;
  if (env['EMPLACE_FAST_EXIT'] === '0' || env['NODE_V8_COVERAGE'] !== undefined) return false;
  return !WRITES_AT_EXIT.test(`${process.execArgv.join(' ')} ${env['NODE_OPTIONS'] ?? ''}`);
}

/** The prepared exit: `start(code)` ends the process; null where the fast exit is not used. */
let prepared: { start: (code: number) => void } | null | undefined;
let exitCode = 0;

/**
 * Makes the fast exit ready (loads node:wasi, compiles and instantiates the module: 2-4 ms of
 * the main thread in a fresh process, which on a loaded machine became 10-25 ms between the
 * flushed answer and the exit when done there). Call it where that time costs nothing (bin.ts:
 * while the solver package loads); exitNow does it itself otherwise.
 */
export function prepareFastExit(): void {
  if (prepared !== undefined) return;
  prepared = null;
  if (!fastExitAllowed()) return;
  try {
    // Loading node:wasi warns that it is experimental (Node 20); the warning is dropped.
    const { WASI } = quietly(() => createRequire(import.meta.url)('node:wasi') as typeof import('node:wasi'));
    const wasi = new WASI({ version: 'preview1', returnOnExit: false });
    const imports = { ...(wasi.getImportObject() as WebAssembly.Imports), emplace: { code: () => exitCode } };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(procExitModule()), imports);
    prepared = {
      start: (code) => {
        exitCode = code;
        wasi.start(instance);
      },
    };
  } catch {
    // No WASI here (another runtime, a Node without it): exitNow uses process.exit.
  }
}

/**
 * Runs `make` without Node's "WASI is an experimental feature" warning on stderr: the module
 * is used for its exit alone, which is documented and stable since Node 12; the user has
 * nothing to act on. Other warnings pass.
 */
function quietly<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && text.startsWith('WASI')) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Ends the process with `code` (0-255) at once: through WASI proc_exit (see above), or
 * process.exit where that is not allowed or not available. Call it only once stdout and
 * stderr are flushed. Never returns.
 */
export function exitNow(code: number): never {
  prepareFastExit();
  if (prepared && Number.isInteger(code) && code >= 0 && code <= 255) {
    traceExit('exit');
    prepared.start(code);
  }
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
