import { describe, expect, it } from 'vitest';
import { createPlacementModel, defineMethods, isAllowed, ModelError, registerMethods, solve, SolveRun, type SolveOptions } from '@emplace/core';

/** Defects found by the status audit (scripts/audit/statuses.ts), each with its reproduction. */
describe('audit findings: createPlacementModel', () => {
  it('reads allowed rows of a one-client model as rows (a row [0] used to count as allowed)', () => {
    // Before: allowed [[0], [0], [0]] (3 sites, 1 client) was read as a flat array of three
    // truthy entries, so every UFL method answered `optimal` on an infeasible instance.
    const m = createPlacementModel({ sites: 3, clients: 1, cost: [[1], [2], [1]], allowed: [[0], [1], [0]] });
    expect([0, 1, 2].map((i) => isAllowed(m, i, 0))).toEqual([false, true, false]);
    const one = createPlacementModel({ sites: 1, clients: 1, cost: [[7]], allowed: [[0]] });
    expect(isAllowed(one, 0, 0)).toBe(false);
  });

  it('still reads a flat allowed array, and names a non-flag entry', () => {
    const m = createPlacementModel({ sites: 2, clients: 1, cost: [3, 4], allowed: [1, 0] });
    expect([isAllowed(m, 0, 0), isAllowed(m, 1, 0)]).toEqual([true, false]);
    expect(() => createPlacementModel({ sites: 1, clients: 2, cost: [3, 4], allowed: [[1], 0] as never })).toThrow(ModelError);
    expect(() => createPlacementModel({ sites: 1, clients: 2, cost: [3, 4], allowed: [[1], 0] as never })).toThrow(/allowed\[0\]/);
  });
});

describe('audit findings: SolveOptions callbacks and signal', () => {
  // Before: `signal: {}` reached HiGHS's abort wiring ("signal?.addEventListener is not a
  // function") and `onProgress: 5` the progress throttle ("cb is not a function"): TypeErrors.
  const table = defineMethods<{ kind: 'audit-test' }, SolveOptions, number>()({
    family: 'audit-test',
    modelKind: 'audit-test',
    summary: 'a method that reports progress',
    methods: [
      {
        method: 'auto',
        description: 'returns 1',
        guarantee: 'exact',
        solve: (_model, options) => {
          const run = new SolveRun(options, 'audit-test:auto', 'min');
          run.progress({ phase: 'x' }, true);
          return run.solved({ solution: 1, objective: 1, proven: true, guarantee: { kind: 'exact' } });
        },
      },
    ],
  });
  registerMethods(table);
  const model = { kind: 'audit-test' as const };

  it.each([
    ['signal', {}],
    ['signal', 5],
    ['signal', 'x'],
    ['onProgress', 5],
    ['onProgress', {}],
    ['onIncumbent', true],
  ])('%s = %j is a ModelError naming options.%s', async (name, value) => {
    await expect(solve(model, { method: 'audit-test', [name]: value })).rejects.toThrow(ModelError);
    await expect(solve(model, { method: 'audit-test', [name]: value })).rejects.toThrow(`options.${name}`);
    await expect(table.solve(model, { [name]: value } as SolveOptions & { method?: 'auto' })).rejects.toThrow(`options.${name}`);
    expect(() => new SolveRun({ [name]: value } as SolveOptions, 'x:y', 'min')).toThrow(`options.${name}`);
  });

  it('accepts a real signal and callbacks', async () => {
    const events: unknown[] = [];
    const r = await solve(model, { method: 'audit-test', signal: new AbortController().signal, onProgress: (e) => events.push(e) });
    expect(r.status).toBe('optimal');
    expect(events.length).toBeGreaterThan(0);
  });
});
