/**
 * Time to proof of single-source CFL on generated Cornuejols-style 50 x 100 instances (issue 17,
 * deliverable 3: "50 x 100 instances proved within 30 s"): per instance the status, objective,
 * bound, proven gap, seconds, nodes and the bound after the root (the first progress event of
 * the branch-and-bound phase), with the independent evaluator's verdict on the plan.
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/sscfl-proof.ts [--seeds=5101,5102] [--ratios=3,5,10] [--sizes=50x100] [--limit=30000] [--held-out] [--held-out-large] [--write=sscfl-proof.json] [--label=after] [--from-value=NAME:VALUE,... [--max-nodes=N] [--max-stop-tests=N] [--root-iterations=1500] [--node-iterations=40]]
 *
 * Instance seeds follow `pnpm bench compare --generated`: base seed N gives the sscfl family's
 * seed N * 100 + 10 + k; here k is the ratio's place in --ratios (so they are fresh instances,
 * not the compare set's, unless N is the compare run's own seed). --held-out adds the compare
 * set of seed 4177's 50 x 100 ratio 3 instance (sscfl-50x100-r3-s417712), to be checked at the
 * end only, never tuned on; --held-out-large its 100 x 200 and 100 x 400 ones (ratio 5), whose
 * gap at 30 s is the measure there. --write merges the rows under --label into benchmarks/results/<file>.
 *
 * --from-value=NAME:VALUE,... measures the proof alone (work per node, tree size): the
 * branch-and-bound search by itself (singleSourceSearch, no primal steps, no split guide),
 * told that a plan of VALUE exists, on those instances only, for at most --max-nodes nodes;
 * per instance whether it finished, its bound, nodes, subgradient evaluations and CPU seconds
 * (deterministic but for the CPU time). NAME as in the rows, e.g. sscfl-50x100-r3-s730110:18834.
 * --root-iterations / --node-iterations set the search's subgradient iterations there (the
 * solver's are 1500 / 40; a node with deflected steps runs NODE_EXPLORATION = 20 evaluations
 * more on its first pass, single-source.ts), to measure nodes against evaluations.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasSolution, SolveRun, type PlacementModel } from '@emplace/core';
import { checkSolution, solveSscfl } from '@emplace/facility';
import { prepareProblem } from '../../packages/facility/src/problem.js';
import { singleSourceSearch } from '../../packages/facility/src/single-source.js';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const seeds = arg('seeds', '5101,5102').split(',').map(Number);
const ratios = arg('ratios', '3,5,10').split(',').map(Number);
const sizes = arg('sizes', '50x100').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const limitMs = Number(arg('limit', '30000'));
const label = arg('label', 'run');

interface Case {
  name: string;
  model: PlacementModel;
}
const cases: Case[] = [];
for (const [S, C] of sizes) {
  for (const base of seeds) {
    ratios.forEach((ratio, k) => {
      const seed = base * 100 + 10 + k;
      cases.push({ name: `sscfl-${S}x${C}-r${ratio}-s${seed}`, model: generateCornuejols(S, C, ratio, seed) });
    });
  }
}
if (argv.includes('--held-out')) cases.push({ name: 'sscfl-50x100-r3-s417712', model: generateCornuejols(50, 100, 3, 417712) });
if (argv.includes('--held-out-large')) {
  cases.push({ name: 'sscfl-100x200-r5-s417714', model: generateCornuejols(100, 200, 5, 417714) });
  cases.push({ name: 'sscfl-100x400-r5-s417715', model: generateCornuejols(100, 400, 5, 417715) });
}

const fromValue = arg('from-value', '');
if (fromValue) {
  await proofOnly(fromValue, Number(arg('max-nodes', '1000000000')));
  process.exit(0);
}

/** The search alone from a known value (see --from-value), one line per instance. */
async function proofOnly(spec: string, maxNodes: number): Promise<void> {
  let cpuTotal = 0;
  for (const item of spec.split(',')) {
    const [name, value] = item.split(':');
    const m = /^sscfl-(\d+)x(\d+)-r([\d.]+)-s(\d+)$/.exec(name ?? '');
    if (!m) throw new Error(`--from-value: ${item} is not NAME:VALUE`);
    const [S, C, ratio, seed] = m.slice(1).map(Number) as [number, number, number, number];
    const prep = prepareProblem(generateCornuejols(S, C, ratio, seed), 'sscfl');
    if (prep.kind !== 'ok') throw new Error(`${name}: ${prep.kind}`);
    // The plan itself is never read: with no primal steps only its value prunes.
    const start = { value: Number(value), solution: { open: new Uint8Array(S), assign: new Int32Array(C) } };
    const cpu0 = process.cpuUsage();
    const run = new SolveRun({ seed: 1 }, 'sscfl-proof', 'min');
    // --max-stop-tests=N: a work budget that replays (the search tests stop about once per subgradient evaluation), to compare bounds at equal work.
    const maxStops = Number(arg('max-stop-tests', 'Infinity'));
    let stops = 0;
    const shouldStop = run.shouldStop.bind(run);
    run.shouldStop = () => ++stops > maxStops || shouldStop();
    const r = await singleSourceSearch(prep.problem, run, start, {
      rootIterations: Number(arg('root-iterations', '1500')),
      nodeIterations: Number(arg('node-iterations', '40')),
      branch: true,
      granule: 1,
      phase: 'proof',
      regions: false,
      primalAfterWork: Infinity,
      maxNodes,
    });
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    cpuTotal += cpuS;
    console.log(JSON.stringify({ instance: name, value: Number(value), complete: r.complete, bound: r.bound, better: r.incumbent && r.incumbent.value < Number(value) ? r.incumbent.value : null, nodes: r.nodes, evaluations: r.iterations, cpuS: Number(cpuS.toFixed(3)) }));
  }
  console.log(`cpu ${cpuTotal.toFixed(2)} s; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

const rows: Record<string, string | number | boolean | null>[] = [];
for (const { name, model } of cases) {
  let rootBound: number | null = null;
  const cpu0 = process.cpuUsage();
  const r = await solveSscfl(model, {
    timeLimitMs: limitMs,
    onProgress: (p) => {
      if (rootBound === null && p.phase === 'branch-and-bound' && typeof p.bound === 'number' && p.message !== undefined) rootBound = p.bound;
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const objective = hasSolution(r) ? r.objective : null;
  const row = {
    instance: name,
    status: r.status,
    objective,
    bound: r.bound ?? null,
    rootBound,
    // The independent evaluator's verdict, not the solver's.
    feasible: hasSolution(r) ? checkSolution(model, 'sscfl', r.solution).violations.length === 0 : null,
    provenGapPercent: objective !== null && r.bound !== undefined ? Number(((100 * (objective - r.bound)) / Math.max(1, Math.abs(objective))).toFixed(4)) : null,
    timeS: Number(((r.stats.elapsedMs as number) / 1000).toFixed(3)),
    cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    nodes: (r.stats['nodes'] as number | undefined) ?? null,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const proved = rows.filter((r) => r.status === 'optimal').length;
console.log(`${proved} of ${rows.length} proved within ${limitMs / 1000} s; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const out = arg('write', '');
if (out) {
  const file = new URL(`../results/${out}`, import.meta.url);
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { family: 'sscfl', benchmark: 'benchmarks/facility/sscfl-proof.ts' };
  doc[label] = { command: `benchmarks/facility/sscfl-proof.ts ${argv.join(' ')}`, limitMs, measuredAt: new Date().toISOString(), loadAverage: loadavg(), proved, of: rows.length, rows };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote', file.pathname);
}
