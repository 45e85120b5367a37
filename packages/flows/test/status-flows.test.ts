import { createGraph, listSolvers, solve, type Result, type Sense } from '@emplace/core';
import { createFlowNetwork, createMcfProblem, type ArcInput, type Commodity, type McfProblem } from '@emplace/flows';
import { LinearModel, solveLp } from '@emplace/lp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded, type Rand } from '../../emplace/test/fuzz/instances.js';
import { truthProblems, type Truth } from '../../emplace/test/fuzz/truth.js';

/**
 * Statuses of min-cost flow, multi-commodity flow (min-cost, concurrent, Garg-Koenemann) and
 * link upgrade, through the registry's `solve`, against references written here: LPs (MIPs for
 * module sizes) with one flow per commodity (the methods aggregate by source), solved by GLPK
 * (the methods use HiGHS or their own network simplex), and unboundedness by a negative cycle
 * of uncapacitated arcs (Bellman-Ford). Instances include zero capacities and demands, empty
 * commodity lists, unreachable sinks, negative costs, ties and 1e-6 / 1e6 scales.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 30);

type FullTruth = Truth | { unbounded: true };

interface Case {
  model: unknown;
  options: Record<string, unknown>;
  sense: Sense;
  truth: () => Promise<FullTruth>;
  describe: string;
}

async function lpTruth(lm: LinearModel): Promise<Truth> {
  const res = await solveLp(lm, { backend: 'glpk' });
  if (res.status === 'infeasible') return { feasible: false };
  if (res.status !== 'optimal' || res.objective === undefined) throw new Error(`reference LP ${res.status}`);
  return { feasible: true, value: res.objective };
}

// ------------------------------------------------------------------ min-cost flow

/** A negative-cost directed cycle of uncapacitated arcs (Bellman-Ford from a virtual root). */
function negativeFreeCycle(n: number, arcs: readonly { from: number; to: number; capacity: number; cost: number }[]): boolean {
  const dist = new Array<number>(n).fill(0);
  const free = arcs.filter((a) => a.capacity === Infinity);
  for (let round = 0; round < n; round++) {
    let changed = false;
    for (const a of free) {
      if (dist[a.from]! + a.cost < dist[a.to]! - 1e-12 * (1 + Math.abs(dist[a.to]!))) {
        dist[a.to] = dist[a.from]! + a.cost;
        changed = true;
      }
    }
    if (!changed) return false;
  }
  return true;
}

function minCostFlowCase(r: Rand): Case {
  const n = r.int(1, 5);
  const unit = r.pick([1, 1, 1, 1e-6, 1e6]);
  const arcs = Array.from({ length: r.int(0, 8) }, () => {
    const lower = r.chance(0.2) ? r.int(1, 3) : 0;
    const capacity = r.pick([0, Infinity, lower, lower + 2, lower + 5, lower + 9]);
    return { from: r.int(0, n - 1), to: r.int(0, n - 1), lower: Math.min(lower, capacity), capacity, cost: r.int(-4, 9) * unit };
  }).filter((a) => a.from !== a.to);
  const supply = new Array<number>(n).fill(0);
  for (let k = r.int(0, 2); k > 0; k--) {
    const amount = r.int(1, 6);
    supply[r.int(0, n - 1)]! += amount;
    supply[r.int(0, n - 1)]! -= amount;
  }
  if (r.chance(0.1)) supply[r.int(0, n - 1)]! += 1; // unbalanced: infeasible
  const model = createFlowNetwork({ n, arcs: arcs as ArcInput[], supply });
  const truth = async (): Promise<FullTruth> => {
    const lm = new LinearModel('min');
    const x = arcs.map((a) => lm.addVariable({ lb: a.lower, ub: a.capacity, obj: a.cost }));
    for (let v = 0; v < n; v++) {
      const idx: number[] = [];
      const coef: number[] = [];
      arcs.forEach((a, k) => {
        if (a.from === v) idx.push(x[k]!), coef.push(1);
        if (a.to === v) idx.push(x[k]!), coef.push(-1);
      });
      if (idx.length === 0) {
        if (supply[v] !== 0) return { feasible: false };
        continue;
      }
      lm.addEq(idx, coef, supply[v]!);
    }
    // Feasibility first (zero objective), then unboundedness by a free negative cycle.
    const feasibility = new LinearModel('min');
    const y = arcs.map((a) => feasibility.addVariable({ lb: a.lower, ub: a.capacity }));
    for (let v = 0; v < n; v++) {
      const idx: number[] = [];
      const coef: number[] = [];
      arcs.forEach((a, k) => {
        if (a.from === v) idx.push(y[k]!), coef.push(1);
        if (a.to === v) idx.push(y[k]!), coef.push(-1);
      });
      if (idx.length > 0) feasibility.addEq(idx, coef, supply[v]!);
    }
    if (arcs.length > 0 && !(await lpTruth(feasibility)).feasible) return { feasible: false };
    if (negativeFreeCycle(n, arcs)) return { unbounded: true };
    if (arcs.length === 0) return { feasible: true, value: 0 };
    return lpTruth(lm);
  };
  return { model, options: {}, sense: 'min', truth, describe: JSON.stringify({ n, arcs, supply }) };
}

// ------------------------------------------------------------------ multi-commodity flow

interface McfSpec {
  /** The scale of demands and capacities (the reference LP is written in these units). */
  unit: number;
  n: number;
  edges: [number, number, number][];
  capacity: number[];
  cost: number[];
  commodities: Commodity[];
}

function randomMcf(r: Rand): McfSpec {
  const n = r.int(2, 5);
  const unit = r.pick([1, 1, 1, 1e-6, 1e6]);
  const edges: [number, number, number][] = [];
  for (let e = r.int(0, 7); e > 0; e--) {
    const u = r.int(0, n - 1);
    const v = r.int(0, n - 1);
    if (u !== v) edges.push([u, v, 1]);
  }
  const commodities: Commodity[] = [];
  for (let k = r.int(0, 3); k > 0; k--) {
    const s = r.int(0, n - 1);
    const t = (s + r.int(1, n - 1)) % n;
    commodities.push({ source: s, sink: t, demand: r.pick([0, 1, 2, 3, 5]) * unit, weight: r.pick([0, 1, 1, 3]) });
  }
  return {
    unit,
    n,
    edges,
    capacity: edges.map(() => r.pick([0, 1, 2, 4, 8]) * unit),
    cost: edges.map(() => (r.chance(0.15) ? 0 : r.int(1, 9))),
    commodities,
  };
}

function mcfProblem(s: McfSpec): McfProblem {
  return createMcfProblem({ graph: createGraph({ n: s.n, edges: s.edges }), commodities: s.commodities, capacity: s.capacity, cost: s.cost });
}

/**
 * Per-commodity arc LP: flows f[k][e][dir] >= 0, conservation per commodity (rhs scaled by
 * lambda when concurrent), shared capacity per edge (plus the added capacity `add[e]`).
 */
function perCommodityLp(s: McfSpec, mode: { kind: 'min-cost'; routing: boolean } | { kind: 'concurrent' }, upgrade?: { unitCost: number[]; maxAddition?: number[]; module: number }): LinearModel {
  // Flows, capacities, demands and additions in units of s.unit, so that GLPK's tolerances fit the data.
  const u = s.unit;
  const lm = new LinearModel(mode.kind === 'concurrent' ? 'max' : 'min');
  const lambda = mode.kind === 'concurrent' ? lm.addVariable({ obj: 1 }) : -1;
  const add = upgrade
    ? s.edges.map((_, e) => {
        const ub = upgrade.maxAddition ? upgrade.maxAddition[e]! : Infinity;
        return upgrade.module > 0
          ? lm.addVariable({ type: 'integer', ub: Math.floor(ub / upgrade.module), obj: upgrade.unitCost[e]! * upgrade.module })
          : lm.addVariable({ ub: ub / u, obj: upgrade.unitCost[e]! * u });
      })
    : [];
  const load: number[][] = s.edges.map(() => []);
  s.commodities.forEach((c) => {
    const w = mode.kind === 'min-cost' && mode.routing ? (c.weight ?? 1) : 0;
    const fwd = s.edges.map((_, e) => lm.addVariable({ obj: w * s.cost[e]! * u }));
    const back = s.edges.map((_, e) => lm.addVariable({ obj: w * s.cost[e]! * u }));
    s.edges.forEach((_, e) => load[e]!.push(fwd[e]!, back[e]!));
    for (let v = 0; v < s.n; v++) {
      const idx: number[] = [];
      const coef: number[] = [];
      s.edges.forEach(([a, b], e) => {
        if (a === v) idx.push(fwd[e]!, back[e]!), coef.push(1, -1);
        if (b === v) idx.push(back[e]!, fwd[e]!), coef.push(1, -1);
      });
      const rhs = v === c.source ? c.demand / u : v === c.sink ? -c.demand / u : 0;
      if (lambda >= 0) {
        if (rhs !== 0) idx.push(lambda), coef.push(-rhs);
        if (idx.length > 0) lm.addEq(idx, coef, 0);
      } else if (idx.length > 0) lm.addEq(idx, coef, rhs);
      else if (rhs !== 0) lm.addEq([lm.addVariable({ lb: 0, ub: 0 })], [1], rhs); // unroutable: 0 = rhs
    }
  });
  s.edges.forEach((_, e) => {
    const idx = [...load[e]!];
    const coef = idx.map(() => 1);
    if (upgrade) idx.push(add[e]!), coef.push(upgrade.module ? -upgrade.module / u : -1);
    if (idx.length > 0) lm.addLe(idx, coef, s.capacity[e]! / u);
  });
  return lm;
}

function mcfCase(r: Rand, concurrent: boolean): Case {
  const s = randomMcf(r);
  const truth = async (): Promise<FullTruth> => {
    if (concurrent && !s.commodities.some((c) => c.demand > 0)) return { unbounded: true };
    if (!concurrent && s.commodities.length === 0) return { feasible: true, value: 0 };
    return lpTruth(perCommodityLp(s, concurrent ? { kind: 'concurrent' } : { kind: 'min-cost', routing: true }));
  };
  return { model: mcfProblem(s), options: {}, sense: concurrent ? 'max' : 'min', truth, describe: JSON.stringify(s) };
}

function upgradeCase(r: Rand): Case {
  const s = randomMcf(r);
  const unitCost = s.edges.map(() => r.pick([0, 1, 2, 5]));
  const maxAddition = r.chance(0.4) ? s.edges.map(() => r.pick([0, 1, 3, 10]) * s.unit) : undefined;
  // Modules at the scale of the data (a module 1e6 times the flows is beyond any MIP's integrality tolerance, the reference's too).
  const module = r.pick([0, 0, 1, 2, 3]) * s.unit;
  const routing = r.chance(0.3);
  const options = { unitCost, ...(maxAddition ? { maxAddition } : {}), ...(module > 0 ? { moduleSize: module } : {}), includeRoutingCost: routing };
  const truth = async (): Promise<FullTruth> => {
    if (s.commodities.length === 0) return { feasible: true, value: 0 };
    return lpTruth(perCommodityLp(s, { kind: 'min-cost', routing }, { unitCost, ...(maxAddition ? { maxAddition } : {}), module }));
  };
  return { model: mcfProblem(s), options, sense: 'min', truth, describe: JSON.stringify({ ...s, options }) };
}

const FAMILIES: Record<string, (r: Rand, method: string) => Case> = {
  mincostflow: (r) => minCostFlowCase(r),
  mcf: (r, method) => mcfCase(r, method === 'concurrent-lp' || method === 'garg-konemann'),
  'link-upgrade': (r) => upgradeCase(r),
};

function statusProblems(result: Result<unknown>, truth: FullTruth, sense: Sense): string[] {
  if ('unbounded' in truth) return result.status === 'unbounded' ? [] : [`${result.status}, but the problem is unbounded`];
  const problems = truthProblems(result, truth, sense);
  if (truth.feasible && result.status === 'no-solution') problems.push(`no-solution (${result.stoppedBy}) but the optimum is ${truth.value}`);
  return problems;
}

describe.each(Object.keys(FAMILIES))('flow statuses against reference LPs: %s', (family) => {
  it.each(listSolvers(family).map((e) => e.method))(`${family}:%s`, async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      let c: Case;
      try {
        c = FAMILIES[family]!(seeded(seed), method);
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: building threw ${String(err)}`);
        continue;
      }
      let result: Result<unknown>;
      try {
        result = await solve(c.model as never, { ...c.options, method: `${family}:${method}`, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  ${c.describe}`);
        continue;
      }
      const truth = await c.truth();
      const problems = [...envelopeProblems(result), ...statusProblems(result, truth, c.sense)];
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}) truth ${JSON.stringify(truth)}: ${problems.join('; ')}\n  ${c.describe}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('flow status regressions (issue 13)', () => {
  it('link upgrade with 1e-6 demands and an isolated sink is infeasible (was optimal 15.000015: HiGHS routed the 1e-6 demand within its tolerance; the LP is now in units of the data)', async () => {
    const p = createMcfProblem({
      graph: createGraph({ n: 3, edges: [[0, 1, 1]] }),
      capacity: [2e-6],
      cost: [5],
      commodities: [
        { source: 1, sink: 0, demand: 5e-6, weight: 0 },
        { source: 0, sink: 2, demand: 1e-6, weight: 0 },
        { source: 0, sink: 1, demand: 3e-6, weight: 1 },
      ],
    });
    const result = await solve(p, { method: 'link-upgrade:auto', unitCost: [5], moduleSize: 3, includeRoutingCost: true });
    expect(result.status).toBe('infeasible');
    const lp = await solve(p, { method: 'mcf:lp' });
    expect(lp.status).toBe('infeasible');
  });

  it('link upgrade with 1e-6 capacities buys the modules it needs (the routing is exact at that scale)', async () => {
    const p = createMcfProblem({
      graph: createGraph({ n: 4, edges: [[1, 0, 1], [1, 2, 1], [2, 3, 1]] }),
      capacity: [2e-6, 2e-6, 0],
      cost: [6, 6, 8],
      commodities: [{ source: 2, sink: 0, demand: 3e-6, weight: 1 }],
    });
    const result = await solve(p, { method: 'link-upgrade:auto', unitCost: [2, 5, 0], maxAddition: [3, 10, 0], moduleSize: 1, includeRoutingCost: true });
    expect(result.status).toBe('optimal');
    // One module on each of the two links on the path (2 + 5) plus the routing cost 3e-6 x (6 + 6).
    expect(result.objective).toBeCloseTo(7 + 3.6e-5, 9);
  });
});
