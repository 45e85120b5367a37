import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkMetric,
  createGame,
  createMarket,
  createPlacementModel,
  euclideanMatrix,
  haversineKm,
  ModelError,
  registerSolver,
  shortestPathClosure,
  solve,
  SolveRun,
  UnknownMethodError,
} from '@emplace/core';

describe('distances', () => {
  it('haversine gives known great-circle distances', () => {
    // London - New York is about 5,570 km.
    expect(haversineKm({ lat: 51.5074, lon: -0.1278 }, { lat: 40.7128, lon: -74.006 })).toBeGreaterThan(5540);
    expect(haversineKm({ lat: 51.5074, lon: -0.1278 }, { lat: 40.7128, lon: -74.006 })).toBeLessThan(5600);
    expect(haversineKm({ lat: 10, lon: 20 }, { lat: 10, lon: 20 })).toBe(0);
  });

  it('Euclidean matrices are metric; closure repairs a non-metric matrix', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 20 }), (raw) => {
        const pts = raw.length % 2 === 0 ? raw : raw.slice(1);
        const n = pts.length / 2;
        expect(checkMetric(euclideanMatrix(pts), n, 1e-7).isMetric).toBe(true);
      }),
      { numRuns: 50 },
    );
    const d = [0, 1, 5, 1, 0, 1, 5, 1, 0];
    const report = checkMetric(d, 3);
    expect(report.isMetric).toBe(false);
    expect(report.triangleViolations).toBe(2);
    expect(checkMetric(shortestPathClosure(d, 3), 3).isMetric).toBe(true);
  });
});

describe('games and markets', () => {
  it('evaluates a game by members, mask and table, and names bad coalitions', () => {
    const g = createGame({ players: ['a', 'b', 'c'], value: (s) => s.length ** 2 });
    expect(g.value([0, 2])).toBe(4);
    expect(g.valueOfMask!(0b111)).toBe(9);
    const t = createGame({ players: 2, value: { table: [0, 1, 2, 4] } });
    expect(t.value([0, 1])).toBe(4);
    const bad = createGame({ players: ['a', 'b'], value: (s) => (s.length === 2 ? NaN : 1) });
    expect(() => bad.value([0, 1])).toThrowError(/value\(\{a, b\}\)/);
    expect(() => createGame({ players: 2, value: { table: [0, 1] } })).toThrowError(ModelError);
  });

  it('builds a market and names unknown items', () => {
    const m = createMarket({ items: ['cpu', { id: 'gpu', units: 4 }], bids: [{ bidder: 'x', items: ['cpu', { item: 'gpu', units: 2 }], amount: 10 }] });
    expect(m.bids[0]!.units[1]).toBe(2);
    expect(m.supply[1]).toBe(4);
    expect(() => createMarket({ items: ['cpu'], bids: [{ bidder: 'x', items: ['tpu'], amount: 1 }] })).toThrowError(/bids\[0\]\.items\[0\] names unknown item "tpu"/);
  });
});

describe('registry', () => {
  it('dispatches by family:method and checks the model kind', async () => {
    registerSolver({
      family: 'test-family',
      method: 'auto',
      modelKind: 'placement',
      description: 'opens every site',
      guarantee: 'none',
      solve: (_model, options) => {
        const run = new SolveRun(options, 'test-family:auto');
        return run.solved({ solution: 'all', objective: 1, guarantee: { kind: 'heuristic' } });
      },
    });
    const model = createPlacementModel({ sites: 1, clients: 1, cost: [[1]] });
    const r = await solve(model, { method: 'test-family' });
    expect(r.status).toBe('feasible');
    expect(r.stats.method).toBe('test-family:auto');
    await expect(solve(model, { method: 'test-family:nope' })).rejects.toThrowError(UnknownMethodError);
    await expect(solve(model, { method: 'no-such-family' })).rejects.toThrowError(/unknown solver family/);
    await expect(solve({ kind: 'graph' }, { method: 'test-family' })).rejects.toThrowError(/takes a placement model/);
  });
});
