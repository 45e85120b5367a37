import { createPlacementModel, hasSolution, ModelError, type Result } from '@emplace/core';
import {
  gonzalez,
  hochbaumShmoys,
  KCENTER_TABLE,
  lscpGreedy,
  solveKCenter,
  solveLscp,
  solveMclp,
  solvePDispersion,
  solveSurvivable,
} from '@emplace/kcenter';
import { describe, expect, it } from 'vitest';

// Three clients at three sites (a line 0 - 1 - 2), affinity groups {0,1} and {1,2}: one unit
// {0,1,2} as core's affinityUnits defines it (the case of issue 20).
const overlapping = createPlacementModel({
  sites: 3,
  clients: 3,
  cost: [
    [0, 1, 2],
    [1, 0, 1],
    [2, 1, 0],
  ],
  affinity: [
    [0, 1],
    [1, 2],
  ],
});

function warnsAffinity(r: Result<unknown>): boolean {
  return (r.warnings ?? []).some((w) => w.includes('ignores model.affinity'));
}

describe('uniform entry points', () => {
  it('solveKCenter runs the method named in options (default auto) with the same answer as the building block', async () => {
    const model = createPlacementModel({ sites: 4, clients: 4, cost: [0, 3, 5, 9, 3, 0, 2, 6, 5, 2, 0, 4, 9, 6, 4, 0] });
    const g = await solveKCenter(model, { method: 'gonzalez', k: 2 });
    expect(g.objective).toBe(gonzalez(model, { k: 2 }).objective);
    const h = await solveKCenter(model, { method: 'hochbaum-shmoys', k: 2 });
    expect(h.objective).toBe(hochbaumShmoys(model, { k: 2 }).objective);
    const a = await solveKCenter(model, { k: 2 });
    expect(a.status).toBe('optimal');
    for (const method of KCENTER_TABLE.names) {
      const r = await solveKCenter(model, { method, k: 2 });
      expect(hasSolution(r), method).toBe(true);
      if (hasSolution(r)) expect(r.objective, method).toBeGreaterThanOrEqual(a.objective! - 1e-9);
    }
  });

  it('every entry rejects an unknown method with a ModelError naming options.method and the methods', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [0, 1, 1, 0] });
    const bad = 'nope' as never;
    await expect(solveKCenter(model, { method: bad, k: 1 })).rejects.toMatchObject({ field: 'options.method' });
    await expect(solveKCenter(model, { method: bad, k: 1 })).rejects.toThrow(/gonzalez/);
    await expect(solveLscp(model, { method: bad, radius: 1 })).rejects.toThrow(ModelError);
    await expect(solveMclp(model, { method: bad, radius: 1, k: 1 })).rejects.toThrow(/greedy/);
    await expect(solvePDispersion(model, { method: bad, k: 2 })).rejects.toThrow(ModelError);
    await expect(solveSurvivable(model, { method: bad, radius: 1 })).rejects.toThrow(ModelError);
  });

  it('validation errors of synchronous methods become rejections', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [0, 1, 1, 0] });
    await expect(solveKCenter(model, { method: 'gonzalez', k: 0 })).rejects.toThrow(/options\.k/);
    await expect(solveLscp(model, { method: 'greedy' })).rejects.toThrow(/options\.radius/);
  });

  it('solveLscp greedy equals lscpGreedy', async () => {
    const r = await solveLscp(overlapping, { method: 'greedy', radius: 1 });
    expect(r.objective).toBe(lscpGreedy(overlapping, { radius: 1 }).objective);
  });
});

describe('affinity groups {0,1} and {1,2} (issue 20): every family says it ignores them, never silence', () => {
  it('k-center, every method', async () => {
    for (const method of KCENTER_TABLE.names) {
      const r = await solveKCenter(overlapping, { method, k: 1 });
      expect(warnsAffinity(r), method).toBe(true);
    }
  });

  it('LSCP, MCLP, p-dispersion and survivable placement, greedy and exact', async () => {
    for (const method of ['greedy', 'exact'] as const) {
      expect(warnsAffinity(await solveLscp(overlapping, { method, radius: 1 })), `lscp ${method}`).toBe(true);
      expect(warnsAffinity(await solveMclp(overlapping, { method, radius: 1, k: 1 })), `mclp ${method}`).toBe(true);
      expect(warnsAffinity(await solvePDispersion(overlapping, { method, k: 2 })), `pdispersion ${method}`).toBe(true);
      expect(warnsAffinity(await solveSurvivable(overlapping, { method, radius: 1 })), `survivable ${method}`).toBe(true);
    }
  });
});

describe('anti-affinity and extra resource dimensions: every family says it ignores them', () => {
  const model = createPlacementModel({
    sites: [{ capacity: { cpu: 10, mem: 1 } }, { capacity: { cpu: 10, mem: 1 } }, { capacity: { cpu: 10, mem: 1 } }],
    clients: [{ demand: { cpu: 1, mem: 1 } }, { demand: { cpu: 1, mem: 1 } }, { demand: { cpu: 1, mem: 0 } }],
    dimensions: ['cpu', 'mem'],
    cost: [
      [0, 1, 2],
      [1, 0, 1],
      [2, 1, 0],
    ],
    antiAffinity: [{ clients: [0, 1] }],
  });
  const says = (r: Result<unknown>, field: string): boolean => (r.warnings ?? []).some((w) => w.includes(`ignores model.${field}`));

  it('k-center methods and the coverage families, greedy and exact', async () => {
    const results: [string, Result<unknown>][] = [];
    for (const method of KCENTER_TABLE.names) {
      if (method === 'capacitated') continue; // honours dimension 0 only; checked below with the rest
      results.push([`kcenter ${method}`, await solveKCenter(model, { method, k: 1, capacitated: false })]);
    }
    results.push(['kcenter capacitated', await solveKCenter(model, { method: 'capacitated', k: 2 })]);
    for (const method of ['greedy', 'exact'] as const) {
      results.push([`lscp ${method}`, await solveLscp(model, { method, radius: 1, capacitated: false })]);
      results.push([`mclp ${method}`, await solveMclp(model, { method, radius: 1, k: 1 })]);
      results.push([`pdispersion ${method}`, await solvePDispersion(model, { method, k: 2 })]);
      results.push([`survivable ${method}`, await solveSurvivable(model, { method, radius: 1 })]);
    }
    for (const [name, r] of results) {
      expect(says(r, 'antiAffinity'), name).toBe(true);
      expect(says(r, 'dimensions'), name).toBe(true);
    }
  });
});
