import { describe, expect, it } from 'vitest';
import { createGraph } from '@emplace/core';
import { gomoryHuTree, gomoryHuTreeSteps } from '../src/gomory-hu.js';
import { drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13 (sweep --scale 2: gomoryhu:auto held the event loop 71 ms): Gusfield's method paused
 * only between its n - 1 max flows, so one max flow on a large graph was one stretch. The
 * steps now pause inside each max flow too (residual network, every 2^16 units of Dinic work,
 * the cut), and give the same tree.
 */
describe('Gomory-Hu tree in steps', () => {
  it('pauses inside a max flow and builds the same cut tree', () => {
    // Three nodes, 60,000 parallel unit edges a-b and 40,000 b-c: each of the two max flows
    // scans far more than one checkpoint's work; the old steps paused once, between them.
    const edges: [number, number, number][] = [];
    for (let k = 0; k < 60_000; k++) edges.push([0, 1, 1]);
    for (let k = 0; k < 40_000; k++) edges.push([1, 2, 1]);
    const g = createGraph({ n: 3, edges });
    const stepped = drainSteps(gomoryHuTreeSteps(g));
    expect(stepped.pauses).toBeGreaterThan(4);
    const tree = stepped.value!;
    expect(tree).toEqual(gomoryHuTree(g));
    // Min cut a | b, c = 60,000 and c | a, b = 40,000: the tree's two edges carry them.
    expect(Array.from(tree.weight).sort((x, y) => x - y)).toEqual([0, 40_000, 60_000]);
  });

  it('stops inside a max flow when asked', () => {
    const edges: [number, number, number][] = [];
    for (let k = 0; k < 200_000; k++) edges.push([0, 1, 1]);
    const g = createGraph({ n: 2, edges });
    let polls = 0;
    // The first poll (before the flow) says go on; the next, inside the flow, says stop.
    const r = drainSteps(gomoryHuTreeSteps(g, { shouldStop: () => ++polls > 1 }));
    expect(r.value).toBeUndefined();
    expect(polls).toBe(2);
  });
});
