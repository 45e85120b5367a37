import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatNumber, repoRoot, resultsDir, type Cell } from './instances.js';

interface ResultsFile {
  family: string;
  machine: Record<string, string | number>;
  rows: Record<string, Cell>[];
  summary: Record<string, unknown>;
  notes?: unknown;
  [k: string]: unknown;
}

const TITLES: Record<string, string> = {
  facility: 'Facility location and p-median',
  kcenter: 'k-center',
  'assignment-gap': 'Generalized assignment (OR-Library)',
  'assignment-cd': 'Generalized assignment: generated types C and D (Chu-Beasley, fixed seeds)',
  'assignment-schedule': 'Multi-cluster scheduling suite',
  steiner: 'Steiner trees (SteinLib)',
  spectral: 'Spectral analysis (Fiedler value)',
  mechanism: 'Mechanisms (Shapley, voting, VCG)',
  pareto: 'Pareto search',
  'responsiveness-soak': 'HiGHS soak: 10,000 consecutive solves with forced failures',
  responsiveness: 'Responsiveness: abort latency, event-loop stall, time-limit overshoot',
  compare: 'Side by side with the reference solvers (HiGHS native, scipy eigsh): time ratios',
  flows: 'Network flows: min-cost flow, Gomory-Hu, multi-commodity flow (against networkx and HiGHS native)',
  replicas: 'Replica placement: greedy, exact and Karmada side by side',
  uncertainty: 'Placement under uncertainty: online ratios, SAA bounds, scenario counts',
  'uncertainty-coverage': 'Coverage models (LSCP, MCLP, p-dispersion, N-1 survivable) against HiGHS native',
  'abort-latency-graphs': 'Abort latency: spectral, graph and flow methods (in-thread)',
  'assignment-gap-abort-quick': 'Abort latency: GAP methods (in-thread, quick)',
  'assignment-gap-quick': 'Generalized assignment (OR-Library, quick run)',
  'compare-lambda2': 'lambda2 side by side with scipy eigsh (fresh CLI process per graph)',
  'kcenter-abort': 'Abort latency: k-center exact (in-thread)',
  'mechanism-abort': 'Abort latency: Shapley, voting, VCG, nucleolus (in-thread)',
  'pareto-abort': 'Abort latency: Pareto evolutionary front (in-thread)',
  'responsiveness-offload': 'HiGHS off-thread: per-solve cost of the worker offload',
  'abort-latency-spectral': 'Abort latency: Fiedler (LOBPCG, auto, dense) and partition on a grid and a 1M-edge graph (in-thread)',
  'assignment-cd-D': 'Generalized assignment: generated type D (Chu-Beasley, 30 s)',
  'assignment-cd-E': 'Generalized assignment: generated type E (Chu-Beasley, 30 s)',
  'facility-abort': 'Abort latency: CFL, UFL and p-median methods (in-thread)',
  'facility-small': 'Small CFL and p-median cold in a fresh CLI process against HiGHS native',
  'responsiveness-sweep': 'Responsiveness sweep: every registered method aborted in-thread at random moments',
  'responsiveness-sweep-quick': 'Responsiveness sweep, quick mode (3 aborts per method)',
  'assignment-gap-seeds-auto': 'Generalized assignment: fresh-seed types D and E (gap:auto, gap to the proven bound)',
  'cfl-tight': 'Split-demand CFL with tight capacity, 100 x 400 at 20 s, against the reference',
  'cfl-tight-reference': 'Split-demand CFL with tight capacity: reference values (HiGHS native and long emplace runs)',
  'compare-gap': 'GAP (OR-Library A and B) side by side with HiGHS native (fresh CLI process per file)',
  'responsiveness-load5': 'Responsiveness (quick) at load 4-6: abort latency, stall, overshoot',
  'responsiveness-loaded': 'Responsiveness (quick) at load 12-17: abort latency, stall, overshoot',
  'steiner-e-check': 'Steiner trees: SteinLib E at 30 s (auto), gap to the optimum and proofs',
  'steiner-abort': 'Abort latency: every Steiner method on SteinLib c18 and e18 (in-thread)',
  'compare-generated': 'Side by side with HiGHS on freshly generated instances of the held-out sizes (CFL, single-source CFL, GAP, p-median, p-center, Steiner)',
  'responsiveness-cli': 'CLI signal latency: SIGINT / SIGTERM at random moments, time to exit (fresh process per run)',
  'spectral-families': 'lambda2 on generated 40k-node graph families against scipy eigsh shift-invert',
  'facility-small-generated': 'Small generated CFL (16-50 x 50-100) cold in a fresh CLI process against HiGHS native',
  'sscfl-proof': 'Single-source CFL 50 x 100: proofs at 30 s (sscfl:auto), labelled runs',
  'sscfl-large-best-known': 'Single-source CFL 100 x 200 / 100 x 400: best known plans and bounds, sscfl:auto at 30 s',
};

/** A file's section title; compare-generated-sN holds another held-out draw (compare/generated.ts --seed=N). */
function titleOf(key: string): string {
  const draw = /^compare-generated-s(\d+)$/.exec(key);
  if (draw) return `${TITLES['compare-generated']}, another draw (base seed ${draw[1]})`;
  return TITLES[key] ?? key;
}

/** Regenerates docs/benchmarks.md (or `out`) from every results JSON in resultsDir(). */
export function writeBenchmarksReport(out = resolve(repoRoot, 'docs/benchmarks.md')): string {
  const dir = resultsDir();
  // `*-partial.json` files are local re-measurements of a subset (sweep.ts --only), ignored by git:
  // the report must say only what the committed results say.
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('-partial.json'))
    .sort();
  const parts: string[] = [
    '# Benchmark results',
    '',
    'Generated by `pnpm bench` from `benchmarks/results/*.json`; do not edit by hand.',
    'Each section says the machine and date of its run. Timings on a 2-core machine are',
    'noisy, and were inflated where other jobs ran at the same time.',
    '',
    'Reproduce one family with `pnpm bench <family>` (add `--quick` for a fast subset).',
    '',
  ];
  for (const f of files) {
    const data = JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as ResultsFile;
    const key = f.replace(/\.json$/, '');
    parts.push(`## ${titleOf(key)}`, '');
    if (!data.machine && !Array.isArray(data.rows)) {
      parts.push(`File: \`benchmarks/results/${f}\`.`, '', ...keyedSections(data));
      continue;
    }
    const m = data.machine ?? {};
    parts.push(`Run ${String(m.date ?? '?')} on ${String(m.cpu ?? '?')} (${String(m.cores ?? '?')} cores, ${String(m.memoryGiB ?? '?')} GiB), Node ${String(m.node ?? '?')}. File: \`benchmarks/results/${f}\`.`, '');
    if (data.summary && Object.keys(data.summary).length > 0) {
      parts.push('Summary:', '', ...summaryLines(data.summary, ''), '');
    }
    if (data.notes) parts.push(...[data.notes].flat().map((n) => `> ${String(n)}`), '');
    if (Array.isArray(data.rows) && data.rows.length > 0) parts.push(markdownTable(data.rows), '');
  }
  writeFileSync(out, parts.join('\n'));
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Files written by the development probes (cfl-tight.ts, sscfl-proof.ts, sscfl-large.ts) hold
 * several labelled runs, or a map of instances, instead of one run with machine/rows: each
 * labelled run becomes a subsection with its own fields, summary and rows, each map or list of
 * records a table, and the file's plain fields a list (without this they rendered as "Run ?").
 */
function keyedSections(data: Json): string[] {
  const lines: string[] = [];
  const scalars = Object.entries(data).filter(([, v]) => !isObject(v) && !Array.isArray(v));
  if (scalars.length > 0) lines.push(...scalars.map(([k, v]) => `- ${k}: ${cell(v as Cell)}`), '');
  for (const [key, value] of Object.entries(data)) {
    const records = recordList(value);
    if (records) {
      lines.push(`### ${key}`, '', markdownTable(records.map((r) => flatRecord(r))), '');
    } else if (isObject(value)) {
      lines.push(`### ${key}`, '');
      const { rows, summary, ...fields } = value;
      const plain = Object.entries(fields).map(([k, v]) => `- ${k}: ${isObject(v) || Array.isArray(v) ? JSON.stringify(v) : cell(v as Cell)}`);
      if (plain.length > 0) lines.push(...plain, '');
      if (isObject(summary)) lines.push('Summary:', '', ...summaryLines(summary, ''), '');
      const rowRecords = recordList(rows);
      if (rowRecords && rowRecords.length > 0) lines.push(markdownTable(rowRecords.map((r) => flatRecord(r))), '');
    }
  }
  return lines;
}

/** A list of records, or a map of records (named by a leading `name` column), else undefined. */
function recordList(value: unknown): Json[] | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every(isObject) ? (value as Json[]) : undefined;
  if (!isObject(value) || 'rows' in value) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, v]) => isObject(v))) return undefined;
  return entries.map(([name, v]) => ({ name, ...(v as Json) }));
}

/** One table row: nested records flattened to `a.b` columns, long lists (stored plans) summarised by their length. */
function flatRecord(record: Json, prefix = ''): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(record)) {
    const name = prefix + k;
    if (isObject(v)) Object.assign(out, flatRecord(v, `${name}.`));
    else if (Array.isArray(v)) out[name] = v.length > 12 ? `(${v.length} entries)` : JSON.stringify(v);
    else out[name] = v as Cell;
  }
  return out;
}

function summaryLines(value: unknown, indent: string, depth = 0): string[] {
  if (value === null || typeof value !== 'object') return [`${indent}- ${cell(value as Cell)}`];
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object' && depth < 2 && !Array.isArray(v)) {
      const entries = Object.keys(v as object).length;
      if (entries > 12) {
        lines.push(`${indent}- ${k}: ${entries} entries (see the JSON file)`);
        continue;
      }
      lines.push(`${indent}- ${k}:`, ...summaryLines(v, indent + '  ', depth + 1));
    } else {
      lines.push(`${indent}- ${k}: ${Array.isArray(v) || (v !== null && typeof v === 'object') ? JSON.stringify(v) : cell(v as Cell)}`);
    }
  }
  return lines;
}

function markdownTable(rows: readonly Record<string, Cell>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const head = `| ${cols.join(' | ')} |`;
  const sep = `|${cols.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`);
  return [head, sep, ...body].join('\n');
}

function cell(v: Cell): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  return String(v).replace(/\|/g, '\\|');
}
