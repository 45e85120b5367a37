import { describe, expect, it } from 'vitest';
import { LinearModel, solveLp, backendCapabilities, BACKEND_NAMES, type BackendName, type LpResult } from '@emplace/lp';

/** Small models with known answers; each is solved by every backend. */
interface Case {
  name: string;
  build: () => LinearModel;
  status: LpResult['status'];
  objective?: number;
  /** For LPs: the row duals (d objective / d rhs). */
  duals?: number[];
}

const cases: Case[] = [
  {
    name: 'max MIP (chairs/tables)',
    build: () => {
      const m = new LinearModel('max');
      const a = m.addVariable({ type: 'integer', obj: 30, name: 'chairs' });
      const b = m.addVariable({ type: 'integer', obj: 50, name: 'tables' });
      m.addLe([a, b], [1, 2], 40, 'carpentry');
      m.addLe([a, b], [2, 1], 50, 'finishing');
      return m;
    },
    status: 'optimal',
    objective: 1100,
  },
  {
    name: 'min LP with >= rows',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ obj: 2 });
      const y = m.addVariable({ obj: 3 });
      m.addGe([x, y], [1, 1], 4);
      m.addGe([x, y], [1, 3], 6);
      return m;
    },
    status: 'optimal',
    objective: 9,
    duals: [1.5, 0.5],
  },
  {
    name: 'max LP (same polytope, negated costs)',
    build: () => {
      const m = new LinearModel('max');
      const x = m.addVariable({ obj: -2 });
      const y = m.addVariable({ obj: -3 });
      m.addGe([x, y], [1, 1], 4);
      m.addGe([x, y], [1, 3], 6);
      return m;
    },
    status: 'optimal',
    objective: -9,
    duals: [-1.5, -0.5],
  },
  {
    // jsLPSolver's own unrestricted variables called this bounded degenerate LP unbounded.
    name: 'free variables at a degenerate optimum of 0 (least core of the 3-player glove game)',
    build: () => {
      const m = new LinearModel('min');
      const x = [0, 1, 2].map(() => m.addVariable({ lb: -Infinity }));
      const eps = m.addVariable({ lb: -Infinity, obj: 1 });
      const value = (mask: number): number => Math.min(mask & 1, ((mask >> 1) & 1) + ((mask >> 2) & 1));
      for (let mask = 1; mask < 7; mask++) {
        const members = x.filter((_, i) => (mask >> i) & 1);
        m.addGe([...members, eps], [...members.map(() => 1), 1], value(mask));
      }
      m.addEq(x, [1, 1, 1], value(7));
      return m;
    },
    status: 'optimal',
    objective: 0,
  },
  {
    name: 'equality, ranged row, free and negative-bounded variables, offset',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ lb: -Infinity, obj: 1 });
      const y = m.addVariable({ lb: -5, ub: 5, obj: -1 });
      const z = m.addVariable({ lb: 1, ub: 3, obj: 2 });
      m.addEq([x, y, z], [1, 1, 1], 2);
      m.addConstraint([x, y], [1, -1], -4, 6); // ranged
      m.setObjectiveOffset(10);
      return m;
    },
    // x + y + z = 2, -4 <= x - y <= 6, min x - y + 2z + 10: x - y = -4 best, z = 1: 10 - 4 + 2 = 8
    status: 'optimal',
    objective: 8,
  },
  {
    name: 'binary knapsack',
    build: () => {
      const m = new LinearModel('max');
      const w = [12, 2, 1, 1, 4];
      const v = [4, 2, 1, 2, 10];
      const xs = v.map((c) => m.addVariable({ type: 'binary', obj: c }));
      m.addLe(xs, w, 15);
      return m;
    },
    status: 'optimal',
    objective: 15,
  },
  {
    name: 'integer with general bounds',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ type: 'integer', lb: -3, ub: 7, obj: 1 });
      const y = m.addVariable({ type: 'integer', lb: 2, ub: 10, obj: 1 });
      m.addGe([x, y], [2, 3], 7.5);
      m.addLe([x, y], [1, -1], 0.5);
      return m;
    },
    // 2x + 3y >= 7.5, x <= y + 0.5 (so x <= y), min x + y: x=-3 -> y>=4.5 -> 5: 2; x=0,y=3: 3; x=-1,y=4 (2*-1+12=10>=7.5): 3; x=-2,y=4: -2*2+12=8 -> 2; x=-3,y=5 -> 2
    status: 'optimal',
    objective: 2,
  },
  {
    name: 'infeasible LP',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ obj: 1 });
      const y = m.addVariable({ obj: 1 });
      m.addLe([x, y], [1, 1], 1);
      m.addGe([x, y], [1, 1], 2);
      return m;
    },
    status: 'infeasible',
  },
  {
    name: 'infeasible MIP (LP relaxation feasible)',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ type: 'integer', ub: 10, obj: 1 });
      const y = m.addVariable({ type: 'integer', ub: 10, obj: 1 });
      m.addEq([x, y], [2, 2], 3);
      return m;
    },
    status: 'infeasible',
  },
  {
    name: 'unbounded LP',
    build: () => {
      const m = new LinearModel('max');
      const x = m.addVariable({ obj: 1 });
      const y = m.addVariable({ obj: 1 });
      m.addGe([x, y], [1, -1], 1);
      return m;
    },
    status: 'unbounded',
  },
  {
    name: 'unbounded MIP',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ type: 'integer', lb: -Infinity, obj: 1 });
      const y = m.addVariable({ type: 'integer', obj: 0 });
      m.addLe([x, y], [1, 1], 5);
      return m;
    },
    status: 'unbounded',
  },
  {
    name: 'infeasible MIP whose relaxation is unbounded',
    build: () => {
      const m = new LinearModel('min');
      const x = m.addVariable({ type: 'integer', lb: -Infinity, obj: 1 });
      const y = m.addVariable({ type: 'integer', ub: 10 });
      const z = m.addVariable({ type: 'integer', ub: 10 });
      m.addEq([y, z], [2, -2], 1); // 2(y - z) = 1 has no integer solution
      m.addLe([x, y], [1, 1], 3);
      return m;
    },
    status: 'infeasible',
  },
  {
    name: 'variable in no row',
    build: () => {
      const m = new LinearModel('max');
      m.addVariable({ ub: 4, obj: 1 });
      const y = m.addVariable({ obj: 1 });
      m.addLe([y], [1], 2);
      return m;
    },
    status: 'optimal',
    objective: 6,
  },
];

describe.each(BACKEND_NAMES.map((b) => [b]))('backend %s', (backend: BackendName) => {
  for (const c of cases) {
    it(c.name, async () => {
      const model = c.build();
      const sol = await solveLp(model, { backend });
      expect(sol.stats.backend).toBe(backend);
      expect(sol.status).toBe(c.status);
      expect(sol.stoppedBy).toBe('converged');
      if (c.objective !== undefined) {
        expect(sol.objective).toBeCloseTo(c.objective, 6);
        expect(sol.solution?.x).toBeInstanceOf(Float64Array);
        expect(model.evaluate(sol.solution!.x)).toBeCloseTo(sol.objective!, 9);
        expect(model.violation(sol.solution!.x).max).toBeLessThan(1e-6);
        if (sol.bound !== undefined) {
          // A bound never crosses the optimum.
          if (model.sense === 'min') expect(sol.bound).toBeLessThanOrEqual(c.objective + 1e-6);
          else expect(sol.bound).toBeGreaterThanOrEqual(c.objective - 1e-6);
        }
        if (!backendCapabilities(backend).bound && model.isMip) expect(sol.bound).toBeUndefined();
      } else {
        expect(sol.solution?.x).toBeUndefined();
        expect(sol.objective).toBeUndefined();
      }
      if (c.duals !== undefined && backendCapabilities(backend).duals) {
        expect(sol.solution?.duals).toBeDefined();
        expect(Array.from(sol.solution!.duals!).map((d) => Math.round(d * 1e6) / 1e6)).toEqual(c.duals);
      }
    });
  }
});

describe('capabilities', () => {
  it('say what each backend can prove', () => {
    expect(backendCapabilities('highs')).toMatchObject({ bound: true, timeLimit: 'native', abort: 'during', warmStart: true, duals: true });
    expect(backendCapabilities('glpk')).toMatchObject({ bound: false, warmStart: false, duals: true });
    expect(backendCapabilities('jslp')).toMatchObject({ bound: false, warmStart: false, duals: false });
  });
});
