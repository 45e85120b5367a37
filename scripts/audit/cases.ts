/**
 * The audit's instance builders by family (statuses.ts, api-options.ts): placement families
 * here, graphs / flows in network-cases.ts, games / markets in mechanism-cases.ts, scenario
 * sets (stochastic, robust) in uncertainty-cases.ts, scheduling in schedule-cases.ts, replica
 * placement in replicas-cases.ts.
 */
import type { Result, Sense } from '../../packages/core/src/index.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import type { Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import { MECHANISM_CASES } from './mechanism-cases.ts';
import { NETWORK_CASES } from './network-cases.ts';
import { replicasCase } from './replicas-cases.ts';
import { scheduleCase } from './schedule-cases.ts';
import { UNCERTAINTY_CASES } from './uncertainty-cases.ts';
import {
  assignmentTruth,
  capacitatedKcenterTruth,
  capacitatedLscpTruth,
  cflTruth,
  checkAssignmentSolution,
  checkOpenSet,
  dispersion,
  dispersionTruth,
  kcenterTruth,
  lscpTruth,
  mclpTruth,
  placementCase,
  pmedianTruth,
  survivableTruth,
  uflTruth,
  weighted,
  type PlacementCase,
} from './placement-cases.ts';

/** One instance of a family: the model, options, the truth (undefined: no reference) and a solution check. */
export interface AuditCase {
  model: unknown;
  options: Record<string, unknown>;
  sense: Sense;
  truth?: (() => Truth | Promise<Truth>) | undefined;
  check?: ((result: Result<unknown>) => string[] | Promise<string[]>) | undefined;
  /** Methods of one family that answer different questions (mcf: min cost vs max concurrent flow). */
  perMethod?: Record<string, { sense: Sense; truth: () => Truth | Promise<Truth> }> | undefined;
  /** Absolute slack of the progress check where the objective is only accurate to the data's scale (an eigenvalue to ||L||). */
  progressSlack?: number | undefined;
  label: string;
}

export type CaseBuilder = (r: Rand) => AuditCase;

/**
 * `opensSites`: the family opens sites (facility, not GAP), so every pre-opened site must be
 * among them; `affinity`: it honours affinity (ufl, pmedian, sscfl), so each unit shares a site.
 */
const assignmentCheck = (pc: PlacementCase, opening: boolean, singleSource: boolean, opensSites = true, affinity = singleSource, capacity = true) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const problems = checkAssignmentSolution(pc, res.solution, res.objective, { opening, singleSource, opensSites, affinity, capacity });
  // Affinity against anti-affinity: the families that honour affinity ignore anti-affinity, and must say so.
  if (affinity && pc.conflict && !res.warnings?.some((w) => w.includes('ignores anti-affinity'))) problems.push('affinity contradicts an anti-affinity group, and no warning says the anti-affinity is ignored');
  return problems;
};

const openSetCheck = (pc: PlacementCase, k: number | undefined) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const s = res.solution as { open?: unknown; openSites?: unknown; assignment?: Int32Array; radius?: number; split?: { client: number; site: number }[] };
  const open = s.open instanceof Int32Array ? s.open : s.openSites instanceof Int32Array ? s.openSites : undefined;
  if (!open) return ['solution has no open set'];
  const problems = checkOpenSet(pc, open, k);
  if (typeof s.radius === 'number' && s.assignment) {
    // k-center: the objective is the weighted radius (weight x distance) of the returned assignment.
    let radius = 0;
    s.assignment.forEach((i, j) => {
      if (i < 0) return;
      if (!pc.ok(i, j) || !open.includes(i)) problems.push(`client ${j} on site ${i}: not allowed or not open`);
      radius = Math.max(radius, weighted(pc, j, pc.c[i]?.[j] ?? Number.NaN));
    });
    // Capacitated k-center with split demand: every part of a split client counts.
    for (const { client: j, site: i } of s.split ?? []) {
      if (!pc.ok(i, j) || !open.includes(i)) problems.push(`client ${j} split to site ${i}: not allowed or not open`);
      radius = Math.max(radius, weighted(pc, j, pc.c[i]?.[j] ?? Number.NaN));
    }
    if (!(Math.abs(radius - res.objective) <= 1e-9 * Math.abs(radius))) problems.push(`objective ${res.objective}, assignment radius ${radius}`);
  }
  return problems;
};

/** p-dispersion: exactly k sites, the pre-opened among them, the objective their smallest pairwise distance. */
const dispersionCheck = (pc: PlacementCase, dist: number[][], k: number) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const open = (res.solution as { open?: Int32Array }).open;
  if (!(open instanceof Int32Array)) return ['solution has no open set'];
  const problems = checkOpenSet(pc, open, k);
  if (new Set(open).size !== k) problems.push(`${new Set(open).size} distinct sites open, k = ${k}`);
  const v = dispersion(dist, Array.from(open));
  if (!(Math.abs(v - res.objective) <= 1e-9 * Math.abs(v))) problems.push(`objective ${res.objective}, the open sites' smallest distance is ${v}`);
  return problems;
};

/** Survivable (level 2): every client has two allowed open sites within the radius; the objective is the opening cost (or count). */
const survivableCheck = (pc: PlacementCase, radius: number) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const open = (res.solution as { open?: Int32Array }).open;
  if (!(open instanceof Int32Array)) return ['solution has no open set'];
  const set = [...new Set(open)];
  const problems = checkOpenSet(pc, set, undefined);
  for (let j = 0; j < pc.n; j++) {
    const within = set.filter((i) => pc.ok(i, j) && pc.c[i]![j]! <= radius).length;
    if (within < 2) problems.push(`client ${j} has ${within} open site(s) within the radius`);
  }
  const byCount = pc.open.every((i) => pc.model.openingCost[i] === 0);
  const cost = byCount ? set.length : set.reduce((a, i) => a + pc.model.openingCost[i]!, 0);
  if (!(Math.abs(cost - res.objective) <= 1e-9 * Math.abs(cost))) problems.push(`objective ${res.objective}, the open sites cost ${cost}`);
  return problems;
};

/** Every plan of a placement front opens the pre-opened sites and no forbidden one. */
const frontCheck = (pc: PlacementCase) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const points = (res.solution as { points?: { plan?: { open?: number[] } }[] }).points;
  if (!Array.isArray(points)) return ['solution has no points'];
  const problems: string[] = [];
  points.forEach((p, t) => {
    const open = p.plan?.open;
    if (!Array.isArray(open)) problems.push(`point ${t} has no open sites`);
    else problems.push(...checkOpenSet(pc, open, undefined).map((q) => `point ${t}: ${q}`));
  });
  return problems;
};

/**
 * Online UFL: a solution serves every client (a run stopped before every arrival has no plan
 * for the model), the pre-opened sites are open, and the plan is priced as opening (every open
 * site) plus each client's cost at its site, an allowed open one.
 */
const onlineCheck = (pc: PlacementCase) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const s = res.solution as { openSites?: Int32Array; assignment?: Int32Array };
  if (!s.openSites || !s.assignment) return ['solution has no openSites / assignment'];
  const open = Array.from(s.openSites);
  const problems = checkOpenSet(pc, open, undefined);
  const unserved = Array.from(s.assignment).filter((i) => i < 0).length;
  if (unserved > 0) return [...problems, `${res.status} with ${unserved} of ${pc.n} clients unserved`];
  let total = open.reduce((a, i) => a + pc.model.openingCost[i]!, 0);
  s.assignment.forEach((i, j) => {
    if (!pc.ok(i, j) || !open.includes(i)) problems.push(`client ${j} on site ${i}: not allowed or not open`);
    total += pc.c[i]?.[j] ?? Number.NaN;
  });
  if (!(Math.abs(total - res.objective) <= 1e-6 * Math.abs(total))) problems.push(`objective ${res.objective} but the plan costs ${total}`);
  return problems;
};

// The families that ignore capacities (ufl, pmedian, mclp, p-dispersion, survivable, online UFL)
// get them in a fifth of their cases: the truth is the model without them (docs/concepts.md),
// and MCLP's covered demand then has varied and zero demands.
function withK(r: Rand, pc: PlacementCase): number {
  // k = n (every openable site), k > n, k = 1, or in between.
  const kind = r.int(0, 3);
  if (kind === 0) return pc.m;
  if (kind === 1) return pc.m + r.int(1, 2);
  if (kind === 2) return 1;
  return r.int(1, Math.max(1, pc.m));
}

function radiusOf(r: Rand, pc: PlacementCase): number {
  const values = pc.c.flat();
  return r.chance(0.5) ? r.pick(values) : (r.pick(values) + r.pick(values)) / 2;
}

export const PLACEMENT_CASES: Record<string, CaseBuilder> = {
  ufl: (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    return { model: pc.model, options: {}, sense: 'min', truth: () => uflTruth(pc), check: assignmentCheck(pc, true, true, true, true, false), label: pc.label };
  },
  cfl: (r) => {
    const pc = placementCase(r, true);
    return { model: pc.model, options: {}, sense: 'min', truth: () => cflTruth(pc), check: assignmentCheck(pc, true, false), label: pc.label };
  },
  sscfl: (r) => {
    const pc = placementCase(r, true);
    return { model: pc.model, options: {}, sense: 'min', truth: () => assignmentTruth(pc, 'min', true), check: assignmentCheck(pc, true, true), label: pc.label };
  },
  pmedian: (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    const p = withK(r, pc);
    return { model: pc.model, options: { p }, sense: 'min', truth: () => pmedianTruth(pc, p), check: assignmentCheck(pc, false, true, true, true, false), label: `p=${p} ${pc.label}` };
  },
  kcenter: (r) => {
    // Capacities in about a quarter: honoured by capacitated / exact / auto, refused by the
    // capacity-blind methods (a ModelError on options.capacitated, listed as a refusal).
    const capacitated = r.chance(0.25);
    const pc = placementCase(r, capacitated);
    const k = withK(r, pc);
    const truth = capacitated ? () => capacitatedKcenterTruth(pc, k) : () => kcenterTruth(pc, k);
    return { model: pc.model, options: { k }, sense: 'min', truth, check: openSetCheck(pc, k), label: `k=${k} ${pc.label}` };
  },
  lscp: (r) => {
    // Capacities in about a quarter: each client whole at one covering site.
    const capacitated = r.chance(0.25);
    const pc = placementCase(r, capacitated);
    const radius = radiusOf(r, pc);
    const truth = capacitated ? () => capacitatedLscpTruth(pc, radius) : () => lscpTruth(pc, radius);
    return { model: pc.model, options: { radius }, sense: 'min', truth, check: openSetCheck(pc, undefined), label: `radius=${radius} ${pc.label}` };
  },
  mclp: (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    const k = withK(r, pc);
    const radius = radiusOf(r, pc);
    return { model: pc.model, options: { k, radius }, sense: 'max', truth: () => mclpTruth(pc, k, radius), check: openSetCheck(pc, k), label: `k=${k} radius=${radius} ${pc.label}` };
  },
  gap: (r) => {
    const pc = placementCase(r, true, { siteDemand: true });
    const sense: Sense = r.chance(0.5) ? 'min' : 'max';
    return { model: pc.model, options: { sense }, sense, truth: () => assignmentTruth(pc, sense, false), check: assignmentCheck(pc, false, true, false, true), label: `sense=${sense} ${pc.label}` };
  },
  pdispersion: (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    const k = withK(r, pc);
    // Site-to-site distances (the model's cost is sites x clients): ties, zeros, sometimes
    // asymmetric (min of the two directions counts); now and then none, which is refused.
    const scale = r.pick([1, 1e-12, 1e15]);
    const ties = r.chance(0.3);
    const dist = Array.from({ length: pc.m }, () => Array.from({ length: pc.m }, () => (ties ? r.int(1, 2) : r.int(0, 20)) * scale));
    const symmetric = r.chance(0.7);
    for (let a = 0; a < pc.m; a++) {
      dist[a]![a] = 0;
      if (symmetric) for (let b = 0; b < a; b++) dist[a]![b] = dist[b]![a]!;
    }
    const given = r.chance(0.9);
    const options = given ? { k, siteDistance: dist.flat() } : { k };
    return {
      model: pc.model,
      options,
      sense: 'max',
      truth: given ? () => dispersionTruth(pc, dist, k) : undefined,
      check: dispersionCheck(pc, dist, k),
      label: `k=${k} siteDistance=${given ? JSON.stringify(dist) : '-'} ${pc.label}`,
    };
  },
  survivable: (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    const radius = radiusOf(r, pc);
    return { model: pc.model, options: { radius }, sense: 'min', truth: () => survivableTruth(pc, radius), check: survivableCheck(pc, radius), label: `radius=${radius} ${pc.label}` };
  },
  // Pareto fronts: the envelope and a crash check only (no single optimum to compare).
  pareto: (r) => {
    const pc = placementCase(r, r.chance(0.5));
    return { model: pc.model, options: r.chance(0.5) ? { maxEvaluations: 300 } : {}, sense: 'min', check: frontCheck(pc), label: pc.label };
  },
  'online-ufl': (r) => {
    const pc = placementCase(r, r.chance(0.2)); // capacities ignored (a warning); demands vary
    // An online plan is a UFL plan: it may not beat the offline optimum, nor miss an infeasibility.
    return { model: pc.model, options: {}, sense: 'min', truth: () => uflTruth(pc), check: onlineCheck(pc), label: pc.label };
  },
};

export const CASES_BY_FAMILY: Record<string, CaseBuilder> = {
  ...PLACEMENT_CASES,
  ...NETWORK_CASES,
  ...MECHANISM_CASES,
  ...UNCERTAINTY_CASES,
  schedule: scheduleCase,
  replicas: replicasCase,
  // Auctions on the same markets: the envelope and a crash check only (their welfare is the
  // mechanism's, not the optimum).
  auction: (r) => ({ ...MECHANISM_CASES['vcg']!(r), truth: undefined }),
};

