import { describe, expect, it } from 'vitest';
import { createGraph, solve } from '@emplace/core';
import { maxFlow } from '../src/index.js';
import '../src/register.js';

describe('maxflow with extreme capacities (issue 13)', () => {
  // SteinLib-style input of the report: 1-2 cap 1e15, 2-3 cap 5, 1-3 cap 4; source 1, sink 3.
  const g = createGraph({ n: 3, edges: [[0, 1, 1e15], [1, 2, 5], [0, 2, 4]] });

  it('a 1e15 edge does not hide the small ones (true max flow 9)', () => {
    const r = maxFlow(g, 0, 2);
    expect(r.value).toBe(9);
    expect(r.cutCapacity).toBe(9);
  });

  it('the envelope claims optimal only with value = cut capacity', async () => {
    const r = await solve(g, { method: 'maxflow', source: 0, sink: 2 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(9);
    expect(r.bound).toBe(9);
  });

  it('tiny and huge capacities together', () => {
    const h = createGraph({ n: 4, edges: [[0, 1, 1e300], [1, 3, 1e-6], [0, 2, 1e-300], [2, 3, 1e300]] });
    const r = maxFlow(h, 0, 3);
    expect(r.value).toBeCloseTo(1e-6 + 1e-300, 15);
    expect(r.cutCapacity).toBe(r.value);
  });
});
