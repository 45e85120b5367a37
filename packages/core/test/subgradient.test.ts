import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SolveRun, subgradient, subgradientAsync, type SubgradientOptions } from '@emplace/core';

/**
 * Lagrangian dual of "pick exactly k of n items, min total cost" with the cardinality
 * constraint relaxed: L(u) = k u + sum_j min(0, c_j - u). Its maximum is the sum of the k
 * smallest costs (the relaxation is integral), so the optimum is known exactly.
 */
function cardinalityDual(costs: number[], k: number): { opts: Pick<SubgradientOptions, 'evaluate' | 'g'>; optimum: number } {
  const g = new Float64Array(1);
  const evaluate = (u: Float64Array): number => {
    let L = k * u[0]!;
    let taken = 0;
    for (const c of costs) {
      if (c - u[0]! < 0) {
        L += c - u[0]!;
        taken++;
      }
    }
    g[0] = k - taken;
    return L;
  };
  const optimum = [...costs].sort((a, b) => a - b).slice(0, k).reduce((s, c) => s + c, 0);
  return { opts: { evaluate, g }, optimum };
}

/** Dual of "every client at one site" with the assignment constraints relaxed: max = sum_j min_i c_ij. */
function assignmentDual(c: number[][]): { opts: Pick<SubgradientOptions, 'evaluate' | 'g'>; optimum: number } {
  const n = c[0]!.length;
  const g = new Float64Array(n);
  const evaluate = (u: Float64Array): number => {
    let L = 0;
    for (let j = 0; j < n; j++) {
      L += u[j]!;
      g[j] = 1;
      for (const row of c) {
        const w = row[j]! - u[j]!;
        if (w < 0) {
          L += w;
          g[j]! -= 1;
        }
      }
    }
    return L;
  };
  let optimum = 0;
  for (let j = 0; j < n; j++) optimum += Math.min(...c.map((row) => row[j]!));
  return { opts: { evaluate, g }, optimum };
}

const costArb = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 12 });

describe('subgradient driver', () => {
  it('every bound is valid and, with the optimum as target, reaches it', () => {
    fc.assert(
      fc.property(costArb, fc.nat(), (costs, kRaw) => {
        const k = 1 + (kRaw % (costs.length - 1));
        const { opts, optimum } = cardinalityDual(costs, k);
        const res = subgradient(new Float64Array(1), { ...opts, upper: () => optimum, maxIterations: 500, theta: 1, patience: 5, minTheta: 1e-9 });
        expect(res.bound).toBeLessThanOrEqual(optimum + 1e-9);
        expect(res.bound).toBeGreaterThanOrEqual(optimum - 1e-6 * Math.max(1, optimum));
        // The reported multipliers give the reported bound.
        expect(opts.evaluate(res.u)).toBeCloseTo(res.bound, 9);
      }),
      { numRuns: 100 },
    );
  });

  it('reaches the assignment dual optimum without a target (estimated gap)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 4, maxLength: 4 }), { minLength: 2, maxLength: 5 }), (c) => {
        const { opts, optimum } = assignmentDual(c);
        const res = subgradient(new Float64Array(4), { ...opts, upper: () => Infinity, maxIterations: 3000, noTargetGap: 0.1, patience: 10, minTheta: 1e-12 });
        expect(res.bound).toBeLessThanOrEqual(optimum + 1e-9);
        expect(res.bound).toBeGreaterThanOrEqual(optimum - 1e-3 * optimum);
      }),
      { numRuns: 50 },
    );
  });

  it('is deterministic; restore-on-halve gives a valid bound too', () => {
    const { opts } = assignmentDual([
      [3, 9, 4, 7],
      [8, 2, 6, 5],
      [5, 5, 1, 9],
    ]);
    const a = subgradient(new Float64Array(4), { ...opts, upper: () => 20, maxIterations: 200 });
    const b = subgradient(new Float64Array(4), { ...opts, upper: () => 20, maxIterations: 200 });
    expect(b.bound).toBe(a.bound);
    expect(Array.from(b.u)).toEqual(Array.from(a.u));
    const r = subgradient(new Float64Array(4), { ...opts, upper: () => 20, maxIterations: 200, restoreOnHalve: true, patience: 3 });
    expect(r.bound).toBeLessThanOrEqual(11 + 1e-9);
    expect(a.bound).toBeLessThanOrEqual(11 + 1e-9);
  });

  it('stops on the stop callback, on done, on a callback and on infeasibility', () => {
    const { opts, optimum } = cardinalityDual([5, 1, 4, 2, 3], 2);
    let polls = 0;
    const stopped = subgradient(new Float64Array(1), { ...opts, upper: () => optimum, maxIterations: 1000, stop: () => ++polls > 3 });
    expect(stopped.stoppedBy).toBe('stopped');
    expect(stopped.iterations).toBe(3);
    const done = subgradient(new Float64Array(1), { ...opts, upper: () => optimum, maxIterations: 1000, done: (b) => b > -Infinity });
    expect(done.stoppedBy).toBe('done');
    expect(done.iterations).toBe(1);
    const ramp = new Float64Array(1).fill(1);
    const cb = subgradient(new Float64Array(1), { evaluate: (u) => u[0]!, g: ramp, upper: () => Infinity, maxIterations: 1000, onIterate: (_v, _u, _imp, it) => it === 4 });
    expect(cb.stoppedBy).toBe('callback');
    expect(cb.iterations).toBe(5);
    const inf = subgradient(new Float64Array(1), { evaluate: () => Infinity, g: new Float64Array(1), upper: () => 0, maxIterations: 10 });
    expect(inf.stoppedBy).toBe('infeasible');
    expect(inf.bound).toBe(Infinity);
  });

  it('keeps multipliers non-negative when asked', () => {
    // L(u) = -2u, decreasing: over u >= 0 its maximum is 0, at u = 0.
    const g = new Float64Array(1);
    const res = subgradient(Float64Array.of(5), {
      evaluate: (u) => {
        g[0] = -2;
        return -2 * u[0]!;
      },
      g,
      upper: () => 1,
      maxIterations: 50,
      nonNegative: true,
    });
    expect(res.bound === 0).toBe(true);
    expect(res.u[0]).toBe(0);
  });

  it('async: yields to the event loop so an abort fired by a timer stops it', async () => {
    const ctrl = new AbortController();
    const run = new SolveRun({ signal: ctrl.signal }, 'test:subgradient');
    const g = new Float64Array(1);
    setTimeout(() => ctrl.abort(), 20);
    const res = await subgradientAsync(
      new Float64Array(1),
      {
        evaluate: (u) => {
          const t = Date.now();
          while (Date.now() - t < 1) {
            /* about a millisecond per evaluation */
          }
          g[0] = 1;
          return u[0]!;
        },
        g,
        upper: () => Infinity,
        maxIterations: 1_000_000,
        minTheta: 0,
        stop: () => run.shouldStop(),
      },
      run,
    );
    expect(res.stoppedBy).toBe('stopped');
    expect(run.stoppedBy()).toBe('aborted');
  });
});
