/**
 * Where a method holds the event loop (issue 13, development aid, not a benchmark): runs one
 * method on the responsiveness sweep's input for it under the V8 sampling profiler, records
 * every gap of a 1 ms timer with more than --min ms of on-CPU time (Linux schedstat: a busy
 * shared machine that deschedules the process does not make a short stretch look long), and
 * prints for each gap the functions on top of the stack (self) and on it (inclusive), or with
 * --timeline the sequence of project functions, so a stretch is named by its source line
 * instead of guessed. --abort=ms aborts the run then and prints the latency (from the moment
 * the abort was due to the settle, and the on-CPU time from the timer firing to the settle,
 * which a loaded machine does not inflate); --scale multiplies the input size; --no-profile gives the
 * on-CPU gaps alone (no profiler overhead); --gc collects the input's construction garbage
 * before the solve. Uses the built dist/ unless run with
 * --conditions=source.
 *
 *   nice -n 10 npx tsx benchmarks/responsiveness/stretches.ts mincostflow:network-simplex [--limit=1000] [--min=15] [--abort=400] [--top=8] [--scale=1] [--timeline] [--no-profile]
 * Every method runs on the sweep's input for it (inputs.ts); --scale N grows it as the sweep's
 * --scale N does (inputs.ts: about N times in each main dimension).
 */
import { openSync, readSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session, type Profiler } from 'node:inspector/promises';
import { solve } from '@emplace/core';
import '@emplace/assignment';
import '@emplace/graph';
import '@emplace/kcenter';
import '@emplace/mechanism';
import '@emplace/spectral';
import { euclidean, setInputScale, sweepInput } from './inputs.js';

const argv = process.argv.slice(2);
const method = argv.find((a) => !a.startsWith('--')) ?? 'mincostflow:network-simplex';
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const limit = Number(arg('limit', '1000'));
const min = Number(arg('min', '15'));
const top = Number(arg('top', '8'));
const abortAt = arg('abort', '') === '' ? undefined : Number(arg('abort', ''));

// ------------------------------------------------------------------ the input: the sweep's, at --scale (inputs.ts)

setInputScale(Number(arg('scale', '1')));
const input = sweepInput(method);

// HiGHS loads its WebAssembly on first use (the sweep does this too): keep it out of the numbers.
await solve(euclidean(30, 1), { method: 'ufl:mip', timeLimitMs: 2000 });
// --gc: collect the garbage of building the input before the solve, so that a full
// collection the solver's allocations set off does not also sweep the harness's garbage
// (the million-edge graph leaves ~80 MB: a 35-55 ms pause inside mst's first stretch).
if (argv.includes('--gc')) {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

// ------------------------------------------------------------------ profile and gaps

/** CLOCK_MONOTONIC in microseconds: the clock of the V8 profile's timestamps. */
const micros = (): number => Number(process.hrtime.bigint() / 1000n);
const profiling = !argv.includes('--no-profile');
const session = new Session();
if (profiling) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

// A gap is measured in on-CPU time of this thread (Linux schedstat), so a busy shared machine
// that deschedules the process does not make a short stretch look long.
const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
const buf = Buffer.alloc(96);
const cpuMs = (): number => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6;
const gaps: { from: number; to: number; cpu: number }[] = [];
let last = micros();
let lastCpu = cpuMs();
const beat = setInterval(() => {
  const t = micros();
  const c = cpuMs();
  if (c - lastCpu > min) gaps.push({ from: last, to: t, cpu: c - lastCpu });
  last = t;
  lastCpu = c;
}, 1);
const ctl = new AbortController();
const t0 = performance.now();
// On-CPU time from the abort to the settle: what the latency would be on an idle machine
// (it is sampled when the timer fires, so a stretch that delays the timer is not in it).
let cpuAtAbort = NaN;
if (abortAt !== undefined) {
  setTimeout(() => {
    cpuAtAbort = cpuMs();
    ctl.abort();
  }, abortAt);
}
const res = await solve(input.model, { ...input.options, method, seed: 1, timeLimitMs: limit, signal: ctl.signal });
const settled = performance.now() - t0;
const abortCpu = cpuMs() - cpuAtAbort;
clearInterval(beat);
const t = micros();
if (cpuMs() - lastCpu > min) gaps.push({ from: last, to: t, cpu: cpuMs() - lastCpu });
console.log(
  `${method}: ${res.status}/${res.stoppedBy} in ${settled.toFixed(0)} ms${abortAt === undefined ? '' : `, abort latency ${(settled - abortAt).toFixed(1)} ms (${abortCpu.toFixed(1)} ms on CPU after the timer fired)`}; ${gaps.length} gaps over ${min} ms on CPU: ${gaps.map((g) => g.cpu.toFixed(1)).join(' ')}`,
);
if (profiling) {
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profiler.Profile };
  session.disconnect();
  report(profile, gaps);
}

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
    if (argv.includes('--timeline')) timeline(p, w, times, label, parentOf);
    console.log(`\ngap at ${((w.from - p.startTime) / 1000).toFixed(0)} ms: ${((w.to - w.from) / 1000).toFixed(1)} ms wall, ${w.cpu.toFixed(1)} ms on CPU, ${count} samples\n  self:\n${fmt(self)}\n  inclusive (deepest first is not implied):\n${fmt(incl)}`);
  }
}

/** The gap as a sequence: runs of consecutive samples with the same innermost project frame (packages/), with their length in ms. */
function timeline(p: Profiler.Profile, w: { from: number; to: number }, times: readonly number[], label: (id: number) => string, parentOf: Map<number, number>): void {
  const runs: string[] = [];
  let cur = '';
  let start = 0;
  let prevT = 0;
  const flush = (): void => {
    if (cur !== '') runs.push(`${((prevT - start) / 1000).toFixed(1)} ms ${cur}`);
  };
  (p.samples ?? []).forEach((id, k) => {
    const ts = times[k]!;
    if (ts < w.from || ts > w.to) return;
    let frame = label(id);
    for (let n: number | undefined = id; n !== undefined; n = parentOf.get(n)) {
      const l = label(n);
      if (l.includes('/dist/') || l.includes('/src/')) {
        frame = l;
        break;
      }
    }
    if (frame !== cur) {
      flush();
      cur = frame;
      start = ts;
    }
    prevT = ts;
  });
  flush();
  console.log(`\ntimeline of the gap at ${((w.from - p.startTime) / 1000).toFixed(0)} ms:\n  ${runs.filter((r) => !r.startsWith('0.0 ')).join('\n  ')}`);
}
