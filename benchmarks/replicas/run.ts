/**
 * Benchmark of replica placement (@emplace/assignment replicas, issue 14).
 *
 *   pnpm bench replicas            (or: tsx --conditions=source benchmarks/replicas/run.ts [--quick])
 *
 * Every instance comes from `generateReplicas` with a fixed seed (no tuning to an instance):
 * 1. single: one workload of 20-60 replicas over 100 clusters (8 regions x 3 zones, 3
 *    providers, prices by region), spread over >= 3 zones and >= 2 regions, survivability of
 *    75 % of the replicas on the loss of any zone with N-1 re-hosting. greedy timed 20 times
 *    per instance (p50/p99 over all runs), exact once per instance; karmada (dynamic weights,
 *    its usual setting) on the same input.
 * 2. rebalance: the same instances running the cost-optimal plan, after the region holding
 *    most of it fills up (room for half its replicas); lexicographic objective (fewest moves,
 *    then cost) for greedy/exact, Karmada's division from the previous assignment for karmada.
 * 3. batch: 1,000 workloads x 100 clusters sharing capacity (30 % with spread, 30 % with
 *    survivability, 20 % with weights): greedy = first feasible plan, exact with 10 s.
 * Side by side: cost, imbalance (against the workload's weights), clusters used, replicas
 * lost on the worst single-zone failure, moves, and how many constraints Karmada's plan breaks.
 */
import {
  createReplicaModel,
  evaluateReplicaPlacement,
  generateReplicas,
  replicasGreedy,
  solveReplicas,
  worstDomainLoss,
  type ReplicaInput,
  type ReplicaModel,
  type ReplicaSolution,
} from '@emplace/assignment';
import { hasSolution, type Result } from '@emplace/core';
import { printTable, writeResults, type Cell } from '../lib/instances.js';

const quick = process.argv.includes('--quick');
const SINGLE = quick ? 8 : 30;
const GREEDY_REPS = quick ? 5 : 20;
const BATCH_SEEDS = quick ? [1] : [1, 2, 3];
const BATCH_LIMIT_MS = 10_000;

const rows: Record<string, Cell>[] = [];
const summary: Record<string, unknown> = { quick };

function pct(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function singleInput(seed: number): ReplicaInput {
  const input = generateReplicas({ clusters: 100, workloads: 1, seed, replicas: [20, 60], regions: 8, zonesPerRegion: 3, freeCpu: [2, 24] });
  const w = input.workloads[0]!;
  w.spread = [{ key: 'zone', minGroups: 3 }, { key: 'region', minGroups: 2 }];
  w.survivability = { domain: 'zone', minAvailable: Math.ceil(w.replicas * 0.75), rehost: true };
  w.weights = { dynamic: 'AvailableReplicas' };
  input.failureDomain = 'zone';
  return input;
}

interface Side {
  status: string;
  cost?: number;
  imbalance?: number;
  clusters?: number;
  worstZoneLoss?: number;
  moves?: number;
  violations: number;
  placed: number;
}

function side(m: ReplicaModel, r: Result<ReplicaSolution>): Side {
  if (!hasSolution(r)) return { status: r.status, violations: 0, placed: 0 };
  const ev = evaluateReplicaPlacement(m, r.solution.counts);
  return {
    status: r.status,
    cost: ev.cost,
    imbalance: ev.imbalance,
    clusters: ev.clustersUsed,
    worstZoneLoss: worstDomainLoss(m, r.solution.counts, 'zone'),
    moves: ev.moved,
    violations: ev.violations.length,
    placed: r.solution.workloads.filter((w) => w.status === 'placed').length,
  };
}

async function warmUp(): Promise<void> {
  // HiGHS loads its WebAssembly on first use: keep that out of the timings.
  const m = createReplicaModel(singleInput(999));
  m.input.objective = { cost: 1 };
  await solveReplicas(createReplicaModel({ ...singleInput(998), objective: { cost: 1, clusters: 0.01 } }), { method: 'exact' });
  for (let i = 0; i < 50; i++) replicasGreedy(m);
}

async function single(): Promise<void> {
  const greedyMs: number[] = [];
  const exactMs: number[] = [];
  const table: Record<string, Cell>[] = [];
  let proven = 0;
  let greedyOptimal = 0;
  let karmadaBreaks = 0;
  const costGain: number[] = [];
  for (let seed = 1; seed <= SINGLE; seed++) {
    const input = singleInput(seed);
    const m = createReplicaModel(input);
    let g: Result<ReplicaSolution> | undefined;
    for (let k = 0; k < GREEDY_REPS; k++) {
      const t = performance.now();
      g = replicasGreedy(m);
      greedyMs.push(performance.now() - t);
    }
    const t = performance.now();
    const e = await solveReplicas(m, { method: 'exact', timeLimitMs: 10_000 });
    const ems = performance.now() - t;
    exactMs.push(ems);
    const k = await solveReplicas(m, { method: 'karmada' });
    if (e.status === 'optimal') proven++;
    if (hasSolution(g!) && hasSolution(e) && Math.abs(g.objective - e.objective) <= 1e-9 * Math.max(1, e.objective)) greedyOptimal++;
    const sg = side(m, g!);
    const se = side(m, e);
    const sk = side(m, k);
    if (sk.violations > 0) karmadaBreaks++;
    if (se.cost !== undefined && sk.cost !== undefined) costGain.push((100 * (sk.cost - se.cost)) / sk.cost);
    for (const [method, s, ms] of [['greedy', sg, undefined], ['exact', se, ems], ['karmada', sk, undefined]] as const) {
      const row = { part: 'single', instance: `single-${seed}`, replicas: input.workloads[0]!.replicas, method, status: s.status, cost: s.cost, imbalance: s.imbalance, clusters: s.clusters, 'worst zone loss': s.worstZoneLoss, 'broken constraints': s.violations, 'time ms': ms === undefined ? undefined : Math.round(ms * 10) / 10, provenBy: method === 'exact' ? String(e.stats['provenBy'] ?? (e.status === 'optimal' ? 'MIP' : '')) : undefined };
      table.push(row);
      rows.push(row);
    }
  }
  console.log('\n1. One workload x 100 clusters: zone + region spread, N-1 over zones with re-hosting, prices');
  printTable(table.slice(0, 30));
  summary['single'] = {
    instances: SINGLE,
    greedyRuns: greedyMs.length,
    greedyP50Ms: +pct(greedyMs, 0.5).toFixed(3),
    greedyP90Ms: +pct(greedyMs, 0.9).toFixed(3),
    greedyP95Ms: +pct(greedyMs, 0.95).toFixed(3),
    greedyP99Ms: +pct(greedyMs, 0.99).toFixed(3),
    exactP50Ms: +pct(exactMs, 0.5).toFixed(1),
    exactP90Ms: +pct(exactMs, 0.9).toFixed(1),
    exactP99Ms: +pct(exactMs, 0.99).toFixed(1),
    exactProvenOptimal: proven,
    greedyEqualsOptimum: greedyOptimal,
    karmadaPlansBreakingAConstraint: karmadaBreaks,
    costSavedVsKarmadaPctMedian: +pct(costGain, 0.5).toFixed(2),
    targets: 'greedy p99 < 1 ms, exact p99 < 50 ms',
  };
  console.log(summary['single']);
}

async function rebalance(): Promise<void> {
  const table: Record<string, Cell>[] = [];
  const moves: Record<string, number[]> = { greedy: [], exact: [], karmada: [] };
  const costs: Record<string, number[]> = { greedy: [], exact: [], karmada: [] };
  for (let seed = 1; seed <= SINGLE; seed++) {
    const input = singleInput(seed);
    const before = createReplicaModel(input);
    // Running today: the cost-optimal plan (what exact chose yesterday).
    const p0 = await solveReplicas(before, { method: 'exact' });
    if (!hasSolution(p0)) continue;
    const current: Record<string, number> = {};
    for (const c of p0.solution.workloads[0]!.clusters) current[c.cluster] = c.replicas;
    // The region holding most replicas fills up (other tenants): its clusters keep room for
    // only half of the replicas they run now.
    const perRegion = new Map<string, number>();
    input.clusters.forEach((c) => perRegion.set(c.labels!.region!, (perRegion.get(c.labels!.region!) ?? 0) + (current[c.id] ?? 0)));
    const full = [...perRegion].sort((a, b) => b[1] - a[1])[0]![0];
    const req = input.workloads[0]!.request;
    for (const c of input.clusters) {
      if (c.labels!.region !== full) continue;
      const keep = Math.floor((current[c.id] ?? 0) / 2);
      for (const d of Object.keys(c.free)) c.free[d] = keep * (req[d] ?? 0);
    }
    input.workloads[0]!.current = current;
    input.objective = { lexicographic: ['moves', 'cost'] };
    const m = createReplicaModel(input);
    for (const method of ['greedy', 'exact', 'karmada'] as const) {
      const t = performance.now();
      const r = await solveReplicas(m, { method, timeLimitMs: 10_000 });
      const ms = performance.now() - t;
      const s = side(m, r);
      if (s.moves !== undefined && s.violations === 0) {
        moves[method]!.push(s.moves);
        costs[method]!.push(s.cost!);
      }
      const row = { part: 'rebalance', instance: `single-${seed}`, method, status: r.status, moves: s.moves, cost: s.cost, 'worst zone loss': s.worstZoneLoss, 'broken constraints': s.violations, 'time ms': Math.round(ms * 10) / 10 };
      table.push(row);
      rows.push(row);
    }
  }
  console.log('\n2. Rebalance from the cost-optimal plan after its fullest region fills up (room for half its replicas); lexicographic: moves, then cost');
  printTable(table.slice(0, 24));
  const mean = (a: number[]) => (a.length ? +(a.reduce((s, v) => s + v, 0) / a.length).toFixed(3) : null);
  summary['rebalance'] = {
    meanMovesValidPlans: { greedy: mean(moves.greedy!), exact: mean(moves.exact!), karmada: mean(moves.karmada!) },
    validPlans: { greedy: moves.greedy!.length, exact: moves.exact!.length, karmada: moves.karmada!.length },
    meanCostValidPlans: { greedy: mean(costs.greedy!), exact: mean(costs.exact!), karmada: mean(costs.karmada!) },
  };
  console.log(summary['rebalance']);
}

async function batch(): Promise<void> {
  const table: Record<string, Cell>[] = [];
  const out: Record<string, unknown>[] = [];
  for (const seed of BATCH_SEEDS) {
    const input = generateReplicas({ clusters: 100, workloads: 1000, seed, utilisation: 0.5, spread: 0.3, survivability: 0.3, weights: 0.2, regions: 8, zonesPerRegion: 3 });
    input.failureDomain = 'zone';
    let t = performance.now();
    const m = createReplicaModel(input);
    const buildMs = performance.now() - t;
    t = performance.now();
    const g = replicasGreedy(m);
    const gms = performance.now() - t;
    t = performance.now();
    const e = await solveReplicas(m, { method: 'exact', timeLimitMs: BATCH_LIMIT_MS });
    const ems = performance.now() - t;
    const k = await solveReplicas(m, { method: 'karmada' });
    for (const [method, r, ms] of [['greedy', g, gms], ['exact', e, ems], ['karmada', k, undefined]] as const) {
      const s = side(m, r);
      const row = {
        part: 'batch',
        instance: `batch-${seed}`,
        method,
        status: r.status,
        placed: s.placed,
        cost: s.cost,
        bound: r.bound,
        'gap %': r.gap === undefined ? undefined : 100 * r.gap,
        imbalance: s.imbalance,
        clusters: s.clusters,
        'worst zone loss': s.worstZoneLoss,
        'broken constraints': s.violations,
        'build ms': Math.round(buildMs),
        'time ms': ms === undefined ? undefined : Math.round(ms),
      };
      table.push(row);
      rows.push(row);
    }
    out.push({ seed, buildMs: Math.round(buildMs), greedyMs: Math.round(gms), exactMs: Math.round(ems), exactStatus: e.status, exactGapPct: e.gap === undefined ? null : +(100 * e.gap).toFixed(3), placedGreedy: side(m, g).placed, placedExact: side(m, e).placed });
  }
  console.log(`\n3. Batch: 1,000 workloads x 100 clusters sharing capacity (exact: ${BATCH_LIMIT_MS / 1000} s)`);
  printTable(table);
  summary['batch'] = { runs: out, targets: 'first feasible < 1 s, within 1 % of the MIP bound in 10 s' };
  console.log(summary['batch']);
}

await warmUp();
await single();
await rebalance();
await batch();
summary['note'] = 'Measured on a shared 2-core machine with other jobs running: timings are inflated and noisy.';
const file = writeResults('replicas', { rows, summary });
console.log(`\nresults: ${file}`);
