import { describe, expect, it } from 'vitest';
import { ModelError, createPlacementModel, type PlacementModel } from '@emplace/core';
import { measureOnlineFacility, solveCfl, solvePMedian, solveSscfl, solveUfl } from '@emplace/facility';

/** Fuzz findings F5, F10, F12: the direct entry points check the model's shape and bound the replays. */
describe('facility entry checks', () => {
  const malformed = { kind: 'placement' } as unknown as PlacementModel;

  it('solveUfl, solveSscfl, solvePMedian and solveCfl reject a malformed placement model with a ModelError (F5)', async () => {
    await expect(solveUfl(malformed)).rejects.toBeInstanceOf(ModelError);
    await expect(solveSscfl(malformed)).rejects.toBeInstanceOf(ModelError);
    await expect(solvePMedian(malformed, { p: 1 })).rejects.toBeInstanceOf(ModelError);
    await expect(solveCfl(malformed)).rejects.toBeInstanceOf(ModelError);
  });

  it('solveCfl with affinity = -1 names model.affinity (F12)', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [[1, 2], [2, 1]], openingCost: [1, 1] });
    const bad = { ...model, affinity: -1 } as unknown as PlacementModel;
    await expect(solveCfl(bad)).rejects.toThrow(/affinity/);
    await expect(solveCfl(bad)).rejects.toBeInstanceOf(ModelError);
  });

  const small = createPlacementModel({ sites: 3, clients: 4, cost: [[1, 4, 6, 3], [5, 1, 2, 6], [3, 6, 1, 2]], openingCost: [3, 4, 2] });

  it('measureOnlineFacility refuses runs above 10,000 naming options.runs (F10)', async () => {
    await expect(measureOnlineFacility(small, { runs: 1e308 })).rejects.toThrow(/options\.runs/);
    await expect(measureOnlineFacility(small, { runs: 10_001 })).rejects.toBeInstanceOf(ModelError);
  });

  it('measureOnlineFacility stops its replays at the signal with what it measured (F10)', async () => {
    const ctrl = new AbortController();
    // The abort fires from the offline solve's own first incumbent, not from a timer.
    const report = await measureOnlineFacility(small, { runs: 10_000, offline: { signal: ctrl.signal, onIncumbent: () => ctrl.abort() } });
    expect(ctrl.signal.aborted).toBe(true);
    expect(report.cutShort).toBe(true);
    expect(report.runs.length).toBeGreaterThanOrEqual(1);
    expect(report.runs.length).toBeLessThan(10_000);
    expect(Number.isFinite(report.meanRatio)).toBe(true);
  });
});
