import { describe, expect, it } from 'vitest';
import { createGraph, solve, type Graph, type ProgressEvent } from '@emplace/core';
import { abortAtRead } from '../../core/test/support/steps.js';
import { fiedler, laplacian, solveFiedler, solvePartition, kWayQuality } from '../src/index.js';
import '../src/register.js';

function grid(side: number): Graph {
  const m = 2 * side * (side - 1);
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  let e = 0;
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const a = i * side + j;
    if (j + 1 < side) (u[e] = a), (v[e++] = a + 1);
    if (i + 1 < side) (u[e] = a), (v[e++] = a + side);
  }
  return createGraph({ n: side * side, edges: { u, v } });
}

/** lambda2 of the side x side grid: 2 (1 - cos(pi / side)). */
const gridLambda2 = (side: number) => 2 * (1 - Math.cos(Math.PI / side));

describe('fiedler: in-thread abort (issue 13)', () => {
  it('an abort at the first progress event of LOBPCG returns the current vector with its residual', async () => {
    const side = 120;
    const g = grid(side);
    const ctl = new AbortController();
    const onProgress = (e: ProgressEvent) => {
      if (e.phase === 'lobpcg') ctl.abort();
    };
    const r = await solveFiedler(g, { method: 'lobpcg', signal: ctl.signal, onProgress });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    const s = r.solution!;
    expect(s.vector.length).toBe(g.n);
    // Whatever the iterate, its Rayleigh quotient is an upper bound of lambda2, and its residual is recomputed.
    expect(r.objective!).toBeGreaterThanOrEqual(gridLambda2(side) * (1 - 1e-9));
    const lap = laplacian(g);
    const y = new Float64Array(g.n);
    lap.multiply(s.vector, y);
    let res = 0;
    for (let i = 0; i < g.n; i++) res += (y[i]! - s.lambda2 * s.vector[i]!) ** 2;
    expect(Math.sqrt(res)).toBeCloseTo(s.residual, 8);
  });

  it('an abort at the first checkpoint of the Laplacian build returns no-solution, saying where it stopped', async () => {
    const g = grid(400); // 320k edges: the build has several chunks
    const a = abortAtRead(1);
    const r = await solveFiedler(g, { method: 'lobpcg', signal: a.signal });
    expect(r.status).toBe('no-solution');
    expect(r.stoppedBy).toBe('aborted');
    expect(r.solution).toBeUndefined();
    expect(r.warnings?.[0]).toMatch(/during the Laplacian build/);
    expect(a.reads()).toBe(1);
  });

  it('an abort at a later setup checkpoint (components, ordering, preconditioner) still answers', async () => {
    const g = grid(300);
    for (const after of [2, 4, 8, 16, 32]) {
      const a = abortAtRead(after);
      const r = await solveFiedler(g, { method: 'auto', signal: a.signal });
      expect(r.stoppedBy).toBe('aborted');
      if (r.status === 'no-solution') expect(r.warnings?.[0]).toMatch(/stopped \(aborted\) during/);
      else {
        expect(r.status).toBe('feasible');
        expect(r.solution!.vector.length).toBe(g.n);
        expect(r.objective!).toBeGreaterThanOrEqual(gridLambda2(300) * (1 - 1e-9));
      }
    }
  });

  it('an abort at the first event-loop turn (setup of a large graph) settles with a clear status', async () => {
    const g = grid(400);
    const ctl = new AbortController();
    setImmediate(() => ctl.abort());
    const r = await solve(g, { method: 'fiedler:lobpcg', signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(['no-solution', 'feasible']).toContain(r.status);
  });

  it('the dense oracle stops between Householder columns: no-solution', async () => {
    const g = grid(25); // 625 nodes: O(n^3) well over one yield interval
    const a = abortAtRead(1);
    const r = await solveFiedler(g, { method: 'dense', signal: a.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('no-solution');
    expect(r.warnings?.[0]).toMatch(/dense eigensolver/);
  });

  it('the sync kernel and the async entry agree', async () => {
    const g = grid(30);
    const a = fiedler(g, { method: 'lobpcg' });
    const b = await solveFiedler(g, { method: 'lobpcg' });
    expect(b.objective).toBe(a.lambda2);
  });
});

describe('partition: in-thread abort (issue 13)', () => {
  it('an abort during the first bisection returns a valid k-way partition, the missing parts flagged', async () => {
    const g = grid(100);
    const ctl = new AbortController();
    const r = await solvePartition(g, { k: 4, signal: ctl.signal, onProgress: (e) => (e.phase === 'lobpcg' || e.phase === 'shift-invert') && ctl.abort() });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    const s = r.solution!;
    expect(s.parts).toBe(4);
    expect(s.completedBy).toBe(2);
    expect(r.warnings?.[0]).toMatch(/halving/);
    // Conductances recomputed independently of the solver's bookkeeping.
    const q = kWayQuality(g, s.part, s.parts);
    expect(Array.from(q.sizes).every((x) => x > 0)).toBe(true);
    expect(r.objective).toBeCloseTo(q.maxConductance, 12);
  });

  it('an abort at the first checkpoint (the whole-graph Laplacian) returns no-solution', async () => {
    const a = abortAtRead(1);
    const r = await solvePartition(grid(400), { k: 4, signal: a.signal });
    expect(r.status).toBe('no-solution');
    expect(r.stoppedBy).toBe('aborted');
  });
});
