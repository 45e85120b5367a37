import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, type PlacementModel } from '@emplace/core';
import { gapBranchAndBound, type GapBnbOptions } from '../src/gap-branch-and-bound.js';
import { toGapInstance, type GapInstance } from '../src/gap-instance.js';
import { initialMultipliers } from '../src/gap-lagrangian.js';

/** Shared fixtures of the GAP module tests: tiny random instances and a brute-force solver. */

/** Small random min-cost GAP (integer data, sometimes infeasible), Chu-Beasley D-like when `correlated`. */
export const tinyGap = fc
  .record({
    m: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 1, max: 7 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    tight: fc.double({ min: 0.4, max: 1.2, noNaN: true }),
    correlated: fc.boolean(),
  })
  .map(({ m, n, seed, tight, correlated }) => {
    let s = seed;
    const rnd = (k: number): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s % k;
    };
    const siteDemand = Array.from({ length: m * n }, () => 1 + rnd(20));
    const cost = siteDemand.map((r) => (correlated ? 41 - r + rnd(7) : 1 + rnd(30)));
    const capacity = Array.from({ length: m }, () => Math.max(1, Math.round((tight * 10.5 * n) / m)));
    return createPlacementModel({ sites: m, clients: n, cost, siteDemand, capacity });
  })
  .map((model) => ({ model, inst: toGapInstance(model, 'min') }));

/** Every feasible assignment of a tiny instance with its cost. */
export function allAssignments(inst: GapInstance): { cost: number; assignment: number[] }[] {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const out: { cost: number; assignment: number[] }[] = [];
  const load = new Float64Array(m);
  const a: number[] = new Array(n).fill(-1);
  const rec = (j: number, c: number): void => {
    if (j === n) {
      out.push({ cost: c, assignment: [...a] });
      return;
    }
    for (let i = 0; i < m; i++) {
      const k = i * n + j;
      if (!feasible[k] || load[i]! + weight[k]! > capacity[i]!) continue;
      load[i]! += weight[k]!;
      a[j] = i;
      rec(j + 1, c + cost[k]!);
      load[i]! -= weight[k]!;
    }
  };
  rec(0, 0);
  return out;
}

/** The optimum of a tiny instance by enumeration (undefined when infeasible). */
export function bruteOptimum(inst: GapInstance): number | undefined {
  let best: number | undefined;
  for (const s of allAssignments(inst)) if (best === undefined || s.cost < best) best = s.cost;
  return best;
}

/** Independent feasibility check and cost of an assignment. */
export function evaluate(inst: GapInstance, assignment: ArrayLike<number>): { feasible: boolean; cost: number } {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const load = new Float64Array(m);
  let c = 0;
  let ok = assignment.length === n;
  for (let j = 0; j < n; j++) {
    const i = assignment[j]!;
    if (!(i >= 0 && i < m) || !feasible[i * n + j]) {
      ok = false;
      continue;
    }
    load[i]! += weight[i * n + j]!;
    c += cost[i * n + j]!;
  }
  for (let i = 0; i < m; i++) if (load[i]! > capacity[i]! + 1e-9) ok = false;
  return { feasible: ok, cost: c };
}

/** OR-Library GAP files: `$EMPLACE_INSTANCES/gap`, else ../shared/instances/gap beside the repository (tests skip when absent). */
export const INSTANCES = resolve(process.env.EMPLACE_INSTANCES ?? resolve(import.meta.dirname, '../../../../shared/instances'), 'gap');

/** The problems of an OR-Library GAP file (format in the instances README), or [] when it is absent. */
export function readGapFile(name: string): { name: string; model: PlacementModel }[] {
  const path = `${INSTANCES}/${name}.txt`;
  if (!existsSync(path)) return [];
  const t = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
  let p = 0;
  const count = t[p++]!;
  const out: { name: string; model: PlacementModel }[] = [];
  for (let q = 0; q < count; q++) {
    const m = t[p++]!;
    const n = t[p++]!;
    const cost = t.slice(p, (p += m * n));
    const siteDemand = t.slice(p, (p += m * n));
    const capacity = t.slice(p, (p += m));
    out.push({ name: `${name}-${q + 1}`, model: createPlacementModel({ sites: m, clients: n, cost, siteDemand, capacity }) });
  }
  return out;
}

/** A walk's plan checked by the evaluator: feasible at exactly its reported cost, no worse than `start`, never below the brute-force optimum. */
export function expectSoundPlan(inst: GapInstance, start: Int32Array, plan: { assignment: Int32Array; cost: number }): void {
  const e = evaluate(inst, plan.assignment);
  expect(e.feasible).toBe(true);
  expect(e.cost).toBe(plan.cost);
  expect(plan.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
  expect(plan.cost).toBeGreaterThanOrEqual(bruteOptimum(inst)!);
}

/**
 * The branch-and-bound with `options` equals brute force on tiny instances: with no
 * incumbent, a near-optimal incumbent cost and a poor one, it finishes, and it returns the
 * optimum (checked by the evaluator) exactly when the optimum is below the incumbent cost.
 */
export function expectBranchAndBoundExact(options: Partial<GapBnbOptions>, numRuns: number): void {
  fc.assert(
    fc.property(tinyGap, fc.integer({ min: 0, max: 5 }), ({ inst }, slack) => {
      const opt = bruteOptimum(inst);
      for (const incumbentCost of [Infinity, (opt ?? 100) + 1 + slack]) {
        const r = gapBranchAndBound(inst, { stop: () => false, incumbentCost, rootU: initialMultipliers(inst), ...options });
        expect(r.complete).toBe(true);
        if (opt === undefined || opt >= incumbentCost) {
          expect(r.assignment).toBeUndefined();
          continue;
        }
        expect(r.cost).toBe(opt);
        const e = evaluate(inst, r.assignment!);
        expect(e.feasible).toBe(true);
        expect(e.cost).toBe(opt);
      }
    }),
    { numRuns },
  );
}
