import { describe, expect, it } from 'vitest';
import { checkModelFeatures, createPlacementModel, MODEL_FEATURES, ModelError, usedModelFeatures, type FeatureTable } from '@emplace/core';

const IGNORE_ALL = Object.fromEntries(MODEL_FEATURES.map((f) => [f, 'ignored'])) as Record<(typeof MODEL_FEATURES)[number], 'ignored'>;
const HONOUR_ALL: FeatureTable = Object.fromEntries(MODEL_FEATURES.map((f) => [f, 'honoured'])) as FeatureTable;

describe('usedModelFeatures', () => {
  it('finds nothing in a plain model', () => {
    const m = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4] });
    expect(usedModelFeatures(m).size).toBe(0);
  });

  it('finds every feature in use, and skips features present only in form', () => {
    const m = createPlacementModel({
      sites: [{ capacity: { cpu: 4, mem: 8 }, mustOpen: true }, {}],
      clients: [{ demand: { cpu: 1, mem: 2 }, replicas: 3 }, { demand: { cpu: 1 } }],
      dimensions: ['cpu', 'mem'],
      cost: [1, 2, 3, 4],
      allowed: [1, 1, 0, 1],
      affinity: [[0, 1]],
      antiAffinity: [{ clients: [0, 1] }],
    });
    expect([...usedModelFeatures(m).keys()].sort()).toEqual(['affinity', 'allowed', 'antiAffinity', 'capacity', 'dimensions', 'fixedSites', 'replicas']);
    const inert = createPlacementModel({
      sites: 2,
      clients: 2,
      dimensions: ['cpu', 'mem'],
      cost: [1, 2, 3, 4],
      allowed: [1, 1, 1, 1],
      affinity: [[0], [1, 1]],
      antiAffinity: [{ clients: [1] }],
    });
    expect(usedModelFeatures(inert).size).toBe(0);
  });
});

describe('checkModelFeatures', () => {
  const m = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4], antiAffinity: [{ clients: [0, 1] }] });

  it('warns for an ignored feature, naming method and field', () => {
    const w = checkModelFeatures(m, IGNORE_ALL, 'ufl:greedy');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/ufl:greedy ignores model\.antiAffinity \(1 anti-affinity group/);
  });

  it('is silent for honoured features', () => {
    expect(checkModelFeatures(m, HONOUR_ALL, 'x')).toEqual([]);
  });

  it('throws a ModelError naming the field of a refused feature', () => {
    const table: FeatureTable = { ...HONOUR_ALL, antiAffinity: 'refused' };
    expect(() => checkModelFeatures(m, table, 'gap')).toThrow(ModelError);
    try {
      checkModelFeatures(m, table, 'gap');
    } catch (e) {
      expect((e as ModelError).field).toBe('model.antiAffinity');
    }
  });
});
