/**
 * The machinery shared by the side-by-side comparisons (run.ts on the public instances,
 * generated.ts on freshly generated ones): command-line flags, the long-lived reference
 * process (reference.py), one fresh emplace CLI process per file, and the per-family
 * summaries of the ratios.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { repoRoot, type Cell } from '../lib/instances.js';

/** `--name value` or `--name=value` (the `=` form survives `pnpm bench`, which passes only `--` words). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  if (eq) return eq.slice(name.length + 1);
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined;
}

export const distBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

/** How the emplace CLI is started: from packages/cli/dist when built, else from the sources. */
export function cliFromSource(argv: readonly string[]): boolean {
  return flagValue(argv, '--cli') === 'source' || !existsSync(distBin);
}

export interface ReferenceAnswer {
  status?: string;
  objective?: number | null;
  ms?: number;
  solver?: string;
  error?: string;
}

/** The reference process (benchmarks/compare/reference.py), or why it is absent. */
export class Reference {
  private proc?: ChildProcessWithoutNullStreams;
  private waiting: ((line: string) => void)[] = [];
  readonly versions?: Record<string, string>;
  readonly absent?: string;

  constructor(python: string) {
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

  /** Starts Python and waits until it has imported scipy, so that its start-up overlaps no measured run. */
  async ready(): Promise<void> {
    if (!this.absent) await this.run({ kind: 'ping', id: 'ping' });
  }

  async run(job: Record<string, unknown>): Promise<ReferenceAnswer> {
    if (!this.proc) return { error: this.absent ?? 'absent' };
    const answer = new Promise<string>((done) => this.waiting.push(done));
    this.proc.stdin.write(JSON.stringify(job) + '\n');
    return JSON.parse(await answer) as ReferenceAnswer;
  }

  close(): void {
    this.proc?.stdin.end();
  }
}

export interface CliAnswer {
  instance?: string;
  status?: string;
  objective?: number;
  elapsedMs?: number;
  method?: string;
  /** The whole process, spawn to exit (start-up, module loading, reading, solving, printing); set when the file holds one problem. */
  processMs?: number;
  [k: string]: unknown;
}

/** One fresh CLI process (what a user runs); its answers, one per problem of the file. */
export function runCli(args: readonly string[], options: { fromSource: boolean; limitS: number }): Promise<CliAnswer[]> {
  const cmd = options.fromSource ? resolve(repoRoot, 'node_modules/.bin/tsx') : process.execPath;
  const full = options.fromSource ? ['--conditions=source', resolve(repoRoot, 'packages/cli/src/bin.ts'), ...args] : [distBin, ...args];
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd, [...full, '--json', '--time-limit', String(options.limitS)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.trim().startsWith('{'));
      if (lines.length === 0) fail(new Error(`emplace ${args.join(' ')} exited ${code}: ${err.trim().slice(0, 300)}`));
      else {
        const answers = lines.map((l) => JSON.parse(l) as CliAnswer);
        if (answers.length === 1) answers[0]!.processMs = performance.now() - started;
        done(answers);
      }
    });
  });
}

export const sec = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms) / 1000);
export const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

/** Equal within a relative 1e-6 (null when either side has no value). */
export function sameValue(a: number | null | undefined, b: number | null | undefined): boolean | null {
  if (a === undefined || a === null || b === undefined || b === null) return null;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

export const geomean = (xs: readonly number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

export interface FamilyRatios {
  pairs: number;
  geomeanRatio: number;
  worstRatio: number;
  worstInstance: string;
}

/** Geometric mean and worst of the numeric `column` of the rows of each family. */
export function ratiosByFamily(rows: readonly Record<string, Cell>[], column = 'ratio'): Record<string, FamilyRatios> {
  const out: Record<string, FamilyRatios> = {};
  const families = [...new Set(rows.map((r) => String(r.family)))];
  for (const family of families) {
    const famRows = rows.filter((r) => r.family === family && typeof r[column] === 'number' && (r[column] as number) > 0);
    if (famRows.length === 0) continue;
    const xs = famRows.map((r) => r[column] as number);
    const worst = famRows.reduce((a, b) => ((b[column] as number) > (a[column] as number) ? b : a));
    out[family] = { pairs: xs.length, geomeanRatio: round(geomean(xs), 3), worstRatio: round(Math.max(...xs), 3), worstInstance: String(worst.instance) };
  }
  return out;
}

export function commitHash(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() || 'unknown';
}
