import fc from 'fast-check';
import { createPlacementModel } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { createScenarioSet, type ScenarioInput, type ScenarioSet } from '@emplace/facility';
import type { BaseSpec } from './helpers.js';

/** Shared by stochastic.test.ts and robust.test.ts: random small scenario sets and a brute force over every open set. */
// ------------------------------------------------------------------ random instances

export interface Spec extends BaseSpec {
  scenarios: { p: number; m: number[]; failed: boolean[]; scale: number }[];
  penalty: number | null;
}

export const specArb = (maxS: number, maxC: number, maxScen: number): fc.Arbitrary<Spec> =>
  fc.record({ nS: fc.integer({ min: 1, max: maxS }), nC: fc.integer({ min: 1, max: maxC }), nScen: fc.integer({ min: 1, max: maxScen }) }).chain(({ nS, nC, nScen }) =>
    fc.record({
      nS: fc.constant(nS),
      nC: fc.constant(nC),
      cost: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: nS * nC, maxLength: nS * nC }),
      f: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: nS, maxLength: nS }),
      demand: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: nC, maxLength: nC }),
      capacity: fc.array(fc.integer({ min: 5, max: 40 }), { minLength: nS, maxLength: nS }),
      scenarios: fc.array(
        fc.record({
          p: fc.integer({ min: 1, max: 5 }),
          m: fc.array(fc.integer({ min: 0, max: 4 }).map((x) => x / 2), { minLength: nC, maxLength: nC }),
          failed: fc.array(fc.integer({ min: 0, max: 4 }).map((x) => x === 0), { minLength: nS, maxLength: nS }),
          scale: fc.integer({ min: 1, max: 3 }),
        }),
        { minLength: nScen, maxLength: nScen },
      ),
      penalty: fc.option(fc.integer({ min: 10, max: 120 }), { nil: null }),
    }),
  );

export function build(s: Spec, capacitated: boolean): ScenarioSet {
  const model = createPlacementModel({
    sites: s.f.map((f, i) => ({ openingCost: f, ...(capacitated ? { capacity: s.capacity[i]! } : {}) })),
    clients: s.demand.map((d) => ({ demand: d })),
    cost: s.cost,
  });
  const scenarios: ScenarioInput[] = s.scenarios.map((sc) => ({
    probability: sc.p,
    demand: sc.m,
    costScale: sc.scale,
    failed: sc.failed.flatMap((x, i) => (x ? [i] : [])),
  }));
  return createScenarioSet(model, scenarios, { ...(s.penalty !== null ? { penalty: s.penalty } : {}), capacitated });
}

/** Independent recourse: closest open surviving site or the penalty (uncapacitated); an LP per scenario (capacitated). */
async function bruteRecourse(s: Spec, open: boolean[], k: number, capacitated: boolean): Promise<number> {
  const sc = s.scenarios[k]!;
  const pen = s.penalty ?? Infinity;
  if (!capacitated) {
    let total = 0;
    for (let j = 0; j < s.nC; j++) {
      if (sc.m[j] === 0) continue;
      let best = pen * sc.m[j]!;
      for (let i = 0; i < s.nS; i++) if (open[i] && !sc.failed[i]) best = Math.min(best, sc.m[j]! * sc.scale * s.cost[i * s.nC + j]!);
      total += best;
    }
    return total;
  }
  const lm = new LinearModel('min');
  const rowsByClient: number[][] = Array.from({ length: s.nC }, () => []);
  const load: { col: number; i: number; q: number }[] = [];
  for (let j = 0; j < s.nC; j++) {
    if (sc.m[j] === 0) continue;
    for (let i = 0; i < s.nS; i++) {
      if (!open[i] || sc.failed[i]) continue;
      const col = lm.addVariable({ lb: 0, ub: 1, obj: sc.m[j]! * sc.scale * s.cost[i * s.nC + j]! });
      rowsByClient[j]!.push(col);
      load.push({ col, i, q: sc.m[j]! * s.demand[j]! });
    }
    if (pen < Infinity) rowsByClient[j]!.push(lm.addVariable({ lb: 0, ub: 1, obj: pen * sc.m[j]! }));
    lm.addEq(rowsByClient[j]!, rowsByClient[j]!.map(() => 1), 1);
  }
  for (let i = 0; i < s.nS; i++) {
    const mine = load.filter((l) => l.i === i);
    if (mine.length > 0) lm.addLe(mine.map((l) => l.col), mine.map((l) => l.q), s.capacity[i]!);
  }
  const r = await solveLp(lm);
  return r.status === 'optimal' ? r.objective! : Infinity;
}

export async function bruteAll(s: Spec, capacitated: boolean): Promise<{ expected: number; worst: number; regret: number; expectedOf: number[] }> {
  const totalP = s.scenarios.reduce((a, b) => a + b.p, 0);
  const sets: { fixed: number; rec: number[] }[] = [];
  for (let mask = 0; mask < 1 << s.nS; mask++) {
    const open = Array.from({ length: s.nS }, (_, i) => ((mask >> i) & 1) === 1);
    let fixed = 0;
    for (let i = 0; i < s.nS; i++) if (open[i]) fixed += s.f[i]!;
    const rec: number[] = [];
    for (let k = 0; k < s.scenarios.length; k++) rec.push(await bruteRecourse(s, open, k, capacitated));
    sets.push({ fixed, rec });
  }
  const scenOpt = s.scenarios.map((_, k) => Math.min(...sets.map((x) => x.fixed + x.rec[k]!)));
  const expectedOf = sets.map((x) => x.fixed + x.rec.reduce((a, r, k) => a + (s.scenarios[k]!.p / totalP) * r, 0));
  return {
    expected: Math.min(...expectedOf),
    worst: Math.min(...sets.map((x) => x.fixed + Math.max(...x.rec))),
    regret: Math.min(...sets.map((x) => Math.max(...x.rec.map((r, k) => x.fixed + r - scenOpt[k]!)))),
    expectedOf,
  };
}

export const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

