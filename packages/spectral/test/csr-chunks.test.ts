import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, runSteps } from '@emplace/core';
import { csrChunkedSteps, type Checkpoints } from '../src/chunks.js';
import { laplacian, laplacianSteps } from '../src/laplacian.js';

/*
 * Issue 13: chunks of rows sized by the average row length put the hubs of a power-law graph
 * (they come first) into one chunk of 970,000 entries, 15 times the target: a 16-26 ms
 * stretch of each pass of the Laplacian's build. csrChunkedSteps sizes chunks by entries.
 */
const always: Checkpoints = { needsYield: () => true, shouldStop: () => false };

describe('csrChunkedSteps', () => {
  it('visits every row once, in order, in ranges of at most `entries` entries (or one row) and at most `entries` rows', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(4), fc.nat(200)), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (lengths, entries) => {
        const n = lengths.length;
        const offsets = new Int32Array(n + 1);
        for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + lengths[i]!;
        const ranges: [number, number][] = [];
        const steps = csrChunkedSteps(offsets, n, (from, to) => ranges.push([from, to]), always, entries);
        let pauses = 0;
        for (let r = steps.next(); !r.done; r = steps.next()) pauses++;
        expect(pauses).toBe(ranges.length - 1);
        let next = 0;
        for (const [from, to] of ranges) {
          expect(from).toBe(next);
          expect(to).toBeGreaterThan(from);
          expect(to - from).toBeLessThanOrEqual(entries);
          if (to - from > 1) expect(offsets[to]! - offsets[from]!).toBeLessThanOrEqual(entries);
          // Maximal: one more row would pass the target (or the row cap).
          if (to < n && to - from < entries) expect(offsets[to + 1]! - offsets[from]!).toBeGreaterThan(entries);
          next = to;
        }
        expect(next).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('a graph whose first 2000 nodes are hubs: the Laplacian build pauses by entries and equals the synchronous one', () => {
    const u: number[] = [];
    const v: number[] = [];
    const w: number[] = [];
    const n = 60_000;
    for (let i = 1; i < n; i++) u.push(i - 1), v.push(i), w.push(1 + (i % 7));
    // Node h < 2000 linked to 60 nodes further on: 240,000 entries in the first 2000 rows
    // (rowsPerChunk's average gave chunks of 2^16 / 6 rows: the first held them all).
    for (let h = 0; h < 2000; h++) for (let t = 1; t <= 60; t++) u.push(h), v.push(2000 + ((h * 61 + t * 977) % (n - 2000))), w.push(t);
    const g = createGraph({ n, edges: { u, v, w } });
    let pauses = 0;
    let firstRows = -1;
    const cp: Checkpoints = { needsYield: () => true, shouldStop: () => false };
    const steps = laplacianSteps(g, 'normalized', cp);
    let r = steps.next();
    for (; !r.done; r = steps.next()) pauses++;
    expect(r.value).toBeDefined();
    const whole = laplacian(g, 'normalized');
    expect(r.value!.values).toEqual(whole.values);
    expect(r.value!.diagonal).toEqual(whole.diagonal);
    // The 2000 hub rows alone are 3.7 targets of 2^16 entries: the chunks split them, and both
    // passes over the rows (degrees, normalized scaling) pause between chunks.
    const rows: [number, number][] = [];
    runSteps(csrChunkedSteps(g.offsets, n, (from, to) => rows.push([from, to]), cp));
    firstRows = rows[0]![1];
    expect(firstRows).toBeLessThan(2000);
    expect(pauses).toBeGreaterThanOrEqual(2 * (rows.length - 1));
  });
});
