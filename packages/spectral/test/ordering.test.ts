import { describe, expect, it } from 'vitest';
import { Rng } from '@emplace/core';
import { fiedler } from '@emplace/spectral';
import { graph } from './graphs.js';

describe('large graphs (breadth-first reordering path)', () => {
  it('a 200 x 100 grid with shuffled ids matches the closed form, vector mapped back to the input order', () => {
    const a = 200;
    const b = 100;
    const perm = new Rng(5).permutation(a * b);
    const e: [number, number][] = [];
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) {
      if (j + 1 < b) e.push([perm[i * b + j]!, perm[i * b + j + 1]!]);
      if (i + 1 < a) e.push([perm[i * b + j]!, perm[(i + 1) * b + j]!]);
    }
    const g = graph(a * b, e);
    const f = fiedler(g, { method: 'lobpcg' });
    const exact = 2 * (1 - Math.cos(Math.PI / a));
    expect(Math.abs(f.lambda2 - exact) / exact).toBeLessThan(1e-8);
    expect(f.relativeResidual).toBeLessThan(1e-8);
    // The Fiedler vector of a grid varies along its long side only: cos(pi (i + 1/2) / a).
    const v0 = f.vector[perm[0]!]!;
    const vLast = f.vector[perm[(a - 1) * b]!]!;
    expect(Math.abs(v0 + vLast)).toBeLessThan(1e-6);
    expect(Math.abs(f.vector[perm[5]!]! - v0)).toBeLessThan(1e-6);
  });
});
