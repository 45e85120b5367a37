/**
 * Where an LP-backed method holds the event loop (issue 13, development aid, not a
 * benchmark): benchmarks/responsiveness/stretches.ts with the sweep's inputs of the LP
 * methods (robust, pmedian:mip, mcf, link-upgrade, least-core, nucleolus). Runs one method
 * under the V8 sampling profiler, records every gap of a 1 ms timer over --min ms and prints
 * the functions on the stack during it; --abort=ms aborts the run then.
 *
 *   nice -n 10 npx tsx benchmarks/lp/stretches.ts robust:mip [--limit=1000] [--min=15] [--abort=400] [--top=8]
 */
import { readFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { solve } from '@emplace/core';
import '@emplace/facility';
import '@emplace/flows';
import '@emplace/mechanism';
import { euclidean, lpProbeInput } from './inputs.js';

const argv = process.argv.slice(2);
const method = argv.find((a) => !a.startsWith('--')) ?? 'robust:mip';
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const limit = Number(arg('limit', '1000'));
const min = Number(arg('min', '15'));
const top = Number(arg('top', '8'));
const abortAt = arg('abort', '') === '' ? undefined : Number(arg('abort', ''));

const input = lpProbeInput(method);
// HiGHS loads its WebAssembly on first use (the sweep does this too): keep it out of the numbers.
await solve(euclidean(30, 1), { method: 'ufl:mip', timeLimitMs: 2000 });

// ------------------------------------------------------------------ profile and gaps

/** CLOCK_MONOTONIC in microseconds: the clock of the V8 profile's timestamps. */
const micros = (): number => Number(process.hrtime.bigint() / 1000n);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');

/** The main thread's time on a core (Linux schedstat), ms: a gap's CPU tells a real stretch from a wait for a core. */
const cpuMs = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const gaps: { from: number; to: number; cpu: number }[] = [];
let last = micros();
let lastCpu = cpuMs();
const beat = setInterval(() => {
  const t = micros();
  const c = cpuMs();
  if (t - last > min * 1000) gaps.push({ from: last, to: t, cpu: c - lastCpu });
  lastCpu = c;
  last = t;
}, 1);
const ctl = new AbortController();
const t0 = performance.now();
if (abortAt !== undefined) setTimeout(() => ctl.abort(), abortAt);
const res = await solve(input.model, { ...input.options, method, seed: 1, timeLimitMs: limit, signal: ctl.signal });
const settled = performance.now() - t0;
clearInterval(beat);
const t = micros();
if (t - last > min * 1000) gaps.push({ from: last, to: t, cpu: cpuMs() - lastCpu });
const { profile } = (await session.post('Profiler.stop')) as { profile: Profiler.Profile };
session.disconnect();

console.log(
  `${method}: ${res.status}/${res.stoppedBy} in ${settled.toFixed(0)} ms${abortAt === undefined ? '' : `, abort latency ${(settled - abortAt).toFixed(1)} ms`}; ${gaps.length} gaps over ${min} ms`,
);
report(profile, gaps);

function report(p: Profiler.Profile, windows: readonly { from: number; to: number; cpu: number }[]): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const label = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/packages\//, '')}:${f.lineNumber + 1}`;
  };
  const times: number[] = [];
  let at = p.startTime;
  for (const d of p.timeDeltas ?? []) times.push((at += d));
  for (const w of windows) {
    const self = new Map<string, number>();
    const incl = new Map<string, number>();
    let count = 0;
    (p.samples ?? []).forEach((id, k) => {
      const ts = times[k]!;
      if (ts < w.from || ts > w.to) return;
      count++;
      const l = label(id);
      self.set(l, (self.get(l) ?? 0) + 1);
      const seen = new Set<string>();
      for (let n: number | undefined = id; n !== undefined; n = parentOf.get(n)) {
        const ln = label(n);
        if (seen.has(ln)) continue;
        seen.add(ln);
        incl.set(ln, (incl.get(ln) ?? 0) + 1);
      }
    });
    const fmt = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([l, c]) => `    ${((100 * c) / Math.max(1, count)).toFixed(0).padStart(3)}%  ${l}`)
        .join('\n');
    console.log(`\ngap at ${((w.from - p.startTime) / 1000).toFixed(0)} ms: ${((w.to - w.from) / 1000).toFixed(1)} ms, ${w.cpu.toFixed(1)} ms CPU, ${count} samples\n  self:\n${fmt(self)}\n  inclusive (deepest first is not implied):\n${fmt(incl)}`);
  }
}
