import { affinityUnits, type AffinityUnits } from './affinity-units.js';
import type { AntiAffinityGroup, PlacementModel } from './placement.js';

/**
 * A placement model whose clients are the affinity units of another: what a family whose
 * methods place each client on one site (UFL, p-median, single-source CFL) solves to honour
 * affinity exactly. Placing a unit on site i is placing all its members there, so:
 * - cost, demand, site-dependent demand and weight are the members' sums (the cost of serving
 *   all of client j from i is additive over clients);
 * - a unit may use a site only when every member may (`allowed` is the AND);
 * - anti-affinity groups list units; two distinct members of one group inside one unit is a
 *   contradiction the caller reports (`conflict`);
 * - no affinity is left.
 * A solution of the merged model maps back by `units.unitOf`: client j goes where its unit goes,
 * at the same total cost.
 */
export interface MergedAffinity {
  readonly model: PlacementModel;
  readonly units: AffinityUnits;
  /** An anti-affinity group two of whose clients affinity joins, with the pair; undefined when none. */
  readonly conflict: { group: number; a: number; b: number } | undefined;
}

export function mergeAffinityUnits(model: PlacementModel): MergedAffinity {
  const units = affinityUnits(model);
  const { count: U, unitOf, members, start } = units;
  const S = model.nSites;
  const n = model.nClients;
  const D = model.dimensions.length;
  const cost = new Float64Array(S * U);
  for (let i = 0; i < S; i++) for (let j = 0; j < n; j++) cost[i * U + unitOf[j]!]! += model.cost[i * n + j]!;
  const demand = new Float64Array(U * D);
  for (let j = 0; j < n; j++) for (let d = 0; d < D; d++) demand[unitOf[j]! * D + d]! += model.demand[j * D + d]!;
  const weight = new Float64Array(U);
  for (let j = 0; j < n; j++) weight[unitOf[j]!]! += model.weight[j]!;
  const merged: PlacementModel = {
    kind: 'placement',
    nSites: S,
    nClients: U,
    dimensions: model.dimensions,
    siteIds: model.siteIds,
    clientIds: Array.from({ length: U }, (_, u) => Array.from(members.subarray(start[u]!, start[u + 1]!), (j) => model.clientIds[j]!).join('+')),
    siteLabels: model.siteLabels,
    openingCost: model.openingCost,
    capacity: model.capacity,
    demand,
    weight,
    cost,
    mustOpen: model.mustOpen,
    forbidden: model.forbidden,
    affinity: [],
    antiAffinity: [],
    ...(model.siteDemand ? { siteDemand: mergedSiteDemand(model, units) } : {}),
    ...(model.allowed ? { allowed: mergedAllowed(model.allowed, S, n, unitOf, U) } : {}),
  };
  const { groups, conflict } = unitAntiAffinity(model.antiAffinity, unitOf);
  return { model: { ...merged, antiAffinity: groups }, units, conflict };
}

function mergedSiteDemand(model: PlacementModel, units: AffinityUnits): Float64Array {
  const S = model.nSites;
  const n = model.nClients;
  const D = model.dimensions.length;
  const U = units.count;
  const out = new Float64Array(S * U * D);
  const src = model.siteDemand!;
  for (let i = 0; i < S; i++) for (let j = 0; j < n; j++) for (let d = 0; d < D; d++) out[(i * U + units.unitOf[j]!) * D + d]! += src[(i * n + j) * D + d]!;
  return out;
}

function mergedAllowed(allowed: Uint8Array, S: number, n: number, unitOf: Int32Array, U: number): Uint8Array {
  const out = new Uint8Array(S * U).fill(1);
  for (let i = 0; i < S; i++) for (let j = 0; j < n; j++) if (allowed[i * n + j] !== 1) out[i * U + unitOf[j]!] = 0;
  return out;
}

function unitAntiAffinity(groups: readonly AntiAffinityGroup[], unitOf: Int32Array): { groups: AntiAffinityGroup[]; conflict: MergedAffinity['conflict'] } {
  const out: AntiAffinityGroup[] = [];
  let conflict: MergedAffinity['conflict'];
  groups.forEach((g, k) => {
    const firstOfUnit = new Map<number, number>();
    for (const c of g.clients) {
      const u = unitOf[c]!;
      const other = firstOfUnit.get(u);
      if (other === undefined) firstOfUnit.set(u, c);
      else if (other !== c && conflict === undefined) conflict = { group: k, a: other, b: c };
    }
    out.push({ clients: Int32Array.from(firstOfUnit.keys()), ...(g.domain !== undefined ? { domain: g.domain } : {}) });
  });
  return { groups: out, conflict };
}
