import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SolveRun } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import type { Incumbent } from '../src/branch-and-bound.js';
import { prepareProblem } from '../src/problem.js';
import { singleSourceSearch } from '../src/single-source.js';
import { toSolution } from '../src/solution.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { bruteSingleSource } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

describe('single-source search with packed Lagrangian repairs (exact pair splits of the overflow)', () => {
  it('every plan it reports is feasible and costed right by the independent evaluator; a finished search is the brute-force optimum', async () => {
    let packed = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 6, max: 9 }), fc.integer({ min: 0, max: 3 }), fc.nat(), async (S, C, r, seed) => {
        // Capacity 1.2-1.8 x the demand: the greedy placement of the last clients often finds no room.
        const model = cornuejols(S, C, 1.2 + 0.2 * r, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const reported: Incumbent[] = [];
        const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
        const res = await singleSourceSearch(prep.problem, new SolveRun({ seed: 1 }, 'test'), start, {
          rootIterations: 200,
          nodeIterations: 20,
          branch: true,
          granule: 1,
          phase: 'test',
          regions: false,
          packedRepair: true,
          report: (inc) => reported.push({ value: inc.value, solution: { open: Uint8Array.from(inc.solution.open), assign: Int32Array.from(inc.solution.assign!) } }),
        });
        packed += res.packed;
        for (const inc of reported) {
          const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, inc.solution).solution);
          expect(check.violations).toEqual([]);
          expect(inc.value).toBeCloseTo(check.objective, 6);
        }
        const brute = bruteSingleSource(model);
        if (res.complete) expect(res.incumbent ? res.incumbent.value : Infinity).toBeCloseTo(brute, 6);
      }),
      { numRuns: 40 },
    );
    // The packed path itself ran (and ended within the capacities) on some of these instances.
    expect(packed).toBeGreaterThan(0);
  });
});
