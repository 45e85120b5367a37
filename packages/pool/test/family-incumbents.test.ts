import { describe, expect, it } from 'vitest';
import { createGraph, createPlacementModel, hasSolution, Rng, solve, type Graph, type PlacementModel, type SolveOptions } from '@emplace/core';
import { createSteinerProblem, type SteinerTree } from '@emplace/steiner';
import type { KCenterSolution } from '@emplace/kcenter';
import { checkSolution, type FacilitySolution } from '@emplace/facility';
import '@emplace/kcenter';
import type { FiedlerSolution } from '@emplace/spectral';
import '@emplace/spectral';
import { randomCflModel } from './random-cfl.js';

/**
 * The families the pool used to lose on a kill report their incumbents through
 * options.onIncumbent: every report is a valid solution of the objective it names (checked
 * independently), the reports improve, and the last one is no worse than the result.
 */
type Report<S> = { solution: S; objective: number };

function collect<S>(): { reports: Report<S>[]; options: SolveOptions } {
  const reports: Report<S>[] = [];
  return { reports, options: { incumbentIntervalMs: 0, onIncumbent: (s, v) => reports.push({ solution: structuredClone(s) as S, objective: v }) } };
}

function steinerCost(g: Graph, terminals: Int32Array, t: SteinerTree): number {
  // Connected, acyclic, spanning the terminals (union-find over the tree's edges).
  const parent = Int32Array.from({ length: g.n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  let cost = 0;
  for (const e of t.edges) {
    const a = find(g.edgeU[e]!);
    const b = find(g.edgeV[e]!);
    expect(a).not.toBe(b); // no cycle
    parent[a] = b;
    cost += g.edgeW[e]!;
  }
  const root = find(terminals[0]!);
  for (const v of terminals) expect(find(v)).toBe(root);
  return cost;
}

function kcenterRadius(m: PlacementModel, open: Int32Array): number {
  expect(open.length).toBeGreaterThan(0);
  let radius = 0;
  for (let j = 0; j < m.nClients; j++) {
    let d = Infinity;
    for (const i of open) d = Math.min(d, m.cost[i * m.nClients + j]!);
    radius = Math.max(radius, m.weight[j]! * d);
  }
  return radius;
}

function expectImproving(objectives: number[]): void {
  for (let i = 1; i < objectives.length; i++) expect(objectives[i]!).toBeLessThan(objectives[i - 1]!);
}

describe('incumbent reports of the families a pool kill used to lose (issue 13)', () => {
  it('steiner:auto reports valid trees', async () => {
    const rng = new Rng(7);
    const side = 14;
    const edges: [number, number, number][] = [];
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
      const v = r * side + c;
      if (c + 1 < side) edges.push([v, v + 1, 1 + Math.floor(rng.next() * 20)]);
      if (r + 1 < side) edges.push([v, v + side, 1 + Math.floor(rng.next() * 20)]);
    }
    const g = createGraph({ n: side * side, edges });
    const terminals = Array.from(new Set(Array.from({ length: 25 }, () => Math.floor(rng.next() * side * side))));
    const problem = createSteinerProblem(g, terminals);
    const { reports, options } = collect<SteinerTree>();
    const r = await solve<SteinerTree>(problem, { method: 'steiner:auto', ...options, timeLimitMs: 3000 });
    expect(reports.length).toBeGreaterThan(0);
    for (const rep of reports) expect(steinerCost(g, problem.terminals, rep.solution)).toBeCloseTo(rep.objective, 9);
    expectImproving(reports.map((x) => x.objective));
    if (!hasSolution(r)) throw new Error(r.status);
    expect(reports.at(-1)!.objective).toBeGreaterThanOrEqual(r.objective - 1e-9);
  });

  it('kcenter:exact reports valid centre sets', async () => {
    const rng = new Rng(3);
    const n = 120;
    const pts = Array.from({ length: n }, () => [rng.next() * 100, rng.next() * 100] as const);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.hypot(pts[i]![0] - pts[j]![0], pts[i]![1] - pts[j]![1]);
    const model = createPlacementModel({ sites: n, clients: n, cost, demand: new Float64Array(n).fill(1) });
    const { reports, options } = collect<KCenterSolution>();
    const r = await solve<KCenterSolution>(model, { method: 'kcenter:exact', k: 6, ...options });
    expect(reports.length).toBeGreaterThan(0);
    for (const rep of reports) expect(kcenterRadius(model, rep.solution.open)).toBeCloseTo(rep.objective, 9);
    expectImproving(reports.map((x) => x.objective));
    if (!hasSolution(r)) throw new Error(r.status);
    expect(reports.at(-1)!.objective).toBeCloseTo(r.objective, 9);
  });

  it('cfl:auto (reduced-MIP path) and cfl:branch-and-bound report valid capacitated solutions', async () => {
    for (const [sites, clients, method] of [[25, 900, 'cfl:auto'], [12, 60, 'cfl:branch-and-bound']] as const) {
      const model = randomCflModel(sites, clients, sites);
      const { reports, options } = collect<FacilitySolution>();
      const r = await solve<FacilitySolution>(model, { method, ...options, timeLimitMs: 4000 });
      expect(reports.length, method).toBeGreaterThan(0);
      for (const rep of reports) {
        const check = checkSolution(model, 'cfl', rep.solution);
        expect(check.violations, method).toEqual([]);
        expect(check.objective).toBeCloseTo(rep.objective, 6);
      }
      expectImproving(reports.map((x) => x.objective));
      if (!hasSolution(r)) throw new Error(r.status);
      expect(reports.at(-1)!.objective).toBeCloseTo(r.objective, 6);
    }
  });

  it('fiedler:lobpcg reports its current Ritz vector (a unit vector orthogonal to 1, objective = its Rayleigh quotient)', async () => {
    // 150 x 150 = 22 500 nodes: large enough for the reordered path; weights 1..5 exercise the rescaling.
    const rng = new Rng(5);
    const side = 150;
    const edges: [number, number, number][] = [];
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
      const v = r * side + c;
      if (c + 1 < side) edges.push([v, v + 1, 1 + Math.floor(rng.next() * 5)]);
      if (r + 1 < side) edges.push([v, v + side, 1 + Math.floor(rng.next() * 5)]);
    }
    const g = createGraph({ n: side * side, edges });
    const { reports, options } = collect<FiedlerSolution>();
    const r = await solve<FiedlerSolution>(g, { method: 'fiedler:lobpcg', ...options });
    expect(reports.length).toBeGreaterThan(1);
    for (const rep of reports) {
      const x = rep.solution.vector;
      let norm = 0;
      let sum = 0;
      for (const t of x) {
        norm += t * t;
        sum += t;
      }
      let quad = 0;
      for (let e = 0; e < g.m; e++) quad += g.edgeW[e]! * (x[g.edgeU[e]!]! - x[g.edgeV[e]!]!) ** 2;
      expect(norm).toBeCloseTo(1, 9);
      expect(Math.abs(sum)).toBeLessThan(1e-8);
      expect(quad / norm).toBeCloseTo(rep.objective, 9);
      expect(rep.solution.lambda2).toBe(rep.objective);
    }
    if (!hasSolution(r)) throw new Error(r.status);
    // A Rayleigh quotient over vectors orthogonal to 1 is never below lambda2.
    for (const rep of reports) expect(rep.objective).toBeGreaterThanOrEqual(r.objective * (1 - 1e-9));
  });
});
