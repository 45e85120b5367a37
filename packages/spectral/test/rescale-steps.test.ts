import { describe, expect, it } from 'vitest';
import { createGraph, Rng, type Graph } from '@emplace/core';
import { drainSteps } from '../../core/test/support/steps.js';
import { rescaleWeights, rescaleWeightsSteps } from '../src/rescale.js';

/**
 * Issue 13: the pass over the edge weights before the Laplacian (validation, extremes, the
 * rescaled copy when the weights are extreme) was one 25-30 ms stretch on 4M edges. In steps,
 * it reads the same weights in the same order: the answer is the one pass's.
 */
function path(n: number, weight: (e: number) => number): Graph {
  const u = Int32Array.from({ length: n - 1 }, (_, e) => e);
  const v = Int32Array.from({ length: n - 1 }, (_, e) => e + 1);
  const w = Float64Array.from({ length: n - 1 }, (_, e) => weight(e));
  return createGraph({ n, edges: { u, v, w } });
}

describe('rescaleWeightsSteps', () => {
  it('yields on 600k edges and gives what rescaleWeights gives (ordinary weights: the input itself)', () => {
    const r = new Rng(2);
    const g = path(600_001, () => 1 + r.int(100));
    const stepped = drainSteps(rescaleWeightsSteps(g));
    expect(stepped.pauses).toBeGreaterThanOrEqual(2);
    const whole = rescaleWeights(g);
    expect(stepped.value.graph).toBe(g);
    expect([stepped.value.scale, stepped.value.range, stepped.value.rangeText]).toEqual([whole.scale, whole.range, whole.rangeText]);
  });

  it('extreme weights: the same rescaled copy and the same unscale', () => {
    const g = path(300_001, (e) => (e % 7 === 0 ? 1e200 : e % 11 === 0 ? 1e-320 : 1 + (e % 13)));
    const stepped = drainSteps(rescaleWeightsSteps(g));
    const whole = rescaleWeights(g);
    expect(stepped.pauses).toBeGreaterThanOrEqual(3);
    expect(stepped.value.graph).not.toBe(g);
    expect(stepped.value.graph.edgeW).toEqual(whole.graph.edgeW);
    expect(stepped.value.graph.adjWeight).toEqual(whole.graph.adjWeight);
    expect(stepped.value.scale).toBe(whole.scale);
    expect(stepped.value.unscale(12345)).toBe(whole.unscale(12345));
  });
});
