import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, Rng, runSteps, type Graph } from '@emplace/core';
import { abortAfterTurns } from '../../core/test/support/steps.js';
import { laplacian, solveFiedler } from '../src/index.js';
import { MultilevelPreconditioner } from '../src/multilevel.js';
import { randomConnected } from './graphs.js';

/**
 * The multilevel preconditioner's hierarchy (issue 13: its contraction grew its arrays by
 * doubling, copying tens of MB inside one chunk, 40-70 ms without a checkpoint on a 200k-node
 * preferential-attachment graph; it now reserves the fine level's entries at once). Each
 * coarse level must be the Galerkin operator P^T L P of the level above: the contracted graph.
 */

/** A preferential-attachment graph: each new node links to `k` earlier ones drawn by degree (hubs). */
function preferential(n: number, k: number, seed: number): Graph {
  const rng = new Rng(seed);
  const ends: number[] = [0, 1];
  const u: number[] = [0];
  const v: number[] = [1];
  for (let i = 2; i < n; i++) {
    for (let t = 0; t < Math.min(k, i); t++) {
      const j = ends[rng.int(ends.length)]!;
      if (j === i) continue;
      u.push(i);
      v.push(j);
      ends.push(i, j);
    }
  }
  return createGraph({ n, edges: { u, v } });
}

type Level = MultilevelPreconditioner['levels'][number];

/** Row a of a level as a map column -> coupling. */
function row(level: Level, a: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = level.offsets[a]!; k < level.offsets[a + 1]!; k++) m.set(level.cols[k]!, level.values[k]!);
  return m;
}

/** The contracted graph of `fine` through its aggregate map, summed independently (fine rows in index order). */
function contracted(fine: Level, nc: number): Map<number, number>[] {
  const rows = Array.from({ length: nc }, () => new Map<number, number>());
  const map = fine.aggregate!;
  for (let i = 0; i < fine.n; i++) {
    const a = map[i]!;
    for (let k = fine.offsets[i]!; k < fine.offsets[i + 1]!; k++) {
      const b = map[fine.cols[k]!]!;
      if (b !== a) rows[a]!.set(b, (rows[a]!.get(b) ?? 0) + fine.values[k]!);
    }
  }
  return rows;
}

function expectGalerkin(ml: MultilevelPreconditioner): void {
  for (let l = 0; l + 1 < ml.levels.length; l++) {
    const fine = ml.levels[l]!;
    const coarse = ml.levels[l + 1]!;
    const ref = contracted(fine, coarse.n);
    for (let a = 0; a < coarse.n; a++) {
      const got = row(coarse, a);
      expect(got.size).toBe(ref[a]!.size);
      let sum = 0;
      for (const [b, w] of ref[a]!) {
        expect(got.get(b)).toBeCloseTo(w, 9);
        sum += w;
      }
      expect(coarse.diagonal[a]).toBeCloseTo(sum, 9);
    }
  }
}

describe('MultilevelPreconditioner hierarchy', () => {
  it('every coarse level is the contracted graph of the level above (dense random graphs: more couplings than four per aggregate)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (n, density, seed) => {
        const ml = new MultilevelPreconditioner(laplacian(randomConnected(n, density * n, seed)), { coarsestSize: 8 });
        expect(ml.levels.length).toBeGreaterThan(1);
        expectGalerkin(ml);
      }),
      { numRuns: 40 },
    );
  });

  it('on graphs with hubs too, and built in steps it equals the one built at once', () => {
    for (const seed of [1, 2, 3]) {
      const lap = laplacian(preferential(3000, 5, seed));
      const once = new MultilevelPreconditioner(lap, { coarsestSize: 16 });
      expectGalerkin(once);
      let polls = 0;
      const cp = { needsYield: () => ++polls % 3 === 0, shouldStop: () => false };
      const stepped = runSteps(MultilevelPreconditioner.build(lap, cp, { coarsestSize: 16 }))!;
      expect(stepped.levels.length).toBe(once.levels.length);
      for (let l = 0; l < once.levels.length; l++) {
        expect(stepped.levels[l]!.offsets).toEqual(once.levels[l]!.offsets);
        expect(stepped.levels[l]!.cols).toEqual(once.levels[l]!.cols);
        expect(stepped.levels[l]!.values).toEqual(once.levels[l]!.values);
        expect(stepped.levels[l]!.diagonal).toEqual(once.levels[l]!.diagonal);
      }
    }
  });

  it('a stop at any checkpoint of the build gives up (undefined)', () => {
    const lap = laplacian(preferential(40_000, 5, 4));
    let total = 0;
    runSteps(MultilevelPreconditioner.build(lap, { needsYield: () => true, shouldStop: () => (total++, false) }, { coarsestSize: 16 }));
    expect(total).toBeGreaterThan(2);
    for (const after of [1, 2, Math.ceil(total / 2), total]) {
      let polls = 0;
      const cp = { needsYield: () => true, shouldStop: () => ++polls >= after };
      expect(runSteps(MultilevelPreconditioner.build(lap, cp, { coarsestSize: 16 }))).toBeUndefined();
    }
  });
});

describe('fiedler on a preferential-attachment graph aborted after counted event-loop turns (issue 13)', () => {
  const g = preferential(40_000, 5, 9);
  for (const turns of [1, 3, 8, 20]) {
    it(`after ${turns} turns: stoppedBy aborted, the current vector (feasible) or none`, async () => {
      const r = await abortAfterTurns(turns, (signal) => solveFiedler(g, { method: 'lobpcg', signal, timeLimitMs: 120_000 }));
      expect(r.stoppedBy).toBe('aborted');
      if (r.solution) {
        expect(r.status).toBe('feasible');
        expect(r.solution.vector.length).toBe(g.n);
      } else expect(r.status).toBe('no-solution');
    }, 60_000);
  }
});
