/**
 * CLI signal latency (issue 13, item 3): the built command-line tool, one fresh process per
 * run, is sent SIGINT (or SIGTERM) at a seeded random moment while it solves a large file of
 * each family; measured from the kill to the process's exit, with its exit code and whether
 * stdout holds exactly one JSON line with `stoppedBy: "aborted"` (the incumbent printed).
 * Target: exit within 100 ms of the signal, 0 with a solution, 2 without.
 *
 * The moment is drawn in [MIN_DELAY_MS, MAX_DELAY_MS] after the spawn: before about 100-150 ms
 * Node itself is still starting (a bare `node -e ''` is measured and reported as
 * `nodeStartMs`), no user code has run, and a signal gets the default action (the process ends
 * at once, killed by the signal). Runs that finished before the signal are counted, not timed.
 *
 * Each row splits the signals into those that came before the first problem started solving
 * (modules loading, the file being read and parsed: the CLI exits 2 at once, nothing printed)
 * and those during the solve (the incumbent printed as one JSON line, exit 0); `wrongExitRuns`
 * lists any other ending with its delay, code and signal.
 *
 * Run: flock /tmp/bench.lock nice -n 5 npx tsx benchmarks/responsiveness/cli-signal.ts [--quick]
 *      (needs the built CLI: npx tsc -b). Writes benchmarks/results/responsiveness-cli.json.
 *      `--only fiedler,steiner` measures those families alone (only their inputs are made) and
 *      `--runs N` sets the runs per family; such a partial run prints its table and summary but
 *      writes no results file. `--trace` sets EMPLACE_TRACE_EXIT=1 in the CLI and prints, per
 *      run, the milliseconds from the signal to each step of its exit that the CLI reports on
 *      stderr (solving started, signal seen, solve returned, line formatted and written, stdout flushed,
 *      exit called), and with "<step> cpu" the CLI's CPU ms (all threads) from the signal to that step.
 *      `--ab NAME=VALUE` measures an A/B pair on the same machine state: every run is made twice
 *      with the same delay and signal, once as is and once with NAME=VALUE in the CLI's
 *      environment (in alternating order), and each family gets a row per variant (no results
 *      file). E.g. `--ab EMPLACE_HIGHS_WORKER=thread` compares the HiGHS worker kinds.
 *      `--delay MIN,MAX` draws the signal's moment in [MIN, MAX] ms instead (on a loaded machine
 *      the 1M-edge list of fiedler takes longer than 2.5 s to read; no results file).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '@emplace/core';
import { generateGap } from '@emplace/assignment';
import { writeEdgeList, writeOrlibCap, writeOrlibGap } from '@emplace/io';
import { generateCapLike, generatePmedText } from '../facility/generate.js';
import { quantile } from '../lib/abort-measure.js';
import { printTable, repoRoot, writeResults, type Cell } from '../lib/instances.js';
import { preferentialAttachmentGraph } from '../spectral/generators.js';

const quick = process.argv.includes('--quick');
const trace = process.argv.includes('--trace');
const only = optionValue('--only')?.split(',').filter((f) => f.length > 0);
const runsOption = optionValue('--runs');
const abOption = optionValue('--ab');
const ab = abOption === undefined ? undefined : /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(abOption);
if (abOption !== undefined && ab === null) throw new Error(`--ab needs NAME=VALUE, got ${abOption}`);
const RUNS = runsOption !== undefined ? Number(runsOption) : quick ? 4 : 10;
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error(`--runs must be a positive integer, got ${runsOption}`);
const delayOption = optionValue('--delay')?.split(',').map(Number);
if (delayOption !== undefined && !(delayOption.length === 2 && delayOption.every((d) => Number.isFinite(d) && d >= 0) && delayOption[0]! <= delayOption[1]!)) {
  throw new Error('--delay needs MIN,MAX in ms');
}
const MIN_DELAY_MS = delayOption?.[0] ?? 250;
const MAX_DELAY_MS = delayOption?.[1] ?? 2500;
/** A partial run (some families, another run count, an A/B pair, other delays) is for diagnosis: it writes no results file. */
const partial = only !== undefined || runsOption !== undefined || ab !== undefined || delayOption !== undefined;
const bin = resolve(repoRoot, 'packages/cli/dist/bin.js');

function optionValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

interface Case {
  family: string;
  file: string;
  args: string[];
}

/** The families' input files, each made (once) only when a selected family needs it. */
function inputs(dir: string, families: readonly string[] | undefined): Case[] {
  const made = new Map<string, string>();
  const at = (name: string, text: () => string): string => {
    let file = made.get(name);
    if (file === undefined) {
      file = join(dir, name);
      writeFileSync(file, text());
      made.set(name, file);
    }
    return file;
  };
  const cap = () => at('capb-like-100x1000.txt', () => writeOrlibCap(generateCapLike('capb', 5000)));
  const pmed = () => at('pmed-900.txt', () => generatePmedText(900, 16_200, 90, 5));
  const gap = () => at('gapd-20x200.txt', () => writeOrlibGap([generateGap('D', 20, 200, 3)]));
  const graph = () => at('ba-200k.edges', () => writeEdgeList(preferentialAttachmentGraph(200_000, 5, 9)));
  const steiner = () => resolve(repoRoot, '../shared/instances/steinlib/C/c18.stp');
  const all: { family: string; file: () => string; args: string[] }[] = [
    { family: 'ufl', file: cap, args: [] },
    { family: 'cfl', file: cap, args: [] },
    { family: 'sscfl', file: cap, args: [] },
    { family: 'pmedian', file: pmed, args: [] },
    { family: 'kcenter', file: pmed, args: [] },
    // OR-Library type D instances are minimised (gap needs --sense: without it the run is a usage error).
    { family: 'gap', file: gap, args: ['--sense', 'min'] },
    { family: 'steiner', file: steiner, args: [] },
    { family: 'fiedler', file: graph, args: [] },
  ];
  const unknown = (families ?? []).filter((f) => !all.some((c) => c.family === f));
  if (unknown.length > 0) throw new Error(`--only: unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${all.map((c) => c.family).join(', ')})`);
  return all.filter((c) => families === undefined || families.includes(c.family)).map((c) => ({ family: c.family, file: c.file(), args: c.args }));
}

interface Outcome {
  finishedFirst: boolean;
  latencyMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  abortedLine: boolean;
  /** The printed line holds a solution (an aborted solve without an incumbent prints none and exits 2). */
  withSolution: boolean;
  /** Lines on stdout (1 for a printed incumbent, 0 for a signal before solving). */
  lines: number;
  /** With --trace: ms from the kill to each exit step the CLI reported. */
  steps: Record<string, number>;
}

/** One run: spawn, wait `delayMs`, send `sig`, time until the process has exited; `extraEnv` is added to the CLI's environment. */
function runOnce(c: Case, delayMs: number, sig: NodeJS.Signals, extraEnv: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'solve', c.family, c.file, '--json', '--time-limit', '60', ...c.args], {
      stdio: ['ignore', 'pipe', trace ? 'pipe' : 'ignore'],
      env: { ...process.env, ...(trace ? { EMPLACE_TRACE_EXIT: '1' } : {}), ...extraEnv },
    });
    let out = '';
    let err = '';
    let killedAt = -1;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => {
      killedAt = performance.now();
      child.kill(sig);
    }, delayMs);
    child.on('exit', (code, signal) => {
      const exitedAt = performance.now();
      clearTimeout(timer);
      const lines = out.trim().split('\n').filter((l) => l.length > 0);
      let abortedLine = false;
      let withSolution = false;
      if (lines.length === 1) {
        try {
          const rec = JSON.parse(lines[0]!) as { stoppedBy?: unknown; solution?: unknown };
          abortedLine = rec.stoppedBy === 'aborted';
          withSolution = rec.solution !== null && rec.solution !== undefined;
        } catch {
          abortedLine = false;
        }
      }
      const steps: Record<string, number> = {};
      const cpuAt: Record<string, number> = {};
      // The CLI's trace lines carry epoch milliseconds (timeOrigin + now): comparable across processes.
      for (const m of err.matchAll(/^emplace-trace (\S+) ([\d.]+)(?: ([\d.]+))?$/gm)) {
        steps[m[1]!] = Math.round((Number(m[2]) - (performance.timeOrigin + killedAt)) * 10) / 10;
        // The CLI's CPU time (all threads) since the signal was seen: work, as opposed to waiting for a core.
        if (m[3] !== undefined) cpuAt[m[1]!] = Number(m[3]);
      }
      const cpuSignal = cpuAt['signal'];
      if (cpuSignal !== undefined) for (const [k, c] of Object.entries(cpuAt)) if (k !== 'signal') steps[`${k} cpu`] = Math.round((c - cpuSignal) * 10) / 10;
      if (trace) steps['exit seen'] = Math.round((exitedAt - killedAt) * 10) / 10;
      done({ finishedFirst: killedAt < 0, latencyMs: killedAt < 0 ? 0 : exitedAt - killedAt, code, signal, abortedLine, withSolution, lines: lines.length, steps });
    });
  });
}

function nodeStartMs(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '']);
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'emplace-cli-signal-'));
const rows: Record<string, Cell>[] = [];
const wrong: Record<string, unknown>[] = [];
const p99 = (xs: number[]): number | null => (xs.length ? quantile(xs, 0.99) : null);
const rng = new Rng(13);
const loadBefore = loadavg()[0]!;
try {
  /** The variants measured: as is, and with --ab's variable set (runs interleaved). */
  const variants: { label: string; env: Record<string, string> }[] = [{ label: '', env: {} }];
  if (ab) variants.push({ label: ` [${ab[1]}=${ab[2]}]`, env: { [ab[1]!]: ab[2]! } });
  for (const c of inputs(dir, only)) {
    const tallies = variants.map(() => ({ latencies: [] as number[], before: [] as number[], solving: [] as number[], finished: 0, withSolution: 0, wrongExit: 0 }));
    for (let r = 0; r < RUNS; r++) {
      const delay = MIN_DELAY_MS + rng.next() * (MAX_DELAY_MS - MIN_DELAY_MS);
      const sig: NodeJS.Signals = r % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      // Alternating which variant goes first, so that neither always follows the other's exit.
      for (let k = 0; k < variants.length; k++) {
        const v = (k + r) % variants.length;
        const t = tallies[v]!;
        const o = await runOnce(c, delay, sig, variants[v]!.env);
        if (trace && !o.finishedFirst) console.log(c.family + variants[v]!.label, `delay ${Math.round(delay)} ms`, `exit ${Math.round(o.latencyMs)} ms`, o.steps);
        // A solve that ended just as the signal came prints its own result (not aborted), exit 0:
        // it finished first too.
        const raced = !o.finishedFirst && o.code === 0 && o.lines === 1 && !o.abortedLine && o.withSolution;
        if (o.finishedFirst || raced) {
          t.finished++;
          continue;
        }
        t.latencies.push(o.latencyMs);
        if (o.code === 2 && o.lines === 0) t.before.push(o.latencyMs);
        else t.solving.push(o.latencyMs);
        // Right: exit 0 with the incumbent printed; exit 2 with nothing printed (before solving) or
        // with the aborted line of a solve that had no solution yet.
        if (o.abortedLine && o.withSolution && o.code === 0) t.withSolution++;
        else if (!(o.code === 2 && (o.lines === 0 || (o.abortedLine && !o.withSolution)))) {
          t.wrongExit++;
          wrong.push({ family: c.family + variants[v]!.label, delayMs: Math.round(delay), code: o.code, signal: o.signal, stdoutLines: o.lines, latencyMs: Math.round(o.latencyMs) });
        }
      }
    }
    variants.forEach((v, k) => {
      const { latencies, before, solving, finished, withSolution, wrongExit } = tallies[k]!;
      rows.push({
        family: c.family + v.label,
        signalled: latencies.length,
        'finished first': finished,
        'exit 0 + aborted line': withSolution,
        'wrong exit': wrongExit,
        'exit p50 ms': latencies.length ? quantile(latencies, 0.5) : null,
        'exit p99 ms': p99(latencies),
        'exit max ms': latencies.length ? Math.max(...latencies) : null,
        'before solving': before.length,
        'before solving p99 ms': p99(before),
        'solving p99 ms': p99(solving),
      });
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(rows);
const worst = Math.max(...rows.map((r) => Number(r['exit max ms'] ?? 0)));
const summary = {
  quick,
  ...(only !== undefined ? { only } : {}),
  ...(ab ? { ab: ab[0] } : {}),
  runsPerFamily: RUNS,
  delayMs: [MIN_DELAY_MS, MAX_DELAY_MS],
  nodeStartMs: nodeStartMs(),
  worstExitMs: worst,
  wrongExits: rows.reduce((s, r) => s + Number(r['wrong exit']), 0),
  wrongExitRuns: wrong,
  loadAverage1mBeforeAfter: `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`,
};
console.log(summary);
if (partial) console.log('partial run (--only / --runs / --ab / --delay): no results file written');
else writeResults(quick ? 'responsiveness-cli-quick' : 'responsiveness-cli', { rows, summary });
