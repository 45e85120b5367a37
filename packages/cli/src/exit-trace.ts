/**
 * Exit timing for diagnosis (benchmarks/responsiveness/cli-signal.ts --trace): with
 * EMPLACE_TRACE_EXIT=1 the command writes `emplace-trace <step> <epoch ms> <cpu ms>` lines to
 * stderr at the steps between a signal and the exit (signal seen, solve returned, line
 * formatted, line written, stdout flushed, exit called: exit.ts), and when the first
 * problem starts solving (`solving`), so that a signal can be placed in the solve. Epoch milliseconds (timeOrigin + now) so that
 * another process can subtract its own clock; the process's CPU time (user + system, all
 * threads) so that work can be told from waiting on a loaded machine. Off (one env lookup at
 * load) otherwise.
 */
const enabled = process.env['EMPLACE_TRACE_EXIT'] === '1';

export function traceExit(step: string): void {
  if (!enabled) return;
  const cpu = process.cpuUsage();
  process.stderr.write(`emplace-trace ${step} ${(performance.timeOrigin + performance.now()).toFixed(2)} ${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`);
}
