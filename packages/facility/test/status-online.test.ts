import { createPlacementModel, listSolvers, ModelError, solve, type Result } from '@emplace/core';
import '@emplace/facility';
import type { OnlineFacilitySolution } from '@emplace/facility';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded } from '../../emplace/test/fuzz/instances.js';
import { truthProblems, type Truth } from '../../emplace/test/fuzz/truth.js';

/**
 * Statuses of the online facility location methods (through the registry's `solve`) against
 * the offline UFL optimum by enumeration: an online plan is `feasible` (no proof), every client
 * is served by an open allowed site, the objective is recomputed here from the plan, is never
 * below the offline optimum, and `infeasible` only when a client has no allowed site.
 * Degenerate inputs: one site, zero opening costs, cost ties, forbidden / must-open sites, a
 * client allowed nowhere, 1e-6 / 1e9 scales.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 40);

describe('online-ufl statuses against the offline optimum', () => {
  it.each(listSolvers('online-ufl').map((e) => e.method))('online-ufl:%s', async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      const r = seeded(seed);
      const nS = r.int(1, 4);
      const nC = r.int(1, 5);
      const unit = r.pick([1, 1, 1e-6, 1e9]);
      const ties = r.chance(0.2);
      const f = Array.from({ length: nS }, () => (r.chance(0.2) ? 0 : r.int(0, 30) * unit));
      const cost = Array.from({ length: nS * nC }, () => (ties ? 4 * unit : r.int(0, 20) * unit));
      const allowed = Array.from({ length: nS * nC }, () => !r.chance(0.15));
      const forbidden = Array.from({ length: nS }, () => r.chance(0.1));
      const mustOpen = forbidden.map((x) => !x && r.chance(0.1));
      const describeIt = JSON.stringify({ f, cost, allowed, forbidden, mustOpen });
      let result: Result<unknown>;
      try {
        const model = createPlacementModel({ sites: f.map((o, i) => ({ openingCost: o, forbidden: forbidden[i]!, mustOpen: mustOpen[i]! })), clients: nC, cost, allowed: (i, j) => allowed[i * nC + j]! });
        result = await solve(model, { method: `online-ufl:${method}`, seed: 1, order: r.pick(['given', 'random']) });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  ${describeIt}`);
        continue;
      }
      let best = Infinity;
      for (let mask = 0; mask < 1 << nS; mask++) {
        if (Array.from({ length: nS }, (_, i) => ((mask >> i) & 1) === 1).some((o, i) => (o && forbidden[i]) || (!o && mustOpen[i]))) continue;
        let total = 0;
        for (let i = 0; i < nS; i++) if ((mask >> i) & 1) total += f[i]!;
        for (let j = 0; j < nC; j++) {
          let c = Infinity;
          for (let i = 0; i < nS; i++) if ((mask >> i) & 1 && allowed[i * nC + j]) c = Math.min(c, cost[i * nC + j]!);
          total += c;
        }
        best = Math.min(best, total);
      }
      const truth: Truth = best < Infinity ? { feasible: true, value: best } : { feasible: false };
      const problems = [...envelopeProblems(result), ...truthProblems(result, truth, 'min')];
      if (truth.feasible && result.status === 'no-solution') problems.push('no-solution on a feasible model');
      if (result.status === 'optimal' || result.status === 'feasible') {
        const s = result.solution as OnlineFacilitySolution;
        const open = new Set(Array.from(s.openSites));
        let total = 0;
        for (const i of open) total += f[i]!;
        for (let j = 0; j < nC; j++) {
          const i = s.assignment[j]!;
          if (!open.has(i) || !allowed[i * nC + j] || forbidden[i]) problems.push(`client ${j} at site ${i}: not an open allowed site`);
          else total += cost[i * nC + j]!;
        }
        for (let i = 0; i < nS; i++) if (mustOpen[i] && !open.has(i)) problems.push(`must-open site ${i} not opened`);
        if (Math.abs(total - result.objective) > 1e-9 * Math.max(1, total)) problems.push(`objective ${result.objective}, the plan costs ${total}`);
      }
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} (${result.stoppedBy}) truth ${JSON.stringify(truth)}: ${problems.join('; ')}\n  ${describeIt}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('online-ufl audit findings (scripts/audit/api-options.ts)', () => {
  // Before: order = null read null.length (a TypeError "internal error").
  it('order = null is a ModelError naming options.order', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [[0, 3], [3, 0]], openingCost: [1, 1] });
    await expect(solve(model, { method: 'online-ufl:meyerson', order: null })).rejects.toThrow(ModelError);
    await expect(solve(model, { method: 'online-ufl:meyerson', order: null })).rejects.toThrow('options.order');
  });
});
