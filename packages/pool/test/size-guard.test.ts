import { describe, expect, it } from 'vitest';
import { checkMemory, createGraph, createPlacementModel, DEFAULT_MAX_MEMORY_BYTES, ModelError, setMemoryLimit, solve } from '@emplace/core';
import '@emplace/facility';
import '@emplace/kcenter';
import '@emplace/assignment';
import '@emplace/spectral';
import '@emplace/steiner';

describe('size guards (issue 13)', () => {
  const model = createPlacementModel({ sites: 20, clients: 50, cost: new Float64Array(1000).fill(1), demand: new Float64Array(50).fill(1), capacity: new Float64Array(20).fill(10) });
  const g = createGraph({ n: 100, edges: Array.from({ length: 99 }, (_, i) => [i, i + 1, 1] as const) });

  it('checkMemory names the size and the limit', () => {
    expect(() => checkMemory('ufl:auto', 'a 20000 x 20000 sites x clients problem', 12.8e9, {})).toThrow(ModelError);
    expect(() => checkMemory('ufl:auto', 'a 20000 x 20000 sites x clients problem', 12.8e9, {})).toThrow(/20000 x 20000.*12 GiB.*2\.0 GiB/);
    expect(() => checkMemory('x', 'y', 10, { maxMemoryBytes: 0 })).toThrow(/maxMemoryBytes/);
  });

  it('every family entry point refuses an input above options.maxMemoryBytes before allocating', async () => {
    const cases: [object, Record<string, unknown>][] = [
      [model, { method: 'ufl' }],
      [model, { method: 'cfl:lagrangian' }],
      [model, { method: 'pmedian', p: 2 }],
      [model, { method: 'kcenter', k: 2 }],
      [model, { method: 'gap:tabu' }],
      [g, { method: 'fiedler' }],
      [g, { method: 'partition' }],
    ];
    for (const [m, o] of cases) {
      await expect(solve(m as { kind: string }, { ...o, method: o.method as string, maxMemoryBytes: 1000 }), String(o.method)).rejects.toThrow(/memory limit/);
    }
  });

  it('the process-wide limit applies when the call sets none, and small inputs pass', async () => {
    const prev = setMemoryLimit(1000);
    try {
      await expect(solve(model, { method: 'ufl' })).rejects.toThrow(ModelError);
      expect((await solve(model, { method: 'ufl', maxMemoryBytes: 1e9 })).status).toBe('optimal');
    } finally {
      setMemoryLimit(prev);
    }
    expect(prev).toBe(DEFAULT_MAX_MEMORY_BYTES);
    expect((await solve(model, { method: 'ufl' })).status).toBe('optimal');
  });
});
