import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LinearModel, solveLp, BACKEND_NAMES, type VarType } from '@emplace/lp';

/**
 * Random small MIPs that are feasible by construction: every row is built around a
 * planted integer point `p`, and every variable is bounded, so an optimum exists.
 */
interface RandomMip {
  sense: 'min' | 'max';
  vars: { type: VarType; lb: number; ub: number; obj: number; p: number }[];
  rows: { idx: number[]; coefs: number[]; kind: 'le' | 'ge' | 'eq' | 'range'; slackLo: number; slackHi: number }[];
}

const varArb = fc
  .record({
    type: fc.constantFrom<VarType>('integer', 'integer', 'binary', 'continuous'),
    lb: fc.integer({ min: -4, max: 2 }),
    width: fc.integer({ min: 0, max: 6 }),
    obj: fc.integer({ min: -9, max: 9 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ type, lb, width, obj, at }) => {
    const [lo, hi] = type === 'binary' ? [0, 1] : [lb, lb + width];
    return { type, lb: lo, ub: hi, obj, p: lo + Math.round(at * (hi - lo)) };
  });

const mipArb: fc.Arbitrary<RandomMip> = fc
  .record({
    sense: fc.constantFrom<'min' | 'max'>('min', 'max'),
    vars: fc.array(varArb, { minLength: 1, maxLength: 6 }),
    rowSeeds: fc.array(
      fc.record({
        picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -6, max: 6 })), { minLength: 1, maxLength: 5 }),
        kind: fc.constantFrom<'le' | 'ge' | 'eq' | 'range'>('le', 'ge', 'eq', 'range'),
        slackLo: fc.integer({ min: 0, max: 4 }),
        slackHi: fc.integer({ min: 0, max: 4 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ sense, vars, rowSeeds }) => ({
    sense,
    vars,
    rows: rowSeeds.map((r) => {
      const idx: number[] = [];
      const coefs: number[] = [];
      for (const [k, c] of r.picks) {
        idx.push(k % vars.length);
        coefs.push(c);
      }
      return { idx, coefs, kind: r.kind, slackLo: r.slackLo, slackHi: r.slackHi };
    }),
  }));

function build(spec: RandomMip): LinearModel {
  const m = new LinearModel(spec.sense);
  for (const v of spec.vars) m.addVariable({ type: v.type, lb: v.lb, ub: v.ub, obj: v.obj });
  for (const r of spec.rows) {
    let a = 0;
    for (let k = 0; k < r.idx.length; k++) a += r.coefs[k]! * spec.vars[r.idx[k]!]!.p;
    if (r.kind === 'le') m.addLe(r.idx, r.coefs, a + r.slackHi);
    else if (r.kind === 'ge') m.addGe(r.idx, r.coefs, a - r.slackLo);
    else if (r.kind === 'eq') m.addEq(r.idx, r.coefs, a);
    else m.addConstraint(r.idx, r.coefs, a - r.slackLo, a + r.slackHi);
  }
  return m;
}

/** Exact optimum of a pure-integer model by enumeration (domains are tiny). */
function bruteForce(spec: RandomMip, model: LinearModel): number {
  const n = spec.vars.length;
  const x = new Float64Array(n);
  let best = spec.sense === 'min' ? Infinity : -Infinity;
  const rec = (j: number): void => {
    if (j === n) {
      if (model.violation(x).max <= 1e-9) {
        const z = model.evaluate(x);
        if (spec.sense === 'min' ? z < best : z > best) best = z;
      }
      return;
    }
    const v = spec.vars[j]!;
    for (let t = v.lb; t <= v.ub; t++) {
      x[j] = t;
      rec(j + 1);
    }
  };
  rec(0);
  return best;
}

describe('random feasible MIPs', () => {
  it('all backends agree on the optimum, return feasible x, and match brute force on pure-integer models', async () => {
    await fc.assert(
      fc.asyncProperty(mipArb, async (spec) => {
        const model = build(spec);
        const planted = model.evaluate(spec.vars.map((v) => v.p));
        const objectives: number[] = [];
        for (const backend of BACKEND_NAMES) {
          const sol = await solveLp(model, { backend });
          expect(sol.status, `${backend} status`).toBe('optimal');
          expect(model.violation(sol.solution!.x).max, `${backend} feasibility`).toBeLessThan(1e-6);
          expect(sol.objective).toBeCloseTo(model.evaluate(sol.solution!.x), 9);
          // The planted point is feasible, so the optimum is at least as good.
          if (spec.sense === 'min') expect(sol.objective!).toBeLessThanOrEqual(planted + 1e-6);
          else expect(sol.objective!).toBeGreaterThanOrEqual(planted - 1e-6);
          if (sol.bound !== undefined) {
            if (spec.sense === 'min') expect(sol.bound).toBeLessThanOrEqual(sol.objective! + 1e-9);
            else expect(sol.bound).toBeGreaterThanOrEqual(sol.objective! - 1e-9);
          }
          objectives.push(sol.objective!);
        }
        for (const z of objectives) expect(Math.abs(z - objectives[0]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(z)));
        if (spec.vars.every((v) => v.type !== 'continuous')) {
          expect(objectives[0]!).toBeCloseTo(bruteForce(spec, model), 6);
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});

describe('random bounded MIPs, feasible or not', () => {
  it('all backends agree on infeasibility and on the optimum (pure-integer: as brute force)', async () => {
    const arb = fc.record({
      spec: mipArb,
      shifts: fc.array(fc.integer({ min: -12, max: 12 }), { minLength: 5, maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ spec, shifts }) => {
        // Move each row's bounds away from the planted point: many models become infeasible.
        const moved: RandomMip = {
          ...spec,
          rows: spec.rows.map((r, i) => ({ ...r, kind: r.kind === 'range' ? 'eq' : r.kind, slackLo: r.slackLo - shifts[i % 5]!, slackHi: r.slackHi + shifts[i % 5]! })),
        };
        const model = build(moved);
        const results = [];
        for (const backend of BACKEND_NAMES) results.push(await solveLp(model, { backend }));
        const statuses = results.map((r) => r.status);
        expect(new Set(statuses).size, `statuses ${statuses.join(', ')}`).toBe(1);
        expect(['optimal', 'infeasible']).toContain(statuses[0]);
        if (statuses[0] === 'optimal') {
          for (const r of results) {
            expect(model.violation(r.solution!.x).max).toBeLessThan(1e-6);
            expect(Math.abs(r.objective! - results[0]!.objective!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(r.objective!)));
          }
        }
        if (moved.vars.every((v) => v.type !== 'continuous')) {
          const best = bruteForce(moved, model);
          if (Number.isFinite(best)) expect(results[0]!.objective).toBeCloseTo(best, 6);
          else expect(statuses[0]).toBe('infeasible');
        }
      }),
      { numRuns: 60, seed: 4242 },
    );
  });
});
