import { createGraph, ModelError, type Graph } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { solveMaxFlow, solveMst } from '../src/index.js';

/** The field of the ModelError the call rejects with. */
async function fieldOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return (err as ModelError).field;
  }
  return 'no error';
}

describe('graph direct entries check the model shape (fuzz findings F5, F12)', () => {
  const g = (): Graph => createGraph({ n: 3, edges: [[0, 1, 2], [1, 2, 3], [0, 2, 4]] });
  const bad = (change: Record<string, unknown>): Graph => ({ ...g(), ...change }) as unknown as Graph;

  it('solveMaxFlow names the broken field', async () => {
    expect(await fieldOf(() => solveMaxFlow({ kind: 'graph', n: 2 } as unknown as Graph, { source: 0, sink: 1 }))).toMatch(/^model\./);
    expect(await fieldOf(() => solveMaxFlow(bad({ adjNode: null }), { source: 0, sink: 2 }))).toBe('model.adjNode');
    expect(await fieldOf(() => solveMaxFlow(bad({ adjEdge: null }), { source: 0, sink: 2 }))).toBe('model.adjEdge');
  });

  it('solveMst names the broken field instead of optimal NaN or a RangeError', async () => {
    expect(await fieldOf(() => solveMst(bad({ edgeW: {} })))).toBe('model.edgeW');
    expect(await fieldOf(() => solveMst(bad({ edgeW: 'xyz' })))).toBe('model.edgeW');
    expect(await fieldOf(() => solveMst(bad({ n: -Infinity })))).toBe('model.n');
    const ok = await solveMst(g());
    expect(ok.status).toBe('optimal');
    if (ok.status === 'optimal') expect(ok.objective).toBe(5);
  });
});
