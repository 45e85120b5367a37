/**
 * Event-loop stalls of the LP-backed methods measured so that a loaded machine does not
 * hide them or invent them (issue 13, development aid): the responsiveness sweep's runs (a
 * 1 s limit, then --aborts aborts at seeded moments in [0, 1 s]) with a 1 ms timer that
 * records, for every gap over 10 ms, its wall time and the process CPU time spent in it
 * (process.cpuUsage: the main thread plus GC helpers and any HiGHS worker running then). A
 * gap with little CPU was the process waiting for a core; the longest gap's CPU is about
 * what the stall would be on an idle machine (an upper bound while a worker computes).
 *
 *   nice -n 10 npx tsx benchmarks/lp/cpu-stalls.ts robust:mip,mcf:lp [--aborts=3]
 */
import { loadavg } from 'node:os';
import { Rng, solve } from '@emplace/core';
import '@emplace/mechanism';
import { euclidean, sweepInput } from '../responsiveness/inputs.js';

const argv = process.argv.slice(2);
const methods = (argv.find((a) => !a.startsWith('--')) ?? 'robust:mip').split(',');
const aborts = Number(argv.find((a) => a.startsWith('--aborts='))?.slice(9) ?? 3);
const rng = new Rng(1313);

interface Gap {
  wall: number;
  cpu: number;
}

/** Gaps of a 1 ms timer over 10 ms: wall ms and process CPU ms within each. */
function monitor(): { stop(): Gap[] } {
  const gaps: Gap[] = [];
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const note = (): void => {
    const t = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (t - last > 10) gaps.push({ wall: t - last - 1, cpu: (cpu.user + cpu.system) / 1000 });
    last = t;
    lastCpu = process.cpuUsage();
  };
  const beat = setInterval(note, 1);
  return {
    stop(): Gap[] {
      clearInterval(beat);
      note();
      return gaps;
    },
  };
}

await solve(euclidean(30, 1), { method: 'ufl:mip', timeLimitMs: 2000 });
console.log(`load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const method of methods) {
  const input = sweepInput(method);
  const base = { ...input.options, method, seed: 1 };
  const gaps: Gap[] = [];
  const latencies: number[] = [];
  let mon = monitor();
  const t0 = performance.now();
  await solve(input.model, { ...base, timeLimitMs: 1000 });
  const window = Math.min(1000, performance.now() - t0);
  gaps.push(...mon.stop());
  for (let k = 0; k < aborts; k++) {
    const ctl = new AbortController();
    const at = rng.next() * window;
    mon = monitor();
    const due = performance.now() + at;
    const timer = setTimeout(() => ctl.abort(), at);
    await solve(input.model, { ...base, signal: ctl.signal, timeLimitMs: 2000 });
    const settled = performance.now();
    clearTimeout(timer);
    gaps.push(...mon.stop());
    if (settled > due) latencies.push(settled - due);
  }
  const byCpu = [...gaps].sort((a, b) => b.cpu - a.cpu);
  const byWall = [...gaps].sort((a, b) => b.wall - a.wall);
  const f = (g: Gap | undefined): string => (g ? `${g.wall.toFixed(1)} ms wall / ${g.cpu.toFixed(1)} ms CPU` : '-');
  console.log(
    `${method}: longest gap ${f(byWall[0])}; most CPU in one gap ${f(byCpu[0])}; gaps over 50 ms CPU: ${gaps.filter((g) => g.cpu > 50).length}; abort latency max ${latencies.length ? Math.max(...latencies).toFixed(1) : '-'} ms over ${latencies.length}`,
  );
}
console.log(`load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
