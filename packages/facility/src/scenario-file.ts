import { EmplaceError, FormatError, createPlacementModel, placementInputFromJson, type PlacementModel } from '@emplace/core';
import {
  createScenarioSet,
  generateScenarios,
  scenarioSampler,
  type ScenarioGeneratorSpec,
  type ScenarioInput,
  type ScenarioSampler,
  type ScenarioSet,
  type ScenarioSetOptions,
} from './scenarios.js';

/** A scenario file read (docs/formats.md, "Scenario files"). */
export interface ScenarioFile {
  name: string;
  model: PlacementModel;
  /** The listed scenarios, or `generator.count` scenarios drawn from the generator. */
  set: ScenarioSet;
  /** Present when the file describes a generator: SAA samples from it directly. */
  sampler?: ScenarioSampler;
  generator?: ScenarioGeneratorSpec & { count: number; seed: number };
  options: ScenarioSetOptions;
}

/**
 * Reads a scenario document:
 *   { "kind": "scenarios", "name"?, "model": <emplace placement JSON>, "penalty"?, "capacitated"?,
 *     "scenarios"?: [{ "name"?, "probability"?, "demand"?, "costScale"?, "cost"?, "failed"? }],
 *     "generator"?: { "count", "seed"?, "demandSigma"?, "demandGroups"?, "failureProbability"?,
 *                     "failureDomain"?, "maxFailures"?, "costSpread"? } }
 * with exactly one of `scenarios` and `generator`. JSON has no Infinity: `null` capacities
 * mean uncapacitated and a `null` or absent penalty means every client must be served.
 * Errors are FormatError naming the field (`scenarios[3].failed[0]: ...`).
 */
export function readScenarioJson(text: string, options: { name?: string; source?: string } = {}): ScenarioFile {
  const where = options.source !== undefined ? { source: options.source } : {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON (${(err as Error).message})`, where);
  }
  if (!isRecord(doc)) throw new FormatError('a scenario file must be a JSON object with "kind": "scenarios"', where);
  if (doc['kind'] !== 'scenarios') throw new FormatError(`"kind" must be "scenarios", got ${JSON.stringify(doc['kind'])}`, where);
  const name = typeof doc['name'] === 'string' ? doc['name'] : (options.name ?? 'scenarios');
  try {
    if (!isRecord(doc['model'])) throw new FormatError('"model" must be an emplace placement object (sites, clients, cost, ...)');
    const model = createPlacementModel(placementInputFromJson(doc['model']));
    const setOptions: ScenarioSetOptions = {};
    const penalty = doc['penalty'];
    if (penalty !== undefined && penalty !== null) {
      if (typeof penalty !== 'number') throw new FormatError(`"penalty" must be a number or null, got ${JSON.stringify(penalty)}`);
      setOptions.penalty = penalty;
    }
    const capacitated = doc['capacitated'];
    if (capacitated !== undefined) {
      if (typeof capacitated !== 'boolean') throw new FormatError(`"capacitated" must be true or false, got ${JSON.stringify(capacitated)}`);
      setOptions.capacitated = capacitated;
    }
    const listed = doc['scenarios'];
    const gen = doc['generator'];
    if ((listed === undefined) === (gen === undefined)) throw new FormatError('give exactly one of "scenarios" (a list) and "generator"');
    if (listed !== undefined) {
      if (!Array.isArray(listed)) throw new FormatError('"scenarios" must be an array');
      const scenarios = listed.map((s: unknown, k: number) => {
        if (!isRecord(s)) throw new FormatError(`scenarios[${k}] must be an object`);
        return s as ScenarioInput;
      });
      return { name, model, set: createScenarioSet(model, scenarios, setOptions), options: setOptions };
    }
    if (!isRecord(gen)) throw new FormatError('"generator" must be an object');
    const count = gen['count'];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new FormatError(`generator.count must be a positive integer, got ${JSON.stringify(count)}`);
    const seed = gen['seed'] === undefined ? 1 : gen['seed'];
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new FormatError(`generator.seed must be a number, got ${JSON.stringify(seed)}`);
    const spec = { ...(gen as ScenarioGeneratorSpec), count, seed };
    const sampler = scenarioSampler(model, spec);
    const set = createScenarioSet(model, generateScenarios(model, count, spec), setOptions);
    return { name, model, set, sampler, generator: spec, options: setOptions };
  } catch (err) {
    if (err instanceof FormatError && err.source === undefined && options.source !== undefined) throw new FormatError(err.message, where, { cause: err });
    if (err instanceof EmplaceError && !(err instanceof FormatError)) throw new FormatError(err.message, where, { cause: err });
    throw err;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
