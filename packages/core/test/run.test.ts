import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution, ModelError, Rng, SolveRun, type ProgressEvent } from '@emplace/core';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });

  it('draws integers in range and permutations', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const r = new Rng(seed);
        for (let k = 0; k < 20; k++) {
          const x = r.int(n);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(n);
        }
        const p = Array.from(r.permutation(Math.min(n, 50))).sort((x, y) => x - y);
        expect(p).toEqual(Array.from({ length: p.length }, (_, i) => i));
      }),
      { numRuns: 100 },
    );
  });

  it('has a plausible uniform mean', () => {
    const r = new Rng(7);
    let s = 0;
    for (let k = 0; k < 100000; k++) s += r.next();
    expect(s / 100000).toBeCloseTo(0.5, 2);
  });
});

describe('SolveRun', () => {
  it('reports optimal when the bound meets the objective', () => {
    const run = new SolveRun({}, 'test:m', 'min');
    const r = run.solved({ solution: [1], objective: 10, bound: 10, guarantee: { kind: 'exact' } });
    expect(r.status).toBe('optimal');
    expect(r.gap).toBe(0);
    expect(r.stoppedBy).toBe('converged');
    expect(hasSolution(r)).toBe(true);
  });

  it('solved() returns the solved variant and unsolved() the unsolved one (no narrowing needed)', () => {
    const run = new SolveRun({}, 'test:m', 'min');
    const r = run.solved({ solution: { open: [2, 5] }, objective: 7, guarantee: { kind: 'heuristic' } });
    // Typed access without a status check: solution and objective are not optional here.
    const open: number[] = r.solution.open;
    const objective: number = r.objective;
    expect(open).toEqual([2, 5]);
    expect(objective).toBe(7);
    const u = run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' } });
    const none: undefined = u.solution;
    expect(none).toBeUndefined();
  });

  it('reports feasible with a gap otherwise, and clamps a crossing bound', () => {
    const run = new SolveRun({}, 'test:m', 'min');
    const r = run.solved({ solution: 0, objective: 10, bound: 8, guarantee: { kind: 'heuristic' } });
    expect(r.status).toBe('feasible');
    expect(r.gap).toBeCloseTo(0.2);
    const r2 = new SolveRun({}, 't', 'max').solved({ solution: 0, objective: 10, bound: 9.9999999999999, guarantee: { kind: 'exact' } });
    expect(r2.bound).toBe(10);
  });

  it('drops a proof claim its own bound contradicts, and says so (status-check finding)', () => {
    // replicas:exact once returned optimal 9 with bound 3: the envelope hid it as gap 0.
    const r = new SolveRun({}, 'x:y', 'min').solved({ solution: {}, objective: 9, bound: 3, proven: true, guarantee: { kind: 'exact' } });
    expect(r.status).toBe('feasible');
    expect(r.bound).toBe(3);
    expect(r.gap).toBeCloseTo(6 / 9);
    expect(r.warnings?.join(' ')).toMatch(/claimed optimal/);
    // A claim within the backend's MIP gap stands.
    const ok = new SolveRun({}, 'x:y', 'min').solved({ solution: {}, objective: 1e6, bound: 1e6 - 5e-3, proven: true, guarantee: { kind: 'exact' } });
    expect(ok.status).toBe('optimal');
    expect(ok.gap).toBe(0);
    expect(ok.warnings).toBeUndefined();
    // Rounding noise under an objective of 0 is not a contradiction (robust regret 0, bound -1.4e-14).
    const zero = new SolveRun({}, 'x:y', 'min').solved({ solution: {}, objective: 0, bound: -1.4210854715202004e-14, proven: true, guarantee: { kind: 'exact' } });
    expect(zero.status).toBe('optimal');
  });

  it('stops on abort and on a zero time limit', () => {
    const ctl = new AbortController();
    const run = new SolveRun({ signal: ctl.signal }, 't');
    expect(run.shouldStop()).toBe(false);
    ctl.abort();
    expect(run.shouldStop()).toBe(true);
    expect(run.stoppedBy()).toBe('aborted');
    const run2 = new SolveRun({ timeLimitMs: 0 }, 't');
    expect(run2.shouldStop()).toBe(true);
    expect(run2.stoppedBy()).toBe('time-limit');
    expect(run2.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' } }).stoppedBy).toBe('time-limit');
  });

  it('throttles progress but lets phase changes through', () => {
    const events: ProgressEvent[] = [];
    const run = new SolveRun({ onProgress: (e) => events.push(e), progressIntervalMs: 10_000 }, 't');
    run.progress({ phase: 'a', incumbent: 3 });
    run.progress({ phase: 'a', incumbent: 2 });
    run.progress({ phase: 'b', incumbent: 1, bound: 0.5 });
    expect(events.map((e) => e.phase)).toEqual(['a', 'b']);
    expect(events[1]!.gap).toBeCloseTo(0.5);
    expect(events[1]!.method).toBe('t');
  });

  it('throttles incumbent reports and builds only the solutions it sends', () => {
    const sent: [unknown, number][] = [];
    let built = 0;
    const run = new SolveRun({ onIncumbent: (s, v) => sent.push([s, v]), incumbentIntervalMs: 10_000 }, 't');
    const build = (v: number) => () => {
      built++;
      return { v };
    };
    expect(run.wantsIncumbent()).toBe(true);
    run.incumbent(3, build(3)); // the first always passes
    expect(run.wantsIncumbent()).toBe(false);
    run.incumbent(2, build(2)); // throttled: not built, not sent
    run.incumbent(1, build(1), true); // forced
    expect(sent).toEqual([[{ v: 3 }, 3], [{ v: 1 }, 1]]);
    expect(built).toBe(2);
    const every: number[] = [];
    const run0 = new SolveRun({ onIncumbent: (_s, v) => every.push(v), incumbentIntervalMs: 0 }, 't');
    for (const v of [5, 4, 3]) run0.incumbent(v, () => v);
    expect(every).toEqual([5, 4, 3]);
    // Without a callback nothing is built.
    const silent = new SolveRun({}, 't');
    silent.incumbent(1, () => {
      throw new Error('must not be built');
    });
    expect(silent.wantsIncumbent()).toBe(false);
    expect(() => new SolveRun({ incumbentIntervalMs: -1 }, 't')).toThrowError(/options\.incumbentIntervalMs/);
  });

  it('validates options naming the field', () => {
    expect(() => new SolveRun({ timeLimitMs: -1 }, 't')).toThrowError(ModelError);
    expect(() => new SolveRun({ timeLimitMs: -1 }, 't')).toThrowError(/options\.timeLimitMs/);
    expect(() => new SolveRun({ seed: NaN }, 't')).toThrowError(/options\.seed/);
  });

  it('refuses null numeric options from JSON (null >= 0 is true in JavaScript; it used to act as a zero time limit)', () => {
    for (const field of ['timeLimitMs', 'tolerance', 'progressIntervalMs', 'incumbentIntervalMs', 'maxMemoryBytes']) {
      expect(() => new SolveRun(JSON.parse(`{"${field}": null}`), 't')).toThrowError(new RegExp(`options\\.${field}`));
      expect(() => new SolveRun(JSON.parse(`{"${field}": "5"}`), 't')).toThrowError(ModelError);
    }
  });
});
