/**
 * Single-source CFL on generated Cornuejols-style instances (capacity ratio 3-5): status,
 * objective, proven gap and time of a method, optionally against the plain MIP.
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl.ts [--sizes=30x100,50x100] [--seeds=3] [--limit=30000] [--method=auto] [--mip] [--write]
 *
 * --seed-offset=K (default 0) generates other instances of the same family (generator seed
 * shifted by K, named `-o<K>`): fresh, held-out-style checks that no setting fits the
 * benchmark's own instances. They have no BEST_KNOWN entry; --write refuses them.
 *
 * --write stores the rows under `sscfl` in benchmarks/results/facility.json (the rest of that file is kept).
 * Instances not proved here are also compared with the best objective known (BEST_KNOWN).
 *
 * Fixed work (replays on any machine and under any load, unlike --limit): the single-source
 * branch-and-bound alone, from the regret assignment of all sites, seed 1, stopped after N
 * nodes (the primal steps are balanced by work against the nodes), with the tabu walk over
 * the best plan's open sites (sscfl-ejection.ts) on or off:
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl.ts --nodes=40 --ejection=on [--sizes=100x400] [--seeds=3] [--seed-offset=K]
 *
 * Abort latency of every sscfl method (issue 13), in the caller's thread:
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl.ts --abort [--sizes=100x400,100x1000] [--repeats=5] [--write]
 *
 * Each solve is aborted by a timer at a random moment (20 ms to 2 s, seeded); latency = from
 * the moment the abort was due to the promise settling (p50 / p99 / max), and `busyMax` = the
 * longest on-CPU time of the main thread between two turns of a 1 ms timer chain (Linux
 * schedstat): the wall latency on an idle machine, whatever the load of this one. --write
 * stores the rows under `sscflAbort` in benchmarks/results/facility.json.
 */
import { existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasSolution, Rng, SolveRun } from '@emplace/core';
import { checkSolution, SSCFL_METHODS, solveSscfl } from '@emplace/facility';
import { prepareProblem } from '../../packages/facility/src/problem.js';
import { singleSourceSearch } from '../../packages/facility/src/single-source.js';
import { regretAssign } from '../../packages/facility/src/sscfl-assign.js';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
if (argv.includes('--abort')) {
  await abortLatency();
  process.exit(0);
}
if (argv.some((a) => a.startsWith('--nodes='))) {
  await fixedWork();
  process.exit(0);
}
const sizes = arg('sizes', '30x100,50x100').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const seeds = Number(arg('seeds', '3'));
const limitMs = Number(arg('limit', '30000'));
const method = arg('method', 'auto');
const seedOffset = Number(arg('seed-offset', '0'));
const withMip = argv.includes('--mip');
/**
 * Best objective known for the generated instances that are not proved here, and where it
 * comes from (the gap to it is reported beside the proven gap; a better run replaces it).
 * HiGHS native (scipy milp, strong formulation, 900 s on the shared machine) ended at 51848
 * with bound 50848 on the first one, above every value below.
 */
const BEST_KNOWN: Readonly<Record<string, { value: number; source: string }>> = {
  'corn-100x400-r3.0-s1': { value: 51127, source: 'sscfl:auto 30 s (commit c529a7c, merge regions; idle)' },
  'corn-100x400-r4.0-s2': { value: 46630, source: 'sscfl:auto, 30 s of process CPU, commit be18d24 with the primal share at 0.75 and regions at 2/3 of it (a trial setting)' },
  'corn-100x400-r5.0-s3': { value: 42741, source: 'sscfl:auto 30 s (commit be18d24, region search)' },
};
const rows: Record<string, string | number | boolean | null>[] = [];
for (const [S, C] of sizes) {
  for (let s = 0; s < seeds; s++) {
    const ratio = 3 + (2 * s) / Math.max(1, seeds - 1);
    const name = `corn-${S}x${C}-r${ratio.toFixed(1)}-s${s + 1}${seedOffset ? `-o${seedOffset}` : ''}`;
    const model = generateCornuejols(S, C, ratio, 1000 * S + C + s + seedOffset);
    const cpu0 = process.cpuUsage();
    const r = await solveSscfl(model, { method, timeLimitMs: limitMs });
    const cpu = process.cpuUsage(cpu0);
    const known = BEST_KNOWN[name];
    const best = known ? Math.min(known.value, hasSolution(r) ? r.objective : Infinity) : null;
    const row: Record<string, string | number | boolean | null> = {
      instance: name,
      method,
      status: r.status,
      objective: hasSolution(r) ? r.objective : null,
      bound: r.bound ?? null,
      // Checked by the independent evaluator (checkSolution), not taken from the solver.
      feasible: hasSolution(r) ? checkSolution(model, 'sscfl', r.solution).violations.length === 0 : null,
      provenGapPercent: hasSolution(r) && r.bound !== undefined ? Number(((100 * (r.objective - r.bound)) / Math.max(1, Math.abs(r.objective))).toFixed(4)) : null,
      bestKnown: best,
      gapToBestKnownPercent: best !== null && hasSolution(r) ? Number(((100 * (r.objective - best)) / best).toFixed(4)) : null,
      timeS: Number(((r.stats.elapsedMs as number) / 1000).toFixed(3)),
      // CPU seconds the process got during the solve: on a loaded machine far below timeS.
      cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
      nodes: (r.stats['nodes'] as number | undefined) ?? null,
      stats: JSON.stringify(r.stats),
    };
    if (withMip) {
      const m = await solveSscfl(model, { method: 'mip', timeLimitMs: limitMs });
      row['mipStatus'] = m.status;
      row['mipObjective'] = hasSolution(m) ? m.objective : null;
      row['mipBound'] = m.bound ?? null;
      row['mipTimeS'] = Number(((m.stats.elapsedMs as number) / 1000).toFixed(3));
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
if (argv.includes('--write') && seedOffset !== 0) console.log('--write ignored: --seed-offset instances are not the benchmark set');
else if (argv.includes('--write')) {
  const file = new URL('../results/facility.json', import.meta.url);
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { family: 'facility' };
  doc['sscfl'] = { generator: 'generateCornuejols (benchmarks/facility/generate.ts), capacity ratio 3-5', limitMs, method, measuredAt: new Date().toISOString(), loadAverage1m: loadavg()[0], rows };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote sscfl rows to', file.pathname);
}

/** The search stopped after --nodes nodes on each instance: objective, bound, work in cells, CPU seconds. */
async function fixedWork(): Promise<void> {
  const nodes = Number(arg('nodes', '40'));
  const ejection = arg('ejection', 'off') === 'on';
  const offset = Number(arg('seed-offset', '0'));
  const n = Number(arg('seeds', '3'));
  for (const [S, C] of arg('sizes', '100x400').split(',').map((x) => x.split('x').map(Number) as [number, number])) {
    for (let s = 0; s < n; s++) {
      const ratio = 3 + (2 * s) / Math.max(1, n - 1);
      const prep = prepareProblem(generateCornuejols(S, C, ratio, 1000 * S + C + s + offset), 'sscfl');
      if (prep.kind !== 'ok') continue;
      const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
      const cpu0 = process.cpuUsage();
      const r = await singleSourceSearch(prep.problem, new SolveRun({ seed: 1 }, 'sscfl-fixed-work'), start, { rootIterations: 1500, nodeIterations: 40, branch: true, granule: 1, phase: 'fixed-work', maxNodes: nodes, ejection });
      const cpu = process.cpuUsage(cpu0);
      const name = `corn-${S}x${C}-r${ratio.toFixed(1)}-s${s + 1}${offset ? `-o${offset}` : ''}`;
      console.log(JSON.stringify({ instance: name, nodes: r.nodes, ejection, objective: r.incumbent?.value ?? null, bound: r.bound, workMcells: Math.round(r.work / 1e6), cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)) }));
    }
  }
}

/** The main thread's on-CPU time in ms (Linux schedstat), undefined elsewhere. */
function threadCpuReader(): (() => number) | undefined {
  try {
    const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    const buf = Buffer.alloc(96);
    return () => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function abortLatency(): Promise<void> {
  const sizes = arg('sizes', '100x400,100x1000').split(',').map((s) => s.split('x').map(Number) as [number, number]);
  const repeats = Number(arg('repeats', '5'));
  const cpu = threadCpuReader();
  const rng = new Rng(13);
  const rows: Record<string, string | number>[] = [];
  for (const [S, C] of sizes) {
    const model = generateCornuejols(S, C, 4, 1000 * S + C);
    for (const method of SSCFL_METHODS) {
      const latencies: number[] = [];
      const outcomes = new Set<string>();
      let finishedFirst = 0;
      let busyMax = 0;
      for (let r = 0; r < repeats; r++) {
        const delay = 20 + rng.int(1980);
        const ctrl = new AbortController();
        const due = performance.now() + delay;
        setTimeout(() => ctrl.abort(), delay);
        let lastCpu = cpu?.() ?? 0;
        let running = true;
        const tick = (): void => {
          if (cpu) {
            const now = cpu();
            busyMax = Math.max(busyMax, now - lastCpu);
            lastCpu = now;
          }
          if (running) setTimeout(tick, 1);
        };
        setTimeout(tick, 1);
        const res = await solveSscfl(model, { method, signal: ctrl.signal, timeLimitMs: 60_000 });
        running = false;
        const settled = performance.now();
        outcomes.add(`${res.status}/${res.stoppedBy}`);
        if (res.stoppedBy !== 'aborted') finishedFirst++;
        else latencies.push(settled - due);
        await new Promise((ok) => setTimeout(ok, 20));
      }
      const row = {
        instance: `corn-${S}x${C}-r4.0`,
        method: `sscfl:${method}`,
        aborts: latencies.length,
        finishedBeforeAbort: finishedFirst,
        'abort p50 ms': Number(quantile(latencies, 0.5).toFixed(1)),
        'abort p99 ms': Number(quantile(latencies, 0.99).toFixed(1)),
        'abort max ms': Number(Math.max(-Infinity, ...latencies).toFixed(1)),
        'busyMax ms': cpu ? Number(busyMax.toFixed(1)) : NaN,
        outcomes: [...outcomes].join(', '),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  if (argv.includes('--write')) {
    const file = new URL('../results/facility.json', import.meta.url);
    const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { family: 'facility' };
    doc['sscflAbort'] = { generator: 'generateCornuejols, capacity ratio 4', repeats, measuredAt: new Date().toISOString(), loadAverage1m: loadavg()[0], rows };
    writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    console.log('wrote sscflAbort rows to', file.pathname);
  }
}
