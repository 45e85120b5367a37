import { describe, expect, it } from 'vitest';
import { checkModelShape, checkModelShapeSteps, createGraph, createPlacementModel, defineMethods, ModelError, type Graph, type PlacementModel, type Result } from '@emplace/core';

/**
 * Regression tests of the API fuzz harness (packages/emplace/test/fuzz): hand-built or mutated
 * models reached the solvers and crashed them (`model.affinity.filter is not a function` in
 * every placement family; a graph whose edgeU was a number killed the process with a fatal
 * "invalid size" error in steiner:dreyfus-wagner).
 */
const placement = (): PlacementModel => createPlacementModel({ sites: 2, clients: 3, cost: [[1, 2, 3], [4, 5, 6]] });
const graph = (): Graph => createGraph({ n: 3, edges: [[0, 1, 2], [1, 2, 3]] });

function fieldOf(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return (err as ModelError).field ?? '';
  }
  throw new Error('expected a ModelError');
}

describe('checkModelShape', () => {
  it('accepts the models the constructors build, and what holds them', () => {
    expect(() => checkModelShape(placement())).not.toThrow();
    expect(() => checkModelShape(graph())).not.toThrow();
    expect(() => checkModelShape({ kind: 'steiner', graph: graph(), terminals: [0, 2] })).not.toThrow();
    expect(() => checkModelShape({ kind: 'schedule', placement: placement() })).not.toThrow();
  });

  it('names the field of a corrupted placement model', () => {
    expect(fieldOf(() => checkModelShape({ ...placement(), affinity: true }))).toBe('model.affinity');
    expect(fieldOf(() => checkModelShape({ ...placement(), nClients: -Infinity }))).toBe('model.nClients');
    expect(fieldOf(() => checkModelShape({ ...placement(), cost: new Float64Array(5) }))).toBe('model.cost');
    const nan = placement();
    nan.cost[4] = NaN;
    expect(fieldOf(() => checkModelShape(nan))).toBe('model.cost[4]');
    expect(fieldOf(() => checkModelShape({ ...placement(), affinity: [Int32Array.of(0, 7)] }))).toBe('model.affinity[0][1]');
    expect(fieldOf(() => checkModelShape({ kind: 'schedule', placement: { ...placement(), demand: null } }))).toBe('model.placement.demand');
  });

  it('names the field of a corrupted graph, also inside another model', () => {
    expect(fieldOf(() => checkModelShape({ kind: 'steiner', graph: { ...graph(), edgeU: -1 }, terminals: [0] }))).toBe('model.graph.edgeU');
    expect(fieldOf(() => checkModelShape({ ...graph(), m: -Infinity }))).toBe('model.m');
    const g = graph();
    g.adjNode[1] = 99;
    expect(fieldOf(() => checkModelShape(g))).toBe('model.adjNode[1]');
    expect(fieldOf(() => checkModelShape(null))).toBe('model');
  });

  it('runs at every method-table entry before the method sees the model', async () => {
    let called = false;
    const table = defineMethods<PlacementModel, { timeLimitMs?: number | undefined }, null>()({
      family: 'shape-test',
      modelKind: 'placement',
      summary: 'test',
      methods: [{ method: 'auto', description: 'd', guarantee: 'g', solve: () => ((called = true), {} as Result<null>) }],
    });
    await expect(table.solve({ ...placement(), affinity: true } as unknown as PlacementModel)).rejects.toThrow(/model\.affinity/);
    await expect(table.entries()[0]!.solve({ ...placement(), weight: [1, 1, 1] }, {})).rejects.toThrow(/model\.weight/);
    expect(called).toBe(false);
  });
});

describe('checkModelShapeSteps (issue 13: a million-edge scan was one 30-40 ms stretch)', () => {
  /** A path graph with n nodes built directly (typed arrays), so the test needs no large edge list. */
  function path(n: number): Graph {
    const edges: [number, number, number][] = [];
    for (let v = 0; v + 1 < n; v++) edges.push([v, v + 1, 1]);
    return createGraph({ n, edges });
  }

  it('has a checkpoint every 65,536 scanned entries and finds the same defect as the one-stretch check', () => {
    const g = path(200_000);
    let checkpoints = 0;
    const steps = checkModelShapeSteps(g);
    for (let r = steps.next(); !r.done; r = steps.next()) checkpoints++;
    // edgeU, edgeV, edgeW: 199,999 entries each, scanned in 4 chunks each; the adjacency (399,998) in 7 chunks each.
    expect(checkpoints).toBeGreaterThanOrEqual(3 * 3 + 3 * 6);
    for (const at of [5, 70_000, 199_998]) {
      const bad = path(200_000);
      bad.edgeV[at] = 200_000;
      expect(fieldOf(() => checkModelShape(bad))).toBe(`model.edgeV[${at}]`);
      const steps2 = checkModelShapeSteps(bad);
      expect(fieldOf(() => {
        for (let r = steps2.next(); !r.done; r = steps2.next());
      })).toBe(`model.edgeV[${at}]`);
    }
  });

  it('a registry entry checks once: the family entry it calls does not scan again, a direct call does', async () => {
    const g = graph();
    let inside = '';
    // The method mutates the model, then checks it as a family entry would.
    const probe = (model: Graph): Result<null> => {
      const saved = model.edgeW[0]!;
      model.edgeW[0] = NaN;
      try {
        checkModelShape(model);
        inside = 'skipped';
      } catch {
        inside = 'scanned';
      } finally {
        model.edgeW[0] = saved;
      }
      return {} as Result<null>;
    };
    const table = defineMethods<Graph, { timeLimitMs?: number | undefined }, null>()({
      family: 'shape-once',
      modelKind: 'graph',
      summary: 'test',
      methods: [{ method: 'auto', description: 'd', guarantee: 'g', solve: probe }],
    });
    await table.solve(g);
    expect(inside).toBe('skipped');
    inside = '';
    await table.entries()[0]!.solve(g, {});
    expect(inside).toBe('skipped');
    // After the solve the model is no longer marked: a direct check scans it.
    g.edgeW[0] = NaN;
    expect(fieldOf(() => checkModelShape(g))).toBe('model.edgeW[0]');
  });
});
