import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ModelError } from '@emplace/core';
import { LinearModel, solveLp, warmHighsWorker, BACKEND_NAMES, type BackendName } from '@emplace/lp';
import { setHighsLoaderForTesting } from '../src/backends/highs.js';
import { marketSplit } from './market-split.js';
import { setWorkerThreadsForTesting } from '../src/backends/jslp-runner.js';

/** A feasible point of a market-split model: x = 0, slacks absorbing the right-hand sides. */
function trivialStart(model: LinearModel, m: number, n: number): Float64Array {
  const start = new Float64Array(model.numVariables);
  const compiled = model.compile();
  for (let i = 0; i < m; i++) start[n + 2 * i] = compiled.rowLower[i]!; // s+ = d
  return start;
}

afterEach(() => setHighsLoaderForTesting(undefined));

describe('time limit', () => {
  it.each(BACKEND_NAMES.map((b) => [b]))('%s: a hard MIP under 1 s stops with feasible/no-solution and stoppedBy time-limit', async (backend: BackendName) => {
    const { model } = marketSplit(5, 40, 1);
    const sol = await solveLp(model, { backend, timeLimitMs: 1000 });
    expect(['feasible', 'no-solution']).toContain(sol.status);
    expect(sol.stoppedBy).toBe('time-limit');
    if (sol.status === 'feasible') {
      expect(model.violation(sol.solution!.x).max).toBeLessThan(1e-6);
      expect(sol.objective).toBeCloseTo(model.evaluate(sol.solution!.x), 9);
      if (sol.bound !== undefined) expect(sol.bound).toBeLessThanOrEqual(sol.objective!);
    }
    if (backend !== 'highs') expect(sol.bound).toBeUndefined();
  });
});

describe('warm start', () => {
  it('highs uses the start: a planted market-split point (which HiGHS cannot find in seconds on its own) is returned as optimal at once', async () => {
    // sum_j a_ij x_j = a_i . p for a random binary p: a pure feasibility MIP with objective 0,
    // so any feasible point is optimal. Cold, HiGHS ends at the time limit without a solution.
    let s = 11;
    const rnd = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const model = new LinearModel('min');
    const x0 = model.addVariables(50, { type: 'binary' });
    const p = Array.from({ length: 50 }, () => (rnd() < 0.5 ? 1 : 0));
    const idx = p.map((_, j) => x0 + j);
    for (let i = 0; i < 6; i++) {
      const a = idx.map(() => Math.floor(rnd() * 100));
      model.addEq(idx, a, a.reduce((q, v, j) => q + v * p[j]!, 0));
    }
    const start = Float64Array.from(p);
    const sol = await solveLp(model, { timeLimitMs: 5000, warmStart: start });
    expect(sol.status).toBe('optimal');
    expect(sol.stoppedBy).toBe('converged');
    expect(model.violation(sol.solution!.x).max).toBeLessThan(1e-6);
    expect(Array.from(start)).toEqual(p); // not mutated
  });

  it('highs keeps a feasible start under a short time limit', async () => {
    const { model } = marketSplit(5, 40, 2);
    const start = trivialStart(model, 5, 40);
    expect(model.violation(start).max).toBe(0);
    const sol = await solveLp(model, { timeLimitMs: 1000, warmStart: start });
    expect(sol.status).toBe('feasible');
    expect(sol.objective!).toBeLessThanOrEqual(model.evaluate(start) + 1e-9);
  });

  it('is accepted by every backend on a small MIP (ignored with a warning where unsupported)', async () => {
    const m = new LinearModel('max');
    const a = m.addVariable({ type: 'integer', obj: 30 });
    const b = m.addVariable({ type: 'integer', obj: 50 });
    m.addLe([a, b], [1, 2], 40);
    m.addLe([a, b], [2, 1], 50);
    for (const backend of BACKEND_NAMES) {
      const sol = await solveLp(m, { backend, warmStart: [20, 10] });
      expect(sol.status).toBe('optimal');
      expect(sol.objective).toBeCloseTo(1100, 9);
      if (backend !== 'highs') expect(sol.warnings?.join(' ')).toMatch(/ignores warmStart/);
    }
  });

  it('with the wrong length or a NaN is a ModelError naming options.warmStart', async () => {
    const m = new LinearModel();
    m.addVariables(3);
    await expect(solveLp(m, { warmStart: [0, 0] })).rejects.toThrow(/options\.warmStart/);
    await expect(solveLp(m, { warmStart: [0, NaN, 0] })).rejects.toThrow(ModelError);
    await expect(solveLp(m, { warmStart: [0, NaN, 0] })).rejects.toThrow(/options\.warmStart\[1\]/);
  });
});

describe('abort', () => {
  it.each(BACKEND_NAMES.map((b) => [b]))('%s: an aborted signal before the start returns no-solution, stoppedBy aborted', async (backend: BackendName) => {
    const { model } = marketSplit(3, 20, 3);
    const sol = await solveLp(model, { backend, signal: AbortSignal.abort() });
    expect(sol.status).toBe('no-solution');
    expect(sol.stoppedBy).toBe('aborted');
    expect(sol.solution?.x).toBeUndefined();
  });

  it('highs: a signal aborted during the solve (from onProgress) interrupts it', async () => {
    const { model } = marketSplit(5, 40, 4);
    const controller = new AbortController();
    const sol = await solveLp(model, {
      signal: controller.signal,
      timeLimitMs: 20_000,
      progressIntervalMs: 0,
      onProgress: () => controller.abort(),
    });
    expect(sol.stoppedBy).toBe('aborted');
    expect(['feasible', 'no-solution']).toContain(sol.status);
  });

  it('jslp: a signal aborted from a timer kills the worker', async () => {
    const { model } = marketSplit(5, 40, 5);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const sol = await solveLp(model, { backend: 'jslp', signal: controller.signal });
    expect(sol.stoppedBy).toBe('aborted');
    expect(sol.status).toBe('no-solution');
  });
});

describe('progress', () => {
  // Both runtimes loaded first: loading counts against the time limit.
  beforeAll(async () => {
    await warmHighsWorker();
    await solveLp(marketSplit(1, 3, 1).model, { offload: 'thread' });
  });

  it.each(['thread', 'worker'] as const)('highs (%s) reports incumbents and bounds that bracket the final answer', async (offload) => {
    const { model } = marketSplit(4, 30, 6);
    const events: { incumbent?: number; bound?: number }[] = [];
    const sol = await solveLp(model, { timeLimitMs: 1500, progressIntervalMs: 0, offload, onProgress: (e) => events.push(e) });
    expect(sol.stats.ranIn).toBe(offload);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      if (e.bound !== undefined && sol.objective !== undefined) expect(e.bound).toBeLessThanOrEqual(sol.objective + 1e-6);
    }
  });

  it('an error thrown by onProgress propagates as is, and the next solve works', async () => {
    const { model } = marketSplit(4, 30, 7);
    const boom = new Error('user callback failed');
    await expect(
      solveLp(model, {
        timeLimitMs: 2000,
        progressIntervalMs: 0,
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    const small = new LinearModel('max');
    const x = small.addVariable({ ub: 3, obj: 1 });
    small.addLe([x], [1], 2);
    expect((await solveLp(small)).objective).toBe(2);
  });
});

describe('crash recovery', () => {
  it('a HiGHS runtime that traps gives BackendError, and the next solve uses a fresh runtime', async () => {
    let loads = 0;
    setHighsLoaderForTesting(async () => {
      loads++;
      const real = (await import('highs')) as unknown as { default: () => Promise<unknown> };
      const highs = (await real.default()) as { createModel: (...a: unknown[]) => unknown };
      // A runtime whose every model traps, as a corrupted wasm instance would.
      return new Proxy(highs, {
        get(target, key, receiver) {
          if (key === 'createModel') {
            return () => {
              throw new WebAssembly.RuntimeError('unreachable executed');
            };
          }
          return Reflect.get(target, key, receiver) as unknown;
        },
      }) as never;
    });
    const m = new LinearModel('max');
    const x = m.addVariable({ ub: 3, obj: 1 });
    m.addLe([x], [1], 2);
    const first = solveLp(m);
    await expect(first).rejects.toBeInstanceOf(BackendError);
    await expect(solveLp(m)).rejects.toThrow(/highs: solver crashed: unreachable executed/);
    expect(loads).toBe(2); // the broken runtime was dropped and re-loaded
    setHighsLoaderForTesting(undefined);
    const sol = await solveLp(m);
    expect(sol.status).toBe('optimal');
    expect(sol.objective).toBe(2);
  });

  it('a runtime that fails to load is reported as BackendError and retried next time', async () => {
    setHighsLoaderForTesting(() => Promise.reject(new Error('no wasm here')));
    const m = new LinearModel();
    m.addVariable({ obj: 1 });
    await expect(solveLp(m)).rejects.toThrow(/highs: could not load the WebAssembly runtime: no wasm here/);
    setHighsLoaderForTesting(undefined);
    expect((await solveLp(m)).status).toBe('optimal');
  });
});

describe('bad input names the variable or row', () => {
  it('NaN coefficient', () => {
    const m = new LinearModel();
    m.addVariable({ name: 'a' });
    m.addVariable({ name: 'b' });
    expect(() => m.addLe([0, 1], [1, NaN], 3, 'capacity')).toThrow(ModelError);
    expect(() => m.addLe([0, 1], [1, NaN], 3, 'capacity')).toThrow(/constraints\[0\] "capacity"\.coefs\[1\].*variables\[1\] "b".*NaN/);
    expect(m.numConstraints).toBe(0); // a rejected row leaves the model unchanged
  });

  it('index out of range', () => {
    const m = new LinearModel();
    m.addVariables(2);
    expect(() => m.addGe([0, 2], [1, 1], 1)).toThrow(/constraints\[0\]\.indices\[1\] is 2, not a variable index in \[0, 2\)/);
    expect(() => m.addGe([-1], [1], 1)).toThrow(ModelError);
    expect(() => m.addGe([0.5], [1], 1)).toThrow(ModelError);
    expect(() => m.setObjective(5, 1)).toThrow(ModelError);
  });

  it('lb > ub on a variable and on a row; NaN bounds; bad objective', () => {
    const m = new LinearModel();
    expect(() => m.addVariable({ lb: 3, ub: 1, name: 'load' })).toThrow(/variables\[0\] "load" has lb 3 > ub 1/);
    expect(() => m.addVariable({ lb: NaN })).toThrow(/variables\[0\]\.lb/);
    expect(() => m.addVariable({ lb: Infinity })).toThrow(ModelError);
    expect(() => m.addVariable({ obj: Infinity })).toThrow(/variables\[0\]\.obj/);
    expect(() => m.addVariable({ type: 'binary', lb: 2 })).toThrow(/binary/);
    m.addVariable();
    expect(() => m.addConstraint([0], [1], 5, 4, 'range')).toThrow(/constraints\[0\] "range" has lb 5 > ub 4/);
    expect(() => m.addConstraint([0], [1], NaN, 4)).toThrow(/constraints\[0\]\.lb/);
    expect(() => m.addEq([0], [1], Infinity)).toThrow(/rhs/);
    expect(() => m.addLe([0], [1, 2], 1)).toThrow(/coefs has length 2/);
    expect(() => m.setBounds(0, 2, 1)).toThrow(/has lb 2 > ub 1/);
    expect(() => new LinearModel('maximize' as 'max')).toThrow(ModelError);
  });

  it('bad options', async () => {
    const m = new LinearModel();
    m.addVariable();
    await expect(solveLp(m, { backend: 'cplex' as BackendName })).rejects.toThrow(/options\.backend/);
    await expect(solveLp(m, { timeLimitMs: -1 })).rejects.toThrow(/options\.timeLimitMs/);
    await expect(solveLp(m, { mipRelGap: 2 })).rejects.toThrow(/options\.mipRelGap/);
  });
});

describe('modelling layer', () => {
  it('merges duplicate columns in a row, drops zeros, and does not mutate inputs', async () => {
    const m = new LinearModel('max');
    const x = m.addVariable({ obj: 1 });
    const y = m.addVariable({ obj: 0 });
    const idx = [x, x, y];
    const coefs = [1, 2, 0];
    m.addLe(idx, coefs, 6); // 3x <= 6
    expect(idx).toEqual([x, x, y]);
    expect(coefs).toEqual([1, 2, 0]);
    expect(m.numNonzeros).toBe(1);
    for (const backend of BACKEND_NAMES) expect((await solveLp(m, { backend })).objective).toBeCloseTo(2, 9);
  });

  it('a model without variables is solved directly', async () => {
    const m = new LinearModel();
    m.setObjectiveOffset(7);
    expect(await solveLp(m)).toMatchObject({ status: 'optimal', objective: 7 });
    m.addConstraint([], [], 1, 2);
    expect((await solveLp(m)).status).toBe('infeasible');
  });

  it('the model is not changed by solving, and edits after a solve take effect in the next', async () => {
    const m = new LinearModel('max');
    const x = m.addVariable({ ub: 10, obj: 1, type: 'integer' });
    const row = m.addLe([x], [2], 9);
    expect((await solveLp(m)).objective).toBe(4);
    expect(m.getBounds(x)).toEqual({ lb: 0, ub: 10 });
    m.setConstraintBounds(row, -Infinity, 13);
    m.setType(x, 'continuous');
    expect((await solveLp(m)).objective).toBeCloseTo(6.5, 9);
  });

  it('a solve works on a snapshot: edits made while it is pending do not leak into it', async () => {
    const m = new LinearModel('max');
    const x = m.addVariable({ ub: 4, obj: 1 });
    const pending = solveLp(m);
    m.setObjective(x, 100);
    m.setBounds(x, 0, 1);
    const sol = await pending;
    expect(sol.objective).toBe(4);
    expect(sol.solution?.x[0]).toBe(4);
  });

  it('reports HiGHS nodes for MIPs and simplex iterations for LPs', async () => {
    const { model } = marketSplit(2, 10, 9);
    const mip = await solveLp(model);
    expect(mip.status).toBe('optimal');
    expect(mip.stats.nodes).toBeGreaterThanOrEqual(0);
    const lp = new LinearModel('min');
    const a = lp.addVariable({ obj: 1 });
    const b = lp.addVariable({ obj: 1 });
    lp.addGe([a, b], [1, 2], 3);
    lp.addGe([a, b], [2, 1], 3);
    expect((await solveLp(lp)).stats.iterations).toBeGreaterThanOrEqual(1);
  });

  it('duals only for LPs; MIPs get a bound from HiGHS', async () => {
    const m = new LinearModel('min');
    const x = m.addVariable({ obj: 2, type: 'integer' });
    const y = m.addVariable({ obj: 3, type: 'integer' });
    m.addGe([x, y], [1, 1], 4.5);
    const sol = await solveLp(m);
    expect(sol.solution?.duals).toBeUndefined();
    expect(sol.objective).toBe(10);
    expect(sol.bound).toBeLessThanOrEqual(10);
    expect(sol.gap).toBeLessThanOrEqual(1e-9);
  });

  it('builds a facility-location LP relaxation from typed arrays and solves it', async () => {
    const F = 30;
    const C = 200;
    const m = new LinearModel('min');
    const y = m.addVariables(F, { ub: 1 });
    const x = m.addVariables(F * C, { ub: 1 });
    for (let i = 0; i < F; i++) m.setObjective(y + i, 50 + ((i * 37) % 100));
    for (let k = 0; k < F * C; k++) m.setObjective(x + k, (k * 7919) % 101);
    const idx = new Int32Array(F);
    const ones = new Float64Array(F).fill(1);
    for (let j = 0; j < C; j++) {
      for (let i = 0; i < F; i++) idx[i] = x + i * C + j;
      m.addEq(idx, ones, 1);
    }
    for (let i = 0; i < F; i++) for (let j = 0; j < C; j++) m.addLe([x + i * C + j, y + i], [1, -1], 0);
    expect(m.numNonzeros).toBe(3 * F * C);
    const sol = await solveLp(m);
    expect(sol.status).toBe('optimal');
    expect(sol.solution?.maxViolation).toBeLessThan(1e-6);
    expect(sol.bound).toBe(sol.objective);
  });
});

describe('highsOptions', () => {
  it('passes native options through, and an unknown one is a BackendError', async () => {
    const m = new LinearModel('min');
    const x = m.addVariable({ obj: 2 });
    const y = m.addVariable({ obj: 3 });
    m.addGe([x, y], [1, 1], 4);
    m.addGe([x, y], [1, 3], 6);
    expect((await solveLp(m, { highsOptions: { presolve: 'off', solver: 'ipm' } })).objective).toBeCloseTo(9, 6);
    await expect(solveLp(m, { highsOptions: { no_such_option: 1 } })).rejects.toBeInstanceOf(BackendError);
    expect((await solveLp(m)).objective).toBeCloseTo(9, 9); // the runtime survived
  });
});

describe('jslp without worker threads (browser fallback)', () => {
  it('solves in-thread', async () => {
    setWorkerThreadsForTesting(false);
    try {
      const m = new LinearModel('max');
      const a = m.addVariable({ type: 'integer', obj: 30 });
      const b = m.addVariable({ type: 'integer', obj: 50 });
      m.addLe([a, b], [1, 2], 40);
      m.addLe([a, b], [2, 1], 50);
      const sol = await solveLp(m, { backend: 'jslp' });
      expect(sol.status).toBe('optimal');
      expect(sol.objective).toBeCloseTo(1100, 9);
    } finally {
      setWorkerThreadsForTesting(true);
    }
  });
});
