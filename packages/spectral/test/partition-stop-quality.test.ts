import { describe, expect, it } from 'vitest';
import type { Graph } from '@emplace/core';
import { recursivePartition } from '@emplace/spectral';
import { abortAtRead } from '../../core/test/support/steps.js';
import { randomConnected } from './graphs.js';

/** Cut weight, part volumes and the largest part conductance of `part`, straight from the edge list. */
function evaluate(g: Graph, part: Int32Array, parts: number): { cut: number; maxConductance: number; sizes: number[] } {
  const vol = new Array<number>(parts).fill(0);
  const cutOf = new Array<number>(parts).fill(0);
  const sizes = new Array<number>(parts).fill(0);
  let cut = 0;
  for (let v = 0; v < g.n; v++) sizes[part[v]!]!++;
  for (let e = 0; e < g.m; e++) {
    const a = part[g.edgeU[e]!]!;
    const b = part[g.edgeV[e]!]!;
    const w = g.edgeW[e]!;
    vol[a]! += w;
    vol[b]! += w;
    if (a !== b) (cut += w), (cutOf[a]! += w), (cutOf[b]! += w);
  }
  const total = vol.reduce((s, x) => s + x, 0);
  let maxConductance = 0;
  for (let p = 0; p < parts; p++) maxConductance = Math.max(maxConductance, cutOf[p]! / Math.min(vol[p]!, total - vol[p]!));
  return { cut, maxConductance, sizes };
}

// Issue 13: after a stop, a two-way partition's only split takes its quality from the one
// pass over the graph's edges (no pass over the Laplacian's for the interrupted bisection).
describe('partition stopped at counted checkpoints: the reported quality is the answer\'s', () => {
  const g = randomConnected(2000, 6000, 13);
  for (const k of [2, 3]) {
    it(`k = ${k}`, () => {
      let stoppedAnswers = 0;
      for (let after = 1; after < 1400; after += 37) {
        const a = abortAtRead(after);
        let p: ReturnType<typeof recursivePartition>;
        try {
          p = recursivePartition(g, { k, signal: a.signal });
        } catch {
          continue; // stopped before a first vector
        }
        if (a.fired()) stoppedAnswers++;
        const ref = evaluate(g, p.part, p.parts);
        expect(p.parts).toBe(k);
        expect(Array.from(p.sizes)).toEqual(ref.sizes);
        expect(p.cutWeight).toBeCloseTo(ref.cut, 9);
        expect(p.maxConductance).toBeCloseTo(ref.maxConductance, 12);
        for (const s of p.splits) expect(Number.isFinite(s.conductance)).toBe(true);
        // The first split is the whole graph's: with k = 2 its conductance is the answer's.
        if (k === 2) expect(p.splits[0]!.conductance).toBeCloseTo(ref.maxConductance, 12);
      }
      expect(stoppedAnswers).toBeGreaterThan(0);
    });
  }
});
