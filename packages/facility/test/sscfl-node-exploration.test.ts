import { describe, expect, it } from 'vitest';
import { SolveRun, type ProgressEvent } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { singleSourceSearch } from '../src/single-source.js';
import { cornuejols } from './sscfl-instances.js';

/**
 * The evaluations of each node below the root that branched, from the search's progress events
 * (one per branching, unthrottled here, with the evaluations so far): the difference between
 * a node's event and the previous one.
 */
async function branchedNodeEvaluations(S: number, C: number, seed: number, nodeIterations: number): Promise<number[]> {
  const prep = prepareProblem(cornuejols(S, C, 2, seed), 'sscfl');
  if (prep.kind !== 'ok') throw new Error(prep.kind);
  const seen = new Map<number, number>();
  const onProgress = (p: ProgressEvent): void => {
    const m = /^(\d+) nodes$/.exec(p.message ?? '');
    if (m && p.iterations !== undefined) seen.set(Number(m[1]), p.iterations);
  };
  const run = new SolveRun({ seed: 1, progressIntervalMs: 0, onProgress }, 'test', 'min');
  await singleSourceSearch(prep.problem, run, null, { rootIterations: 30, nodeIterations, branch: true, granule: 1, phase: 'test', regions: false, primalAfterWork: Infinity, maxNodes: 40 });
  const out: number[] = [];
  for (const [node, iterations] of seen) {
    const before = seen.get(node - 1);
    if (node > 1 && before !== undefined) out.push(iterations - before);
  }
  return out;
}

/**
 * Deflected steps below the root: a node's first subgradient run takes nodeIterations
 * evaluations beyond its exploring first two step-factor levels (NODE_EXPLORATION = 20), and a
 * round after reduced-cost fixings 3 (REFIX_ITERATIONS_SMALL) plus its evaluation at the best
 * multipliers. A node that branched did not prune, so its first run ran to the end: with
 * nodeIterations 5 it took 5 + 20 + 1 to 5 + 20 + 1 + 3 x (3 + 1) evaluations (before: 5 + 1
 * to 5 + 1 + 3 x (5 + 1)).
 */
describe('single-source search: exploration evaluations of the nodes', () => {
  it('runs nodeIterations after the exploring levels, and short refix rounds', async () => {
    let checked = 0;
    for (const seed of [3, 17, 29, 41, 53, 67]) {
      for (const evaluations of await branchedNodeEvaluations(10, 40, seed, 5)) {
        expect(evaluations).toBeGreaterThanOrEqual(5 + 20 + 1);
        expect(evaluations).toBeLessThanOrEqual(5 + 20 + 1 + 3 * 4);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
