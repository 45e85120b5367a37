import {
  createPlacementModel,
  describe,
  ModelError,
  requireFinite,
  requireInteger,
  requireNonNegative,
  type PlacementInput,
  type PlacementModel,
} from '@emplace/core';

/**
 * The multi-cluster scheduling model (DESIGN.md §6): a PlacementModel (clusters =
 * sites with capacity per resource dimension, workloads = clients with demand per
 * dimension, serving cost, allowed clusters, affinity and anti-affinity groups) plus
 *  - traffic between pairs of workloads and a cluster x cluster network cost per unit of
 *    traffic (zero when the pair is co-located),
 *  - a per-placement compliance penalty,
 *  - data-locality constraints: a workload within a latency bound of a given cluster,
 *  - an optional current placement with a per-workload migration cost.
 * Objective: sum_j c[a_j][j] + lambdaNetwork * sum_pairs volume * network[a_u][a_v]
 *          + lambdaCompliance * sum_j penalty[a_j][j] + sum_{j moved} migration_j.
 * Forbidden sites (`forbidden` in the placement) take no workload: that is how a removed
 * cluster is expressed (see `withoutSite`).
 */
export interface ScheduleModel {
  readonly kind: 'schedule';
  readonly placement: PlacementModel;
  /** Traffic pairs (client indices) and volumes. */
  readonly trafficA: Int32Array;
  readonly trafficB: Int32Array;
  readonly trafficVolume: Float64Array;
  /** nSites x nSites network cost per unit of traffic (row-major), diagonal treated as 0; absent = no network term. */
  readonly networkCost?: Float64Array;
  /** nSites x nSites latency for locality constraints (defaults to `networkCost`). */
  readonly latency?: Float64Array;
  readonly lambdaNetwork: number;
  readonly lambdaCompliance: number;
  /** nSites x nClients compliance penalty (row-major by site); absent = 0. */
  readonly compliancePenalty?: Float64Array;
  /** Locality: client `localityClient[k]` within `localityMaxLatency[k]` of site `localitySite[k]`. */
  readonly localityClient: Int32Array;
  readonly localitySite: Int32Array;
  readonly localityMaxLatency: Float64Array;
  /** Current site of each client, -1 for a new workload; absent = nothing placed yet. */
  readonly current?: Int32Array;
  /** Cost of moving each client away from its current site (0 when absent). */
  readonly migrationCost: Float64Array;
}

type Matrix = ArrayLike<number> | readonly ArrayLike<number>[];

export interface ScheduleInput {
  placement: PlacementModel | PlacementInput;
  /** Pairs of communicating workloads (index or id) and their traffic volume. */
  traffic?: readonly { a: number | string; b: number | string; volume: number }[];
  /** Cluster x cluster cost (or latency) per unit of traffic. */
  networkCost?: Matrix;
  /** Cluster x cluster latency for locality constraints (default: networkCost). */
  latency?: Matrix;
  /** Weight of the network term (default 1). */
  lambdaNetwork?: number;
  /** Weight of the compliance term (default 1). */
  lambdaCompliance?: number;
  /** sites x clients penalty per placement. */
  compliancePenalty?: Matrix;
  locality?: readonly { client: number | string; site: number | string; maxLatency: number }[];
  /** Current site (index or id, null = new) of each client. */
  current?: readonly (number | string | null)[];
  /** Migration cost per client (one number for all, or one per client). */
  migrationCost?: number | ArrayLike<number>;
}

export function createScheduleModel(input: ScheduleInput): ScheduleModel {
  if (input === null || typeof input !== 'object') throw new ModelError('schedule', `must be an object, got ${describe(input)}`);
  const placement = isPlacement(input.placement) ? input.placement : createPlacementModel(input.placement);
  const S = placement.nSites;
  const n = placement.nClients;
  const ref = indexResolvers(placement);
  const traffic = readTraffic(input, ref);
  const networkCost = input.networkCost !== undefined ? squareMatrix('networkCost', input.networkCost, S) : undefined;
  if (traffic.trafficA.length > 0 && !networkCost) throw new ModelError('networkCost', 'is required when traffic is given');
  const latency = input.latency !== undefined ? squareMatrix('latency', input.latency, S) : networkCost;
  const lambdaNetwork = input.lambdaNetwork === undefined ? 1 : requireNonNegative('lambdaNetwork', input.lambdaNetwork);
  const lambdaCompliance = input.lambdaCompliance === undefined ? 1 : requireNonNegative('lambdaCompliance', input.lambdaCompliance);
  const compliancePenalty = input.compliancePenalty !== undefined ? rectMatrix('compliancePenalty', input.compliancePenalty, S, n) : undefined;
  const locality = readLocality(input, latency !== undefined, ref);
  const current = readCurrent(input, n, ref);
  return {
    kind: 'schedule',
    placement,
    ...traffic,
    ...(networkCost ? { networkCost } : {}),
    ...(latency ? { latency } : {}),
    lambdaNetwork,
    lambdaCompliance,
    ...(compliancePenalty ? { compliancePenalty } : {}),
    ...locality,
    ...(current ? { current } : {}),
    migrationCost: readMigrationCost(input, n),
  };
}

/** Client and site references of the input (an index or an id) resolved against the placement, naming the field on error. */
interface IndexResolvers {
  client(field: string, c: number | string): number;
  site(field: string, s: number | string): number;
}

function indexResolvers(placement: ScheduleModel['placement']): IndexResolvers {
  const clientIndex = new Map(placement.clientIds.map((id, j) => [id, j]));
  const siteIndex = new Map(placement.siteIds.map((id, i) => [id, i]));
  return {
    client(field, c) {
      if (typeof c !== 'string') return requireInteger(field, c, 0, placement.nClients - 1);
      const j = clientIndex.get(c);
      if (j === undefined) throw new ModelError(field, `names unknown client ${JSON.stringify(c)}`);
      return j;
    },
    site(field, s) {
      if (typeof s !== 'string') return requireInteger(field, s, 0, placement.nSites - 1);
      const i = siteIndex.get(s);
      if (i === undefined) throw new ModelError(field, `names unknown site ${JSON.stringify(s)}`);
      return i;
    },
  };
}

function readTraffic(input: ScheduleInput, ref: IndexResolvers): Pick<ScheduleModel, 'trafficA' | 'trafficB' | 'trafficVolume'> {
  const traffic = input.traffic ?? [];
  if (!Array.isArray(traffic)) throw new ModelError('traffic', `must be an array, got ${describe(traffic)}`);
  const trafficA = new Int32Array(traffic.length);
  const trafficB = new Int32Array(traffic.length);
  const trafficVolume = new Float64Array(traffic.length);
  traffic.forEach((t, k) => {
    trafficA[k] = ref.client(`traffic[${k}].a`, t.a);
    trafficB[k] = ref.client(`traffic[${k}].b`, t.b);
    trafficVolume[k] = requireNonNegative(`traffic[${k}].volume`, t.volume);
  });
  return { trafficA, trafficB, trafficVolume };
}

function readLocality(input: ScheduleInput, hasLatency: boolean, ref: IndexResolvers): Pick<ScheduleModel, 'localityClient' | 'localitySite' | 'localityMaxLatency'> {
  const loc = input.locality ?? [];
  if (loc.length > 0 && !hasLatency) throw new ModelError('latency', 'is required by locality constraints (or give networkCost)');
  const localityClient = new Int32Array(loc.length);
  const localitySite = new Int32Array(loc.length);
  const localityMaxLatency = new Float64Array(loc.length);
  loc.forEach((l, k) => {
    localityClient[k] = ref.client(`locality[${k}].client`, l.client);
    localitySite[k] = ref.site(`locality[${k}].site`, l.site);
    localityMaxLatency[k] = requireNonNegative(`locality[${k}].maxLatency`, l.maxLatency, true);
  });
  return { localityClient, localitySite, localityMaxLatency };
}

/** Current site per client (-1 = new), or undefined when the input gives no current placement. */
function readCurrent(input: ScheduleInput, n: number, ref: IndexResolvers): Int32Array | undefined {
  if (input.current === undefined) return undefined;
  if (input.current.length !== n) throw new ModelError('current', `must have ${n} entries (one per client), got ${input.current.length}`);
  return Int32Array.from(input.current, (s, j) => (s === null || s === undefined ? -1 : ref.site(`current[${j}]`, s)));
}

function readMigrationCost(input: ScheduleInput, n: number): Float64Array {
  const migrationCost = new Float64Array(n);
  const given = input.migrationCost;
  if (given === undefined) return migrationCost;
  if (typeof given === 'number') return migrationCost.fill(requireNonNegative('migrationCost', given));
  if (given.length !== n) throw new ModelError('migrationCost', `must have ${n} entries, got ${given.length}`);
  for (let j = 0; j < n; j++) migrationCost[j] = requireNonNegative(`migrationCost[${j}]`, given[j]);
  return migrationCost;
}

/**
 * The same model with one cluster removed (marked forbidden) and, when given, the plan now
 * running as the current placement: the input of a re-plan after a cluster failure.
 */
export function withoutSite(model: ScheduleModel, siteIdOrIndex: string | number, current?: ArrayLike<number>): ScheduleModel {
  const p = model.placement;
  const i = typeof siteIdOrIndex === 'number' ? requireInteger('site', siteIdOrIndex, 0, p.nSites - 1) : p.siteIds.indexOf(siteIdOrIndex);
  if (i < 0) throw new ModelError('site', `names unknown site ${JSON.stringify(siteIdOrIndex)}`);
  const forbidden = Uint8Array.from(p.forbidden);
  forbidden[i] = 1;
  const mustOpen = Uint8Array.from(p.mustOpen);
  mustOpen[i] = 0;
  const placement: PlacementModel = { ...p, forbidden, mustOpen };
  const next: ScheduleModel = { ...model, placement };
  if (current !== undefined) {
    if (current.length !== p.nClients) throw new ModelError('current', `must have ${p.nClients} entries, got ${current.length}`);
    return { ...next, current: Int32Array.from(current) };
  }
  return next;
}

function isPlacement(p: unknown): p is PlacementModel {
  return typeof p === 'object' && p !== null && (p as { kind?: unknown }).kind === 'placement';
}

function squareMatrix(field: string, m: Matrix, S: number): Float64Array {
  return rectMatrix(field, m, S, S);
}

function rectMatrix(field: string, m: Matrix, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const asRows = m as readonly ArrayLike<number>[];
  if (m.length === rows && rows > 0 && typeof asRows[0] === 'object' && asRows[0] !== null) {
    for (let i = 0; i < rows; i++) {
      const row = asRows[i]!;
      if (row.length !== cols) throw new ModelError(`${field}[${i}]`, `must have ${cols} entries, got ${row.length}`);
      for (let j = 0; j < cols; j++) out[i * cols + j] = requireFinite(`${field}[${i}][${j}]`, row[j]);
    }
    return out;
  }
  const flat = m as ArrayLike<number>;
  if (flat.length !== rows * cols) throw new ModelError(field, `must have ${rows} x ${cols} = ${rows * cols} entries, got ${flat.length}`);
  for (let k = 0; k < flat.length; k++) out[k] = requireFinite(`${field}[${Math.floor(k / cols)}][${k % cols}]`, flat[k]);
  return out;
}
