import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, Rng, runSteps, SolveRun, type Graph, type Steps } from '@emplace/core';
import { abortAtRead } from '../../core/test/support/steps.js';
import { cutQuality, kWayQuality, laplacian, recursivePartition, solvePartition, type SparseLaplacian } from '../src/index.js';
import { recursivePartitionSteps, type KWayOptions } from '../src/partition.js';
import { inducedLaplacianSteps } from '../src/subgraph.js';
import { rowsPerChunk } from '../src/chunks.js';

/*
 * Issue 13: the spectral steps were cut into smaller checkpoints (the Laplacian's tail,
 * the induced Laplacian of the first bisection, the sweep's prefix scan, the cut and
 * k-way quality). The answers must not change: the sums still run in the same order.
 * The reference evaluators below are the single-pass loops the chunked code replaced.
 */

/** A random weighted graph: `parts` random connected blocks (so it can be disconnected), extra edges, parallel edges, a few isolated nodes. */
function randomGraph(n: number, extra: number, parts: number, seed: number): Graph {
  const rng = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  const block = Math.max(2, Math.floor(n / parts));
  for (let i = 1; i < n - 3; i++) {
    if (i % block === 0) continue; // a new block starts: no tree edge into it
    u.push(i - 1 - rng.int(Math.min(i % block, 5)));
    v.push(i);
    w.push(1 + rng.int(100));
  }
  for (let t = 0; t < extra; t++) {
    const a = rng.int(n - 3);
    const b = Math.min(n - 4, Math.floor(a / block) * block + rng.int(block));
    if (a === b) continue;
    u.push(a);
    v.push(b);
    w.push(rng.next() < 0.1 ? 0.5 + rng.next() : 1 + rng.int(100));
  }
  return createGraph({ n, edges: { u, v, w } });
}

function referenceCut(lap: SparseLaplacian, side: Uint8Array): { cut: number; volS: number; volT: number; sizeS: number } {
  let cut = 0;
  let volS = 0;
  let volT = 0;
  let sizeS = 0;
  for (let i = 0; i < lap.n; i++) {
    if (side[i]) {
      sizeS++;
      volS += lap.degrees[i]!;
    } else volT += lap.degrees[i]!;
    for (let k = lap.offsets[i]!; k < lap.offsets[i + 1]!; k++) if (lap.cols[k]! > i && side[i] !== side[lap.cols[k]!]) cut += lap.weights[k]!;
  }
  return { cut, volS, volT, sizeS };
}

function referencePartSums(g: Graph, part: Int32Array, parts: number): { vol: Float64Array; cutOf: Float64Array; cutWeight: number } {
  const vol = new Float64Array(parts);
  const cutOf = new Float64Array(parts);
  let cutWeight = 0;
  for (let e = 0; e < g.m; e++) {
    const w = g.edgeW[e]!;
    const a = part[g.edgeU[e]!]!;
    const b = part[g.edgeV[e]!]!;
    vol[a]! += w;
    vol[b]! += w;
    if (a !== b) {
      cutWeight += w;
      cutOf[a]! += w;
      cutOf[b]! += w;
    }
  }
  return { vol, cutOf, cutWeight };
}

function referenceGershgorin(lap: SparseLaplacian): number {
  let best = 0;
  for (let i = 0; i < lap.n; i++) {
    let s = lap.diagonal[i]!;
    for (let k = lap.offsets[i]!; k < lap.offsets[i + 1]!; k++) s += lap.values[k]!;
    if (s > best) best = s;
  }
  return best;
}

/** A run whose checkpoints always want a turn of the event loop: every chunk boundary becomes a step. */
function yieldingRun(options: KWayOptions = {}): SolveRun {
  const run = new SolveRun(options, 'partition:spectral');
  run.needsYield = () => true;
  return run;
}

function drive<T>(steps: Steps<T>): { value: T; steps: number } {
  let count = 0;
  let r = steps.next();
  while (!r.done) {
    count++;
    r = steps.next();
  }
  return { value: r.value, steps: count };
}

describe('chunked spectral steps give the answers of the single-pass code (issue 13)', () => {
  it('cut quality, k-way quality, Gershgorin bound and null vector: bit-identical to single-pass references', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 400 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('combinatorial' as const, 'normalized' as const), (n, parts, seed, kind) => {
        const g = randomGraph(n, 2 * n, parts, seed);
        const lap = laplacian(g, kind);
        const rng = new Rng(seed + 1);
        const side = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
        const q = cutQuality(lap, side);
        const ref = referenceCut(lap, side);
        expect([q.cutWeight, q.volumes[0], q.volumes[1], q.sizes[0]]).toEqual([ref.cut, ref.volS, ref.volT, ref.sizeS]);
        const k = 1 + rng.int(5);
        const part = Int32Array.from({ length: n }, () => rng.int(k));
        const kw = kWayQuality(g, part, k);
        const sums = referencePartSums(g, part, k);
        expect(kw.cutWeight).toBe(sums.cutWeight);
        for (let p = 0; p < k; p++) {
          let rest = 0;
          for (let o = 0; o < k; o++) if (o !== p) rest += sums.vol[o]!;
          const d = Math.min(sums.vol[p]!, rest);
          expect(kw.conductances[p]).toBe(d > 0 ? sums.cutOf[p]! / d : sums.cutOf[p]! > 0 ? Infinity : 0);
        }
        expect(lap.gershgorinBound()).toBe(referenceGershgorin(lap));
        let s = 0;
        for (let i = 0; i < n; i++) s += lap.degrees[i]!;
        const expected = kind === 'combinatorial' ? Float64Array.from({ length: n }, () => 1 / Math.sqrt(n)) : Float64Array.from(lap.degrees, (d) => Math.sqrt(d) * (s > 0 ? 1 / Math.sqrt(s) : 0));
        expect(lap.nullVector).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('a simple graph shares its adjacency as the Laplacian CSR; the merged build of the same matrix agrees entry for entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('combinatorial' as const, 'normalized' as const), (n, seed, kind) => {
        const rng = new Rng(seed);
        const pairs = new Set<number>();
        const edges: [number, number, number][] = [];
        for (let t = 0; t < 3 * n; t++) {
          const a = rng.int(n);
          const b = rng.int(n);
          if (a === b || pairs.has(Math.min(a, b) * n + Math.max(a, b))) continue;
          pairs.add(Math.min(a, b) * n + Math.max(a, b));
          edges.push([a, b, 0.25 + rng.next() * 10]);
        }
        const g = createGraph({ n, edges });
        // A zero-weight edge changes nothing in D - W but makes the build merge rows.
        const looped = createGraph({ n, edges: [...edges, [0, 1, 0]] });
        const shared = laplacian(g, kind);
        const merged = laplacian(looped, kind);
        expect(shared.cols).toBe(g.adjNode);
        expect(merged.cols).not.toBe(looped.adjNode);
        expect(shared.offsets).toEqual(merged.offsets);
        expect(shared.cols).toEqual(merged.cols);
        expect(shared.values).toEqual(merged.values);
        expect(shared.degrees).toEqual(merged.degrees);
        expect(shared.gershgorinBound()).toBe(merged.gershgorinBound());
      }),
      { numRuns: 30 },
    );
  });

  it('the induced Laplacian of every node (the first bisection) is the Laplacian of the graph, degrees summed from the merged rows', () => {
    // Without parallel edges: exactly laplacian(g, kind).
    const simple = createGraph({ n: 2000, edges: Array.from({ length: 1999 }, (_, i) => [Math.floor(i / 3), i + 1, 0.5 + (i % 7) / 3] as [number, number, number]) });
    // With parallel edges: the degrees are the sums of the merged rows, as the induced rows of any other part.
    const multi = randomGraph(3000, 9000, 1, 5);
    for (const g of [simple, multi]) {
      for (const kind of ['combinatorial', 'normalized'] as const) {
        const base = laplacian(g, 'combinatorial');
        const whole = runSteps(inducedLaplacianSteps(base, Int32Array.from({ length: g.n }, (_, i) => i), kind))!;
        expect(whole.offsets).toEqual(base.offsets);
        expect(whole.cols).toEqual(base.cols);
        for (let i = 0; i < g.n; i++) {
          let d = 0;
          for (let k = base.offsets[i]!; k < base.offsets[i + 1]!; k++) d += base.weights[k]!;
          expect(whole.degrees[i]).toBe(d);
        }
        if (g === simple) {
          const direct = laplacian(g, kind);
          expect(whole.values).toEqual(direct.values);
          expect(whole.diagonal).toEqual(direct.diagonal);
          expect(whole.gershgorinBound()).toBe(direct.gershgorinBound());
        }
        expect(whole.gershgorinBound()).toBe(referenceGershgorin(whole));
      }
    }
  });

  it('a partition stepped at every chunk boundary equals the one run without checkpoints (same seed)', () => {
    for (const [g, options] of [
      [randomGraph(12_000, 36_000, 1, 11), { k: 3 }],
      [randomGraph(12_000, 36_000, 3, 12), { k: 4, split: 'median' as const }],
      [randomGraph(10_000, 30_000, 1, 13), { k: 2, laplacian: 'combinatorial' as const }],
    ] as const) {
      const run = yieldingRun({ ...options, seed: 3 });
      const stepped = drive(recursivePartitionSteps(g, { ...options, seed: 3 }, run));
      expect(stepped.steps).toBeGreaterThan(5);
      const plain = recursivePartition(g, { ...options, seed: 3 });
      expect(stepped.value!.part).toEqual(plain.part);
      expect(stepped.value!.conductances).toEqual(plain.conductances);
      expect(stepped.value!.splits).toEqual(plain.splits);
    }
  });
});

describe('an abort during each stepped phase of a partition answers promptly (issue 13)', () => {
  // Disconnected, like the power-law graph of the responsiveness sweep (isolated nodes).
  const g = randomGraph(40_000, 120_000, 2, 21);
  const never = abortAtRead(Infinity);
  const total = drive(recursivePartitionSteps(g, { k: 2 }, yieldingRun({ signal: never.signal }))).steps;
  const reads = never.reads();
  // After a stop only the quality sums still run to the end (they yield, never stop).
  const lap = laplacian(g);
  const tail = Math.ceil(g.n / rowsPerChunk(g.n, lap.nnz)) + Math.ceil(g.m / (1 << 16)) + 4;

  it('at every checkpoint: stoppedBy aborted, no solution or a valid partition, and only the quality sums left to run', () => {
    expect(total).toBeGreaterThan(3 * tail);
    for (let after = 1; after < reads; after += Math.max(1, Math.floor(reads / 25))) {
      const a = abortAtRead(after);
      const run = yieldingRun({ k: 2, signal: a.signal });
      const steps = recursivePartitionSteps(g, { k: 2, signal: a.signal }, run);
      let afterAbort = 0;
      let r = steps.next();
      while (!r.done) {
        if (a.fired()) afterAbort++;
        r = steps.next();
      }
      expect(run.stoppedBy()).toBe('aborted');
      expect(afterAbort).toBeLessThanOrEqual(tail);
      const p = r.value;
      if (p) {
        expect(p.part.length).toBe(g.n);
        expect(p.sizes.reduce((s, x) => s + x, 0)).toBe(g.n);
        expect(kWayQuality(g, p.part, p.parts).maxConductance).toBe(p.maxConductance);
      }
    }
  });

  it('the envelope: no-solution before the first bisection, the partition after it, stoppedBy aborted', async () => {
    const early = await solvePartition(g, { k: 2, signal: abortAtRead(1).signal });
    expect(early.status).toBe('no-solution');
    expect(early.stoppedBy).toBe('aborted');
    const late = await solvePartition(g, { k: 3, signal: abortAtRead(reads).signal });
    expect(late.stoppedBy).toBe('aborted');
    expect(['feasible', 'no-solution']).toContain(late.status);
  });
});
