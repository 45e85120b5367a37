import { describe, expect, it } from 'vitest';
import { ModelError, createGraph, type Graph } from '@emplace/core';
import { fiedler, laplacian } from '@emplace/spectral';
import { graph, path, dot } from './graphs.js';

describe('Laplacian', () => {
  it('merges parallel edges (weights add up) and multiplies without allocating new output', () => {
    const g = graph(3, [[0, 1, 2], [1, 0, 3], [1, 2, 1]]);
    const L = laplacian(g);
    expect(Array.from(L.toDense())).toEqual([5, -5, 0, -5, 6, -1, 0, -1, 1]);
    const y = new Float64Array(3);
    L.multiply(Float64Array.of(1, 2, 3), y);
    expect(Array.from(y)).toEqual([5 - 10, -5 + 12 - 3, -2 + 3]);
    expect(L.quadraticForm(Float64Array.of(1, 2, 3))).toBeCloseTo(dot(Float64Array.of(1, 2, 3), y), 12);
  });
  it('normalized Laplacian is I - D^-1/2 W D^-1/2', () => {
    const g = graph(3, [[0, 1, 1], [1, 2, 3]]);
    const N = laplacian(g, 'normalized').toDense();
    expect(N[0]).toBe(1);
    expect(N[1]).toBeCloseTo(-1 / Math.sqrt(1 * 4), 14);
    expect(N[5]).toBeCloseTo(-3 / Math.sqrt(4 * 3), 14);
  });
});

describe('bad input', () => {
  it('names the field', () => {
    expect(() => fiedler(createGraph({ n: 0, edges: [] }))).toThrow(/graph\.n/);
    expect(() => fiedler(createGraph({ n: 1, edges: [] }))).toThrow(/graph\.n/);
    expect(() => fiedler(createGraph({ n: 2, edges: [[0, 1, -1]], allowNegative: true }))).toThrow(/edgeW\[0\].*negative/);
    const g = path(3);
    const nan = { ...g, edgeW: Float64Array.of(1, NaN), adjWeight: Float64Array.of(1, 1, NaN, NaN) };
    expect(() => fiedler(nan)).toThrow(/edgeW\[1\] is NaN/);
    expect(() => fiedler({ ...g, directed: true } as Graph)).toThrow(ModelError);
    expect(() => fiedler({ kind: 'placement' } as unknown as Graph)).toThrow(/graph/);
    expect(() => fiedler(g, { method: 'magic' as 'dense' })).toThrow(/options\.method/);
  });
});
