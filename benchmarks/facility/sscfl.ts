/**
 * Single-source CFL on generated Cornuejols-style instances (capacity ratio 3-5): status,
 * objective, proven gap and time of a method, optionally against the plain MIP.
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl.ts [--sizes=30x100,50x100] [--seeds=3] [--limit=30000] [--method=auto] [--mip] [--write]
 *
 * --write stores the rows under `sscfl` in benchmarks/results/facility.json (the rest of that file is kept).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasSolution } from '@emplace/core';
import { solveSscfl } from '@emplace/facility';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const sizes = arg('sizes', '30x100,50x100').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const seeds = Number(arg('seeds', '3'));
const limitMs = Number(arg('limit', '30000'));
const method = arg('method', 'auto');
const withMip = argv.includes('--mip');
const rows: Record<string, string | number | boolean | null>[] = [];
for (const [S, C] of sizes) {
  for (let s = 0; s < seeds; s++) {
    const ratio = 3 + (2 * s) / Math.max(1, seeds - 1);
    const name = `corn-${S}x${C}-r${ratio.toFixed(1)}-s${s + 1}`;
    const model = generateCornuejols(S, C, ratio, 1000 * S + C + s);
    const r = await solveSscfl(model, { method, timeLimitMs: limitMs });
    const row: Record<string, string | number | boolean | null> = {
      instance: name,
      method,
      status: r.status,
      objective: hasSolution(r) ? r.objective : null,
      bound: r.bound ?? null,
      provenGapPercent: hasSolution(r) && r.bound !== undefined ? Number(((100 * (r.objective - r.bound)) / Math.max(1, Math.abs(r.objective))).toFixed(4)) : null,
      timeS: Number(((r.stats.elapsedMs as number) / 1000).toFixed(3)),
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
if (argv.includes('--write')) {
  const file = new URL('../results/facility.json', import.meta.url);
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { family: 'facility' };
  doc['sscfl'] = { generator: 'generateCornuejols (benchmarks/facility/generate.ts), capacity ratio 3-5', limitMs, method, measuredAt: new Date().toISOString(), loadAverage1m: loadavg()[0], rows };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote sscfl rows to', file.pathname);
}
