import { describe, expect, it } from 'vitest';
import { createGraph, Rng, solve, type Result } from '@emplace/core';
import { createMcfProblem, type McfProblem } from '@emplace/flows';
import '@emplace/flows';

/**
 * Issue 13: the arc LP of mcf:lp / concurrent-lp / link-upgrade (hundreds of thousands of
 * columns) was built in one synchronous stretch before HiGHS started, and a Garg-Koenemann
 * group could take many shortest-path trees between checkpoints. These tests abort at the
 * solver's FIRST yield to the event loop (a setImmediate queued right after the call),
 * never on a timer.
 */
function gridMcf(side: number, terminals: number, seed: number): McfProblem {
  const rng = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < side; a++) {
    for (let b = 0; b < side; b++) {
      const x = a * side + b;
      if (b + 1 < side) u.push(x), v.push(x + 1), w.push(10 + rng.int(90));
      if (a + 1 < side) u.push(x), v.push(x + side), w.push(10 + rng.int(90));
    }
  }
  const graph = createGraph({ n: side * side, edges: { u, v, w } });
  const nodes = new Set<number>();
  while (nodes.size < terminals) nodes.add(rng.int(side * side));
  const list = [...nodes];
  const commodities = [];
  for (const s of list) for (const t of list) if (s !== t) commodities.push({ source: s, sink: t, demand: 1 + rng.next() * 5, class: rng.next() < 0.5 ? 'a' : 'b', weight: 1 + rng.int(3) });
  return createMcfProblem({ graph, commodities });
}

async function abortAtFirstYield(model: McfProblem, options: Record<string, unknown>): Promise<Result<unknown>> {
  const ctl = new AbortController();
  const pending = solve(model, { ...options, signal: ctl.signal });
  setImmediate(() => ctl.abort());
  return pending;
}

describe('mcf methods see an abort at their first yield (issue 13)', () => {
  const p = gridMcf(40, 20, 8);

  for (const method of ['mcf:lp', 'mcf:concurrent-lp']) {
    it(`${method} stops while it builds the LP`, async () => {
      const r = await abortAtFirstYield(p, { method });
      expect(r.stoppedBy).toBe('aborted');
      expect(r.stats['stoppedWhileBuilding']).toBe(true);
    });
  }

  it('link-upgrade stops while it builds the LP', async () => {
    const r = await abortAtFirstYield(p, { method: 'link-upgrade:auto', unitCost: new Float64Array(p.graph.m).fill(1) });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.stats['stoppedWhileBuilding']).toBe(true);
  });

  it('mcf:garg-konemann stops with stoppedBy aborted', async () => {
    const r = await abortAtFirstYield(p, { method: 'mcf:garg-konemann' });
    expect(r.stoppedBy).toBe('aborted');
  });
});
