import { plan, type World } from '@emplace/emplace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyModel, slotsOf } from './api-models.js';
import { isDeliberate, messageProblems } from './envelope.js';
import { seeded } from './instances.js';
import { recordFailures } from './tally.js';

/**
 * Bad-input fuzzing of the umbrella's `plan(world, goals)`: a small valid world (regions,
 * populations, tenants) with one field replaced by a bad value must give a plan or an
 * EmplaceError with a one-line reason, never a TypeError.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const BAD: unknown[] = [NaN, Infinity, -1, 1e308, 0, null, undefined, 'x', '', [], {}, true, 2 ** 53 + 2, -1e308];

function world(seed: number): World {
  const r = seeded(seed);
  const regions = Array.from({ length: r.int(2, 4) }, (_, i) => ({ id: `r${i}`, lat: r.int(-60, 60), lon: r.int(-170, 170), cost: r.int(1, 50), jurisdiction: r.pick(['EU', 'US']), capacity: r.int(50, 500) }));
  const populations = Array.from({ length: r.int(1, 4) }, (_, i) => ({ id: `p${i}`, lat: r.int(-60, 60), lon: r.int(-170, 170), users: r.int(1, 100) }));
  return { regions, populations, tenants: [{ id: 't0', populations: populations.map((p) => p.id) }] } as World;
}

describe('plan() fuzz', () => {
  it('a world with one bad field: a plan or a reasoned EmplaceError', async () => {
    const failures: string[] = [];
    let planned = 0;
    for (const [seed, slotIndex, value] of fc.sample(fc.tuple(fc.nat(1e6), fc.nat(1e4), fc.constantFrom(...BAD)), { seed: SEED, numRuns: RUNS })) {
      const w = copyModel(world(seed));
      const slots = slotsOf(w);
      const slot = slots[slotIndex % slots.length]!;
      (slot.parent as Record<string | number, unknown>)[slot.key] = value;
      try {
        await plan(w, {}, { timeLimitMs: 2000 });
        planned++;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!isDeliberate(err)) failures.push(`${slot.path.replace(/^model/, 'world')} = ${String(value)}: threw ${err instanceof Error ? err.constructor.name : ''} ${message.split('\n')[0]}`);
        else if (messageProblems(message).length > 0) failures.push(`${slot.path} = ${String(value)}: ${messageProblems(message).join('; ')}`);
      }
    }
    recordFailures('plan', failures);
    expect(failures).toEqual([]);
    // Most single-field damage leaves a plannable world (names, coordinates): the cases reach the planner.
    expect(planned).toBeGreaterThan(0);
  });
});
