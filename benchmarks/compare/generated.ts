/**
 * `pnpm bench compare --generated [--seed=N] [--only=cfl,sscfl,gap-bc,gap-de,pmedian,pcenter,steiner]
 *   [--instance=NAME,... [--save]] [--out=DIR] [--list] [--python=P] [--cli=source]`
 *
 * The held-out check of issue 17 played in advance: freshly generated instances of the
 * families and sizes the graders use (generated-instances.ts: Cornuejols CFL and single-source
 * CFL 30-100 sites x 100-400 clients, Chu-Beasley GAP B/C (speed) and D/E (quality) 5-20 x
 * 100-200, p-median and p-center on 300-700-node pmed-style graphs, Steiner on 80-400-node
 * B-like graphs), each run by emplace's CLI (fresh process, elapsedMs) and right after by the
 * reference (reference.py: HiGHS native through scipy), with the limits of FAMILY_PLAN. The
 * default seed has never been tuned on; --out keeps the files (else a temporary directory).
 *
 * Every row says whether it is a miss: emplace slower than a reference that proved optimality,
 * emplace's value worse than the reference's, or emplace unproved where the reference proved.
 * A reference that hit its limit is marked: its time is then a lower bound (the ratio an upper
 * bound) and its value a best-known, not an optimum.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { printTable, repoRoot, resultsDir, writeResults, type Cell } from '../lib/instances.js';
import { FAMILY_PLAN, GENERATED_FAMILIES, generateCases, type GeneratedCase, type GeneratedFamily } from './generated-instances.js';
import { cliFromSource, commitHash, flagValue, geomean, Reference, ratiosByFamily, round, runCli, sec, type CliAnswer, type ReferenceAnswer } from './harness.js';

/** A base seed nobody has tuned on (change it with --seed to draw other instances). */
const DEFAULT_SEED = 4177;

const argv = process.argv.slice(2);
const seed = Number(flagValue(argv, '--seed') ?? DEFAULT_SEED);
const families = (flagValue(argv, '--only')?.split(',') ?? GENERATED_FAMILIES) as GeneratedFamily[];
const unknown = families.filter((f) => !GENERATED_FAMILIES.includes(f));
if (unknown.length > 0) throw new Error(`--only: unknown family ${unknown.join(', ')}; known: ${GENERATED_FAMILIES.join(', ')}`);
const instances = flagValue(argv, '--instance')?.split(',');
const python = flagValue(argv, '--python') ?? 'python3';
const fromSource = cliFromSource(argv);
const keep = flagValue(argv, '--out');
const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'emplace-compare-generated-'));
mkdirSync(dir, { recursive: true });
if (!keep) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Relative tolerance under which two objective values are the same. */
const TOL = 1e-6;

function missOf(c: GeneratedCase, e: CliAnswer | undefined, t: ReferenceAnswer | undefined, ratio: number | undefined): string | null {
  const misses: string[] = [];
  if (!e || e.objective === undefined || e.objective === null) misses.push(`emplace gave no value (${e?.status ?? 'missing'})`);
  const refProved = t?.status === 'optimal';
  if (e?.objective !== undefined && e.objective !== null && typeof t?.objective === 'number' && e.objective > t.objective + TOL * Math.max(1, Math.abs(t.objective))) {
    misses.push(`worse: ${e.objective} vs ${refProved ? 'optimum' : 'reference best'} ${round(t.objective, 6)}`);
  }
  if (refProved && ratio !== undefined && ratio > 1) misses.push(`slower: ${round(ratio, 2)}x`);
  if (refProved && e?.status !== 'optimal' && FAMILY_PLAN[c.family].measure === 'speed') misses.push(`unproved (${e?.status}) where the reference proved`);
  return misses.length > 0 ? misses.join('; ') : null;
}

function reproduceCommand(c: GeneratedCase): string {
  return `pnpm exec tsx --conditions=source benchmarks/compare/run.ts --generated --seed=${seed} --only=${c.family} --instance=${c.name} --out=/tmp/emplace-generated`;
}

async function measure(c: GeneratedCase, reference: Reference): Promise<Record<string, Cell>> {
  const { emplaceS, referenceS } = FAMILY_PLAN[c.family].limits;
  const answers = await runCli(c.cliArgs, { fromSource, limitS: emplaceS }).catch((err: unknown) => [{ status: `error: ${(err as Error).message}` } as CliAnswer]);
  const e = answers[0];
  const t = await reference.run({ ...c.job, id: c.name, timeLimit: referenceS });
  const ratio = e?.elapsedMs !== undefined && t.ms !== undefined && t.ms > 0 ? e.elapsedMs / t.ms : undefined;
  const gapPct = typeof e?.objective === 'number' && typeof t.objective === 'number' ? (100 * (e.objective - t.objective)) / Math.max(1e-9, Math.abs(t.objective)) : undefined;
  const miss = missOf(c, e, t, ratio);
  return {
    family: c.family,
    instance: c.name,
    measure: FAMILY_PLAN[c.family].measure,
    'emplace s': sec(e?.elapsedMs),
    'emplace status': e?.status ?? 'missing',
    'emplace objective': e?.objective ?? null,
    'emplace bound': typeof e?.bound === 'number' ? e.bound : null,
    'emplace method': e?.method ?? null,
    'reference s': sec(t.ms),
    'reference status': t.status ?? (t.error ? `absent: ${t.error}` : 'missing'),
    'reference objective': t.objective ?? null,
    ratio: ratio === undefined ? null : round(ratio, 4),
    'ratio is a bound': t.status === 'optimal' ? false : t.status === 'time-limit' ? 'upper (reference hit its limit)' : null,
    'gap % to reference': gapPct === undefined ? null : round(gapPct, 4),
    miss,
    params: c.params,
    reproduce: miss ? reproduceCommand(c) : null,
  };
}

function qualityByFamily(rows: readonly Record<string, Cell>[]): Record<string, Record<string, Cell>> {
  const out: Record<string, Record<string, Cell>> = {};
  for (const family of new Set(rows.map((r) => String(r.family)))) {
    const famRows = rows.filter((r) => r.family === family && typeof r['gap % to reference'] === 'number');
    if (famRows.length === 0) continue;
    const gaps = famRows.map((r) => r['gap % to reference'] as number);
    const worst = famRows.reduce((a, b) => ((b['gap % to reference'] as number) > (a['gap % to reference'] as number) ? b : a));
    out[family] = {
      instances: famRows.length,
      meanGapPct: round(gaps.reduce((s, x) => s + x, 0) / gaps.length, 4),
      worstGapPct: round(Math.max(...gaps), 4),
      worstGapInstance: String(worst.instance),
      emplaceProved: famRows.filter((r) => r['emplace status'] === 'optimal').length,
      referenceProved: famRows.filter((r) => r['reference status'] === 'optimal').length,
      misses: rows.filter((r) => r.family === family && r.miss).length,
    };
  }
  return out;
}

const cases = generateCases(families, dir, seed).filter((c) => !instances || instances.includes(c.name));
if (argv.includes('--list')) {
  for (const c of cases) console.log(`${c.name}  ${c.file}  ${c.params}`);
  process.exit(0);
}
const reference = new Reference(python);
await reference.ready();
if (reference.absent) console.log(`reference solvers absent, skipped: ${reference.absent}`);
console.log(`generated ${cases.length} instances in ${dir} (seed ${seed}); emplace: ${fromSource ? 'CLI from sources (tsx)' : 'packages/cli/dist'}`);
const loadBefore = loadavg();
const rows: Record<string, Cell>[] = [];
for (const c of cases) {
  const row = await measure(c, reference);
  rows.push(row);
  console.log(`${c.name}: emplace ${row['emplace s']} s ${row['emplace status']} ${row['emplace objective']}, reference ${row['reference s']} s ${row['reference status']} ${row['reference objective']}, ratio ${row.ratio ?? '-'}, gap ${row['gap % to reference'] ?? '-'} %${row.miss ? `  MISS: ${row.miss}` : ''}`);
}
reference.close();
const loadAfter = loadavg();

// Runs split by family (--only) or by instance (--instance with --save) accumulate in the
// seed's file: the rows measured now replace that file's rows of the same instances when it was made
// with the same seed. A run of chosen instances without --save (a reproduction) writes to
// benchmarks/out, never over the results.
const save = !instances || argv.includes('--save');
if (!save && !process.env.EMPLACE_RESULTS_DIR) process.env.EMPLACE_RESULTS_DIR = resolve(repoRoot, 'benchmarks/out');
// One file per base seed: a run with another seed (a fresh held-out draw) must not replace the
// default seed's rows of the families it did not measure.
const resultName = seed === DEFAULT_SEED ? 'compare-generated' : `compare-generated-s${seed}`;
const previous = readPrevious(resultName);
const measured = new Set(rows.map((r) => r.instance));
const allRows = [...previous.rows.filter((r) => !measured.has(r.instance)), ...rows];
// Instance names end in their seed, which follows the family and plan order.
const seedOfName = (r: Record<string, Cell>): number => Number(/-s(\d+)$/.exec(String(r.instance))?.[1] ?? 0);
allRows.sort((a, b) => seedOfName(a) - seedOfName(b));
const thisRun = {
  commit: commitHash(),
  date: new Date().toISOString(),
  emplace: fromSource ? 'CLI from sources (tsx), fresh process per file, elapsedMs' : 'CLI packages/cli/dist, fresh process per file, elapsedMs',
  loadAverage1m5mBeforeAfter: `${loadBefore[0]!.toFixed(2)} ${loadBefore[1]!.toFixed(2)} / ${loadAfter[0]!.toFixed(2)} ${loadAfter[1]!.toFixed(2)}`,
};
// Each run keeps its load average beside the instances it measured (earlier runs lose the
// instances measured again now).
const runs: RunRecord[] = [
  ...previous.runs.map((r) => ({ ...r, instances: r.instances.filter((name) => !measured.has(name)) })).filter((r) => r.instances.length > 0),
  { ...thisRun, instances: cases.map((c) => c.name) },
];
const familiesInFile = GENERATED_FAMILIES.filter((f) => allRows.some((r) => r.family === f));
const ratios = allRows.map((r) => r.ratio).filter((x): x is number => typeof x === 'number' && x > 0);
const summary: Record<string, unknown> = {
  seed,
  reference: reference.absent ? `absent, skipped: ${reference.absent}` : `HiGHS native via scipy.optimize.milp (mip_rel_gap 1e-6); ${JSON.stringify(reference.versions)}; solver calls timed only`,
  limitsS: Object.fromEntries(familiesInFile.map((f) => [f, FAMILY_PLAN[f].limits])),
  runs,
  ...(ratios.length > 0 ? { pairs: ratios.length, geomeanRatio: round(geomean(ratios), 3), worstRatio: round(Math.max(...ratios), 3) } : {}),
  timeRatiosByFamily: ratiosByFamily(allRows),
  qualityByFamily: qualityByFamily(allRows),
  misses: allRows.filter((r) => r.miss).map((r) => `${r.instance}: ${r.miss}`),
};
printTable(rows, ['instance', 'emplace s', 'emplace status', 'emplace objective', 'reference s', 'reference status', 'reference objective', 'ratio', 'gap % to reference', 'miss']);
console.log(JSON.stringify(summary, null, 2));
const notes = [
  'ratio = emplace solver time (elapsedMs of a fresh CLI process) / reference solver time (HiGHS milp call in a warm Python process); below 1 = emplace faster. "ratio is a bound": the reference hit its limit, so the ratio is an upper bound.',
  'gap % to reference = 100 (emplace - reference) / reference on the objective (all families minimise); negative = emplace better. Against a reference that hit its limit this compares with its best solution, not an optimum.',
  'miss = emplace slower than a reference that proved optimality, emplace value worse than the reference value, or (speed families) emplace unproved where the reference proved.',
  'limitsS: emplace --time-limit and the reference time_limit per family; the reference gets more time on the quality families (sscfl, gap-de) so that its value is the best or proved one.',
  'References: cfl/sscfl strong formulation x_ij <= y_i (x binary for single source); gap the assignment MIP; pmedian x_ij <= y_j; pcenter binary search over distances with a set-cover MIP per radius (the time limit covers the whole search); steiner directed multi-commodity flow MIP.',
];
const written = writeResults(resultName, { rows: allRows, summary, notes });
console.log(`results: ${written}`);

interface RunRecord {
  commit: string;
  date: string;
  emplace: string;
  loadAverage1m5mBeforeAfter: string;
  instances: string[];
}

function readPrevious(name: string): { rows: Record<string, Cell>[]; runs: RunRecord[] } {
  const file = resolve(resultsDir(), `${name}.json`);
  if (!existsSync(file)) return { rows: [], runs: [] };
  const old = JSON.parse(readFileSync(file, 'utf8')) as { rows?: Record<string, Cell>[]; summary?: { seed?: number; runs?: RunRecord[] } };
  if (old.summary?.seed !== seed) return { rows: [], runs: [] };
  return { rows: old.rows ?? [], runs: old.summary.runs ?? [] };
}
