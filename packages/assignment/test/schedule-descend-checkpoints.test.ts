import { createPlacementModel, Rng } from '@emplace/core';
import { createScheduleModel } from '@emplace/assignment';
import { describe, expect, it } from 'vitest';
import { compileSchedule } from '../src/schedule-compile.js';
import { ScheduleSearch } from '../src/schedule-search.js';

/**
 * The descent's checkpoints count work, not units: with a checkpoint every 64 units scanned,
 * a chunk in which most units tried an ejection chain held the caller's event loop for
 * 43-86 ms on the responsiveness sweep's 2000 x 50 schedule (schedule:auto's 91 ms stall).
 */
describe('schedule descent checkpoints', () => {
  it('yields every few units when every unit tries an ejection chain', () => {
    // Two full sites; every unit sits on the site it likes less, so its better site is full
    // and each unit scanned tries an ejection chain (a swap, which improves).
    const U = 200;
    const placement = createPlacementModel({
      sites: [{ id: 'k0', capacity: U / 2 }, { id: 'k1', capacity: U / 2 }],
      clients: Array.from({ length: U }, () => ({ demand: 1 })),
      cost: [Array.from({ length: U }, (_, j) => (j < U / 2 ? 2 : 1)), Array.from({ length: U }, (_, j) => (j < U / 2 ? 1 : 2))],
    });
    const compiled = compileSchedule(createScheduleModel({ placement }));
    if (compiled.kind !== 'ok') throw new Error('compiles');
    const ls = new ScheduleSearch(compiled.problem);
    ls.loadFrom(Int32Array.from({ length: U }, (_, u) => (u < U / 2 ? 0 : 1)));
    const before = ls.recompute();
    const steps = ls.descendSteps(new Rng(3), () => false);
    let yields = 0;
    let r = steps.next();
    while (!r.done) {
      yields++;
      r = steps.next();
    }
    // Every unit improves by a swap: the descent did its work.
    expect(ls.recompute()).toBeLessThan(before);
    expect(r.value).toBeGreaterThan(0);
    // A swap settles two units, so at least U / 2 units tried an ejection chain: about 40
    // checkpoints (64 units per checkpoint gave one per 64 units scanned, 4-8 in all).
    expect(yields).toBeGreaterThanOrEqual(U / 8);
  });
});
