import { checkModelShape, describe, ModelError } from '@emplace/core';
import type { ScheduleModel } from './schedule-model.js';
import { indexRange, numberField, typedField } from './shape-fields.js';

/**
 * Checks a schedule model handed to a solver entry (fuzz finding F6: `lambdaNetwork` deleted
 * gave `optimal` with objective NaN, `placement = 0.5` a TypeError). createScheduleModel
 * validates its input; this checks the compiled object: types, lengths, scalars, indices.
 */
export function checkScheduleShape(model: ScheduleModel): void {
  const p: unknown = model.placement;
  if (p === null || typeof p !== 'object' || (p as { kind?: unknown }).kind !== 'placement') {
    throw new ModelError('model.placement', `must be a placement model, got ${describe(p)}`);
  }
  checkModelShape(model);
  const S = model.placement.nSites;
  const n = model.placement.nClients;
  const a = typedField(model, 'trafficA', Int32Array, undefined)!;
  const T = a.length;
  indexRange(a, 'model.trafficA', 0, n);
  indexRange(typedField(model, 'trafficB', Int32Array, T)!, 'model.trafficB', 0, n);
  typedField(model, 'trafficVolume', Float64Array, T, 'non-negative');
  const network = typedField(model, 'networkCost', Float64Array, S * S, 'finite', true);
  if (T > 0 && network === undefined) throw new ModelError('model.networkCost', 'is required when traffic is given');
  const latency = typedField(model, 'latency', Float64Array, S * S, 'finite', true);
  numberField(model, 'lambdaNetwork', 'non-negative');
  numberField(model, 'lambdaCompliance', 'non-negative');
  typedField(model, 'compliancePenalty', Float64Array, S * n, 'finite', true);
  const lc = typedField(model, 'localityClient', Int32Array, undefined)!;
  indexRange(lc, 'model.localityClient', 0, n);
  indexRange(typedField(model, 'localitySite', Int32Array, lc.length)!, 'model.localitySite', 0, S);
  typedField(model, 'localityMaxLatency', Float64Array, lc.length, 'non-negative-or-infinity');
  if (lc.length > 0 && latency === undefined) throw new ModelError('model.latency', 'is required by locality constraints');
  const current = typedField(model, 'current', Int32Array, n, undefined, true);
  if (current !== undefined) indexRange(current, 'model.current', -1, S);
  typedField(model, 'migrationCost', Float64Array, n, 'non-negative');
}
