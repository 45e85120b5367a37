import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, demandAt, isAllowed, ModelError, totalDemand } from '@emplace/core';

describe('createPlacementModel', () => {
  it('builds typed arrays in the documented layout', () => {
    const m = createPlacementModel({
      sites: [
        { id: 'eu', openingCost: 10, capacity: 5, labels: { jurisdiction: 'EU' } },
        { id: 'us', openingCost: 7 },
      ],
      clients: [{ id: 'a', demand: 2 }, { id: 'b', demand: 3 }, { id: 'c' }],
      cost: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(m.nSites).toBe(2);
    expect(m.nClients).toBe(3);
    expect(Array.from(m.cost)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.capacity)).toEqual([5, Infinity]);
    expect(Array.from(m.demand)).toEqual([2, 3, 1]);
    expect(Array.from(m.openingCost)).toEqual([10, 7]);
    expect(m.siteLabels[0]).toEqual({ jurisdiction: 'EU' });
    expect(totalDemand(m)[0]).toBe(6);
    expect(isAllowed(m, 1, 2)).toBe(true);
  });

  it('names the field of a bad cost entry', () => {
    expect(() => createPlacementModel({ sites: 2, clients: 2, cost: [[0, 1], [NaN, 2]] })).toThrowError(/cost\[1\]\[0\] is NaN/);
    expect(() => createPlacementModel({ sites: 2, clients: 2, cost: [0, 1, -3, 2] })).toThrowError(/cost\[1\]\[0\] is negative/);
    expect(() => createPlacementModel({ sites: 2, clients: 2, cost: [0, 1, 2] })).toThrowError(ModelError);
  });

  it('names the site of a negative capacity', () => {
    try {
      createPlacementModel({ sites: [{ id: 'eu-west', capacity: -1 }], clients: 1, cost: [[1]] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).message).toBe('site "eu-west" capacity is negative (-1)');
      expect((e as ModelError).field).toBe('site "eu-west" capacity');
    }
  });

  it('supports several dimensions, site-dependent demand, allowed and groups', () => {
    const m = createPlacementModel({
      dimensions: ['cpu', 'mem'],
      sites: [{ capacity: { cpu: 4, mem: 8 } }, { capacity: [2, 2] }],
      clients: [{ id: 'w1', demand: { cpu: 1, mem: 2 } }, { id: 'w2', demand: [1, 1] }],
      cost: [[1, 1], [1, 1]],
      siteDemand: [1, 2, 1, 1, 3, 3, 2, 2],
      allowed: [[1, 0], [1, 1]],
      affinity: [['w1', 'w2']],
      antiAffinity: [{ clients: [0, 1], domain: 'zone' }],
    });
    expect(Array.from(m.capacity)).toEqual([4, 8, 2, 2]);
    expect(demandAt(m, 1, 0, 1)).toBe(3);
    expect(isAllowed(m, 0, 1)).toBe(false);
    expect(Array.from(m.affinity[0]!)).toEqual([0, 1]);
    expect(m.antiAffinity[0]!.domain).toBe('zone');
    expect(() => createPlacementModel({ sites: 1, clients: 1, cost: [[1]], affinity: [['nobody']] })).toThrowError(/affinity\[0\]\[0\] names unknown client "nobody"/);
  });

  it('never mutates its input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer(), (ns, nc, seed) => {
        const cost = Array.from({ length: ns * nc }, (_, k) => Math.abs(Math.sin(seed + k)) * 10);
        const copy = [...cost];
        const m = createPlacementModel({ sites: ns, clients: nc, cost });
        expect(cost).toEqual(copy);
        m.cost[0] = -1;
        expect(cost).toEqual(copy);
      }),
      { numRuns: 50 },
    );
  });
});

describe('site and client shapes from JavaScript callers (status fuzz finding)', () => {
  it('a null site capacity is uncapacitated, as in emplace JSON (was a TypeError)', () => {
    const m = createPlacementModel({ sites: [{ id: 'a', capacity: null as unknown as number }], clients: 1, cost: [[1]] });
    expect(m.capacity[0]).toBe(Infinity);
  });
  it('a demand or capacity of the wrong type is a ModelError naming it', () => {
    expect(() => createPlacementModel({ sites: 1, clients: [{ id: 'c', demand: null as unknown as number }], cost: [[1]] })).toThrow(ModelError);
    expect(() => createPlacementModel({ sites: [{ id: 'a', capacity: 'big' as unknown as number }], clients: 1, cost: [[1]] })).toThrow(/sites\[0\]\.capacity/);
  });
});
