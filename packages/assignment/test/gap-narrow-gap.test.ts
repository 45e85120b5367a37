import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { proofTakesRest } from '../src/gap.js';

describe('gap:auto narrow-gap turns (gap.ts alternate)', () => {
  it('a narrow gap gives the search the rest after a fruitless LNS turn; a wide gap keeps its turns', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (wide, tabuPays, improved) => {
        // Only a narrow gap that neither tabu nor LNS narrowed is handed to the proof.
        expect(proofTakesRest(wide, tabuPays, improved)).toBe(!wide && !tabuPays && !improved);
      }),
      { numRuns: 20 },
    );
  });
});
