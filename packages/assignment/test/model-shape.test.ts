import { describe, expect, it } from 'vitest';
import { ModelError, solve } from '@emplace/core';
import { createReplicaModel, generateReplicas, generateSchedule, replicasGreedy, solveReplicas, solveSchedule, type ReplicaModel, type ScheduleModel } from '../src/index.js';
import '../src/register.js';

/**
 * Fuzz findings F3 and F6 (issue 13): a compiled schedule or replica model with a field
 * deleted or a bad scalar threw a TypeError or returned `optimal` with objective NaN. Every
 * entry now refuses it with a ModelError naming the field.
 */
async function fieldOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof ModelError) return e.field;
    throw e;
  }
  throw new Error('no ModelError');
}

const mutate = <T extends object>(m: T, key: string, value: unknown): T => {
  const out = { ...m } as Record<string, unknown>;
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out as T;
};

describe('replica models are shape-checked at every entry (F3, F6)', () => {
  const model: ReplicaModel = createReplicaModel(generateReplicas({ workloads: 4, clusters: 3, seed: 5 }));

  it('a deleted field is a ModelError naming it', async () => {
    for (const key of ['lo', 'hi', 'eligible', 'unitCost', 'spreadsOf', 'weights', 'evident']) {
      const bad = mutate(model, key, undefined);
      for (const method of ['replicas:auto', 'replicas:exact', 'replicas:greedy', 'replicas:karmada']) expect(await fieldOf(solve(bad, { method }))).toBe(`model.${key}`);
      expect(await fieldOf(() => replicasGreedy(bad))).toBe(`model.${key}`);
    }
  });

  it('a bad scalar is a ModelError, never optimal NaN', async () => {
    const lat = Float64Array.from(model.unitLatency);
    lat[0] = -Infinity;
    expect(await fieldOf(solveReplicas(mutate(model, 'unitLatency', lat)))).toBe('model.unitLatency[0]');
    expect(await fieldOf(solveReplicas(mutate(model, 'weights', { ...model.weights, cost: Number.NaN })))).toBe('model.weights.cost');
    expect(await fieldOf(solveReplicas(mutate(model, 'placement', 0.5)))).toBe('model.placement');
  });

  it('options.maxMipPairs must be a positive integer at every entry (0 was accepted by solveReplicas and refused by the registry)', async () => {
    for (const maxMipPairs of [-0.5, -1, 0, 1.5, Number.NaN]) {
      expect(await fieldOf(solve(model, { method: 'replicas:auto', maxMipPairs, seed: -1 }))).toBe('options.maxMipPairs');
      expect(await fieldOf(solveReplicas(model, { method: 'exact', maxMipPairs }))).toBe('options.maxMipPairs');
      expect(await fieldOf(solveReplicas(model, { method: 'auto', maxMipPairs }))).toBe('options.maxMipPairs');
    }
    expect((await solveReplicas(model, { method: 'exact', maxMipPairs: 1 })).status).not.toBe('error');
  });
});

describe('schedule models are shape-checked at every entry (F6)', () => {
  const model: ScheduleModel = generateSchedule({ workloads: 12, clusters: 3, pairs: 10, seed: 3 });

  it('lambdaNetwork deleted, placement a number: ModelErrors naming the field', async () => {
    for (const method of ['auto', 'greedy', 'local-search', 'mip'] as const) {
      expect(await fieldOf(solveSchedule(mutate(model, 'lambdaNetwork', undefined), { method }))).toBe('model.lambdaNetwork');
      expect(await fieldOf(solveSchedule(mutate(model, 'placement', 0.5), { method }))).toBe('model.placement');
      expect(await fieldOf(solveSchedule(mutate(model, 'placement', true), { method }))).toBe('model.placement');
    }
    expect(await fieldOf(solveSchedule(mutate(model, 'trafficVolume', new Float64Array(model.trafficA.length).fill(Number.NaN))))).toBe('model.trafficVolume[0]');
    expect(await fieldOf(solveSchedule(mutate(model, 'migrationCost', undefined)))).toBe('model.migrationCost');
  });

  it('a valid model still solves', async () => {
    const r = await solveSchedule(model, { method: 'greedy' });
    expect(Number.isFinite(r.objective)).toBe(true);
  });
});
