import { localSearch } from '@emplace/kcenter';
import { describe, it } from 'vitest';
import { checkApproximation } from './approximation-check.js';

describe('local search', () => {
  it('reports the recomputed radius with at most k sites, never a bound above the brute-force optimum', () => {
    checkApproximation('localSearch', localSearch, false);
  });
});
