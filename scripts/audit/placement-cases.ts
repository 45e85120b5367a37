/**
 * Edge-case placement instances for the status audit (statuses.ts) and their truth by
 * enumeration (CFL: a MIP written here, solved by HiGHS through @emplace/lp), plus an
 * independent evaluator that recomputes a returned solution's objective from the model.
 * Edge cases: one site, one client, ties, zero costs, magnitudes 1e15 and 1e-12, zero demand,
 * a client with no allowed site, every site forbidden, capacity below total demand.
 */
import { createPlacementModel, type PlacementModel, type Sense } from '../../packages/core/src/index.ts';
import { LinearModel, solveLp } from '../../packages/lp/src/index.ts';
import { better, forEachAssignment, forEachSubset, popcount, truthOf, type Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';

export interface PlacementCase {
  model: PlacementModel;
  m: number;
  n: number;
  /** Raw cost and eligibility, independent of the model's arrays. */
  c: number[][];
  ok: (i: number, j: number) => boolean;
  open: number[];
  label: string;
}

const SCALES = [1, 1, 1e-12, 1e15, 1e6, 1e-3] as const;

/** One random edge-case instance; `capacity` chooses uncapacitated or demand-and-capacity data. */
export function placementCase(r: Rand, capacity: boolean): PlacementCase {
  const m = r.chance(0.2) ? 1 : r.int(2, 4);
  const n = r.chance(0.15) ? 1 : r.int(2, 6);
  const scale = r.pick(SCALES);
  const ties = r.chance(0.25);
  const c = Array.from({ length: m }, () => Array.from({ length: n }, () => (ties ? r.int(1, 2) : r.int(0, 30)) * scale));
  const noAllowed = r.chance(0.1) ? r.int(0, n - 1) : -1;
  const allowed = Array.from({ length: m }, () => Array.from({ length: n }, (_, j) => (j === noAllowed || r.chance(0.15) ? 0 : 1)));
  const forbidden = Array.from({ length: m }, () => r.chance(0.12));
  const demand = Array.from({ length: n }, () => (r.chance(0.15) ? 0 : r.int(1, 4)));
  const total = demand.reduce((a, b) => a + b, 0);
  const capOf = (): number => {
    if (!capacity) return Infinity;
    const kind = r.int(0, 3);
    if (kind === 0) return total; // exactly the total: ties with the demand
    if (kind === 1) return Math.max(0, Math.floor(total / (m + 1))); // likely infeasible
    return r.int(Math.ceil(total / m), Math.max(Math.ceil(total / m), total));
  };
  const openingScale = r.chance(0.2) ? 0 : scale;
  const model = createPlacementModel({
    sites: Array.from({ length: m }, (_, i) => ({ id: `s${i}`, openingCost: r.int(0, 25) * openingScale, capacity: capOf(), forbidden: forbidden[i]! })),
    clients: Array.from({ length: n }, (_, j) => ({ id: `c${j}`, demand: capacity ? demand[j]! : 1 })),
    cost: c,
    allowed,
  });
  const open = Array.from({ length: m }, (_, i) => i).filter((i) => !forbidden[i]);
  const ok = (i: number, j: number): boolean => allowed[i]![j] === 1 && !forbidden[i];
  const label = JSON.stringify({ c, allowed, forbidden, demand: capacity ? demand : undefined, capacity: capacity ? Array.from(model.capacity) : undefined, f: Array.from(model.openingCost) });
  return { model, m, n, c, ok, open, label };
}

function bestOverSets(pc: PlacementCase, sense: Sense, size: (k: number) => boolean, score: (set: number[]) => number | undefined): Truth {
  let best: number | undefined;
  forEachSubset(pc.open.length, (mask) => {
    if (!size(popcount(mask))) return;
    const set = pc.open.filter((_, b) => (mask >> b) & 1);
    const v = score(set);
    if (v !== undefined && better(sense, v, best)) best = v;
  });
  return truthOf(best);
}

function nearest(pc: PlacementCase, set: number[], j: number): number | undefined {
  let best: number | undefined;
  for (const i of set) if (pc.ok(i, j) && (best === undefined || pc.c[i]![j]! < best)) best = pc.c[i]![j]!;
  return best;
}

function sumNearest(pc: PlacementCase, set: number[], combine: (acc: number, d: number) => number): number | undefined {
  let acc = 0;
  for (let j = 0; j < pc.n; j++) {
    const d = nearest(pc, set, j);
    if (d === undefined) return undefined;
    acc = combine(acc, d);
  }
  return acc;
}

export const uflTruth = (pc: PlacementCase): Truth =>
  bestOverSets(pc, 'min', (k) => k >= 1, (set) => {
    const s = sumNearest(pc, set, (a, d) => a + d);
    return s === undefined ? undefined : s + set.reduce((a, i) => a + pc.model.openingCost[i]!, 0);
  });
export const pmedianTruth = (pc: PlacementCase, p: number): Truth => bestOverSets(pc, 'min', (k) => k === p, (set) => sumNearest(pc, set, (a, d) => a + d));
export const kcenterTruth = (pc: PlacementCase, k: number): Truth => bestOverSets(pc, 'min', (s) => s >= 1 && s <= k, (set) => sumNearest(pc, set, Math.max));
export const lscpTruth = (pc: PlacementCase, radius: number): Truth =>
  bestOverSets(pc, 'min', () => true, (set) => {
    for (let j = 0; j < pc.n; j++) if (!set.some((i) => pc.ok(i, j) && pc.c[i]![j]! <= radius)) return undefined;
    return set.length;
  });
export const mclpTruth = (pc: PlacementCase, k: number, radius: number): Truth =>
  bestOverSets(pc, 'max', (s) => s <= k, (set) => {
    let covered = 0;
    for (let j = 0; j < pc.n; j++) if (set.some((i) => pc.ok(i, j) && pc.c[i]![j]! <= radius)) covered += pc.model.demand[j]!;
    return covered;
  });

/** Single-source assignment by enumeration (sscfl with opening costs, GAP without). */
export function assignmentTruth(pc: PlacementCase, sense: Sense, opening: boolean): Truth {
  const { model, m, n } = pc;
  let best: number | undefined;
  const load = new Float64Array(m);
  forEachAssignment(n, m, (a) => {
    load.fill(0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const i = a[j]!;
      if (!pc.ok(i, j)) return;
      load[i]! += model.siteDemand ? model.siteDemand[i * n + j]! : model.demand[j]!;
      total += pc.c[i]![j]!;
    }
    for (let i = 0; i < m; i++) {
      if (load[i]! > model.capacity[i]! + 1e-9) return;
      if (opening && a.includes(i)) total += model.openingCost[i]!;
    }
    if (better(sense, total, best)) best = total;
  });
  return truthOf(best);
}

/** Split-demand CFL as a MIP written here, solved by HiGHS. Zero-demand clients still need a site. */
export async function cflTruth(pc: PlacementCase): Promise<Truth> {
  const { model, m, n } = pc;
  const lp = new LinearModel('min');
  const y = Array.from({ length: m }, (_, i) => lp.addVariable({ type: 'binary', obj: model.openingCost[i]!, ub: pc.open.includes(i) ? 1 : 0 }));
  const x = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => lp.addVariable({ obj: pc.c[i]![j]!, ub: pc.ok(i, j) ? 1 : 0 })));
  for (let j = 0; j < n; j++) lp.addEq(x.map((row) => row[j]!), new Array(m).fill(1), 1);
  for (let i = 0; i < m; i++) {
    const cap = model.capacity[i]!;
    if (Number.isFinite(cap)) lp.addLe([...x[i]!, y[i]!], [...Array.from({ length: n }, (_, j) => model.demand[j]!), -cap], 0);
    for (let j = 0; j < n; j++) lp.addLe([x[i]![j]!, y[i]!], [1, -1], 0);
  }
  const r = await solveLp(lp, { mipRelGap: 0 });
  if (r.status === 'infeasible') return { feasible: false };
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference MIP: ${r.status}`);
  return { feasible: true, value: r.objective };
}

/**
 * Recomputes a facility / GAP solution's objective from the model and checks it is valid
 * (open sites, allowed pairs, capacities). Returns problems, [] when sound.
 */
export function checkAssignmentSolution(pc: PlacementCase, solution: unknown, objective: number, o: { opening: boolean; singleSource: boolean }): string[] {
  const s = solution as { assignment?: Int32Array; openSites?: Int32Array; flows?: { site: number; client: number; fraction: number }[] };
  if (!s.assignment) return ['solution has no assignment'];
  const { model, m, n } = pc;
  const used = new Set<number>(s.openSites ? Array.from(s.openSites) : []);
  const load = new Float64Array(m);
  let total = 0;
  const problems: string[] = [];
  const shares = s.flows && !o.singleSource ? s.flows : Array.from(s.assignment, (site, client) => ({ site, client, fraction: 1 }));
  const served = new Float64Array(n);
  for (const sh of shares) {
    if (!pc.ok(sh.site, sh.client)) problems.push(`client ${sh.client} on site ${sh.site}, not allowed`);
    if (o.opening && s.openSites && !used.has(sh.site)) problems.push(`client ${sh.client} on closed site ${sh.site}`);
    used.add(sh.site);
    served[sh.client]! += sh.fraction;
    load[sh.site]! += sh.fraction * (model.siteDemand ? model.siteDemand[sh.site * n + sh.client]! : model.demand[sh.client]!);
    total += sh.fraction * (pc.c[sh.site]?.[sh.client] ?? Number.NaN);
  }
  for (let j = 0; j < n; j++) if (Math.abs(served[j]! - 1) > 1e-6) problems.push(`client ${j} served ${served[j]}`);
  for (let i = 0; i < m; i++) if (load[i]! > model.capacity[i]! * (1 + 1e-9) + 1e-9) problems.push(`site ${i} load ${load[i]} > capacity ${model.capacity[i]}`);
  if (o.opening) for (const i of used) total += model.openingCost[i]!;
  if (!(Math.abs(total - objective) <= 1e-6 * Math.max(1e-300, Math.abs(total)))) problems.push(`objective ${objective} but the solution costs ${total}`);
  return problems;
}

/** k-center / coverage: recompute the radius (max nearest distance) from the open set. */
export function checkOpenSet(pc: PlacementCase, open: ArrayLike<number>, k: number | undefined): string[] {
  const problems: string[] = [];
  const set = Array.from(open);
  if (k !== undefined && set.length > k) problems.push(`${set.length} sites open, k = ${k}`);
  for (const i of set) if (!pc.open.includes(i)) problems.push(`forbidden site ${i} open`);
  return problems;
}

export { nearest, sumNearest };
