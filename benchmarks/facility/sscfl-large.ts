/**
 * Large single-source CFL (issue 17, deliverable 3: "100 x 400 ones are within 0.1 %" at a
 * 30 s limit): best-known values of generated Cornuejols-style 100 x 200 and 100 x 400
 * instances (generateCornuejols in generate.ts, capacity ratios 3 and 5) and how far the
 * 30 s answer lies above them. The instances are regenerated from their parameters; every
 * best-known value is a plan stored in the results file and checked here by the
 * independent evaluator (checkSolution) on the regenerated instance, never a number taken
 * on trust.
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl-large.ts [--only=NAME,...] [--limit=30000] [--cpu=25] [--label=after] [--write]
 *       the 30 s answer of sscfl:auto per instance, its gap to the best known (%); --write
 *       stores it under at30s.<label> and lowers a best-known value that it beats. --cpu=S
 *       also stops the run after S CPU seconds of the process (A/B runs under load).
 *   ... sscfl-large.ts --long=600000 [--run-seeds=1,2] [--only=NAME] [--write]
 *       long runs of sscfl:auto (seeds of its random choices) to find better plans.
 *   ... sscfl-large.ts --plans=FILE.jsonl --how="TEXT" [--write]
 *       plans found elsewhere (one JSON line each: instance, assign = the site of each
 *       client, comma-separated), checked and kept when better than the best known.
 *   ... sscfl-large.ts --runs=FILE.jsonl --variant=NAME --label=before --how="TEXT" --write
 *       30 s rows measured by another harness (one JSON line each: variant, instance,
 *       objective, bound, nodes, cpuS, load, at, assign), e.g. an A/B of two code versions
 *       run side by side under the bench lock; their plans are checked like any other.
 *   ... sscfl-large.ts --fresh=980110,980111 [--only-fresh] ...
 *       also (--only-fresh: only) fresh 100 x 400 instances of these seeds (ratio 3 when the
 *       seed ends in 0, else 5; base seed N gives N * 100 + 10 + k as above): held-out checks
 *       of a change on instances nobody tuned on. They join the results file only with --write.
 *   ... sscfl-large.ts --check
 *       re-checks every stored plan and value (no solving).
 *
 * Timed runs belong under `flock /tmp/bench.lock nice -n 5` (see helper rules); the long
 * runs are searches for plans, not timings, and may run niced without the lock.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasSolution, type PlacementModel } from '@emplace/core';
import { checkSolution, solveSscfl, type FacilitySolution } from '@emplace/facility';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

/**
 * The instances: the sscfl-proof.ts held-out large pair (seed 4177's compare set: base seed N
 * gives N * 100 + 10 + k, k the ratio's place) and fresh ones from base seeds 9001 and 9401
 * (ratio 3 at k = 0, ratio 5 at k = 1), none of them used to tune the heuristics.
 */
const INSTANCES: readonly [sites: number, clients: number, ratio: number, seed: number][] = [
  [100, 200, 5, 417714],
  [100, 400, 5, 417715],
  [100, 200, 3, 900110],
  [100, 400, 3, 900110],
  [100, 400, 5, 900111],
  [100, 400, 3, 940110],
  [100, 400, 5, 940111],
  // Held out (base seed 9701): never tuned on. The round that measured other ILS shares,
  // kernel regions and elite whole regions (none kept) tuned on base seeds 9501, 9502 and 9511.
  [100, 400, 3, 970110],
  [100, 400, 5, 970111],
];

interface Plan {
  value: number;
  /** Site of each client. */
  assign: number[];
  how: string;
  at: string;
}
interface Run30 {
  objective: number | null;
  bound: number | null;
  gapToBestKnownPercent: number | null;
  feasible: boolean | null;
  nodes: number | null;
  cpuS: number;
  loadAverage: number[];
  command: string;
  at: string;
}
interface Entry {
  instance: string;
  generator: { sites: number; clients: number; ratio: number; seed: number };
  bestKnown: number | null;
  /** The best proven lower bound seen (a long run's branch-and-bound), for the gap of the best known itself. */
  bestBound: number | null;
  plan: Plan | null;
  at30s: Record<string, Run30>;
}
interface Doc {
  family: 'sscfl';
  benchmark: string;
  generator: string;
  note: string;
  instances: Entry[];
}

const file = new URL('../results/sscfl-large-best-known.json', import.meta.url);
const doc: Doc = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as Doc)
  : {
      family: 'sscfl',
      benchmark: 'benchmarks/facility/sscfl-large.ts',
      generator: 'generateCornuejols(sites, clients, ratio, seed) in benchmarks/facility/generate.ts',
      note: 'bestKnown: the cheapest plan found by any run (stored in plan.assign, re-checked by the independent evaluator on the regenerated instance); bestBound: the best proven lower bound seen; at30s: sscfl:auto at a 30 s limit, gapToBestKnownPercent = 100 (objective - bestKnown) / bestKnown.',
      instances: [],
    };

/** The commit measured, and whether the facility sources differ from it (another helper's work in progress). */
const codeVersion = ((): string => {
  try {
    const head = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain -- packages/facility/src', { encoding: 'utf8' }).trim().length > 0;
    return dirty ? `${head} + uncommitted packages/facility/src changes` : head;
  } catch {
    return 'unknown commit';
  }
})();

const nameOf = (S: number, C: number, ratio: number, seed: number): string => `sscfl-${S}x${C}-r${ratio}-s${seed}`;
for (const [S, C, ratio, seed] of INSTANCES) {
  const instance = nameOf(S, C, ratio, seed);
  if (!doc.instances.some((e) => e.instance === instance)) doc.instances.push({ instance, generator: { sites: S, clients: C, ratio, seed }, bestKnown: null, bestBound: null, plan: null, at30s: {} });
}
const fresh = arg('fresh', '')
  .split(',')
  .filter((s) => s.length > 0)
  .map(Number);
for (const seed of fresh) {
  const ratio = seed % 10 === 0 ? 3 : 5;
  const instance = nameOf(100, 400, ratio, seed);
  if (!doc.instances.some((e) => e.instance === instance)) doc.instances.push({ instance, generator: { sites: 100, clients: 400, ratio, seed }, bestKnown: null, bestBound: null, plan: null, at30s: {} });
}
const onlyFresh = argv.includes('--only-fresh');
const only = arg('only', '')
  .split(',')
  .filter((s) => s.length > 0);
const selected = doc.instances.filter((e) => (only.length === 0 || only.includes(e.instance)) && (!onlyFresh || fresh.includes(e.generator.seed)));
const models = new Map<string, PlacementModel>();
const modelOf = (e: Entry): PlacementModel => {
  let m = models.get(e.instance);
  if (!m) {
    const { sites, clients, ratio, seed } = e.generator;
    m = generateCornuejols(sites, clients, ratio, seed);
    models.set(e.instance, m);
  }
  return m;
};

/** The plan's cost by the independent evaluator, or null when it breaks a constraint (open sites: those serving a client). */
function checkedValue(e: Entry, assign: ArrayLike<number>): number | null {
  const model = modelOf(e);
  if (assign.length !== model.nClients) return null;
  const assignment = Int32Array.from(assign);
  const load = new Float64Array(model.nSites);
  for (let j = 0; j < assignment.length; j++) {
    const i = assignment[j]!;
    if (!(i >= 0 && i < model.nSites)) return null;
    load[i]! += model.demand[j]!;
  }
  const openSites = Int32Array.from({ length: model.nSites }, (_, i) => i).filter((i) => load[i]! > 0);
  const solution: FacilitySolution = { open: Array.from(openSites, (i) => model.siteIds[i]!), openSites, assignment, load, openingCost: 0, servingCost: 0 };
  const check = checkSolution(model, 'sscfl', solution);
  return check.violations.length === 0 ? check.objective : null;
}

/** Keeps `assign` as the best-known plan when the evaluator accepts it and it is cheaper. */
function offer(e: Entry, assign: ArrayLike<number>, how: string): boolean {
  const value = checkedValue(e, assign);
  if (value === null) {
    console.log(`${e.instance}: plan rejected by the evaluator (${how})`);
    return false;
  }
  if (e.bestKnown !== null && value >= e.bestKnown) return false;
  e.bestKnown = value;
  e.plan = { value, assign: Array.from(assign), how, at: new Date().toISOString() };
  console.log(`${e.instance}: best known ${value} (${how})`);
  return true;
}

const gap = (objective: number | null, best: number | null): number | null =>
  objective === null || best === null ? null : Number(((100 * (objective - best)) / best).toFixed(4));

if (argv.includes('--check')) {
  let bad = 0;
  for (const e of selected) {
    if (!e.plan) continue;
    const v = checkedValue(e, e.plan.assign);
    const ok = v !== null && v === e.plan.value && v === e.bestKnown;
    if (!ok) bad++;
    console.log(JSON.stringify({ instance: e.instance, bestKnown: e.bestKnown, recomputed: v, ok, bestBound: e.bestBound, gapOfBestKnownPercent: e.bestBound === null || e.bestKnown === null ? null : gap(e.bestKnown, e.bestBound) }));
  }
  process.exit(bad === 0 ? 0 : 1);
}

const plansFile = arg('plans', '');
const runsFile = arg('runs', '');
const longMs = Number(arg('long', '0'));
if (plansFile) {
  const how = arg('how', `plans from ${plansFile}`);
  for (const line of readFileSync(plansFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { instance?: string; assign?: string; bound?: number; limitS?: number; runSeed?: number };
    const e = selected.find((x) => x.instance === row.instance);
    if (!e || !row.assign) continue;
    offer(e, row.assign.split(',').map(Number), `${how}${row.limitS ? `, ${row.limitS} s` : ''}${row.runSeed ? `, seed ${row.runSeed}` : ''}`);
    if (typeof row.bound === 'number' && (e.bestBound === null || row.bound > e.bestBound)) e.bestBound = Math.ceil(row.bound - 1e-6);
  }
} else if (runsFile) {
  const variant = arg('variant', '');
  const label = arg('label', variant);
  const how = arg('how', `rows of ${runsFile}`);
  for (const line of readFileSync(runsFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { variant: string; instance: string; objective: number | null; bound?: number; nodes?: number; cpuS: number; load: number[]; at: string; assign?: string };
    const e = selected.find((x) => x.instance === row.instance);
    if (!e || row.variant !== variant) continue;
    const assign = row.assign ? row.assign.split(',').map(Number) : null;
    const feasible = assign ? checkedValue(e, assign) === row.objective : null;
    if (assign && feasible) offer(e, assign, `${how} (30 s)`);
    if (typeof row.bound === 'number' && (e.bestBound === null || row.bound > e.bestBound)) e.bestBound = Math.ceil(row.bound - 1e-6);
    e.at30s[label] = {
      objective: row.objective,
      bound: row.bound ?? null,
      gapToBestKnownPercent: null,
      feasible,
      nodes: row.nodes ?? null,
      cpuS: Number(row.cpuS.toFixed(2)),
      loadAverage: row.load.map((x) => Number(x.toFixed(2))),
      command: how,
      at: row.at,
    };
    console.log(JSON.stringify({ instance: e.instance, label, objective: row.objective, feasible }));
  }
} else if (longMs > 0) {
  for (const e of selected) {
    for (const seed of arg('run-seeds', '1').split(',').map(Number)) {
      const r = await solveSscfl(modelOf(e), { timeLimitMs: longMs, seed });
      if (!hasSolution(r)) continue;
      offer(e, r.solution.assignment, `sscfl:auto ${longMs / 1000} s, seed ${seed} (sscfl-large.ts --long, ${codeVersion}, load ${loadavg()[0]!.toFixed(1)})`);
      if (r.bound !== undefined && (e.bestBound === null || r.bound > e.bestBound)) e.bestBound = Math.ceil(r.bound - 1e-6);
      console.log(JSON.stringify({ instance: e.instance, seed, objective: r.objective, bound: r.bound ?? null, bestKnown: e.bestKnown, loadAverage: loadavg() }));
    }
  }
} else {
  const limitMs = Number(arg('limit', '30000'));
  const cpuMax = Number(arg('cpu', '0'));
  const label = arg('label', 'run');
  for (const e of selected) {
    const model = modelOf(e);
    const l0 = loadavg();
    const cpu0 = process.cpuUsage();
    // --cpu: stop at that many CPU seconds of this process (the time limit stays, for the
    // solver's own budget split): under load 8-15 a 30 s run got 14-20 CPU s, so A/B runs of
    // two versions side by side compare like with like only at equal CPU.
    const ctrl = new AbortController();
    const cpuTimer = cpuMax > 0 ? setInterval(() => { const u = process.cpuUsage(cpu0); if (u.user + u.system > cpuMax * 1e6) ctrl.abort(); }, 20) : null;
    const r = await solveSscfl(model, { timeLimitMs: limitMs, signal: ctrl.signal });
    if (cpuTimer) clearInterval(cpuTimer);
    const cpu = process.cpuUsage(cpu0);
    const objective = hasSolution(r) ? r.objective : null;
    // The evaluator's verdict, not the solver's.
    const feasible = hasSolution(r) ? checkedValue(e, r.solution.assignment) === r.objective : null;
    if (hasSolution(r) && feasible) offer(e, r.solution.assignment, `sscfl:auto ${limitMs / 1000} s (sscfl-large.ts --label=${label}, ${codeVersion})`);
    if (r.bound !== undefined && (e.bestBound === null || r.bound > e.bestBound)) e.bestBound = Math.ceil(r.bound - 1e-6);
    const row: Run30 = {
      objective,
      bound: r.bound ?? null,
      gapToBestKnownPercent: gap(objective, e.bestKnown),
      feasible,
      nodes: (r.stats['nodes'] as number | undefined) ?? null,
      cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      loadAverage: [l0[0]!, loadavg()[0]!].map((x) => Number(x.toFixed(2))),
      command: `benchmarks/facility/sscfl-large.ts ${argv.join(' ')} (${codeVersion}${cpuMax > 0 ? `, stopped at ${cpuMax} CPU s` : ''})`,
      at: new Date().toISOString(),
    };
    if (argv.includes('--write')) e.at30s[label] = row;
    console.log(JSON.stringify({ instance: e.instance, label, ...row, bestKnown: e.bestKnown }));
  }
}

// Gaps of the stored 30 s runs follow the best known values as they improve.
for (const e of doc.instances) for (const run of Object.values(e.at30s)) run.gapToBestKnownPercent = gap(run.objective, e.bestKnown);
if (argv.includes('--write')) {
  // Merged into the file as it is now (another run may have written since this one read it):
  // the cheaper plan, the higher bound, the 30 s rows of both.
  const now = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Doc) : null;
  for (const e of doc.instances) {
    const other = now?.instances.find((x) => x.instance === e.instance);
    if (!other) continue;
    if (other.plan && (e.plan === null || other.plan.value < e.plan.value) && checkedValue(e, other.plan.assign) === other.plan.value) {
      e.plan = other.plan;
      e.bestKnown = other.plan.value;
    }
    if (other.bestBound !== null && (e.bestBound === null || other.bestBound > e.bestBound)) e.bestBound = other.bestBound;
    e.at30s = { ...other.at30s, ...e.at30s };
    for (const run of Object.values(e.at30s)) run.gapToBestKnownPercent = gap(run.objective, e.bestKnown);
  }
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote', file.pathname);
}
