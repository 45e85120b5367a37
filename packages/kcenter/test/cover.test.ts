import { SolveRun } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCover, buildCoverAsync } from '../src/cover.js';
import { prepareInstance } from '../src/instance.js';
import { smallInstance } from './helpers.js';

describe('buildCover', () => {
  it('keeps a client covered by its remaining sites, forced sites included, and the async build equals the synchronous one', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxClients: 9, maxSites: 7 }), fc.nat(), fc.boolean(), async ({ model, k }, pick, keepCounts) => {
        const prepared = prepareInstance(model, { k });
        if (prepared.kind !== 'ok') return;
        const inst = prepared.problem;
        const r = inst.d[pick % inst.d.length]!;
        const cp = buildCover(inst, r, keepCounts);
        expect(await buildCoverAsync(inst, r, new SolveRun({}, 'test'), keepCounts)).toEqual(cp);
        if (cp.uncoverable >= 0) return;
        // Any cover of the reduced clients by the remaining sites, plus the forced sites,
        // covers every original client within r: here, all remaining sites at once.
        const open = [...inst.mustOpen, ...cp.forced, ...cp.sites];
        let uncovered = 0;
        for (let j = 0; j < inst.nC; j++) if (!open.some((s) => inst.d[s * inst.nC + j]! <= r)) uncovered++;
        expect(uncovered).toBe(keepCounts ? cp.lost : 0);
      }),
      { numRuns: 200 },
    );
  });

  it('the async build returns undefined once the run has stopped', async () => {
    const { model, k } = fc.sample(smallInstance({ maxClients: 9 }), { numRuns: 1, seed: 3 })[0]!;
    const prepared = prepareInstance(model, { k });
    if (prepared.kind !== 'ok') throw new Error('expected an instance');
    const ctl = new AbortController();
    ctl.abort();
    expect(await buildCoverAsync(prepared.problem, prepared.problem.d[0]!, new SolveRun({ signal: ctl.signal }, 'test'))).toBeUndefined();
  });
});
