import '@emplace/emplace';
import { listSolvers, solve, type OptionInfo, type Result, type SolverEntry } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyModel, MODEL_KINDS, slotsOf, validModel } from './api-models.js';
import { envelopeProblems, isDeliberate, messageProblems } from './envelope.js';
import { expectNoFailures } from './known-defects.js';
import { recordFailures } from './tally.js';

/**
 * Bad-input fuzzing of the registry entry `solve(model, { method })` for every registered
 * method: valid models with adversarial options, and corrupted models (a typed-array entry set
 * to NaN / Infinity / -1 / 1e308, an array shortened, a field removed or of the wrong type).
 * Each call must return a sound envelope or throw an EmplaceError with a one-line reason.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const CALL_TIMEOUT_MS = 20_000;

const BAD_VALUES: unknown[] = [NaN, Infinity, -Infinity, -1, 1e308, -1e308, 1e15, 0, 0.5, 2 ** 31, 2 ** 53 + 2, -0, null, undefined, 'x', '', [], {}, true];

async function outcomeProblems(call: () => Promise<Result<unknown>>): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CALL_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([call(), hang]);
    if (result === 'hang') return ['hang'];
    return envelopeProblems(result);
  } catch (err) {
    const message = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
    if (!isDeliberate(err)) return [`threw ${message.split('\n')[0]}`];
    return messageProblems((err as Error).message).map((p) => `${p}: ${message.slice(0, 200)}`);
  } finally {
    clearTimeout(timer);
  }
}

function optionValues(option: OptionInfo): unknown[] {
  const common = [NaN, -1, 0, 1e308, 'x', null, true];
  if (option.type === 'boolean') return ['yes', 1, null];
  if (option.choices) return [...option.choices, 'bogus', 3];
  if (option.type === 'list') return [['bogus'], [], 'cost', [1]];
  if (option.type === 'string') return ['', 'zz', '99', 0, 1];
  return [...common, 1, 2, 3, 1000, 1.5, -0.5, Infinity];
}

/** Options of every solve: adversarial values of the common ones and of the method's own. */
function optionsArbitrary(entry: SolverEntry): fc.Arbitrary<Record<string, unknown>> {
  const keys: fc.Arbitrary<[string, unknown]>[] = [
    fc.tuple(fc.constant('timeLimitMs'), fc.constantFrom<unknown>(-1, NaN, 0, 1, Infinity, '100', null)),
    fc.tuple(fc.constant('seed'), fc.constantFrom<unknown>(NaN, 1.5, -1, 2 ** 40, 'x', Infinity)),
    fc.tuple(fc.constant('tolerance'), fc.constantFrom<unknown>(-1, NaN, 2, 0, Infinity)),
    fc.tuple(fc.constant('k'), fc.constantFrom<unknown>(0, -1, 1.5, NaN, 1, 2, 3, 5, 50, 1e9, Infinity)),
    fc.tuple(fc.constant('p'), fc.constantFrom<unknown>(0, -1, 1.5, 2, 50)),
    fc.tuple(fc.constant('maxMemoryBytes'), fc.constantFrom<unknown>(-1, 0, 1, NaN)),
    fc.tuple(fc.constant('frobnicate'), fc.constant(1)),
  ];
  for (const option of entry.options ?? []) keys.push(fc.tuple(fc.constant(option.name), fc.constantFrom(...optionValues(option))));
  return fc.array(fc.oneof(...keys), { minLength: 1, maxLength: 3 }).map((pairs) => Object.fromEntries(pairs));
}

/** Options a method needs to run at all (k for k-site families, radius, sense...), so cases reach the solver. */
function baseOptions(entry: SolverEntry): Record<string, unknown> {
  const base: Record<string, unknown> = { timeLimitMs: 2000 };
  for (const option of entry.options ?? []) {
    if (!option.required) continue;
    base[option.name] = option.choices?.[0] ?? (option.name === 'radius' ? 30 : option.type === 'string' ? '1' : 2);
  }
  if (['pmedian', 'kcenter', 'mclp', 'pdispersion', 'online-kcenter'].includes(entry.family)) base['k'] = 2;
  if (entry.family === 'maxflow') Object.assign(base, { source: 0, sink: 1 });
  return base;
}

const entries = listSolvers().filter((e) => MODEL_KINDS.includes(e.modelKind));

describe('API fuzz: registry solve for every method', () => {
  it('covers every registered model kind but the ones no file format yields', () => {
    const uncovered = [...new Set(listSolvers().map((e) => e.modelKind))].filter((k) => !MODEL_KINDS.includes(k));
    expect(uncovered).toEqual(['multi-objective']);
  });

  it.each(entries.map((e) => [`${e.family}:${e.method}`, e] as const))('%s: adversarial options and corrupted models', async (name, entry) => {
    const failures: string[] = [];
    const cases = fc.sample(
      fc.tuple(fc.nat(1e6), fc.option(optionsArbitrary(entry), { freq: 2 }), fc.option(fc.tuple(fc.nat(1e4), fc.nat(BAD_VALUES.length - 1), fc.constantFrom('set', 'entry', 'shorten', 'delete')), { freq: 2 })),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4) },
    );
    for (const [modelSeed, options, corruption] of cases) {
      const model = await validModel(entry.modelKind, modelSeed);
      if (model === undefined) continue;
      const bad = copyModel(model);
      let what = 'valid model';
      if (corruption !== null) {
        const slots = slotsOf(bad);
        const [index, valueIndex, mode] = corruption;
        const slot = slots[index % slots.length];
        if (slot !== undefined) {
          const target = (slot.parent as Record<string | number, unknown>)[slot.key];
          const value = BAD_VALUES[valueIndex];
          if (mode === 'entry' && ArrayBuffer.isView(target) && (target as Float64Array).length > 0) {
            const arr = target as Float64Array;
            const at = index % arr.length;
            arr[at] = value as number;
            what = `${slot.path}[${at}] = ${String(value)}`;
          } else if (mode === 'shorten' && (ArrayBuffer.isView(target) || Array.isArray(target))) {
            (slot.parent as Record<string | number, unknown>)[slot.key] = (target as Float64Array).slice(0, Math.max(0, (target as Float64Array).length - 1));
            what = `${slot.path} shortened`;
          } else if (mode === 'delete' && !Array.isArray(slot.parent)) {
            delete (slot.parent as Record<string, unknown>)[slot.key as string];
            what = `${slot.path} deleted`;
          } else {
            (slot.parent as Record<string | number, unknown>)[slot.key] = value;
            what = `${slot.path} = ${String(value)}`;
          }
        }
      }
      const opts = { ...baseOptions(entry), ...(options ?? {}), method: name };
      if (process.env['FUZZ_TRACE'] !== undefined) process.stderr.write(`${name} seed ${modelSeed} ${what} ${JSON.stringify(options)}\n`);
      const problems = await outcomeProblems(() => solve(bad, opts));
      if (problems.length > 0) failures.push(`${name} model seed ${modelSeed}, ${what}, options ${JSON.stringify(options)}: ${problems.join('; ')}`);
    }
    recordFailures(`api ${name}`, failures);
    expectNoFailures(`api ${name}`, failures);
  });
});

/** The packages' own entry points (`facility.solveUfl(model, options)`, ...) and the model kind each takes. */
const DIRECT: readonly [string, string, string][] = [
  ['graph', 'solveMst', 'graph'],
  ['graph', 'solveMaxFlow', 'graph'],
  ['facility', 'solveUfl', 'placement'],
  ['facility', 'solveCfl', 'placement'],
  ['facility', 'solveSscfl', 'placement'],
  ['facility', 'solvePMedian', 'placement'],
  ['facility', 'solveStochastic', 'scenarios'],
  ['facility', 'solveRobust', 'scenarios'],
  ['kcenter', 'solveKCenter', 'placement'],
  ['kcenter', 'solveLscp', 'placement'],
  ['kcenter', 'solveMclp', 'placement'],
  ['kcenter', 'solvePDispersion', 'placement'],
  ['kcenter', 'solveSurvivable', 'placement'],
  ['assignment', 'solveGap', 'placement'],
  ['assignment', 'solveSchedule', 'schedule'],
  ['assignment', 'solveReplicas', 'replicas'],
  ['steiner', 'solveSteiner', 'steiner'],
  ['spectral', 'solveFiedler', 'graph'],
  ['spectral', 'solvePartition', 'graph'],
  ['mechanism', 'solveShapley', 'game'],
  ['mechanism', 'solveBanzhaf', 'game'],
  ['mechanism', 'solveNucleolus', 'game'],
  ['mechanism', 'solveLeastCore', 'game'],
  ['mechanism', 'solveVcg', 'market'],
  ['mechanism', 'solveAuction', 'market'],
  ['pareto', 'solvePlacementFront', 'placement'],
  ['flows', 'solveMinCostFlow', 'flow-network'],
  ['flows', 'solveGomoryHu', 'graph'],
  ['flows', 'solveMcf', 'mcf'],
  ['flows', 'solveLinkUpgrade', 'mcf'],
];

/** Inputs that are not models at all, or models of another kind, or of the right kind but empty. */
const NOT_MODELS: unknown[] = [undefined, null, {}, 42, 'x', [], { kind: 'placement' }, { kind: 'graph', n: 2 }, { kind: 'game' }, { kind: 'market', bids: 3 }, { kind: 'steiner', graph: null }];

describe('API fuzz: the packages\' solveX entry points', () => {
  it.each(DIRECT.map(([ns, fn, kind]) => [`${ns}.${fn}`, ns, fn, kind] as const))('%s: non-models and corrupted models', async (label, ns, fn, kind) => {
    const umbrella = (await import('@emplace/emplace')) as unknown as Record<string, Record<string, unknown>>;
    const entry = umbrella[ns]?.[fn] as ((model: unknown, options?: unknown) => Promise<Result<unknown>> | Result<unknown>) | undefined;
    expect(typeof entry, label).toBe('function');
    const options = { timeLimitMs: 2000, k: 2, p: 2, radius: 30, sense: 'min', source: '0', sink: '1' };
    const failures: string[] = [];
    for (const model of NOT_MODELS) {
      const problems = await outcomeProblems(async () => entry!(model, options));
      if (problems.length > 0) failures.push(`${label}(${JSON.stringify(model)}): ${problems.join('; ')}`);
    }
    const cases = fc.sample(fc.tuple(fc.nat(1e6), fc.nat(1e4), fc.nat(BAD_VALUES.length - 1)), { seed: SEED, numRuns: Math.ceil(RUNS / 4) });
    for (const [modelSeed, slotIndex, valueIndex] of cases) {
      const model = await validModel(kind, modelSeed);
      if (model === undefined) continue;
      const bad = copyModel(model);
      const slots = slotsOf(bad);
      const slot = slots[slotIndex % slots.length];
      if (slot === undefined) continue;
      (slot.parent as Record<string | number, unknown>)[slot.key] = BAD_VALUES[valueIndex];
      const problems = await outcomeProblems(async () => entry!(bad, options));
      if (problems.length > 0) failures.push(`${label} seed ${modelSeed}, ${slot.path} = ${String(BAD_VALUES[valueIndex])}: ${problems.join('; ')}`);
    }
    recordFailures(`direct ${label}`, failures);
    expectNoFailures(`direct ${label}`, failures);
  });
});
