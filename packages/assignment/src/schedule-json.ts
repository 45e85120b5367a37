import { ModelError, placementInputFromJson, readJsonDocuments } from '@emplace/core';
import { createScheduleModel, type ScheduleInput, type ScheduleModel } from './schedule-model.js';

/**
 * The emplace JSON scheduling format (docs/schedule-format.md): one document
 * `{"kind": "schedule", "name"?, "placement": {...}, "traffic"?, "networkCost"?, ...}`
 * whose fields are those of `ScheduleInput`, or an array of them. JSON has no Infinity:
 * `null` in a capacity means uncapacitated.
 */
export function readScheduleJson(text: string, name = 'schedule'): { name: string; model: ScheduleModel }[] {
  return readJsonDocuments(text, 'schedule', name).map(({ name: itemName, fields }) => {
    const placement = fields['placement'];
    if (placement === null || typeof placement !== 'object') throw new ModelError('placement', 'is required (an object with sites, clients, cost, ...)');
    const input = { ...fields, placement: placementInputFromJson(placement as Record<string, unknown>) } as ScheduleInput;
    return { name: itemName, model: createScheduleModel(input) };
  });
}

/** Writes a ScheduleModel in the JSON format above (flat arrays; Infinity as null). */
export function writeScheduleJson(model: ScheduleModel, name?: string): string {
  const p = model.placement;
  const arr = (a: ArrayLike<number>): (number | null)[] => Array.from(a, (v) => (v === Infinity ? null : v));
  const doc: Record<string, unknown> = {
    kind: 'schedule',
    ...(name ? { name } : {}),
    placement: {
      dimensions: p.dimensions,
      sites: p.siteIds.map((id, i) => ({
        id,
        ...(Object.keys(p.siteLabels[i] ?? {}).length ? { labels: p.siteLabels[i] } : {}),
        ...(p.forbidden[i] ? { forbidden: true } : {}),
      })),
      clients: p.clientIds.map((id) => ({ id })),
      capacity: arr(p.capacity),
      demand: arr(p.demand),
      cost: arr(p.cost),
      ...(p.siteDemand ? { siteDemand: arr(p.siteDemand) } : {}),
      ...(p.allowed ? { allowed: Array.from(p.allowed) } : {}),
      ...(p.affinity.length ? { affinity: p.affinity.map((g) => Array.from(g)) } : {}),
      ...(p.antiAffinity.length ? { antiAffinity: p.antiAffinity.map((g) => ({ clients: Array.from(g.clients), ...(g.domain ? { domain: g.domain } : {}) })) } : {}),
    },
    traffic: Array.from(model.trafficA, (a, k) => ({ a, b: model.trafficB[k]!, volume: model.trafficVolume[k]! })),
    ...(model.networkCost ? { networkCost: arr(model.networkCost) } : {}),
    ...(model.latency && model.latency !== model.networkCost ? { latency: arr(model.latency) } : {}),
    lambdaNetwork: model.lambdaNetwork,
    lambdaCompliance: model.lambdaCompliance,
    ...(model.compliancePenalty ? { compliancePenalty: arr(model.compliancePenalty) } : {}),
    ...(model.localityClient.length
      ? { locality: Array.from(model.localityClient, (c, k) => ({ client: c, site: model.localitySite[k]!, maxLatency: model.localityMaxLatency[k]! })) }
      : {}),
    ...(model.current ? { current: Array.from(model.current, (s) => (s < 0 ? null : s)) } : {}),
    ...(model.migrationCost.some((v) => v !== 0) ? { migrationCost: arr(model.migrationCost) } : {}),
  };
  return JSON.stringify(doc);
}
