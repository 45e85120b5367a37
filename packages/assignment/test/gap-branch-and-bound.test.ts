import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { gapBranchAndBound } from '../src/gap-branch-and-bound.js';
import { toGapInstance } from '../src/gap-instance.js';
import { initialMultipliers } from '../src/gap-lagrangian.js';
import { gapBranchAndBoundSolve } from '../src/gap.js';
import { bruteOptimum, expectBranchAndBoundExact, INSTANCES, readGapFile, tinyGap } from './gap-test-instances.js';

describe('GAP branch-and-bound with reduced-cost fixing (gap-branch-and-bound.ts)', () => {
  it('equals brute force with no incumbent, a near-optimal incumbent cost and a poor one', () => {
    expectBranchAndBoundExact({}, 400);
  });

  it('an interrupted search returns a bound that never crosses the optimum', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 1, max: 6 }), ({ inst }, budget) => {
        const opt = bruteOptimum(inst);
        let calls = 0;
        const r = gapBranchAndBound(inst, { stop: () => ++calls > budget, incumbentCost: Infinity, rootU: initialMultipliers(inst) });
        if (opt === undefined) return;
        if (r.bound !== Infinity) expect(r.bound).toBeLessThanOrEqual(opt + 1e-9);
        if (r.assignment) expect(r.cost).toBeGreaterThanOrEqual(opt);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const a = gapBranchAndBound(inst, { stop: () => false, incumbentCost: Infinity, rootU: initialMultipliers(inst) });
        const b = gapBranchAndBound(inst, { stop: () => false, incumbentCost: Infinity, rootU: initialMultipliers(inst) });
        expect(b.nodes).toBe(a.nodes);
        expect(b.fixings).toBe(a.fixings);
        expect(Array.from(b.assignment ?? [])).toEqual(Array.from(a.assignment ?? []));
      }),
      { numRuns: 50 },
    );
  });

  const gap1 = `${INSTANCES}/gap1.txt`;
  it.skipIf(!existsSync(gap1))('proves the published optima of OR-Library gap1 (maximisation)', async () => {
    const optima = JSON.parse(readFileSync(`${INSTANCES}/optima.json`, 'utf8')) as Record<string, { value: number }>;
    for (const p of readGapFile('gap1')) {
      const r = await gapBranchAndBoundSolve(p.model, { sense: 'max' });
      expect(r.status).toBe('optimal');
      expect(r.objective).toBe(optima[p.name]!.value);
      expect(toGapInstance(p.model, 'max').n).toBe(15);
    }
  });
});
