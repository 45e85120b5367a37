import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lnsStaleMs, proofTakesRest } from '../src/gap.js';

describe('gap:auto narrow-gap turns (gap.ts alternate)', () => {
  it('a narrow gap stops a stale LNS turn at half a slice and gives the search the rest after a fruitless turn; a wide gap keeps both', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.double({ min: 100, max: 1e5, noNaN: true }), (wide, tabuPays, improved, slice) => {
        expect(lnsStaleMs(wide, slice)).toBe(wide ? Infinity : slice / 2);
        // Only a narrow gap that neither tabu nor LNS narrowed is handed to the proof.
        expect(proofTakesRest(wide, tabuPays, improved)).toBe(!wide && !tabuPays && !improved);
      }),
      { numRuns: 50 },
    );
  });
});
