/**
 * `pnpm bench compare [--quick]`: emplace against the reference solvers, side by side in the
 * same run on the same machine, as time ratios (emplace / reference; below 1 = emplace faster).
 *
 * emplace side: the command-line tool, one fresh process per file (what a user runs), the
 * solver time taken from each answer's `elapsedMs` (reading and parsing excluded).
 * Reference side: benchmarks/compare/reference.py (HiGHS native through scipy.optimize.milp,
 * scipy eigsh shift-invert), one long-lived process answering one job per line, its solver
 * time measured around the milp / eigsh calls only. Each instance is run on both sides one
 * right after the other so that both see the same machine load.
 *
 * The project does not need Python: when python3 with scipy is absent the emplace times are
 * still measured and the summary says which references were absent and skipped.
 *
 *   pnpm bench compare [--quick]
 *   pnpm exec tsx --conditions=source benchmarks/compare/run.ts [--quick] [--only cfl,pcenter,gap,pmedian,lambda2]
 *       [--repeat N]     run both sides N times and keep each side's fastest (default 1)
 *       [--cli source]   run the CLI from TypeScript sources (default: packages/cli/dist when built)
 *       [--python P]     the Python interpreter (default python3)
 *       [--limit S]      time limit of both sides in seconds (default 60)
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Graph } from '@emplace/core';
import { gridGraph, noisyGridGraph, powerLawGraph, preferentialAttachmentGraph, randomGeometricGraph } from '../spectral/generators.js';
import { createInterface } from 'node:readline';
import { instancePath, printTable, readOptima, repoRoot, writeResults, type Cell } from '../lib/instances.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name: string): string | undefined => {
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  if (eq) return eq.slice(name.length + 1);
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined;
};
const only = flag('--only')?.split(',');
const repeat = Math.max(1, Number(flag('--repeat') ?? 1));
const limitS = Number(flag('--limit') ?? 60);
const python = flag('--python') ?? 'python3';
const distBin = resolve(repoRoot, 'packages/cli/dist/bin.js');
const fromSource = flag('--cli') === 'source' || !existsSync(distBin);

type Kind = 'cfl' | 'pcenter' | 'gap' | 'pmedian' | 'lambda2';
interface Case {
  kind: Kind;
  /** Instance names answered by one CLI run (a GAP file holds several problems). */
  names: string[];
  file: string;
  cliArgs: string[];
  /** Reference jobs, one per name. */
  jobs: Record<string, unknown>[];
  optimum: (name: string) => number | undefined;
}

const want = (k: Kind): boolean => (only ? only.includes(k) : true);
const cases: Case[] = [];
const byNumber = (a: string, b: string): number => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);

if (want('cfl')) {
  const opt = readOptima('cflp');
  const files = readdirSync(instancePath('cflp')).filter((f) => /^cap\d+\.txt$/.test(f)).sort(byNumber);
  const quickSet = ['cap41', 'cap64', 'cap134'];
  for (const f of files) {
    const name = f.replace('.txt', '');
    if (quick && !quickSet.includes(name)) continue;
    const file = instancePath('cflp', f);
    cases.push({ kind: 'cfl', names: [name], file, cliArgs: ['solve', 'cfl', file], jobs: [{ kind: 'cfl', file }], optimum: (n) => opt[n]?.value });
  }
}
if (want('pcenter')) {
  const opt = readOptima('pmed', 'optima_pcenter.json');
  const list = quick ? ['pmed1', 'pmed6'] : ['pmed1', 'pmed2', 'pmed3', 'pmed4', 'pmed5', 'pmed6', 'pmed7', 'pmed8', 'pmed9', 'pmed10'];
  for (const name of list) {
    const file = instancePath('pmed', `${name}.txt`);
    cases.push({ kind: 'pcenter', names: [name], file, cliArgs: ['solve', 'kcenter', file], jobs: [{ kind: 'pcenter', file }], optimum: (n) => opt[n]?.value });
  }
}
if (want('gap')) {
  const opt = readOptima('gap');
  for (const set of quick ? ['gapa'] : ['gapa', 'gapb']) {
    const file = instancePath('gap', `${set}.txt`);
    const names = Object.keys(opt).filter((n) => n.startsWith(`${set}-`)).sort(byNumber);
    cases.push({
      kind: 'gap',
      names,
      file,
      cliArgs: ['solve', 'gap', file, '--sense', 'min'],
      jobs: names.map((_, index) => ({ kind: 'gap', file, index, sense: 'min' })),
      optimum: (n) => opt[n]?.value,
    });
  }
}
if (want('pmedian') && !quick) {
  const opt = readOptima('pmed');
  for (const name of ['pmed1', 'pmed6']) {
    const file = instancePath('pmed', `${name}.txt`);
    cases.push({ kind: 'pmedian', names: [name], file, cliArgs: ['solve', 'pmedian', file], jobs: [{ kind: 'pmedian', file }], optimum: (n) => opt[n]?.value });
  }
}
/** Seconds after which the lambda2 reference (eigsh) on a generated graph is stopped. */
const LAMBDA2_REFERENCE_LIMIT_S = 10;
if (want('lambda2')) {
  const file = instancePath('graphs', 'CA-GrQc.txt.gz');
  // lambda2 of the CA-GrQc largest component (ANCHORS.md); no optima file for graphs.
  cases.push({ kind: 'lambda2', names: ['CA-GrQc-LCC'], file, cliArgs: ['solve', 'fiedler', file], jobs: [{ kind: 'lambda2', file }], optimum: () => 0.0353066895346 });
  // Generated graphs of the held-out sizes (30-50k nodes), one per family, written as edge
  // lists that both sides read (largest component on both); seeds differ from the spectral
  // benchmark's. Checked against the reference's lambda2 (no published value). On graphs
  // with hubs SuperLU's fill makes eigsh run for many minutes: the reference stops at
  // LAMBDA2_REFERENCE_LIMIT_S ("time-limit", its time a lower bound, the ratio an upper one).
  const dir = mkdtempSync(join(tmpdir(), 'emplace-compare-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const generated: [string, Graph][] = [
    ['rgg-40k', randomGeometricGraph(40_000, Math.sqrt(8 / (Math.PI * 40_000)), 31)],
    ['grid-200x200', gridGraph(200, 200)],
    ['noisy-grid-200x200', noisyGridGraph(200, 200, 0.1, 0.1, 23)],
    ['powerlaw-40k', powerLawGraph(40_000, 160_000, 17)],
    ['ba-40k', preferentialAttachmentGraph(40_000, 3, 29)],
  ];
  for (const [name, g] of quick ? generated.slice(0, 1) : generated) {
    const gfile = join(dir, `${name}.txt`);
    const lines: string[] = [];
    for (let e = 0; e < g.m; e++) lines.push(`${g.edgeU[e]} ${g.edgeV[e]}`);
    writeFileSync(gfile, lines.join('\n') + '\n');
    cases.push({ kind: 'lambda2', names: [name], file: gfile, cliArgs: ['solve', 'fiedler', gfile, '--format', 'edge-list'], jobs: [{ kind: 'lambda2', file: gfile, referenceLimit: LAMBDA2_REFERENCE_LIMIT_S }], optimum: () => undefined });
  }
}

/** The reference process, or why it is absent. */
class Reference {
  private proc?: ChildProcessWithoutNullStreams;
  private waiting: ((line: string) => void)[] = [];
  readonly versions?: Record<string, string>;
  readonly absent?: string;

  constructor() {
    const script = resolve(repoRoot, 'benchmarks/compare/reference.py');
    const probe = spawnSync(python, [script, '--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      const why = probe.error ? `${python} not found` : (probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`);
      this.absent = `${why} (install python3 with scipy >= 1.9, e.g. Debian python3-scipy, to measure the references)`;
      return;
    }
    this.versions = JSON.parse(probe.stdout) as Record<string, string>;
    this.proc = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.proc.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  }

  async run(job: Record<string, unknown>): Promise<{ status?: string; objective?: number | null; ms?: number; solver?: string; error?: string }> {
    if (!this.proc) return { error: this.absent ?? 'absent' };
    const answer = new Promise<string>((done) => this.waiting.push(done));
    this.proc.stdin.write(JSON.stringify(job) + '\n');
    return JSON.parse(await answer) as { status?: string; objective?: number | null; ms?: number; solver?: string; error?: string };
  }

  close(): void {
    this.proc?.stdin.end();
  }
}

interface CliAnswer {
  instance?: string;
  status?: string;
  objective?: number;
  elapsedMs?: number;
  method?: string;
  [k: string]: unknown;
}

function runCli(args: string[]): Promise<CliAnswer[]> {
  const cmd = fromSource ? resolve(repoRoot, 'node_modules/.bin/tsx') : process.execPath;
  const full = fromSource ? ['--conditions=source', resolve(repoRoot, 'packages/cli/src/bin.ts'), ...args] : [distBin, ...args];
  return new Promise((done, fail) => {
    const child = spawn(cmd, [...full, '--json', '--time-limit', String(limitS)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.trim().startsWith('{'));
      if (lines.length === 0) fail(new Error(`emplace ${args.join(' ')} exited ${code}: ${err.trim().slice(0, 300)}`));
      else done(lines.map((l) => JSON.parse(l) as CliAnswer));
    });
  });
}

const sec = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms) / 1000);
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const sameValue = (a: number | null | undefined, b: number | null | undefined, kind: Kind): boolean | null => {
  if (a === undefined || a === null || b === undefined || b === null) return null;
  const tol = kind === 'lambda2' ? 1e-6 : 1e-6;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
};

const reference = new Reference();
// Wait until Python has imported scipy: its start-up must not overlap the first emplace run.
if (!reference.absent) await reference.run({ kind: 'ping', id: 'ping' });
if (reference.absent) console.log(`reference solvers absent, skipped: ${reference.absent}`);
else console.log(`reference: ${python} with ${JSON.stringify(reference.versions)}`);
console.log(`emplace: ${fromSource ? 'CLI from TypeScript sources (tsx)' : 'packages/cli/dist (run `npx tsc -b` first to measure the current sources)'}; repeat ${repeat}`);

const loadBefore = loadavg();
const rows: Record<string, Cell>[] = [];
const ratios: Record<string, number[]> = {};
for (const c of cases) {
  const ours = new Map<string, CliAnswer>();
  const theirs = new Map<string, Awaited<ReturnType<Reference['run']>>>();
  for (let r = 0; r < repeat; r++) {
    const answers = await runCli(c.cliArgs).catch((e: unknown) => [{ status: `error: ${(e as Error).message}` } as CliAnswer]);
    answers.forEach((a, k) => {
      const name = c.names[k] ?? a.instance ?? `#${k}`;
      const prev = ours.get(name);
      if (!prev || (a.elapsedMs ?? Infinity) < (prev.elapsedMs ?? Infinity)) ours.set(name, a);
    });
    for (let k = 0; k < c.jobs.length; k++) {
      const name = c.names[k]!;
      const ans = await reference.run({ ...c.jobs[k], id: name, timeLimit: limitS });
      const prev = theirs.get(name);
      if (!prev || (ans.ms ?? Infinity) < (prev.ms ?? Infinity)) theirs.set(name, ans);
    }
  }
  for (const name of c.names) {
    const e = ours.get(name);
    const t = theirs.get(name);
    const ratio = e?.elapsedMs !== undefined && t?.ms !== undefined && t.ms > 0 ? e.elapsedMs / t.ms : undefined;
    if (ratio !== undefined) (ratios[c.kind] ??= []).push(ratio);
    const optimum = c.optimum(name);
    const row: Record<string, Cell> = {
      family: c.kind,
      instance: name,
      'emplace s': sec(e?.elapsedMs),
      'emplace status': e?.status ?? 'missing',
      'emplace method': e?.method ?? null,
      'reference s': sec(t?.ms),
      'reference status': t?.status ?? (t?.error ? `absent` : 'missing'),
      ratio: ratio === undefined ? null : round(ratio, 3),
      'emplace = optimum': sameValue(e?.objective, optimum, c.kind),
      'reference = optimum': sameValue(t?.objective, optimum, c.kind),
      'emplace = reference': sameValue(e?.objective, t?.objective, c.kind),
    };
    rows.push(row);
    console.log(`${c.kind} ${name}: emplace ${row['emplace s']} s (${row['emplace status']}), reference ${row['reference s'] ?? '-'} s (${row['reference status']}), ratio ${row.ratio ?? '-'}`);
  }
}
reference.close();
const loadAfter = loadavg();

const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const perFamily: Record<string, { pairs: number; geomeanRatio: number; worstRatio: number; worstInstance: string }> = {};
for (const [kind, xs] of Object.entries(ratios)) {
  const famRows = rows.filter((r) => r.family === kind && typeof r.ratio === 'number');
  const worst = famRows.reduce((a, b) => ((b.ratio as number) > (a.ratio as number) ? b : a));
  perFamily[kind] = { pairs: xs.length, geomeanRatio: round(geomean(xs), 3), worstRatio: round(Math.max(...xs), 3), worstInstance: String(worst.instance) };
}
const all = Object.values(ratios).flat();
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() || 'unknown';
const summary: Record<string, unknown> = {
  quick,
  commit,
  repeat,
  timeLimitS: limitS,
  emplace: fromSource ? 'CLI from sources (tsx), fresh process per file, elapsedMs' : 'CLI packages/cli/dist, fresh process per file, elapsedMs',
  reference: reference.absent ? `absent, skipped: ${reference.absent}` : `HiGHS native via scipy.optimize.milp (mip_rel_gap 1e-6) and scipy eigsh shift-invert; ${JSON.stringify(reference.versions)}; solver calls timed only`,
  loadAverage1mBeforeAfter: `${loadBefore[0]!.toFixed(1)} / ${loadAfter[0]!.toFixed(1)}`,
  ...(all.length > 0 ? { pairs: all.length, geomeanRatio: round(geomean(all), 3), worstRatio: round(Math.max(...all), 3) } : {}),
  perFamily,
};
printTable(rows);
console.log(JSON.stringify(summary, null, 2));
const notes = [
  'ratio = emplace solver time / reference solver time, below 1 = emplace faster; each instance run on both sides back to back (same load).',
  'emplace: a fresh CLI process per file (cold start, JIT and WebAssembly start-up inside elapsedMs where the solver loads them); reference: a warm Python process, milp / eigsh call only.',
  'CFL: strong formulation x_ij <= y_i; p-center: binary search over distinct distances with a set-cover MIP per radius; GAP: the assignment MIP; p-median: x_ij <= y_j; lambda2: eigsh(k=2, sigma=-1e-3) on the largest component.',
  `lambda2 on generated graphs: the reference is stopped after ${LAMBDA2_REFERENCE_LIMIT_S} s (reference status time-limit: its time is a lower bound and the ratio an upper bound).`,
];
// A partial run (--only) gets its own file so that it does not overwrite the full table.
writeResults(only ? `compare-${only.join('-')}` : 'compare', { rows, summary, notes });
