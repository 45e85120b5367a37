/**
 * Edge-case placement instances for the status audit (statuses.ts) and their truth by
 * enumeration (CFL: a MIP written here, solved by HiGHS through @emplace/lp), plus an
 * independent evaluator that recomputes a returned solution's objective from the model.
 * Edge cases: one site, one client, ties, zero costs, magnitudes 1e15 and 1e-12, zero demand,
 * a client with no allowed site, every site forbidden, capacity below total demand,
 * pre-opened sites (mustOpen: in every candidate set, paying their opening cost, counted in
 * k / p; more of them than k or p is infeasible) and client weights (k-center's weight x
 * distance; every other family's objective ignores them, as docs/concepts.md defines).
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
  /** Pre-opened sites (model mustOpen), never forbidden; part of every candidate set. */
  must: number[];
  /** Client weights as given to the model (k-center: weight x distance). */
  w: number[];
  /**
   * Clients that must share one site, joined across overlapping affinity groups: the units
   * a family that honours affinity (ufl, pmedian, sscfl) places whole; a lone client is its own unit.
   */
  units: number[][];
  /**
   * Two clients of one anti-affinity group in one affinity unit. The families that solve over
   * units (ufl, pmedian, sscfl) ignore anti-affinity, this conflict included: their truth is the
   * model without it, and the answer must warn (facility affinity.ts).
   */
  conflict: boolean;
  label: string;
}

const SCALES = [1, 1, 1e-12, 1e15, 1e6, 1e-3] as const;

/** One random edge-case instance; `capacity` chooses uncapacitated or demand-and-capacity data. */
export function placementCase(r: Rand, capacity: boolean, o: { siteDemand?: boolean } = {}): PlacementCase {
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
  // Pre-opened sites in about a third of the instances: usually one, sometimes every openable
  // site (then k / p below their count is infeasible), never a forbidden one.
  const openable = Array.from({ length: m }, (_, i) => i).filter((i) => !forbidden[i]);
  const mustOpen = new Array<boolean>(m).fill(false);
  if (openable.length > 0 && r.chance(0.35)) {
    const pool = [...openable];
    const count = r.chance(0.2) ? pool.length : r.int(1, Math.min(2, pool.length));
    for (let t = 0; t < count; t++) mustOpen[pool.splice(r.int(0, pool.length - 1), 1)[0]!] = true;
  }
  // Client weights in about a third: zero, fractional, ties and large ratios.
  const weighted = r.chance(0.35);
  const w = Array.from({ length: n }, () => (weighted ? r.pick([0, 0.5, 1, 1, 2, 3, 7]) : 1));
  // Affinity groups in about a fifth (two may overlap, which joins them), anti-affinity in a
  // tenth: honoured by some families, ignored with a warning or refused by others.
  const group = (): number[] => {
    const size = r.int(2, Math.min(3, n));
    const pool = Array.from({ length: n }, (_, j) => j);
    return Array.from({ length: size }, () => pool.splice(r.int(0, pool.length - 1), 1)[0]!);
  };
  const affinity = n >= 2 && r.chance(0.2) ? Array.from({ length: r.int(1, 2) }, group) : [];
  const antiAffinity = n >= 2 && r.chance(0.1) ? [{ clients: group() }] : [];
  // Site-dependent demand (GAP's r_ij, honoured only there) in about a quarter when asked.
  const siteDemand = o.siteDemand && r.chance(0.25) ? Array.from({ length: m * n }, () => r.int(0, 4)) : undefined;
  const model = createPlacementModel({
    ...(siteDemand ? { siteDemand } : {}),
    sites: Array.from({ length: m }, (_, i) => ({ id: `s${i}`, openingCost: r.int(0, 25) * openingScale, capacity: capOf(), forbidden: forbidden[i]!, mustOpen: mustOpen[i]! })),
    clients: Array.from({ length: n }, (_, j) => ({ id: `c${j}`, demand: capacity ? demand[j]! : 1, weight: w[j]! })),
    cost: c,
    allowed,
    affinity,
    antiAffinity,
  });
  // Units: clients joined by shared affinity groups (repeated merging until stable).
  let units: number[][] = Array.from({ length: n }, (_, j) => [j]);
  for (const g of affinity) {
    const joined = units.filter((u) => u.some((j) => g.includes(j)));
    units = [...units.filter((u) => !joined.includes(u)), joined.flat().sort((a, b) => a - b)];
  }
  const must = openable.filter((i) => mustOpen[i]);
  const ok = (i: number, j: number): boolean => allowed[i]![j] === 1 && !forbidden[i];
  const label = JSON.stringify({
    c,
    allowed,
    forbidden,
    mustOpen: must.length > 0 ? must : undefined,
    weight: weighted ? w : undefined,
    affinity: affinity.length > 0 ? affinity : undefined,
    antiAffinity: antiAffinity.length > 0 ? antiAffinity[0]!.clients : undefined,
    demand: capacity ? demand : undefined,
    siteDemand,
    capacity: capacity ? Array.from(model.capacity) : undefined,
    f: Array.from(model.openingCost),
  });
  const conflict = affinity.length > 0 && antiAffinity.some((g) => units.some((u) => g.clients.filter((j) => u.includes(j)).length > 1));
  return { model, m, n, c, ok, open: openable, must, w, units, conflict, label };
}

/** Best score over the open sets (subsets of the openable sites that hold every pre-opened one) of an allowed size. */
function bestOverSets(pc: PlacementCase, sense: Sense, size: (k: number) => boolean, score: (set: number[]) => number | undefined): Truth {
  let best: number | undefined;
  forEachSubset(pc.open.length, (mask) => {
    if (!size(popcount(mask))) return;
    const set = pc.open.filter((_, b) => (mask >> b) & 1);
    if (!pc.must.every((i) => set.includes(i))) return;
    const v = score(set);
    if (v !== undefined && better(sense, v, best)) best = v;
  });
  return truthOf(best);
}

function nearest(pc: PlacementCase, set: readonly number[], j: number): number | undefined {
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

/** Serving cost of the units: each unit whole at the open site allowed for all its clients that serves it cheapest. */
function unitsServing(pc: PlacementCase, set: readonly number[]): number | undefined {
  let total = 0;
  for (const u of pc.units) {
    let best: number | undefined;
    for (const i of set) {
      if (!u.every((j) => pc.ok(i, j))) continue;
      const v = u.reduce((a, j) => a + pc.c[i]![j]!, 0);
      if (best === undefined || v < best) best = v;
    }
    if (best === undefined) return undefined;
    total += best;
  }
  return total;
}

/** UFL (affinity honoured): serving plus the opening cost of every open site, pre-opened ones included. */
export const uflTruth = (pc: PlacementCase): Truth =>
  bestOverSets(pc, 'min', (k) => k >= 1, (set) => {
    const s = unitsServing(pc, set);
    return s === undefined ? undefined : s + set.reduce((a, i) => a + pc.model.openingCost[i]!, 0);
  });
/** p-median (affinity honoured): exactly p open sites, pre-opened ones among them. */
export const pmedianTruth = (pc: PlacementCase, p: number): Truth => bestOverSets(pc, 'min', (k) => k === p, (set) => unitsServing(pc, set));
/** k-center: the largest weight x distance to the nearest open site (weight 0 costs 0 at any allowed site). */
export const kcenterTruth = (pc: PlacementCase, k: number): Truth =>
  bestOverSets(pc, 'min', (s) => s >= 1 && s <= k, (set) => {
    let radius = 0;
    for (let j = 0; j < pc.n; j++) {
      const d = nearest(pc, set, j);
      if (d === undefined) return undefined;
      radius = Math.max(radius, weighted(pc, j, d));
    }
    return radius;
  });

/**
 * Capacitated k-center (demand split across open sites): the smallest weighted radius r for
 * which some open set (|set| <= k, the pre-opened in it) serves every client's demand from
 * sites within r under the capacities, by a max-flow per set and candidate radius. A
 * zero-demand client loads nothing but still needs an open site within r: weight x distance
 * counts for every client, as in the uncapacitated problem.
 */
export function capacitatedKcenterTruth(pc: PlacementCase, k: number): Truth {
  const radii = [...new Set(pc.c.flatMap((row, i) => row.map((v, j) => (pc.ok(i, j) ? weighted(pc, j, v) : Number.NaN))).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  let best: number | undefined;
  forEachSubset(pc.open.length, (mask) => {
    const size = popcount(mask);
    if (size < 1 || size > k) return;
    const set = pc.open.filter((_, b) => (mask >> b) & 1);
    if (!pc.must.every((i) => set.includes(i))) return;
    for (const r of radii) {
      if (best !== undefined && r >= best) return;
      if (servesWithin(pc, set, r)) {
        best = r;
        return;
      }
    }
  });
  return truthOf(best);
}

/** Whether the open `set` serves every client (split demand) from sites within weighted radius r under the capacities. */
function servesWithin(pc: PlacementCase, set: readonly number[], r: number): boolean {
  const { n, model } = pc;
  const near = (i: number, j: number): boolean => pc.ok(i, j) && weighted(pc, j, pc.c[i]![j]!) <= r;
  for (let j = 0; j < n; j++) if (!set.some((i) => near(i, j))) return false;
  // Max-flow source -> client j (demand) -> site i within r -> sink (capacity), by augmenting paths.
  const V = 2 + n + set.length;
  const cap = Array.from({ length: V }, () => new Float64Array(V));
  let total = 0;
  for (let j = 0; j < n; j++) {
    cap[0]![2 + j] = model.demand[j]!;
    total += model.demand[j]!;
    set.forEach((i, t) => {
      if (near(i, j)) cap[2 + j]![2 + n + t] = Infinity;
    });
  }
  set.forEach((i, t) => {
    cap[2 + n + t]![1] = model.capacity[i]!;
  });
  let flow = 0;
  for (;;) {
    const prev = new Int32Array(V).fill(-1);
    prev[0] = 0;
    const queue = [0];
    while (queue.length > 0 && prev[1] === -1) {
      const u = queue.shift()!;
      for (let v = 0; v < V; v++) if (prev[v] === -1 && cap[u]![v]! > 1e-12) { prev[v] = u; queue.push(v); }
    }
    if (prev[1] === -1) break;
    let push = Infinity;
    for (let v = 1; v !== 0; v = prev[v]!) push = Math.min(push, cap[prev[v]!]![v]!);
    for (let v = 1; v !== 0; v = prev[v]!) {
      cap[prev[v]!]![v]! -= push;
      cap[v]![prev[v]!]! += push;
    }
    flow += push;
    if (!Number.isFinite(push)) return true;
  }
  return flow >= total - 1e-9;
}

/**
 * LSCP with capacities: each client whole at one open site within the radius (kcenter's
 * lscp docs), site loads within capacity; the fewest open sites, pre-opened ones included.
 */
export function capacitatedLscpTruth(pc: PlacementCase, radius: number): Truth {
  const { model, m, n } = pc;
  let best: number | undefined;
  const load = new Float64Array(m);
  forEachAssignment(n, m, (a) => {
    load.fill(0);
    const used = new Set(pc.must);
    for (let j = 0; j < n; j++) {
      const i = a[j]!;
      if (!pc.ok(i, j) || pc.c[i]![j]! > radius) return;
      load[i]! += model.demand[j]!;
      used.add(i);
    }
    for (let i = 0; i < m; i++) if (load[i]! > model.capacity[i]! + 1e-9) return;
    if (better('min', used.size, best)) best = used.size;
  });
  return truthOf(best);
}

/** weight x distance as k-center defines it: a weight-0 client costs 0 at any allowed site. */
export function weighted(pc: PlacementCase, j: number, d: number): number {
  const w = pc.w[j]!;
  return w === 0 ? 0 : w * d;
}
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

/**
 * N-1 survivable placement (level 2): the cheapest open set in which every client has two
 * allowed open sites within the radius; opening cost, or 1 per site when every openable
 * site's opening cost is 0 (kcenter's survivable docs).
 */
export const survivableTruth = (pc: PlacementCase, radius: number): Truth => {
  const byCount = pc.open.every((i) => pc.model.openingCost[i] === 0);
  return bestOverSets(pc, 'min', () => true, (set) => {
    for (let j = 0; j < pc.n; j++) if (set.filter((i) => pc.ok(i, j) && pc.c[i]![j]! <= radius).length < 2) return undefined;
    return byCount ? set.length : set.reduce((a, i) => a + pc.model.openingCost[i]!, 0);
  });
};

/** Smallest pairwise site distance of a set (min of the two directions), Infinity below two sites. */
export function dispersion(dist: readonly (readonly number[])[], set: readonly number[]): number {
  let v = Infinity;
  for (let a = 0; a < set.length; a++) for (let b = a + 1; b < set.length; b++) v = Math.min(v, dist[set[a]!]![set[b]!]!, dist[set[b]!]![set[a]!]!);
  return v;
}

/** p-dispersion: exactly k openable sites (the pre-opened among them) as far apart as possible. */
export const dispersionTruth = (pc: PlacementCase, dist: readonly (readonly number[])[], k: number): Truth => bestOverSets(pc, 'max', (s) => s === k, (set) => dispersion(dist, set));

/**
 * Single-source assignment by enumeration (sscfl with opening costs, GAP without), affinity
 * units on one site (sscfl honours affinity; GAP refuses it, so its truth is never used then).
 */
export function assignmentTruth(pc: PlacementCase, sense: Sense, opening: boolean): Truth {
  const { model, m, n } = pc;
  let best: number | undefined;
  const load = new Float64Array(m);
  forEachAssignment(n, m, (a) => {
    for (const u of pc.units) if (u.some((j) => a[j] !== a[u[0]!])) return;
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
      // A pre-opened site pays its opening cost whether or not it serves anyone.
      if (opening && (a.includes(i) || pc.must.includes(i))) total += model.openingCost[i]!;
    }
    if (better(sense, total, best)) best = total;
  });
  return truthOf(best);
}

/** Split-demand CFL as a MIP written here, solved by HiGHS. Zero-demand clients still need a site. */
export async function cflTruth(pc: PlacementCase): Promise<Truth> {
  const { model, m, n } = pc;
  const lp = new LinearModel('min');
  const y = Array.from({ length: m }, (_, i) => lp.addVariable({ type: 'binary', obj: model.openingCost[i]!, lb: pc.must.includes(i) ? 1 : 0, ub: pc.open.includes(i) ? 1 : 0 }));
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
export function checkAssignmentSolution(pc: PlacementCase, solution: unknown, objective: number, o: { opening: boolean; singleSource: boolean; opensSites: boolean; affinity: boolean; capacity: boolean }): string[] {
  const s = solution as { assignment?: Int32Array; openSites?: Int32Array; flows?: { site: number; client: number; fraction: number }[] };
  if (!s.assignment) return ['solution has no assignment'];
  const { model, m, n } = pc;
  const used = new Set<number>(s.openSites ? Array.from(s.openSites) : []);
  const load = new Float64Array(m);
  let total = 0;
  const problems: string[] = [];
  // A family that opens sites (not GAP, where every site is available) opens every pre-opened one.
  if (o.opensSites) {
    if (!s.openSites) problems.push('solution has no openSites');
    else problems.push(...mustOpenProblems(pc, s.openSites));
  }
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
  if (o.affinity) for (const u of pc.units) if (u.some((j) => s.assignment![j] !== s.assignment![u[0]!])) problems.push(`affinity unit ${JSON.stringify(u)} split over sites`);
  // Capacities bind only the families that honour them (cfl, sscfl, gap); ufl and p-median ignore them.
  if (o.capacity) for (let i = 0; i < m; i++) if (load[i]! > model.capacity[i]! * (1 + 1e-9) + 1e-9) problems.push(`site ${i} load ${load[i]} > capacity ${model.capacity[i]}`);
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
  problems.push(...mustOpenProblems(pc, set));
  return problems;
}

/** Every pre-opened site must be in a returned open set. */
export function mustOpenProblems(pc: PlacementCase, open: ArrayLike<number>): string[] {
  const set = Array.from(open);
  return pc.must.filter((i) => !set.includes(i)).map((i) => `pre-opened site ${i} not open`);
}

export { nearest, sumNearest };
