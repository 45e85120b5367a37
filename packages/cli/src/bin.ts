#!/usr/bin/env node
import { exitWhenFlushed } from './exit.js';
import { cliSignals } from './signals.js';

// Signals are handled before anything else loads (signals.ts: before the first problem starts
// solving a signal ends the process at once with exit 2; during a solve it prints the
// incumbent). Before this line, during Node's own start-up (~100-150 ms), a signal gets the
// default action.
const { signal, onSolveStart } = cliSignals();
// HiGHS workers as child processes, not threads: after Ctrl-C the CLI exits at once, and a
// killed process holds nothing of it, where a thread's wasm compile held the exit 100-550 ms
// (@emplace/lp highs-thread.ts). The fork this costs is small in a fresh process.
process.env['EMPLACE_HIGHS_WORKER'] ??= 'process';
const argv = process.argv.slice(2);

// `emplace formats | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// --help, help <family> and --version come from the catalog, without loading the solvers.
const { fastHelp } = await import('./help.js');
const quick = fastHelp(argv, (text) => process.stdout.write(text));
if (quick !== undefined) process.exitCode = quick;
else await main();

async function main(): Promise<void> {
  const { runCli } = await import('./cli.js');
  const code = await runCli(
    argv,
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    },
    { signal, onSolveStart, progress: process.stderr.isTTY === true && !argv.includes('--json') },
  );
  // Exit once stdout and stderr are flushed, without waiting for solver threads or timers to
  // wind down: an aborted solve's incumbent is printed, and a finished run leaves no window in
  // which a late signal meets a process that is only draining its event loop (exit.ts).
  exitWhenFlushed(code);
}
