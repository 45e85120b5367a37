import { describe, expect, it } from 'vitest';
import { Rng, solve, type Graph } from '@emplace/core';
import { recursivePartition, spectralBisection } from '@emplace/spectral';
import { graph, path, cycle } from './graphs.js';

describe('partitioning', () => {
  function sbm(blocks: number, size: number, pin: number, pout: number, seed: number): { g: Graph; truth: Int32Array } {
    const rng = new Rng(seed);
    const n = blocks * size;
    const e: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < (Math.floor(i / size) === Math.floor(j / size) ? pin : pout)) e.push([i, j]);
    return { g: graph(n, e), truth: Int32Array.from({ length: n }, (_, i) => Math.floor(i / size)) };
  }
  function accuracy(part: Int32Array, truth: Int32Array, k: number): number {
    // Best matching of labels by brute force over permutations (k <= 4).
    const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
    let best = 0;
    for (const p of perms([...Array(k).keys()])) {
      let ok = 0;
      for (let i = 0; i < part.length; i++) if (p[part[i]!] === truth[i]) ok++;
      best = Math.max(best, ok / part.length);
    }
    return best;
  }
  it('recovers planted bisection and 4-way stochastic block models', () => {
    const two = sbm(2, 60, 0.3, 0.02, 7);
    const b = spectralBisection(two.g);
    expect(accuracy(Int32Array.from(b.side), two.truth, 2)).toBeGreaterThanOrEqual(0.98);
    expect(b.conductance).toBeLessThanOrEqual(b.cheeger!.upper);
    expect(b.cheeger!.lower).toBeLessThanOrEqual(b.conductance);
    const four = sbm(4, 40, 0.35, 0.01, 9);
    const p = recursivePartition(four.g, { k: 4 });
    expect(p.parts).toBe(4);
    expect(accuracy(p.part, four.truth, 4)).toBeGreaterThanOrEqual(0.95);
  });
  it('the registry dispatches fiedler and partition', async () => {
    const r = await solve(cycle(30), { method: 'fiedler' });
    expect(r.objective).toBeCloseTo(2 * (1 - Math.cos((2 * Math.PI) / 30)), 10);
    const p = await solve(path(40), { method: 'partition', k: 2 });
    expect(p.status === 'feasible' || p.status === 'optimal').toBe(true);
  });
});
