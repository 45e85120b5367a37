import { checkModelShape, describe, ModelError } from '@emplace/core';
import { arrayField, indexRange, integerOption, numberField, typedField } from '../shape-fields.js';
import { REPLICA_CRITERIA, type ReplicaModel } from './model.js';
import type { ReplicaOptions } from './solution.js';

/**
 * Checks a replica model and the options handed to `solveReplicas` (fuzz findings F3, F6: a
 * model with `lo` deleted threw a TypeError, `unitLatency = -Infinity` gave `optimal` with
 * objective NaN, `maxMipPairs: -0.5` was accepted). createReplicaModel validates its input;
 * this checks the compiled object: types, lengths, values and indices, in O(W x C).
 */
export function checkReplicaShape(model: ReplicaModel, options: ReplicaOptions): void {
  const p: unknown = model.placement;
  if (p === null || typeof p !== 'object' || (p as { kind?: unknown }).kind !== 'placement') {
    throw new ModelError('model.placement', `must be a placement model, got ${describe(p)}`);
  }
  checkModelShape(model);
  const W = model.placement.nClients;
  const C = model.placement.nSites;
  if (!(model.placement.replicas instanceof Int32Array)) throw new ModelError('model.placement.replicas', `must be an Int32Array, got ${describe(model.placement.replicas)}`);
  if (model.input === null || typeof model.input !== 'object') throw new ModelError('model.input', `must be the replica input, got ${describe(model.input)}`);
  typedField(model, 'unitCost', Float64Array, W * C, 'non-negative');
  typedField(model, 'unitLatency', Float64Array, C, 'non-negative');
  typedField(model, 'priority', Float64Array, W, 'finite');
  indexRange(typedField(model, 'mode', Uint8Array, W)!, 'model.mode', 0, 3);
  indexRange(typedField(model, 'tier', Int32Array, W)!, 'model.tier', -1, 2 ** 31);
  typedField(model, 'eligible', Uint8Array, W * C);
  for (const key of ['available', 'lo', 'hi', 'maxRep'] as const) indexRange(typedField(model, key, Int32Array, W * C)!, `model.${key}`, 0, 2 ** 31);
  typedField(model, 'target', Float64Array, W * C, 'non-negative');
  typedField(model, 'hasTarget', Uint8Array, W);
  typedField(model, 'weightBand', Uint8Array, W);
  arrayField(model, 'spreads', undefined);
  const spreadsOf = arrayField(model, 'spreadsOf', W);
  spreadsOf.forEach((list, w) => {
    if (!Array.isArray(list)) throw new ModelError(`model.spreadsOf[${w}]`, `must be an array, got ${describe(list)}`);
    list.forEach((s: unknown, k) => checkGroups(s, `model.spreadsOf[${w}][${k}]`, C));
  });
  arrayField(model, 'survivabilityOf', W).forEach((s, w) => {
    if (s !== undefined) checkGroups(s, `model.survivabilityOf[${w}]`, C);
  });
  const current = typedField(model, 'current', Int32Array, W * C, undefined, true);
  if (current !== undefined) indexRange(current, 'model.current', 0, 2 ** 31);
  indexRange(typedField(model, 'maxMoves', Int32Array, W)!, 'model.maxMoves', -1, 2 ** 31);
  typedField(model, 'moveCost', Float64Array, W, 'non-negative');
  indexRange(typedField(model, 'forcedRemovals', Int32Array, W)!, 'model.forcedRemovals', 0, 2 ** 31);
  checkWeights(model);
  if (typeof model.failureDomain !== 'string') throw new ModelError('model.failureDomain', `must be a label name, got ${describe(model.failureDomain)}`);
  arrayField(model, 'evident', W);
  // 0 would mean "never build the MIP", which the registry (min 1) refuses: one meaning at every entry; 1 relaxes every instance with 2+ pairs.
  integerOption(options, 'maxMipPairs', 1);
}

function checkWeights(model: ReplicaModel): void {
  const weights: unknown = model.weights;
  if (weights === null || typeof weights !== 'object') throw new ModelError('model.weights', `must be an object of criterion weights, got ${describe(weights)}`);
  for (const k of REPLICA_CRITERIA) numberField(weights, k, 'non-negative', 'model.weights');
  if (model.lexicographic === undefined) return;
  arrayField(model, 'lexicographic', undefined).forEach((k, i) => {
    if (!(REPLICA_CRITERIA as readonly unknown[]).includes(k)) throw new ModelError(`model.lexicographic[${i}]`, `must be one of ${REPLICA_CRITERIA.join(', ')}, got ${describe(k)}`);
  });
}

/** A compiled spread or survivability: a group index per cluster, -1 or within its groups. */
function checkGroups(s: unknown, at: string, C: number): void {
  if (s === null || typeof s !== 'object') throw new ModelError(at, `must be an object, got ${describe(s)}`);
  const groups = (s as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) throw new ModelError(`${at}.groups`, `must be an array, got ${describe(groups)}`);
  const groupOf = typedField(s, 'groupOf', Int32Array, C, undefined, false, at);
  indexRange(groupOf!, `${at}.groupOf`, -1, groups.length);
}
