/**
 * Where the sscfl methods hold the main thread: runs each method with a time limit and, from
 * a 1 ms timer, records every stretch of on-CPU time (Linux schedstat) between two timer turns
 * above --min ms, with the last progress phase reported before it.
 *
 *   npx tsx --conditions=source benchmarks/facility/sscfl-stalls.ts [--size=100x1000] [--limit=3000] [--methods=auto,local-search] [--min=30] [--abort-at=300,900] [--capb]
 *
 * --capb: the responsiveness sweep's input instead (capb-like 100 x 1000, capacity 5000).
 */
import { openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { SSCFL_METHODS, solveSscfl } from '@emplace/facility';
import { generateCapLike, generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const [S, C] = arg('size', '100x1000').split('x').map(Number) as [number, number];
const limit = Number(arg('limit', '3000'));
const min = Number(arg('min', '30'));
const abortAt = arg('abort-at', '').split(',').filter(Boolean).map(Number);
const methods = arg('methods', SSCFL_METHODS.join(',')).split(',');
const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
const buf = Buffer.alloc(96);
const cpu = (): number => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6;

const model = argv.includes('--capb') ? generateCapLike('capb', 5000, S, C) : generateCornuejols(S, C, 4, 1000 * S + C);
console.log(JSON.stringify({ loadAverage1m: loadavg()[0] }));
for (const [k, method] of methods.entries()) {
  const ctrl = new AbortController();
  const at = abortAt[k % Math.max(1, abortAt.length)];
  if (at !== undefined) setTimeout(() => {
    phase += ' (aborted)';
    ctrl.abort();
  }, at);
  let phase = 'setup';
  let last = cpu();
  let lastPhase = phase;
  const stalls: string[] = [];
  const phases: string[] = [];
  let running = true;
  const tick = (): void => {
    const now = cpu();
    if (now - last > min) stalls.push(`${(now - last).toFixed(0)}ms after "${lastPhase}" (now "${phase}")`);
    last = now;
    lastPhase = phase;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  const t0 = performance.now();
  const res = await solveSscfl(model, {
    method: method as (typeof SSCFL_METHODS)[number],
    timeLimitMs: limit,
    signal: ctrl.signal,
    onProgress: (p) => {
      const next = String((p as { phase?: unknown }).phase ?? phase);
      if (next !== phase || performance.now() - t0 > limit * 0.95) phases.push(`${next}@${Math.round(performance.now() - t0)}`);
      phase = next;
    },
  });
  running = false;
  console.log(JSON.stringify({ method, status: res.status, ms: Math.round(performance.now() - t0), stalls, phases }));
  await new Promise((ok) => setTimeout(ok, 20));
}
