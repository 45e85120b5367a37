import { describe, expect, it } from 'vitest';
import { ModelError, solve } from '@emplace/core';
import '@emplace/facility';
import { scenarioSet } from './scenario-instances.js';

/**
 * Issue 13 size guard: stochastic:saa drew its samples before checking their size, so
 * `samples: 1e308` (the API option audit, scripts/audit/api-options.ts --seed 6304) threw a
 * RangeError ("Invalid typed array length") instead of a ModelError naming the size and the
 * limit. Now the sample sizes are checked against the memory budget before any draw.
 * The audit with seed 6403 then found the error named `model`, not the option that made it
 * too large: it names `options.samples` / `options.evaluationSamples`, and an overflowing
 * estimate is not printed as "Infinity".
 */
describe('stochastic:saa sample sizes against the memory budget', () => {
  const set = scenarioSet(6, 12, 20, 7);

  it.each([
    ['samples', { samples: 1e308 }],
    ['evaluationSamples', { evaluationSamples: 1e308 }],
    ['samples', { samples: 100_000, maxMemoryBytes: 1024 * 1024 }],
  ])('refuses a huge %s with a ModelError naming the size and the limit', async (option, options) => {
    const call = solve(set, { method: 'stochastic:saa', seed: 1, replications: 2, ...options });
    await expect(call).rejects.toBeInstanceOf(ModelError);
    await expect(call).rejects.toThrow(/too large for stochastic:saa: .* scenarios .* above the memory limit/);
    const error = await call.catch((e: unknown) => e);
    expect((error as ModelError).field).toBe(`options.${option}`);
    expect((error as Error).message).not.toMatch(/Infinity/);
  });

  it('still solves ordinary sizes under a small budget', async () => {
    const r = await solve(set, { method: 'stochastic:saa', seed: 1, replications: 2, samples: 4, evaluationSamples: 50, maxMemoryBytes: 64 * 1024 * 1024 });
    expect(r.status).not.toBe('no-solution');
  });
});
