import fc from 'fast-check';
import { createPlacementModel, Rng } from '@emplace/core';
import { createScheduleModel, scheduleCost, scheduleViolations, type ScheduleModel } from '@emplace/assignment';

/** Shared by schedule.test.ts and status-schedule.test.ts: small random scheduling models and the brute force over every assignment. */
/** Small random scheduling models with every constraint type. */
export const smallSchedule = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    S: fc.integer({ min: 2, max: 3 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    withAffinity: fc.boolean(),
    withAnti: fc.boolean(),
    withLocality: fc.boolean(),
    withCurrent: fc.boolean(),
  })
  .map(({ n, S, seed, withAffinity, withAnti, withLocality, withCurrent }) => {
    const rng = new Rng(seed);
    const rnd = (k: number): number => rng.int(k);
    const D = 2;
    const demand = Array.from({ length: n * D }, () => 1 + rnd(4));
    const capacity = Array.from({ length: S * D }, () => 3 + rnd(6));
    const cost = Array.from({ length: S * n }, () => rnd(20));
    const allowed = Array.from({ length: S * n }, () => (rnd(5) === 0 ? 0 : 1));
    const net = Array.from({ length: S * S }, (_, k) => (Math.floor(k / S) === k % S ? 0 : 1 + rnd(9)));
    const traffic = n >= 2 ? Array.from({ length: rnd(2 * n) }, () => ({ a: rnd(n), b: rnd(n), volume: 1 + rnd(5) })) : [];
    const placement = createPlacementModel({
      sites: Array.from({ length: S }, (_, i) => ({ id: `s${i}`, labels: { zone: `z${i % 2}` } })),
      clients: n,
      dimensions: ['cpu', 'mem'],
      capacity,
      demand,
      cost,
      allowed,
      affinity: withAffinity && n >= 2 ? [[0, 1]] : [],
      antiAffinity: withAnti && n >= 4 ? [{ clients: [2, 3], ...(rnd(2) ? { domain: 'zone' } : {}) }] : [],
    });
    return createScheduleModel({
      placement,
      traffic,
      networkCost: net,
      lambdaNetwork: 0.5,
      compliancePenalty: Array.from({ length: S * n }, () => rnd(3)),
      lambdaCompliance: 2,
      locality: withLocality ? [{ client: n - 1, site: 0, maxLatency: 4 }] : [],
      ...(withCurrent ? { current: Array.from({ length: n }, () => rnd(S)), migrationCost: Array.from({ length: n }, () => rnd(10)) } : {}),
    });
  });

export function bruteForce(model: ScheduleModel): number | undefined {
  const n = model.placement.nClients;
  const S = model.placement.nSites;
  const a = new Int32Array(n);
  let best: number | undefined;
  const total = S ** n;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let j = 0; j < n; j++) {
      a[j] = c % S;
      c = Math.floor(c / S);
    }
    if (scheduleViolations(model, a).length > 0) continue;
    const v = scheduleCost(model, a).total;
    if (best === undefined || v < best) best = v;
  }
  return best;
}

