import { createPlacementModel, listSolvers, solve, type Result } from '@emplace/core';
import { createScheduleModel, scheduleCost, scheduleViolations, type ScheduleModel, type ScheduleSolution } from '@emplace/assignment';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded, type Rand } from '../../emplace/test/fuzz/instances.js';
import { truthProblems, type Truth } from '../../emplace/test/fuzz/truth.js';
import { bruteForce } from './schedule-brute-force.js';

/**
 * Statuses of every schedule method (through the registry's `solve`) against the brute force
 * over every assignment (schedule-brute-force.ts, on the independent evaluator): `optimal` must
 * equal the optimum, a `feasible` plan must break no constraint and not beat it, `infeasible`
 * only when no assignment is valid (the exact methods must say so), bounds must not cross the
 * optimum. Degenerate inputs: one cluster, clusters with no capacity, a workload allowed
 * nowhere, zero costs (ties), 1e-6 and 1e9 cost scales, affinity and anti-affinity, locality
 * and a current placement with migration costs.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 40);

function randomSchedule(r: Rand): { model: ScheduleModel; describe: string } {
  const n = r.int(1, 5);
  const S = r.int(1, 3);
  const D = 2;
  const unit = r.pick([1, 1, 1, 1e-6, 1e9]);
  const ties = r.chance(0.2);
  const demand = Array.from({ length: n * D }, () => r.int(0, 4));
  const capacity = Array.from({ length: S * D }, () => (r.chance(0.1) ? 0 : r.int(2, 9)));
  const cost = Array.from({ length: S * n }, () => (ties ? 0 : r.int(0, 20) * unit));
  const allowed = Array.from({ length: S * n }, () => (r.chance(0.15) ? 0 : 1));
  if (r.chance(0.1)) for (let i = 0; i < S; i++) allowed[i * n] = 0; // workload 0 allowed nowhere
  const net = Array.from({ length: S * S }, (_, k) => (Math.floor(k / S) === k % S ? 0 : r.int(1, 9)));
  const traffic = n >= 2 ? Array.from({ length: r.int(0, 2 * n) }, () => ({ a: r.int(0, n - 1), b: r.int(0, n - 1), volume: r.int(1, 5) * unit })) : [];
  const spec = {
    n,
    S,
    demand,
    capacity,
    cost,
    allowed,
    affinity: r.chance(0.3) && n >= 2 ? [[0, 1]] : [],
    antiAffinity: r.chance(0.3) && n >= 3 ? [{ clients: [n - 2, n - 1], ...(r.chance(0.5) ? { domain: 'zone' } : {}) }] : [],
    traffic,
    net,
    penalty: Array.from({ length: S * n }, () => r.int(0, 3) * unit),
    locality: r.chance(0.3) ? [{ client: n - 1, site: 0, maxLatency: r.int(0, 6) }] : [],
    current: r.chance(0.4) ? { current: Array.from({ length: n }, () => r.int(-1, S - 1)), migrationCost: Array.from({ length: n }, () => r.int(0, 10) * unit) } : undefined,
  };
  const placement = createPlacementModel({
    sites: Array.from({ length: S }, (_, i) => ({ id: `s${i}`, labels: { zone: `z${i % 2}` } })),
    clients: n,
    dimensions: ['cpu', 'mem'],
    capacity,
    demand,
    cost,
    allowed,
    affinity: spec.affinity,
    antiAffinity: spec.antiAffinity,
  });
  const model = createScheduleModel({
    placement,
    traffic,
    networkCost: net,
    lambdaNetwork: 0.5,
    compliancePenalty: spec.penalty,
    lambdaCompliance: 2,
    locality: spec.locality,
    ...(spec.current ?? {}),
  });
  return { model, describe: JSON.stringify(spec) };
}

const HEURISTIC = new Set(['greedy', 'local-search']);

describe('schedule statuses against brute force', () => {
  it.each(listSolvers('schedule').map((e) => e.method))('schedule:%s', async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      let c: ReturnType<typeof randomSchedule>;
      let result: Result<unknown>;
      try {
        c = randomSchedule(seeded(seed));
        result = await solve(c.model, { method: `schedule:${method}`, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}`);
        continue;
      }
      const optimum = bruteForce(c.model);
      const truth: Truth = optimum === undefined ? { feasible: false } : { feasible: true, value: optimum };
      const problems = [...envelopeProblems(result), ...truthProblems(result, truth, 'min')];
      if (!HEURISTIC.has(method) && !truth.feasible && result.status !== 'infeasible') problems.push(`${result.status} (${result.stoppedBy}) on an instance no assignment satisfies: the exact method should prove it`);
      if (!HEURISTIC.has(method) && truth.feasible && result.status === 'no-solution') problems.push('no-solution on a feasible instance');
      if (result.status === 'optimal' || result.status === 'feasible') {
        const a = (result.solution as ScheduleSolution).assignment;
        const violations = scheduleViolations(c.model, a);
        if (violations.length > 0) problems.push(`the plan breaks ${violations.join('; ')}`);
        const total = scheduleCost(c.model, a).total;
        if (Math.abs(total - result.objective) > 1e-9 * Math.max(1, Math.abs(total))) problems.push(`objective ${result.objective} but the plan costs ${total}`);
      }
      // The heuristics prove infeasibility too (their construction ends in an exhaustive search).
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}) truth ${JSON.stringify(truth)}: ${problems.join('; ')}\n  warnings ${JSON.stringify(result.warnings ?? [])}\n  ${c.describe}`);
    }
    expect(failures).toEqual([]);
  });
});
