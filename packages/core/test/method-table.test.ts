import { describe, expect, it } from 'vitest';
import {
  createPlacementModel,
  defineMethods,
  findSolver,
  kebabCase,
  listSolvers,
  registerMethods,
  solve,
  SolveRun,
  UnknownMethodError,
  type PlacementModel,
  type SolveOptions,
} from '../src/index.js';

interface CountOptions extends SolveOptions {
  scale?: number | undefined;
}

// A table whose methods report what they were given, so the dispatch can be checked.
const COUNT = defineMethods<PlacementModel, CountOptions, { sites: number; method?: string | undefined }>()({
  family: 'table-test',
  modelKind: 'placement',
  summary: 'counts sites',
  options: [{ name: 'scale', type: 'number', min: 0, default: 1, description: 'multiplies the count', methods: ['scaled'] }],
  methods: [
    {
      method: 'auto',
      description: 'counts the sites',
      guarantee: 'exact',
      solve: (model, options) => new SolveRun(options, 'table-test:auto').solved({ solution: { sites: model.nSites, method: options.method }, objective: model.nSites, guarantee: { kind: 'exact' } }),
    },
    {
      method: 'scaled',
      description: 'counts the sites, scaled',
      guarantee: 'exact',
      solve: async (model, options) => {
        const x = model.nSites * (options.scale ?? 1);
        return new SolveRun(options, 'table-test:scaled').solved({ solution: { sites: x }, objective: x, guarantee: { kind: 'exact' } });
      },
    },
  ],
});

describe('method tables', () => {
  const model = createPlacementModel({ sites: 3, clients: 1, cost: [[1], [2], [3]] });

  it('dispatch by options.method, default auto, and hide the method from the implementation', async () => {
    expect(COUNT.names).toEqual(['auto', 'scaled']);
    expect((await COUNT.solve(model)).objective).toBe(3);
    const r = await COUNT.solve(model, { method: 'scaled', scale: 2 });
    expect(r.objective).toBe(6);
    const auto = await COUNT.solve(model, { method: 'auto' });
    expect(auto.solution?.method).toBeUndefined();
    await expect(COUNT.solve(model, { method: 'nope' as 'auto' })).rejects.toThrowError(/table-test has: auto, scaled/);
    expect(() => COUNT.find('nope')).toThrowError(UnknownMethodError);
  });

  it('register every method with the core registry, which checks the model kind', async () => {
    registerMethods(COUNT);
    expect(listSolvers('table-test').map((s) => s.method)).toEqual(['auto', 'scaled']);
    expect(findSolver('table-test:scaled').guarantee).toBe('exact');
    // Each entry lists the options its method reads.
    expect(findSolver('table-test:scaled').options?.map((o) => o.name)).toEqual(['scale']);
    expect(findSolver('table-test:auto').options).toEqual([]);
    expect((await solve(model, { method: 'table-test:scaled', scale: 3 })).objective).toBe(9);
    await expect(solve({ kind: 'graph' }, { method: 'table-test' })).rejects.toThrowError(/takes a placement model/);
    // Called directly (as the worker pool does), the entry still refuses another kind of model.
    await expect(Promise.resolve().then(() => findSolver('table-test').solve({ kind: 'graph' }, {}))).rejects.toThrowError(/takes a placement model/);
  });

  it('refuse a method declared twice and an option naming an unknown method', () => {
    const define = defineMethods<PlacementModel, CountOptions, number>();
    const row = { method: 'a', description: '', guarantee: '', solve: () => Promise.reject(new Error('unused')) } as const;
    expect(() => define({ family: 'dup', modelKind: 'placement', summary: '', methods: [row, row] })).toThrowError(/declared twice/);
    expect(() => define({ family: 'opt', modelKind: 'placement', summary: '', options: [{ name: 'scale', type: 'number', description: '', methods: ['b'] }], methods: [row] })).toThrowError(/unknown method b/);
  });

  it('spell options in kebab-case on the command line', () => {
    expect(kebabCase('evaluationSamples')).toBe('evaluation-samples');
    expect(kebabCase('k')).toBe('k');
  });
});
