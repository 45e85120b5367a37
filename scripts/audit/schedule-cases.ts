/**
 * Edge-case multi-cluster scheduling instances for the status audit (statuses.ts): the
 * `schedule` family, with its truth by enumerating every assignment (sites^clients <= 4^5) and
 * an independent evaluator of the returned plan, both written here from the model's definition
 * (assignment/src/schedule-model.ts, docs/schedule-format.md), never through scheduleCost or
 * scheduleViolations:
 *   a plan puts every workload on one site that is not forbidden and allowed for it, within every
 *   site's capacity per dimension (site-dependent demand when given), affinity groups on one
 *   site, anti-affinity members on distinct sites (or distinct values of the domain label; a
 *   site without the label is a domain of its own), a locality workload on its site or within
 *   maxLatency of it;
 *   cost = serving + lambdaNetwork * sum volume * network[a][b] (0 when co-located)
 *        + lambdaCompliance * sum penalty + migration of every workload off its current site.
 * Edge cases: one site, one workload, every site forbidden, zero capacity, capacity below the
 * demand, ties, zero costs, 2^50 / 2^-40 magnitudes, self traffic, a current site that is
 * forbidden, locality that no site meets, lambdas 0.
 */
import { createPlacementModel, type Result } from '../../packages/core/src/index.ts';
import { createScheduleModel, type ScheduleInput } from '../../packages/assignment/src/index.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import { better, forEachAssignment, truthOf, type Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import type { AuditCase } from './cases.ts';

interface ScheduleSpec {
  S: number;
  n: number;
  D: number;
  capacity: number[][];
  demand: number[][];
  /** [site][client][dim] or null. */
  siteDemand: number[][][] | null;
  cost: number[][];
  allowed: boolean[][];
  forbidden: boolean[];
  /** A pre-opened site (mustOpen; -1 none, ignored when that site is forbidden): scheduling opens no sites, so it holds trivially. */
  mustOpen: number;
  zone: (string | undefined)[];
  affinity: number[][];
  antiAffinity: { clients: number[]; domain?: string }[];
  traffic: { a: number; b: number; volume: number }[];
  network: number[][] | null;
  latency: number[][] | null;
  lambdaNetwork: number | undefined;
  lambdaCompliance: number | undefined;
  penalty: number[][] | null;
  locality: { client: number; site: number; maxLatency: number }[];
  current: (number | null)[] | null;
  migration: number | number[] | undefined;
}

const MAGNITUDES = [1, 1, 1, 2 ** 50, 2 ** -40, 1e6] as const;

function matrix<T>(rows: number, cols: number, value: () => T): T[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, value));
}

function scheduleSpec(r: Rand): ScheduleSpec {
  const S = r.chance(0.2) ? 1 : r.int(2, 4);
  const n = r.chance(0.15) ? 1 : r.int(2, 5);
  const D = r.int(1, 2);
  const unit = r.pick(MAGNITUDES);
  const ties = r.chance(0.25);
  const num = (hi: number): number => (ties ? r.int(1, 2) : r.int(0, hi)) * unit;
  const demand = matrix(n, D, () => r.int(0, 3));
  const total = demand.reduce((a, row) => a + row[0]!, 0);
  const allForbidden = r.chance(0.05);
  const pairs = (k: number): number[] => {
    const picked = new Set<number>();
    while (picked.size < Math.min(k, n)) picked.add(r.int(0, n - 1));
    return [...picked];
  };
  const hasNetwork = r.chance(0.6);
  const network = hasNetwork ? matrix(S, S, () => r.int(0, 10) * unit) : null;
  const latency = hasNetwork && r.chance(0.3) ? matrix(S, S, () => r.int(0, 10)) : null;
  const latencyOf = latency ?? network;
  return {
    S,
    n,
    D,
    capacity: matrix(S, D, () => r.pick([0, Math.ceil(total / S), total, total + 2, Infinity])),
    demand,
    siteDemand: r.chance(0.15) ? Array.from({ length: S }, () => matrix(n, D, () => r.int(0, 3))) : null,
    cost: matrix(S, n, () => num(30)),
    allowed: matrix(S, n, () => !r.chance(0.15)),
    forbidden: Array.from({ length: S }, () => allForbidden || r.chance(0.12)),
    zone: Array.from({ length: S }, () => (r.chance(0.2) ? undefined : `z${r.int(0, 1)}`)),
    affinity: n >= 2 && r.chance(0.3) ? [pairs(2)] : [],
    antiAffinity: n >= 2 && r.chance(0.35) ? [{ clients: pairs(r.int(2, 3)), ...(r.chance(0.5) ? { domain: 'zone' } : {}) }] : [],
    traffic: hasNetwork ? Array.from({ length: r.int(0, 3) }, () => ({ a: r.int(0, n - 1), b: r.int(0, n - 1), volume: r.int(0, 5) })) : [],
    network,
    latency,
    lambdaNetwork: r.pick([undefined, 0, 1, 2.5]),
    lambdaCompliance: r.pick([undefined, 0, 3]),
    penalty: r.chance(0.3) ? matrix(S, n, () => r.int(0, 5) * unit) : null,
    locality: latencyOf && r.chance(0.3) ? [{ client: r.int(0, n - 1), site: r.int(0, S - 1), maxLatency: r.pick([0, 3, 7]) }] : [],
    current: r.chance(0.35) ? Array.from({ length: n }, () => (r.chance(0.3) ? null : r.int(0, S - 1))) : null,
    migration: r.pick([undefined, 4 * unit, Array.from({ length: n }, () => r.int(0, 9) * unit)]),
    mustOpen: r.chance(0.3) ? r.int(0, S - 1) : -1,
  };
}

function scheduleInput(s: ScheduleSpec): ScheduleInput {
  const dims = ['cpu', 'mem'].slice(0, s.D);
  const placement = createPlacementModel({
    dimensions: dims,
    sites: Array.from({ length: s.S }, (_, i) => ({ id: `k${i}`, capacity: s.capacity[i]!, forbidden: s.forbidden[i]!, mustOpen: i === s.mustOpen && !s.forbidden[i], labels: s.zone[i] === undefined ? {} : { zone: s.zone[i]! } })),
    clients: Array.from({ length: s.n }, (_, j) => ({ id: `w${j}`, demand: s.demand[j]! })),
    cost: s.cost,
    allowed: (i, j) => s.allowed[i]![j]!,
    affinity: s.affinity,
    antiAffinity: s.antiAffinity,
    ...(s.siteDemand ? { siteDemand: s.siteDemand.flatMap((rows) => rows.flat()) } : {}),
  });
  return {
    placement,
    traffic: s.traffic,
    ...(s.network ? { networkCost: s.network } : {}),
    ...(s.latency ? { latency: s.latency } : {}),
    ...(s.lambdaNetwork !== undefined ? { lambdaNetwork: s.lambdaNetwork } : {}),
    ...(s.lambdaCompliance !== undefined ? { lambdaCompliance: s.lambdaCompliance } : {}),
    ...(s.penalty ? { compliancePenalty: s.penalty } : {}),
    locality: s.locality,
    ...(s.current ? { current: s.current } : {}),
    ...(s.migration !== undefined ? { migrationCost: s.migration } : {}),
  };
}

/** Why plan `a` is not valid ([] when it is). */
function planViolations(s: ScheduleSpec, a: readonly number[]): string[] {
  const out: string[] = [];
  const load = matrix(s.S, s.D, () => 0);
  for (let j = 0; j < s.n; j++) {
    const i = a[j]!;
    if (!(Number.isInteger(i) && i >= 0 && i < s.S)) {
      out.push(`workload ${j} on site ${i}`);
      continue;
    }
    if (s.forbidden[i]) out.push(`workload ${j} on forbidden site ${i}`);
    if (!s.allowed[i]![j]) out.push(`workload ${j} not allowed on site ${i}`);
    for (let d = 0; d < s.D; d++) load[i]![d]! += s.siteDemand ? s.siteDemand[i]![j]![d]! : s.demand[j]![d]!;
  }
  if (out.length > 0) return out;
  for (let i = 0; i < s.S; i++) for (let d = 0; d < s.D; d++) if (load[i]![d]! > s.capacity[i]![d]!) out.push(`site ${i} dimension ${d}: load ${load[i]![d]} > ${s.capacity[i]![d]}`);
  for (const g of s.affinity) if (g.some((j) => a[j] !== a[g[0]!])) out.push(`affinity ${g.join(',')} split`);
  const domainOf = (i: number, domain: string | undefined): string => (domain === undefined ? `site ${i}` : s.zone[i] === undefined ? `site ${i}` : `zone ${s.zone[i]}`);
  for (const g of s.antiAffinity) {
    const seen = new Set(g.clients.map((j) => domainOf(a[j]!, g.domain)));
    if (seen.size < g.clients.length) out.push(`anti-affinity ${g.clients.join(',')} (${g.domain ?? 'site'}) shared`);
  }
  const lat = s.latency ?? s.network;
  for (const l of s.locality) {
    const i = a[l.client]!;
    if (i !== l.site && !(lat![i]![l.site]! <= l.maxLatency)) out.push(`locality: workload ${l.client} on site ${i}, latency ${lat![i]![l.site]} > ${l.maxLatency} to site ${l.site}`);
  }
  return out;
}

function planCost(s: ScheduleSpec, a: readonly number[]): number {
  let serving = 0;
  let compliance = 0;
  let migration = 0;
  for (let j = 0; j < s.n; j++) {
    serving += s.cost[a[j]!]![j]!;
    if (s.penalty) compliance += s.penalty[a[j]!]![j]!;
    const cur = s.current?.[j];
    if (cur !== null && cur !== undefined && cur !== a[j]) migration += typeof s.migration === 'number' ? s.migration : (s.migration?.[j] ?? 0);
  }
  let network = 0;
  for (const t of s.traffic) if (a[t.a] !== a[t.b]) network += t.volume * s.network![a[t.a]!]![a[t.b]!]!;
  return serving + (s.lambdaNetwork ?? 1) * network + (s.lambdaCompliance ?? 1) * compliance + migration;
}

function scheduleTruth(s: ScheduleSpec): Truth {
  let best: number | undefined;
  forEachAssignment(s.n, s.S, (a) => {
    if (planViolations(s, a).length > 0) return;
    const v = planCost(s, a);
    if (better('min', v, best)) best = v;
  });
  return truthOf(best);
}

const checkPlan = (s: ScheduleSpec) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const sol = res.solution as { assignment?: Int32Array };
  if (!(sol.assignment instanceof Int32Array) || sol.assignment.length !== s.n) return ['solution has no assignment of every workload'];
  const a = Array.from(sol.assignment);
  const problems = planViolations(s, a);
  if (problems.length > 0) return problems;
  const v = planCost(s, a);
  if (!(Math.abs(v - res.objective) <= 1e-9 * Math.max(1e-300, Math.abs(v)))) problems.push(`objective ${res.objective}, but plan ${a.join(',')} costs ${v}`);
  return problems;
};

export function scheduleCase(r: Rand): AuditCase {
  const s = scheduleSpec(r);
  return {
    model: createScheduleModel(scheduleInput(s)),
    options: {},
    sense: 'min',
    truth: () => scheduleTruth(s),
    check: checkPlan(s),
    label: JSON.stringify({ ...s, capacity: s.capacity.map((row) => row.map((c) => (c === Infinity ? 'inf' : c))) }),
  };
}
