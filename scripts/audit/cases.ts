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
  cflTruth,
  checkAssignmentSolution,
  checkOpenSet,
  kcenterTruth,
  lscpTruth,
  mclpTruth,
  placementCase,
  pmedianTruth,
  uflTruth,
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
  label: string;
}

export type CaseBuilder = (r: Rand) => AuditCase;

const assignmentCheck = (pc: PlacementCase, opening: boolean, singleSource: boolean) => (res: Result<unknown>): string[] =>
  res.status === 'optimal' || res.status === 'feasible' ? checkAssignmentSolution(pc, res.solution, res.objective, { opening, singleSource }) : [];

const openSetCheck = (pc: PlacementCase, k: number | undefined) => (res: Result<unknown>): string[] => {
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  const s = res.solution as { open?: unknown; openSites?: unknown; assignment?: Int32Array; radius?: number };
  const open = s.open instanceof Int32Array ? s.open : s.openSites instanceof Int32Array ? s.openSites : undefined;
  if (!open) return ['solution has no open set'];
  const problems = checkOpenSet(pc, open, k);
  if (typeof s.radius === 'number' && s.assignment) {
    // k-center: the objective is the radius of the returned assignment (weights are 1 here).
    let radius = 0;
    s.assignment.forEach((i, j) => {
      if (i < 0) return;
      if (!pc.ok(i, j) || !open.includes(i)) problems.push(`client ${j} on site ${i}: not allowed or not open`);
      radius = Math.max(radius, pc.c[i]?.[j] ?? Number.NaN);
    });
    if (!(Math.abs(radius - res.objective) <= 1e-9 * Math.abs(radius))) problems.push(`objective ${res.objective}, assignment radius ${radius}`);
  }
  return problems;
};

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
    const pc = placementCase(r, false);
    return { model: pc.model, options: {}, sense: 'min', truth: () => uflTruth(pc), check: assignmentCheck(pc, true, true), label: pc.label };
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
    const pc = placementCase(r, false);
    const p = withK(r, pc);
    return { model: pc.model, options: { p }, sense: 'min', truth: () => pmedianTruth(pc, p), check: assignmentCheck(pc, false, true), label: `p=${p} ${pc.label}` };
  },
  kcenter: (r) => {
    const pc = placementCase(r, false);
    const k = withK(r, pc);
    return { model: pc.model, options: { k }, sense: 'min', truth: () => kcenterTruth(pc, k), check: openSetCheck(pc, k), label: `k=${k} ${pc.label}` };
  },
  lscp: (r) => {
    const pc = placementCase(r, false);
    const radius = radiusOf(r, pc);
    return { model: pc.model, options: { radius }, sense: 'min', truth: () => lscpTruth(pc, radius), check: openSetCheck(pc, undefined), label: `radius=${radius} ${pc.label}` };
  },
  mclp: (r) => {
    const pc = placementCase(r, false);
    const k = withK(r, pc);
    const radius = radiusOf(r, pc);
    return { model: pc.model, options: { k, radius }, sense: 'max', truth: () => mclpTruth(pc, k, radius), check: openSetCheck(pc, k), label: `k=${k} radius=${radius} ${pc.label}` };
  },
  gap: (r) => {
    const pc = placementCase(r, true);
    const sense: Sense = r.chance(0.5) ? 'min' : 'max';
    return { model: pc.model, options: { sense }, sense, truth: () => assignmentTruth(pc, sense, false), check: assignmentCheck(pc, false, true), label: `sense=${sense} ${pc.label}` };
  },
  pdispersion: (r) => {
    const pc = placementCase(r, false);
    const k = withK(r, pc);
    return { model: pc.model, options: { k }, sense: 'max', check: openSetCheck(pc, k), label: `k=${k} ${pc.label}` };
  },
  survivable: (r) => {
    const pc = placementCase(r, false);
    const radius = radiusOf(r, pc);
    return { model: pc.model, options: { radius }, sense: 'min', check: openSetCheck(pc, undefined), label: `radius=${radius} ${pc.label}` };
  },
  // Pareto fronts: the envelope and a crash check only (no single optimum to compare).
  pareto: (r) => {
    const pc = placementCase(r, r.chance(0.5));
    return { model: pc.model, options: r.chance(0.5) ? { maxEvaluations: 300 } : {}, sense: 'min', label: pc.label };
  },
  'online-ufl': (r) => {
    const pc = placementCase(r, false);
    return { model: pc.model, options: {}, sense: 'min', label: pc.label };
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

