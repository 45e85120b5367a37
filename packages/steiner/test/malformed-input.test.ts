import { describe, expect, it } from 'vitest';
import { createGraph, ModelError } from '@emplace/core';
import { createSteinerProblem, solveSteiner } from '@emplace/steiner';

/**
 * Issue 13, fuzz finding F5: solveSteiner called directly (not through the method tables,
 * which shape-check the model) with a corrupted graph threw a TypeError from deep inside.
 * It must throw a ModelError naming the field.
 */
describe('solveSteiner on a malformed problem', () => {
  const valid = createSteinerProblem(createGraph({ n: 4, edges: [[0, 1, 1], [1, 2, 1], [2, 3, 1], [0, 3, 5]] }), [0, 2, 3]);
  const corruptions: [string, unknown][] = [
    ['edgeV', ''],
    ['n', Number.NaN],
    ['adjNode', null],
    ['offsets', undefined],
    ['edgeW', [1, 2]],
  ];
  it.each(corruptions)('graph.%s = %s: a ModelError naming the field', async (field, value) => {
    const bad = { ...valid, graph: { ...valid.graph, [field]: value } };
    const err = await solveSteiner(bad, { method: 'kmb' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toContain(field);
  });

  it('the valid problem still solves', async () => {
    const r = await solveSteiner(valid, { method: 'kmb' });
    expect(r.objective).toBe(3);
  });
});
