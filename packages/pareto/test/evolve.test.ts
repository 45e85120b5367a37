import { describe, expect, it } from 'vitest';
import { ModelError, hasSolution, solve } from '@emplace/core';
import { dasDennis, dominates, dtlz2, hypervolume, nsga2, nsga3, zdt1, type MultiObjectiveProblem } from '@emplace/pareto';
import { createWorkerEvaluator } from '../src/parallel.js';
import { fileURLToPath } from 'node:url';

function noneDominated(points: { objectives: number[] }[]): void {
  for (const a of points) for (const b of points) expect(dominates(a.objectives, b.objectives)).toBe(false);
}

describe('NSGA-II', () => {
  it('approaches the ZDT1 front and returns mutually non-dominated points', async () => {
    const p = zdt1(10);
    const r = await nsga2(p, { seed: 3, maxEvaluations: 6000, referencePoint: [1.1, 1.1] });
    expect(hasSolution(r)).toBe(true);
    if (!hasSolution(r)) return;
    noneDominated(r.solution.points);
    expect(r.solution.evaluations).toBeLessThanOrEqual(6000);
    expect(r.objective).toBeCloseTo(hypervolume(r.solution.points.map((q) => q.objectives), [1.1, 1.1]), 12);
    // Objectives recomputed from the returned decision vectors.
    for (const q of r.solution.points) expect(Array.from(p.evaluate(Float64Array.from(q.x)).objectives)).toEqual(q.objectives);
    expect(r.objective / p.trueHypervolume!([1.1, 1.1])).toBeGreaterThan(0.9);
  });

  it('same seed, same front; another seed, another run', async () => {
    const a = await nsga2(zdt1(8), { seed: 5, maxEvaluations: 2000 });
    const b = await nsga2(zdt1(8), { seed: 5, maxEvaluations: 2000 });
    const c = await nsga2(zdt1(8), { seed: 6, maxEvaluations: 2000 });
    expect(JSON.stringify(a.solution)).toBe(JSON.stringify(b.solution));
    expect(JSON.stringify(a.solution)).not.toBe(JSON.stringify(c.solution));
  });

  it('ranks feasible first (Deb): every returned point satisfies the constraint', async () => {
    // Minimise (x, y) with x + y >= 1 on [0, 1]^2: the front is the segment x + y = 1.
    const p: MultiObjectiveProblem = {
      kind: 'multi-objective', nObjectives: 2, space: { kind: 'real', lower: [0, 0], upper: [1, 1] },
      evaluate: (x) => ({ objectives: [x[0]!, x[1]!], violations: [Math.max(0, 1 - x[0]! - x[1]!)] }),
    };
    const r = await nsga2(p, { seed: 1, maxEvaluations: 3000 });
    expect(hasSolution(r)).toBe(true);
    if (!hasSolution(r)) return;
    for (const q of r.solution.points) expect(q.x[0]! + q.x[1]!).toBeGreaterThanOrEqual(1 - 1e-12);
    noneDominated(r.solution.points);
  });

  it('handles binary, permutation and subset spaces', async () => {
    const bin: MultiObjectiveProblem = {
      kind: 'multi-objective', nObjectives: 2, space: { kind: 'binary', length: 12 },
      evaluate: (x) => { let ones = 0; for (const v of x) ones += v; return { objectives: [ones, 12 - ones + (x[0] === 1 ? 0 : 1)] }; },
    };
    const perm: MultiObjectiveProblem = {
      kind: 'multi-objective', nObjectives: 2, space: { kind: 'permutation', length: 7 },
      evaluate: (x) => { let a = 0; let b = 0; for (let i = 0; i < 7; i++) { a += Math.abs(x[i]! - i); b += Math.abs(x[i]! - (6 - i)); } return { objectives: [a, b] }; },
    };
    const sub: MultiObjectiveProblem = {
      kind: 'multi-objective', nObjectives: 2, space: { kind: 'subset', length: 9, minSize: 2, maxSize: 4, fixedOn: [0], fixedOff: [8] },
      evaluate: (x) => { let s = 0; let w = 0; for (let i = 0; i < 9; i++) if (x[i]) { s++; w += i; } return { objectives: [s, -w] }; },
    };
    for (const p of [bin, perm, sub]) {
      const r = await nsga2(p, { seed: 2, maxEvaluations: 1500, populationSize: 30 });
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      noneDominated(r.solution.points);
      for (const q of r.solution.points) {
        if (p.space.kind === 'permutation') expect([...q.x].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        if (p.space.kind === 'subset') {
          const size = q.x.reduce((s, v) => s + v, 0);
          expect(size).toBeGreaterThanOrEqual(2);
          expect(size).toBeLessThanOrEqual(4);
          expect(q.x[0]).toBe(1);
          expect(q.x[8]).toBe(0);
        }
      }
    }
  });

  it('names NaN objectives, wrong objective counts and bad options', async () => {
    const nan: MultiObjectiveProblem = { kind: 'multi-objective', nObjectives: 2, space: { kind: 'real', lower: [0], upper: [1] }, evaluate: (x) => ({ objectives: [x[0]!, NaN] }) };
    await expect(nsga2(nan, { maxEvaluations: 200 })).rejects.toThrow(ModelError);
    await expect(nsga2(nan, { maxEvaluations: 200 })).rejects.toThrow(/objectives\[1\] is NaN/);
    const short: MultiObjectiveProblem = { kind: 'multi-objective', nObjectives: 3, space: { kind: 'real', lower: [0], upper: [1] }, evaluate: (x) => ({ objectives: [x[0]!, 1] }) };
    await expect(nsga2(short, { maxEvaluations: 200 })).rejects.toThrow(/objectives has 2 values, problem.nObjectives is 3/);
    await expect(nsga2(zdt1(), { referencePoint: [1] })).rejects.toThrow(/options.referencePoint/);
    await expect(nsga2({ ...zdt1(), space: { kind: 'real', lower: [0, 1], upper: [1, 0] } })).rejects.toThrow(/problem.space.upper\[1\]/);
  });

  it('reports progress with the current hypervolume and honours an evaluation budget', async () => {
    const hvs: number[] = [];
    let events = 0;
    await nsga2(zdt1(6), { seed: 1, maxEvaluations: 1000, populationSize: 20, referencePoint: [1.1, 10], onGeneration: (e) => hvs.push(e.hypervolume), onProgress: () => events++, progressIntervalMs: 0 });
    expect(hvs.length).toBe(1000 / 20);
    expect(events).toBeGreaterThan(0);
    expect(hvs[hvs.length - 1]!).toBeGreaterThanOrEqual(hvs[0]!);
  });

  it('returns the front so far when aborted or out of time, and rejects a budget below one population', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const r = await nsga2(zdt1(6), { seed: 1, signal: ctrl.signal, populationSize: 20 });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
    if (hasSolution(r)) expect(r.solution.evaluations).toBe(20);
    const t = await nsga2(zdt1(6), { seed: 1, timeLimitMs: 0, populationSize: 20 });
    expect(t.stoppedBy).toBe('time-limit');
    await expect(nsga2(zdt1(6), { maxEvaluations: 10, populationSize: 20 })).rejects.toThrow(/options.maxEvaluations/);
  });

  it('is registered and runs through the core registry', async () => {
    const r = await solve(zdt1(5), { method: 'pareto:nsga2', maxEvaluations: 400, seed: 1 });
    expect(hasSolution(r)).toBe(true);
  });

  it('evaluates in worker threads with the same front as in-thread evaluation', async () => {
    const evaluator = await createWorkerEvaluator({ module: fileURLToPath(new URL('./fixtures/zdt1-worker.mjs', import.meta.url)), threads: 2 });
    try {
      const par = await nsga2(zdt1(6), { seed: 4, maxEvaluations: 600, populationSize: 20, evaluator });
      const ser = await nsga2(zdt1(6), { seed: 4, maxEvaluations: 600, populationSize: 20 });
      expect(JSON.stringify(par.solution)).toBe(JSON.stringify(ser.solution));
    } finally {
      await evaluator.close();
    }
  });
});

describe('NSGA-III', () => {
  it('Das-Dennis directions lie on the simplex, C(p+m-1, m-1) of them', () => {
    const d = dasDennis(3, 12);
    expect(d.count).toBe(91);
    for (let i = 0; i < d.count; i++) expect(d.values[i * 3]! + d.values[i * 3 + 1]! + d.values[i * 3 + 2]!).toBeCloseTo(1);
  });

  it('spreads points over the DTLZ2 sphere', async () => {
    const r = await nsga3(dtlz2(3, 5), { seed: 1, maxEvaluations: 6000, divisions: 6, referencePoint: [1.1, 1.1, 1.1] });
    expect(hasSolution(r)).toBe(true);
    if (!hasSolution(r)) return;
    noneDominated(r.solution.points);
    expect(r.solution.points.length).toBeGreaterThan(20);
    // Close to the unit sphere.
    for (const q of r.solution.points) expect(Math.hypot(...q.objectives)).toBeLessThan(1.2);
  });
});
