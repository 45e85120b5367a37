/**
 * GAP types D and E on many generated instances (other seeds than run.ts's fixed ones):
 * the distribution of gap:auto's result at a time limit against its own proven bound and
 * against a reference (the best of gap-seeds-reference.json, written by longer runs with
 * --update-reference, and this run).
 *
 *   npx tsx --conditions=source benchmarks/assignment/gap-seeds.ts [--types D,E] [--sizes 10x200,...]
 *     [--seeds 1,2,3] [--time-limit S] [--trace] [--update-reference] [--method auto]
 *
 * --trace prints every improvement with its phase and time (where the incumbent comes from).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gapAuto, gapTabuSearch, generateGap, type ChuBeasleyType } from '@emplace/assignment';
import { gapPercent, printTable, writeResults, type Cell } from '../lib/instances.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : dflt;
};
const types = arg('--types', 'D,E').split(',') as ChuBeasleyType[];
const sizes = arg('--sizes', '5x200,10x200,20x200').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const seeds = arg('--seeds', '1,2,3').split(',').map(Number);
const limitMs = 1000 * Number(arg('--time-limit', '29'));
const method = arg('--method', 'auto');
const trace = argv.includes('--trace');
const updateReference = argv.includes('--update-reference');
const refFile = new URL('./gap-seeds-reference.json', import.meta.url);

function readReference(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(refFile, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

const ref = readReference();
const rows: Record<string, Cell>[] = [];
for (const t of types) {
  for (const [m, n] of sizes) {
    for (const s of seeds) {
      // Seeds far from run.ts's (1000 m + n + offset): these instances are not the tuned ones.
      const seed = 7_000_000 + 10_000 * s + 100 * m + n;
      const name = `${t.toLowerCase()}${m}-${n}-s${seed}`;
      const model = generateGap(t, m, n, seed);
      let last = Infinity;
      const t0 = performance.now();
      const solve = method === 'tabu' ? gapTabuSearch : gapAuto;
      const cpu0 = process.cpuUsage();
      const r = await solve(model, {
        timeLimitMs: limitMs,
        seed: 1,
        progressIntervalMs: 0,
        onProgress: (e) => {
          if (!trace || e.incumbent === undefined || e.incumbent >= last) return;
          last = e.incumbent;
          console.log(`  ${name} ${(performance.now() - t0).toFixed(0).padStart(6)} ms ${e.phase.padEnd(16)} ${e.incumbent} bound ${e.bound ?? ''}`);
        },
      });
      const cpu = process.cpuUsage(cpu0);
      const obj = r.objective ?? Infinity;
      const best = Math.min(obj, ref[name] ?? Infinity);
      if (updateReference && Number.isFinite(best)) ref[name] = best;
      const row: Record<string, Cell> = {
        instance: name,
        status: r.status,
        objective: r.objective,
        reference: best,
        'gap %': gapPercent(obj, best, 'min'),
        bound: r.bound,
        'gap to bound %': r.bound === undefined ? undefined : gapPercent(obj, r.bound, 'min'),
        'time ms': Math.round(performance.now() - t0),
        'cpu ms': Math.round((cpu.user + cpu.system) / 1000),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
}
printTable(rows);
const summary: Record<string, unknown> = { limitMs, method, seeds };
for (const t of types) {
  const g = rows.filter((r) => String(r['instance']).startsWith(t.toLowerCase())).map((r) => r['gap %'] as number);
  const sorted = [...g].sort((a, b) => a - b);
  summary[t] = {
    count: g.length,
    mean: g.reduce((a, b) => a + b, 0) / Math.max(1, g.length),
    median: sorted[Math.floor(sorted.length / 2)],
    worst: sorted[sorted.length - 1],
    within01: g.filter((x) => x <= 0.1 + 1e-9).length,
  };
}
console.log('summary', JSON.stringify(summary));
if (updateReference) writeFileSync(refFile, `${JSON.stringify(ref, null, 2)}\n`);
console.log(`wrote ${writeResults(`assignment-gap-seeds-${method}`, { rows, summary })}`);
