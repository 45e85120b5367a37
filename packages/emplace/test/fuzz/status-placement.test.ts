import '@emplace/emplace';
import { createPlacementModel, listSolvers, solve, type PlacementModel, type Result, type Sense } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { envelopeProblems, isDeliberate } from './envelope.js';
import { seeded, type Rand } from './instances.js';
import { expectNoFailures } from './known-defects.js';
import { recordFailures } from './tally.js';
import { better, forEachAssignment, forEachSubset, popcount, truthOf, truthProblems, type Truth } from './truth.js';

/**
 * Statuses against the truth on random small placement instances: every method of ufl, cfl,
 * sscfl, pmedian, kcenter, lscp, mclp and gap, compared with enumeration (CFL: a MIP written
 * here, solved by HiGHS through @emplace/lp). Instances use `allowed`, forbidden and pre-opened
 * (mustOpen) sites, client weights (k-center), and capacities tight enough that some are infeasible.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const INSTANCES = Number(process.env['FUZZ_STATUS_RUNS'] ?? 12);

interface Instance {
  model: PlacementModel;
  /** Sites that may open (not forbidden). */
  open: number[];
  /** Pre-opened sites (mustOpen, never forbidden): in every open set, paying their opening cost. */
  must: number[];
  m: number;
  n: number;
  c: (i: number, j: number) => number;
  ok: (i: number, j: number) => boolean;
}

function randomInstance(r: Rand, options: { opening: boolean; capacity: 'none' | 'tight'; weighted?: boolean }): Instance {
  const m = r.int(2, 4);
  const n = r.int(2, 6);
  const demand = Array.from({ length: n }, () => r.int(1, 4));
  const total = demand.reduce((a, b) => a + b, 0);
  const cost = Array.from({ length: m }, () => Array.from({ length: n }, () => r.int(1, 30)));
  const allowed = Array.from({ length: m }, () => Array.from({ length: n }, () => (r.chance(0.2) ? 0 : 1)));
  const forbidden = Array.from({ length: m }, () => r.chance(0.15));
  // Pre-opened sites in about a third of the instances (never forbidden), client weights in a third.
  const mustOpen = forbidden.map((f) => !f && r.chance(0.15));
  const weight = Array.from({ length: n }, () => (options.weighted && r.chance(0.35) ? r.pick([0, 0.5, 2, 3]) : 1));
  const model = createPlacementModel({
    sites: Array.from({ length: m }, (_, i) => ({
      id: `s${i}`,
      openingCost: options.opening ? r.int(0, 25) : 0,
      capacity: options.capacity === 'tight' ? r.int(Math.ceil(total / m), total) : Infinity,
      forbidden: forbidden[i]!,
      mustOpen: mustOpen[i]!,
    })),
    clients: Array.from({ length: n }, (_, j) => ({ id: `c${j}`, demand: options.capacity === 'tight' ? demand[j]! : 1, weight: weight[j]! })),
    cost,
    allowed,
  });
  const open = Array.from({ length: m }, (_, i) => i).filter((i) => !forbidden[i]);
  const must = open.filter((i) => mustOpen[i]);
  // k-center's objective is weight x cost (weight 0: 0 at any allowed site); the others ignore weights.
  const c = options.weighted ? (i: number, j: number): number => (weight[j] === 0 ? 0 : weight[j]! * cost[i]![j]!) : (i: number, j: number): number => cost[i]![j]!;
  return { model, open, must, m, n, c, ok: (i, j) => allowed[i]![j] === 1 && !forbidden[i] };
}

/** Enumerates open sets S (of openable sites, |S| in `sizes`) and scores each (undefined = infeasible). */
function bestOverSets(inst: Instance, sense: Sense, sizes: (k: number) => boolean, score: (set: number[]) => number | undefined): Truth {
  let best: number | undefined;
  forEachSubset(inst.open.length, (mask) => {
    if (!sizes(popcount(mask))) return;
    const set = inst.open.filter((_, b) => (mask >> b) & 1);
    if (!inst.must.every((i) => set.includes(i))) return;
    const v = score(set);
    if (v !== undefined && better(sense, v, best)) best = v;
  });
  return truthOf(best);
}

function nearest(inst: Instance, set: number[], j: number): number | undefined {
  let best: number | undefined;
  for (const i of set) if (inst.ok(i, j) && (best === undefined || inst.c(i, j) < best)) best = inst.c(i, j);
  return best;
}

function uflTruth(inst: Instance): Truth {
  return bestOverSets(inst, 'min', (k) => k >= 1, (set) => {
    let total = set.reduce((a, i) => a + inst.model.openingCost[i]!, 0);
    for (let j = 0; j < inst.n; j++) {
      const d = nearest(inst, set, j);
      if (d === undefined) return undefined;
      total += d;
    }
    return total;
  });
}

function pmedianTruth(inst: Instance, p: number): Truth {
  return bestOverSets(inst, 'min', (k) => k === p, (set) => {
    let total = 0;
    for (let j = 0; j < inst.n; j++) {
      const d = nearest(inst, set, j);
      if (d === undefined) return undefined;
      total += d;
    }
    return total;
  });
}

function kcenterTruth(inst: Instance, k: number): Truth {
  return bestOverSets(inst, 'min', (s) => s >= 1 && s <= k, (set) => {
    let worst = 0;
    for (let j = 0; j < inst.n; j++) {
      const d = nearest(inst, set, j);
      if (d === undefined) return undefined;
      worst = Math.max(worst, d);
    }
    return worst;
  });
}

function lscpTruth(inst: Instance, radius: number): Truth {
  return bestOverSets(inst, 'min', () => true, (set) => {
    for (let j = 0; j < inst.n; j++) if (!set.some((i) => inst.ok(i, j) && inst.c(i, j) <= radius)) return undefined;
    return set.length;
  });
}

function mclpTruth(inst: Instance, k: number, radius: number): Truth {
  return bestOverSets(inst, 'max', (s) => s <= k, (set) => {
    let covered = 0;
    for (let j = 0; j < inst.n; j++) if (set.some((i) => inst.ok(i, j) && inst.c(i, j) <= radius)) covered += inst.model.demand[j]!;
    return covered;
  });
}

/** Single-source CFL (and GAP with sense and site-dependent demand): enumerate every assignment. */
function assignmentTruth(inst: Instance, sense: Sense, opening: boolean): Truth {
  const { model, m, n } = inst;
  let best: number | undefined;
  const load = new Float64Array(m);
  forEachAssignment(n, m, (a) => {
    load.fill(0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const i = a[j]!;
      if (!inst.ok(i, j)) return;
      load[i]! += model.siteDemand ? model.siteDemand[i * n + j]! : model.demand[j]!;
      total += inst.c(i, j);
    }
    for (let i = 0; i < m; i++) {
      if (load[i]! > model.capacity[i]! + 1e-9) return;
      if (opening && (a.includes(i) || inst.must.includes(i))) total += model.openingCost[i]!;
    }
    if (better(sense, total, best)) best = total;
  });
  return truthOf(best);
}

/** Split-demand CFL as a MIP written here (binary y, fractional x), solved by HiGHS. */
async function cflTruth(inst: Instance): Promise<Truth> {
  const { model, m, n } = inst;
  const lp = new LinearModel('min');
  const y = Array.from({ length: m }, (_, i) => lp.addVariable({ type: 'binary', obj: model.openingCost[i]!, lb: inst.must.includes(i) ? 1 : 0, ub: inst.open.includes(i) ? 1 : 0 }));
  const x = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => lp.addVariable({ obj: inst.c(i, j), ub: inst.ok(i, j) ? 1 : 0 })));
  for (let j = 0; j < n; j++) lp.addEq(x.map((row) => row[j]!), new Array(m).fill(1), 1);
  for (let i = 0; i < m; i++) {
    lp.addLe([...x[i]!, y[i]!], [...Array.from({ length: n }, (_, j) => model.demand[j]!), -model.capacity[i]!], 0);
    for (let j = 0; j < n; j++) lp.addLe([x[i]![j]!, y[i]!], [1, -1], 0);
  }
  const r = await solveLp(lp, { mipRelGap: 0 });
  if (r.status === 'infeasible') return { feasible: false };
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference MIP: ${r.status}`);
  return { feasible: true, value: r.objective };
}

/** The instance in a line, to rebuild a failing case by hand. */
function describeInstance(inst: Instance): string {
  const { model } = inst;
  const rows = (f: (i: number, j: number) => number): number[][] => Array.from({ length: inst.m }, (_, i) => Array.from({ length: inst.n }, (_, j) => f(i, j)));
  return JSON.stringify({
    cost: rows((i, j) => model.cost[i * inst.n + j]!),
    allowed: rows((i, j) => (model.allowed ? model.allowed[i * inst.n + j]! : 1)),
    forbidden: Array.from(model.forbidden),
    mustOpen: Array.from(model.mustOpen),
    weight: Array.from(model.weight),
    openingCost: Array.from(model.openingCost),
    capacity: Array.from(model.capacity).map((c) => (c === Infinity ? null : c)),
    demand: Array.from(model.demand),
    ...(model.siteDemand ? { siteDemand: Array.from(model.siteDemand) } : {}),
  });
}

interface FamilyCase {
  family: string;
  sense: Sense;
  build: (r: Rand) => { inst: Instance; options: Record<string, unknown>; truth: () => Truth | Promise<Truth> };
}

const FAMILIES: FamilyCase[] = [
  { family: 'ufl', sense: 'min', build: (r) => ((inst) => ({ inst, options: {}, truth: () => uflTruth(inst) }))(randomInstance(r, { opening: true, capacity: 'none' })) },
  { family: 'cfl', sense: 'min', build: (r) => ((inst) => ({ inst, options: {}, truth: () => cflTruth(inst) }))(randomInstance(r, { opening: true, capacity: 'tight' })) },
  { family: 'sscfl', sense: 'min', build: (r) => ((inst) => ({ inst, options: {}, truth: () => assignmentTruth(inst, 'min', true) }))(randomInstance(r, { opening: true, capacity: 'tight' })) },
  {
    family: 'pmedian',
    sense: 'min',
    build: (r) => {
      const inst = randomInstance(r, { opening: false, capacity: 'none' });
      const p = r.int(1, Math.max(1, inst.open.length));
      return { inst, options: { p }, truth: () => pmedianTruth(inst, p) };
    },
  },
  {
    family: 'kcenter',
    sense: 'min',
    build: (r) => {
      const inst = randomInstance(r, { opening: false, capacity: 'none', weighted: true });
      const k = r.int(1, inst.m);
      return { inst, options: { k }, truth: () => kcenterTruth(inst, k) };
    },
  },
  {
    family: 'lscp',
    sense: 'min',
    build: (r) => {
      const inst = randomInstance(r, { opening: false, capacity: 'none' });
      const radius = r.int(5, 25);
      return { inst, options: { radius }, truth: () => lscpTruth(inst, radius) };
    },
  },
  {
    family: 'mclp',
    sense: 'max',
    build: (r) => {
      const inst = randomInstance(r, { opening: false, capacity: 'none' });
      const k = r.int(1, inst.m);
      const radius = r.int(5, 25);
      return { inst, options: { k, radius }, truth: () => mclpTruth(inst, k, radius) };
    },
  },
  {
    family: 'gap',
    sense: 'min',
    build: (r) => {
      const inst = randomInstance(r, { opening: false, capacity: 'tight' });
      // GAP: site-dependent demand r_ij around the client's demand.
      const { model } = inst;
      const siteDemand = Float64Array.from({ length: inst.m * inst.n }, (_, k) => model.demand[k % inst.n]! + r.int(0, 2));
      const gapModel = { ...model, siteDemand };
      const withSiteDemand = { ...inst, model: gapModel };
      const sense: Sense = r.chance(0.5) ? 'min' : 'max';
      return { inst: withSiteDemand, options: { sense }, truth: () => assignmentTruth(withSiteDemand, sense, false) };
    },
  },
];

describe.each(FAMILIES.map((f) => [f.family, f] as const))('statuses against enumeration: %s', (family, spec) => {
  const methods = listSolvers(family).map((e) => e.method);
  it.each(methods)(`${family}:%s`, async (method) => {
    const failures: string[] = [];
    const seeds = fc.sample(fc.nat(1e6), { seed: SEED, numRuns: INSTANCES });
    for (const seed of seeds) {
      const { inst, options, truth: truthFn } = spec.build(seeded(seed));
      const sense = (options['sense'] as Sense | undefined) ?? spec.sense;
      const truth = await truthFn();
      let result: Result<unknown>;
      try {
        result = await solve(inst.model, { ...options, method: `${family}:${method}`, timeLimitMs: 5000, seed: 1 });
      } catch (err) {
        // A typed refusal (a method that does not take allowed pairs, say) is not a wrong status.
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}`);
        continue;
      }
      const problems = [...envelopeProblems(result), ...truthProblems(result, truth, sense)];
      if (problems.length > 0) failures.push(`seed ${seed} options ${JSON.stringify(options)} truth ${JSON.stringify(truth)}: ${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}): ${problems.join('; ')}\n  instance ${describeInstance(inst)}`);
    }
    recordFailures(`status ${family}:${method}`, failures);
    expectNoFailures(`status ${family}:${method}`, failures);
  });
});
