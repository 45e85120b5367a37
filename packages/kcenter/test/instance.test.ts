import { createPlacementModel, ModelError, solve } from '@emplace/core';
import { exact, gonzalez, hochbaumShmoys } from '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { solved } from './helpers.js';

// Validation and the statuses settled before any search (instance.ts, common.ts), and the registry entries.
describe('bad input and statuses', () => {
  const model = createPlacementModel({ sites: 3, clients: 3, cost: [[0, 1, 2], [1, 0, 1], [2, 1, 0]] });

  it('k = 0 or missing is a ModelError naming options.k', () => {
    expect(() => gonzalez(model, { k: 0 })).toThrow(ModelError);
    expect(() => gonzalez(model, { k: 0 })).toThrow(/options\.k/);
    expect(() => gonzalez(model, {})).toThrow(/options\.k/);
    expect(() => gonzalez(model, { k: 1.5 })).toThrow(/options\.k/);
    expect(() => gonzalez(model, { k: 1, outliers: -1 })).toThrow(/options\.outliers/);
  });

  it('k above the number of sites is a ModelError (issue 13: it was silently accepted)', async () => {
    await expect(exact(model, { k: 5 })).rejects.toThrow(/options\.k/);
  });

  it('more pre-opened sites than k is infeasible with a certificate', () => {
    const m = createPlacementModel({ sites: [{ mustOpen: true }, { mustOpen: true }, {}], clients: 3, cost: model.cost });
    const r = gonzalez(m, { k: 1 });
    if (r.status !== 'infeasible') throw new Error(`expected infeasible, got ${r.status}`);
    expect(r.certificate?.fields).toContain('sites[0].mustOpen');
  });

  it('disconnected data (more components than k) is infeasible with a certificate', async () => {
    const m = createPlacementModel({ sites: 4, clients: 4, cost: new Float64Array(16), allowed: (s, j) => Math.floor(s / 2) === Math.floor(j / 2) });
    const r = await exact(m, { k: 1 });
    if (r.status !== 'infeasible') throw new Error(`expected infeasible, got ${r.status}`);
    expect(r.certificate?.reason).toMatch(/share no site/);
    expect(solved(await exact(m, { k: 2 })).objective).toBe(0);
  });

  it('non-metric input: a warning, and no ratio claimed', () => {
    const nm = createPlacementModel({ sites: 3, clients: 3, cost: [[0, 1, 10], [1, 0, 1], [10, 1, 0]] });
    const r = solved(gonzalez(nm, { k: 1 }));
    expect(r.guarantee.kind).toBe('heuristic');
    expect(r.warnings?.join(' ')).toMatch(/not a metric/);
    const h = solved(hochbaumShmoys(nm, { k: 1 }));
    expect(h.guarantee.kind).toBe('heuristic');
  });

  it('capacity-blind methods refuse capacitated models unless told', () => {
    const m = createPlacementModel({ sites: [{ capacity: 1 }, { capacity: 2 }], clients: 2, cost: [[0, 1], [1, 0]] });
    expect(() => gonzalez(m, { k: 1 })).toThrow(/capacitated/);
    expect(solved(gonzalez(m, { k: 1, capacitated: false })).objective).toBe(1);
  });

  it('is registered under kcenter:* for the core solve()', async () => {
    const r = await solve(model, { method: 'kcenter:exact', k: 1 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1);
    const a = await solve(model, { method: 'kcenter', k: 1 });
    expect(a.objective).toBe(1);
  });
});

describe('kcenter input checks (issue 13)', () => {
  it('k larger than the number of sites is a ModelError naming options.k', async () => {
    const model = createPlacementModel({ sites: 3, clients: 3, cost: [0, 1, 2, 1, 0, 1, 2, 1, 0] });
    for (const method of ['kcenter', 'kcenter:gonzalez', 'kcenter:exact']) {
      await expect(solve(model, { method, k: 5 })).rejects.toThrow(ModelError);
      await expect(solve(model, { method, k: 5 })).rejects.toThrow(/options\.k.*3 candidate sites/);
    }
    const ok = await solve(model, { method: 'kcenter', k: 3 });
    expect(ok.status).toBe('optimal');
  });
});
