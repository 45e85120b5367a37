/**
 * Where the stochastic / robust / saa methods hold the main thread (issue 13): runs each with
 * a time limit and, from a 1 ms timer, records every stretch of on-CPU time (Linux schedstat)
 * between two timer turns above --min ms, with the last progress phase before it. Instance:
 * the responsiveness sweep's capb-like 50 x 500 with 200 scenarios.
 *
 *   npx tsx --conditions=source benchmarks/facility/stochastic-stalls.ts [--limit=3000] [--methods=stochastic:auto,stochastic:ufl-equivalent] [--min=30] [--aborts=100,400,800]
 */
import { openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createPlacementModel, solve, type SolveOptions } from '@emplace/core';
import { createScenarioSet, generateScenarios } from '@emplace/facility';
import { generateCapLike } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const limit = Number(arg('limit', '3000'));
const min = Number(arg('min', '30'));
/** Abort moments (ms after the call, comma-separated): each a run of its own, reporting the on-CPU ms from the abort to the result (load-independent, unlike wall time). */
const aborts = arg('aborts', '').split(',').filter((a) => a !== '').map(Number);
const methods = arg('methods', 'stochastic:auto,stochastic:ufl-equivalent,robust:mip').split(',');
const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
const buf = Buffer.alloc(96);
const cpu = (): number => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6;

const m = generateCapLike('capb', 5000, 50, 500);
const model = createPlacementModel({ sites: m.siteIds.map((id, s) => ({ id, openingCost: m.openingCost[s]! })), clients: m.clientIds.map((id, c) => ({ id, demand: m.demand[c]! })), cost: m.cost });
let maxCost = 0;
for (let t = 0; t < model.cost.length; t++) maxCost = Math.max(maxCost, model.cost[t]!);
const set = createScenarioSet(model, generateScenarios(model, 200, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 3 * maxCost });
console.log(JSON.stringify({ loadAverage1m: loadavg()[0] }));
for (const name of methods) {
  let phase = 'setup';
  let last = cpu();
  let lastPhase = phase;
  const stalls: string[] = [];
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
  const options: SolveOptions = {
    timeLimitMs: limit,
    onProgress: (p) => {
      phase = String((p as { phase?: unknown }).phase ?? phase);
    },
  };
  // Through solve, so that every registered scenario method (stochastic:saa too) can be named.
  const res = await solve(set, { ...options, method: name });
  running = false;
  console.log(JSON.stringify({ method: name, status: res.status, ms: Math.round(performance.now() - t0), stalls }));
  await new Promise((ok) => setTimeout(ok, 20));
  for (const at of aborts) {
    const ctl = new AbortController();
    let fired = 0;
    let firedWall = 0;
    setTimeout(() => {
      fired = cpu();
      firedWall = performance.now();
      ctl.abort();
    }, at);
    const r = await solve(set, { method: name, timeLimitMs: 20_000, signal: ctl.signal });
    console.log(JSON.stringify({ method: name, abortAtMs: at, cpuAfterAbortMs: Number((cpu() - fired).toFixed(1)), wallAfterAbortMs: Number((performance.now() - firedWall).toFixed(1)), status: r.status, stoppedBy: r.stoppedBy }));
  }
}
