#!/usr/bin/env node
import { abortOnSignals } from './signals.js';

// Signals are turned into an abort before anything else loads (the solver packages take a
// moment to load), so a Ctrl-C at any time is answered the same way.
const controller = new AbortController();
abortOnSignals(controller);
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
    { signal: controller.signal, progress: process.stderr.isTTY === true && !argv.includes('--json') },
  );
  if (controller.signal.aborted) {
    // Aborted: the incumbent is printed; do not wait for solver threads or timers to wind down.
    process.stdout.write('', () => process.exit(code));
  } else {
    process.exitCode = code;
  }
}
