import { createPlacementModel, listSolvers, solve } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

/** Defects found by the status audit (scripts/audit/statuses.ts), each with its reproduction. */
describe('audit findings: k-center when no k sites serve every client', () => {
  // Every pair of clients shares a site, so the packing test passes, but no single site
  // may serve all six (allowed): with k = 1 the instance is infeasible. Before, auto/exact
  // said `optimal` Infinity, local/outliers `feasible` Infinity, and gonzalez,
  // hochbaum-shmoys and capacitated `no-solution` with stoppedBy converged.
  const model = createPlacementModel({
    sites: 3,
    clients: 6,
    cost: [
      [16, 0, 9, 16, 29, 8],
      [6, 22, 5, 2, 16, 9],
      [12, 11, 3, 19, 0, 24],
    ],
    allowed: [
      [0, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 0, 1],
      [1, 0, 0, 1, 1, 1],
    ],
  });
  const methods = listSolvers('kcenter').map((e) => e.method).filter((m) => m !== 'incremental');

  it.each(methods)('kcenter:%s proves it infeasible', async (method) => {
    const result = await solve(model, { method: `kcenter:${method}`, k: 1 });
    expect(result.status).toBe('infeasible');
    expect(result.stoppedBy).toBe('converged');
    expect(result.status === 'infeasible' ? result.certificate?.fields : undefined).toContain('allowed');
  });

  it('a heuristic still answers with k = 2, where two sites cover everyone', async () => {
    for (const method of methods) {
      const result = await solve(model, { method: `kcenter:${method}`, k: 2 });
      expect(result.status === 'optimal' || result.status === 'feasible', method).toBe(true);
      expect(Number.isFinite(result.objective), method).toBe(true);
    }
  });
});

describe('audit findings: incremental k-center options', () => {
  it('order = null is a ModelError naming options.order (a TypeError reading null.length before)', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [[0, 3], [3, 0]] });
    await expect(solve(model, { method: 'kcenter:incremental', k: 1, order: null })).rejects.toThrow('options.order');
  });
});
