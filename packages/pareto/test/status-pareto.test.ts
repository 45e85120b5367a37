import { createPlacementModel, listSolvers, solve, type Result } from '@emplace/core';
import type { MultiObjectiveProblem } from '@emplace/pareto';
import '@emplace/pareto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded, type Rand } from '../../emplace/test/fuzz/instances.js';

/**
 * Statuses of every pareto method (through the registry's `solve`) against fronts enumerated
 * here. Placement models (uncapacitated, cost vs max latency, latency = the cost matrix): every
 * open set, each client at its cheapest allowed open site; the exact methods must return exactly
 * the non-dominated vectors and `infeasible` only when some client has no allowed site; the
 * evolutionary method's points must be real plans (objectives recomputed) weakly dominated by the
 * true front. Multi-objective problems on a small integer grid with constraints: every vector
 * enumerated; NSGA-II/III points must be feasible, evaluate to what they report and be weakly
 * dominated by the true front. Degenerate inputs: one site, zero opening costs, cost ties,
 * forbidden and must-open sites, a client allowed nowhere, 1e-6 / 1e9 scales.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 25);

type Vec = number[];
const tolOf = (v: number): number => 1e-9 * Math.max(1, Math.abs(v));
const weaklyDominates = (a: Vec, b: Vec): boolean => a.every((v, k) => v <= b[k]! + tolOf(b[k]!));
const sameVec = (a: Vec, b: Vec): boolean => a.every((v, k) => Math.abs(v - b[k]!) <= tolOf(b[k]!));

function nonDominated(points: Vec[]): Vec[] {
  const out: Vec[] = [];
  for (const p of points) {
    const dominated = points.some((q) => weaklyDominates(q, p) && !sameVec(q, p));
    if (!dominated && !out.some((q) => sameVec(q, p))) out.push(p);
  }
  return out.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
}

// ------------------------------------------------------------------ placement fronts

interface PlacementSpec {
  nS: number;
  nC: number;
  f: number[];
  cost: number[];
  allowed: boolean[];
  mustOpen: boolean[];
  forbidden: boolean[];
}

function randomPlacement(r: Rand): PlacementSpec {
  const nS = r.int(1, 4);
  const nC = r.int(1, 4);
  const unit = r.pick([1, 1, 1, 1e-6, 1e9]);
  const ties = r.chance(0.2);
  const forbidden = Array.from({ length: nS }, () => r.chance(0.1));
  const allowed = Array.from({ length: nS * nC }, () => !r.chance(0.15));
  if (r.chance(0.08)) for (let i = 0; i < nS; i++) allowed[i * nC] = false;
  return {
    nS,
    nC,
    f: Array.from({ length: nS }, () => (r.chance(0.2) ? 0 : r.int(0, 30) * unit)),
    cost: Array.from({ length: nS * nC }, () => (ties ? 5 * unit : r.int(0, 20) * unit)),
    allowed,
    forbidden,
    mustOpen: forbidden.map((x) => !x && r.chance(0.1)),
  };
}

/** (cost, max latency) of an open set, each client at its cheapest allowed open site; undefined when a client has none. */
function planObjectives(s: PlacementSpec, open: boolean[]): Vec | undefined {
  let cost = 0;
  let latency = 0;
  for (let i = 0; i < s.nS; i++) if (open[i]) cost += s.f[i]!;
  for (let j = 0; j < s.nC; j++) {
    let best = Infinity;
    for (let i = 0; i < s.nS; i++) if (open[i] && s.allowed[i * s.nC + j]) best = Math.min(best, s.cost[i * s.nC + j]!);
    if (best === Infinity) return undefined;
    cost += best;
    latency = Math.max(latency, best);
  }
  return [cost, latency];
}

function placementFront(s: PlacementSpec): Vec[] {
  const all: Vec[] = [];
  for (let mask = 0; mask < 1 << s.nS; mask++) {
    const open = Array.from({ length: s.nS }, (_, i) => ((mask >> i) & 1) === 1);
    if (open.some((o, i) => (o && s.forbidden[i]) || (!o && s.mustOpen[i]))) continue;
    const v = planObjectives(s, open);
    if (v) all.push(v);
  }
  return nonDominated(all);
}

interface FrontPoint {
  objectives: Vec;
  plan?: { open: number[] };
  x?: Vec;
}

function placementProblems(s: PlacementSpec, method: string, result: Result<unknown>): string[] {
  const truth = placementFront(s);
  const problems: string[] = [];
  const exact = method !== 'evolutionary';
  if (truth.length === 0) {
    if (result.status === 'optimal' || result.status === 'feasible') problems.push(`${result.status} on a model where some client has no allowed site`);
    if (exact && result.status !== 'infeasible') problems.push(`${result.status} (${result.stoppedBy}): the exact front should prove infeasibility`);
    return problems;
  }
  if (result.status === 'infeasible') problems.push(`infeasible, but the front is ${JSON.stringify(truth)}`);
  if (exact && result.status !== 'optimal') problems.push(`${result.status} (${result.stoppedBy}), but the exact front has ${truth.length} points`);
  if (result.status !== 'optimal' && result.status !== 'feasible') return problems;
  const points = (result.solution as { points: FrontPoint[] }).points;
  for (const p of points) {
    const open = Array.from({ length: s.nS }, (_, i) => p.plan!.open.includes(i));
    const v = planObjectives(s, open);
    if (!v || !sameVec(v, p.objectives)) problems.push(`point ${JSON.stringify(p.objectives)} but its plan (open ${p.plan!.open}) gives ${JSON.stringify(v)}`);
    if (!truth.some((q) => weaklyDominates(q, p.objectives))) problems.push(`point ${JSON.stringify(p.objectives)} beats the true front ${JSON.stringify(truth)}`);
  }
  if (result.status === 'optimal') {
    const got = nonDominated(points.map((p) => p.objectives));
    if (got.length !== points.length) problems.push('optimal front holds dominated or repeated points');
    if (got.length !== truth.length || got.some((p, k) => !sameVec(p, truth[k]!))) problems.push(`optimal front ${JSON.stringify(got)}, the true front is ${JSON.stringify(truth)}`);
  }
  return problems;
}

// ------------------------------------------------------------------ multi-objective problems on a grid

interface GridSpec {
  dims: number;
  hi: number;
  m: number;
  /** Objective k of x: sum_i weights[k][i] * table[k][i][x_i] (separable, so ties and dominance vary). */
  table: number[][][];
  /** x infeasible when sum_i x_i > budget. */
  budget: number;
}

function randomGrid(r: Rand, m: number): GridSpec {
  const dims = r.int(1, 3);
  const hi = r.int(1, 3);
  return {
    dims,
    hi,
    m,
    table: Array.from({ length: m }, () => Array.from({ length: dims }, () => Array.from({ length: hi + 1 }, () => r.int(0, 9)))),
    budget: r.chance(0.1) ? -1 : r.int(0, dims * hi),
  };
}

function gridEvaluate(g: GridSpec, x: ArrayLike<number>): { objectives: Vec; violation: number } {
  const objectives = g.table.map((t) => t.reduce((a, row, i) => a + row[x[i]!]!, 0));
  let sum = 0;
  for (let i = 0; i < g.dims; i++) sum += x[i]!;
  return { objectives, violation: Math.max(0, sum - g.budget) };
}

function gridProblem(g: GridSpec): MultiObjectiveProblem {
  return {
    kind: 'multi-objective',
    space: { kind: 'integer', lower: new Float64Array(g.dims), upper: new Float64Array(g.dims).fill(g.hi) },
    nObjectives: g.m,
    evaluate: (x) => {
      const e = gridEvaluate(g, x);
      return { objectives: e.objectives, violations: [e.violation] };
    },
  };
}

function gridFront(g: GridSpec): Vec[] {
  const all: Vec[] = [];
  const x = new Array<number>(g.dims).fill(0);
  for (;;) {
    const e = gridEvaluate(g, x);
    if (e.violation === 0) all.push(e.objectives);
    let i = 0;
    while (i < g.dims && x[i] === g.hi) x[i++] = 0;
    if (i === g.dims) break;
    x[i]!++;
  }
  return nonDominated(all);
}

function gridProblems(g: GridSpec, result: Result<unknown>): string[] {
  const truth = gridFront(g);
  const problems: string[] = [];
  if (result.status === 'infeasible' && truth.length > 0) problems.push('infeasible on a problem with feasible vectors');
  if ((result.status === 'optimal' || result.status === 'feasible') && truth.length === 0) problems.push(`${result.status} on a problem with no feasible vector`);
  if (result.status !== 'optimal' && result.status !== 'feasible') return problems;
  if (result.status === 'optimal') problems.push('optimal from a heuristic');
  for (const p of (result.solution as { points: FrontPoint[] }).points) {
    const e = gridEvaluate(g, p.x!);
    if (e.violation > 0) problems.push(`point x = ${p.x} violates the constraint`);
    if (!sameVec(e.objectives, p.objectives)) problems.push(`point ${JSON.stringify(p.objectives)} but x = ${p.x} evaluates to ${JSON.stringify(e.objectives)}`);
    if (!truth.some((q) => weaklyDominates(q, p.objectives))) problems.push(`point ${JSON.stringify(p.objectives)} beats the true front`);
  }
  return problems;
}

// ------------------------------------------------------------------ the properties

const GRID_METHODS = new Set(['nsga2', 'nsga3']);

describe('pareto statuses against enumerated fronts', () => {
  it.each(listSolvers('pareto').map((e) => e.method))('pareto:%s', async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      const r = seeded(seed);
      let result: Result<unknown>;
      let check: (res: Result<unknown>) => string[];
      let describeIt: string;
      try {
        if (GRID_METHODS.has(method)) {
          const g = randomGrid(r, method === 'nsga3' ? 3 : 2);
          describeIt = JSON.stringify(g);
          check = (res) => gridProblems(g, res);
          result = await solve(gridProblem(g), { method: `pareto:${method}`, seed: 1, maxEvaluations: 2000 });
        } else {
          const s = randomPlacement(r);
          describeIt = JSON.stringify(s);
          check = (res) => placementProblems(s, method, res);
          const model = createPlacementModel({
            sites: s.f.map((f, i) => ({ openingCost: f, mustOpen: s.mustOpen[i]!, forbidden: s.forbidden[i]! })),
            clients: s.nC,
            cost: s.cost,
            allowed: (i, j) => s.allowed[i * s.nC + j]!,
          });
          result = await solve(model, { method: `pareto:${method}`, seed: 1, objectives: ['cost', 'latency'], ...(method === 'evolutionary' ? { maxEvaluations: 2000 } : {}) });
        }
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}`);
        continue;
      }
      const problems = [...envelopeProblems(result).filter((p) => !(p.startsWith('no-solution with stoppedBy converged') && method !== 'auto' && method !== 'epsilon-constraint')), ...check(result)];
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} (${result.stoppedBy}): ${problems.join('; ')}\n  ${describeIt}`);
    }
    expect(failures).toEqual([]);
  });
});
