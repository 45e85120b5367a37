/**
 * Small facility instances, cold (issue 17 item 1): every OR-Library cap41..cap134 file
 * (16-50 sites x 50 clients) as split-demand CFL, and the 100-node pmed1..pmed5 as
 * p-median, each solved by the built CLI in a FRESH process (`node packages/cli/dist/bin.js
 * solve <family> <file> --json`), so the solve time `elapsedMs` includes the JIT warm-up of
 * the solver code (module loading and parsing are before the solve and are not counted).
 * The reference is HiGHS native through scipy.optimize.milp on the same models
 * (benchmarks/compare/reference.py, a warm Python process, milp call only), when python3
 * with scipy is present; the ratio is emplace / reference (below 1: emplace is faster).
 *
 *   pnpm exec tsx benchmarks/facility/small.ts [--repeat 3] [--only cap41,cap64] [--no-pmed] [--generated] [--no-wasm]
 *
 * `--no-wasm` runs the CLI processes without WebAssembly (packages/facility/scripts/no-wasm.mjs
 * preloaded), so the facility solvers use the TypeScript fallback of their WebAssembly kernels:
 * the before / after of those kernels; results in facility-small[-generated]-no-wasm.json.
 *
 * `--generated` runs, instead, held-out-like instances (not tuned on): Cornuejols-type 16-50 sites x
 * 50-100 clients (generate.ts, seeds 7001..), written as OR-Library cap files to a temporary
 * directory, their optimum unknown (the table shows emplace's status and HiGHS's); results in
 * benchmarks/results/facility-small-generated.json.
 *
 * Each instance runs `--repeat` times (fresh process each time); the median elapsedMs is
 * reported, with the minimum. Writes benchmarks/results/facility-small.json. Run `npx tsc -b`
 * first: the CLI is the built one.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOrlibCap } from '@emplace/io';
import { distBin, flagValue, geomean, Reference, runCli } from '../compare/harness.js';
import { instancePath, printTable, readOptima, writeResults, type Cell } from '../lib/instances.js';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => flagValue(argv, name);
const repeat = Number(flag('--repeat') ?? 3);
const only = flag('--only')?.split(',');
const noWasm = argv.includes('--no-wasm');
if (noWasm) {
  // Inherited by the CLI processes that runCli spawns.
  const preload = join(import.meta.dirname, '../../packages/facility/scripts/no-wasm.mjs');
  process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --import ${preload}`.trim();
}
if (!existsSync(distBin)) throw new Error(`${distBin} is missing: run npx tsc -b first`);

interface Case {
  family: 'cfl' | 'pmedian';
  name: string;
  file: string;
  optimum: number | undefined;
}

const byNumber = (a: string, b: string): number => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
const cases: Case[] = [];
const cflOpt = readOptima('cflp');
for (const f of readdirSync(instancePath('cflp')).filter((x) => /^cap\d+\.txt$/.test(x)).sort(byNumber)) {
  const name = f.replace('.txt', '');
  cases.push({ family: 'cfl', name, file: instancePath('cflp', f), optimum: cflOpt[name]?.value });
}
if (argv.includes('--generated')) {
  cases.length = 0; // the generated instances only (their own results file)
  const dir = mkdtempSync(join(tmpdir(), 'emplace-small-cfl-'));
  const sizes: [number, number, number][] = [[16, 50, 3], [20, 80, 5], [25, 50, 2], [30, 100, 3], [40, 60, 5], [50, 50, 3], [50, 100, 2], [35, 75, 10]];
  sizes.forEach(([nS, nC, ratio], k) => {
    const name = `gen${nS}x${nC}r${ratio}`;
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, writeOrlibCap(generateCornuejols(nS, nC, ratio, 7001 + k)));
    cases.push({ family: 'cfl', name, file, optimum: undefined });
  });
}
if (!argv.includes('--no-pmed') && !argv.includes('--generated')) {
  const pmedOpt = readOptima('pmed');
  for (let k = 1; k <= 5; k++) cases.push({ family: 'pmedian', name: `pmed${k}`, file: instancePath('pmed', `pmed${k}.txt`), optimum: pmedOpt[`pmed${k}`]?.value });
}

/** The parts of the CLI's result line the table uses. */
interface SmallAnswer {
  elapsedMs: number;
  status: string;
  objective: number;
  stats?: { nodes?: number; iterations?: number; transportations?: number };
}

/** One fresh CLI process on one file (the small files hold one problem each). */
async function solveCold(family: string, file: string): Promise<SmallAnswer> {
  const [answer] = await runCli(['solve', family, file], { fromSource: false, limitS: 60 });
  return answer as unknown as SmallAnswer;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

const reference = new Reference('python3');
await reference.ready();
console.log(reference.absent ? `reference absent (${reference.absent}): emplace times only` : `reference: HiGHS via scipy ${JSON.stringify(reference.versions)}`);
const loadBefore = loadavg()[0]!;
const rows: Record<string, Cell>[] = [];
for (const c of cases) {
  if (only && !only.includes(c.name)) continue;
  const times: number[] = [];
  let status = '';
  let objective = NaN;
  let counters: SmallAnswer['stats'] = {};
  for (let k = 0; k < repeat; k++) {
    const a = await solveCold(c.family, c.file);
    times.push(a.elapsedMs);
    status = a.status;
    objective = a.objective;
    counters = a.stats ?? {};
  }
  const ref = await reference.run({ kind: c.family, file: c.file, id: c.name, ...(c.family === 'pmedian' ? { timeLimit: 60 } : {}) });
  const ms = median(times);
  const row: Record<string, Cell> = {
    family: c.family,
    instance: c.name,
    'emplace ms (median)': r3(ms),
    'emplace ms (min)': r3(Math.min(...times)),
    'emplace status': status,
    'emplace = optimum': c.optimum === undefined ? null : Math.abs(objective - c.optimum) <= 1e-6 * Math.max(1, c.optimum),
    'HiGHS ms': ref.ms === undefined ? null : r3(ref.ms),
    'HiGHS status': ref.status ?? ref.error ?? null,
    ratio: ref.ms ? r3(ms / ref.ms) : null,
    // The search's work (the same in every run: no randomness), to tell the machine's load from the algorithm.
    nodes: counters?.nodes ?? null,
    iterations: counters?.iterations ?? null,
    transportations: counters?.transportations ?? null,
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
reference.close();
const ratios = (family: string): number[] => rows.filter((r) => r['family'] === family && typeof r['ratio'] === 'number').map((r) => r['ratio'] as number);
const summary: Record<string, unknown> = {
  // 1-minute load average before and after (2 cores): above 2, every time is inflated by other jobs.
  'load average before / after': `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`,
  repeat,
  emplace: `packages/cli/dist, a fresh process per run, elapsedMs (cold: JIT warm-up inside), median of the runs${noWasm ? '; WITHOUT WebAssembly (--no-wasm: the TypeScript kernels)' : ''}`,
  reference: reference.absent ? `absent: ${reference.absent}` : `HiGHS native via scipy.optimize.milp, warm Python process, milp call only ${JSON.stringify(reference.versions)}`,
};
for (const family of ['cfl', 'pmedian']) {
  const rs = ratios(family);
  if (rs.length === 0) continue;
  summary[family] = {
    pairs: rs.length,
    geomeanRatio: r3(geomean(rs)),
    worstRatio: r3(Math.max(...rs)),
    'at least as fast as HiGHS': rs.filter((r) => r <= 1).length,
    'all optimal': rows.filter((r) => r['family'] === family).every((r) => r['emplace = optimum'] !== false),
  };
}
printTable(rows);
console.log(JSON.stringify(summary, null, 2));
if (!only) console.log(`results: ${writeResults(`${argv.includes('--generated') ? 'facility-small-generated' : 'facility-small'}${noWasm ? '-no-wasm' : ''}`, { rows, summary })}`);
else console.log('(--only: results not written)');
