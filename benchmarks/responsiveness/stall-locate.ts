/**
 * Where a method's event-loop stalls come from (a diagnostic for the sweep's "stall" column):
 * runs one method on its sweep input in the caller's thread with a time limit, probes the
 * loop with a 1 ms interval as the sweep does, and prints the longest stalls with the call
 * sites of the last yield before each and the first after it (the code between them is the
 * stretch that ran without yielding). Yields are seen by wrapping setImmediate, which core's
 * yieldToEventLoop uses in Node, before the packages load; a solver waiting on a worker
 * leaves the loop free, so its probe shows no stall there.
 * --scale S runs on the sweep's input grown as the sweep's --scale S grows it (inputs.ts).
 * Run: npx tsx --conditions=source benchmarks/responsiveness/stall-locate.ts family:method [--limit MS] [--top N] [--abort-at MS] [--scale S]
 */
const argv = process.argv.slice(2);
const method = argv[0];
if (!method) throw new Error('usage: stall-locate.ts family:method [--limit MS] [--top N] [--abort-at MS] [--scale S]');
const opt = (flag: string, dflt: number): number => {
  const i = argv.indexOf(flag);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const limitMs = opt('--limit', 1000);
const top = opt('--top', 4);
const abortAt = opt('--abort-at', -1);
const scale = opt('--scale', 1);

const yieldTimes: number[] = [];
const yieldSites: string[] = [];
const callSite = (): string =>
  (new Error().stack ?? '')
    .split('\n')
    .slice(2)
    .filter((l) => !/node:internal|stall-locate|yield\.ts|new Promise/.test(l))
    .slice(0, 4)
    .map((l) => l.trim().replace(/^at /, '').replace(/\(\/.*\/packages\//, '('))
    .join(' < ');
const original = globalThis.setImmediate;
(globalThis as { setImmediate: unknown }).setImmediate = ((cb: (...a: unknown[]) => void, ...args: unknown[]) => {
  yieldTimes.push(performance.now());
  yieldSites.push(callSite());
  return original(cb, ...args);
}) as typeof setImmediate;

const { solve } = await import('@emplace/core');
// Importing a family registers its methods (as in sweep.ts).
await Promise.all(['facility', 'kcenter', 'assignment', 'steiner', 'spectral', 'mechanism', 'pareto', 'flows', 'graph'].map((f) => import(`@emplace/${f}`)));
const { setInputScale, sweepInput } = await import('./inputs.js');
setInputScale(scale);
const input = sweepInput(method);
const stalls: { start: number; ms: number }[] = [];
let last = performance.now();
const probe = setInterval(() => {
  const t = performance.now();
  if (t - last > 6) stalls.push({ start: last, ms: t - last - 1 });
  last = t;
}, 1);
const ctl = new AbortController();
if (abortAt >= 0) setTimeout(() => ctl.abort(), abortAt);
const t0 = performance.now();
// The monotonic clock in microseconds at t0: a --cpu-prof profile's timestamps are on it.
const t0Micros = Number(process.hrtime.bigint() / 1000n);
last = t0;
const result = await solve(input.model, { ...input.options, method, seed: 1, timeLimitMs: limitMs, signal: ctl.signal });
const total = performance.now() - t0;
clearInterval(probe);
stalls.sort((a, b) => b.ms - a.ms);
console.log(`${method} on ${input.name}: ${total.toFixed(0)} ms, ${result.status}/${result.stoppedBy}, ${yieldTimes.length} yields (t0 = ${t0Micros} us monotonic)`);
for (const s of stalls.slice(0, top)) {
  let before = -1;
  for (let k = 0; k < yieldTimes.length && yieldTimes[k]! <= s.start + 1; k++) before = k;
  let after = yieldTimes.findIndex((t) => t >= s.start + s.ms);
  if (after < 0) after = yieldTimes.length;
  console.log(`\nstall ${s.ms.toFixed(1)} ms at ${(s.start - t0).toFixed(0)} ms`);
  console.log(`  last yield before: ${before >= 0 ? yieldSites[before] : '(none: setup)'}`);
  console.log(`  first yield after: ${after < yieldTimes.length ? yieldSites[after] : '(none: the solve ended)'}`);
}
