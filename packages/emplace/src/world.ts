import { ModelError, describe } from '@emplace/core';

/**
 * The world `plan()` places a service in: candidate regions (clusters, cloud regions),
 * the user populations that use it, the tenants who share the bill, and the network
 * between the regions.
 */
export interface World {
  regions: readonly Region[];
  populations: readonly Population[];
  /** Who pays for what: each tenant owns some populations. Default: no cost sharing. */
  tenants?: readonly Tenant[];
  network?: Network;
}

/** A candidate region (cluster, cloud region, edge site). */
export interface Region {
  /** Unique id, e.g. `eu-west-1`. */
  id: string;
  /** Human name, e.g. `Dublin` (defaults to the id). */
  name?: string;
  lat: number;
  lon: number;
  /** Legal jurisdiction the region's data sits in, e.g. `EU`, `US`. */
  jurisdiction?: string;
  /** Cost of running the service in this region for the planning period. */
  cost: number;
  /** Users the region can serve (in the unit of `Population.users`); default unlimited. */
  capacity?: number;
  /** Failure domain (provider, power grid, continent): availability counts distinct domains. Default: the region itself. */
  domain?: string;
  /** Already running: must stay open. */
  mustOpen?: boolean;
  /** May not be used. */
  forbidden?: boolean;
}

/** A user population (a metro area, a customer segment) that the service must reach. */
export interface Population {
  id: string;
  name?: string;
  lat: number;
  lon: number;
  /** Size of the population (users, millions of users, requests per second...). Weighs both latency cost and capacity. */
  users: number;
  /** Jurisdiction the users live in (for data-residency goals). */
  jurisdiction?: string;
}

/** A tenant: a team or customer who owns some populations and pays a share of the bill. */
export interface Tenant {
  id: string;
  /** Ids of the populations the tenant brings. Each population belongs to at most one tenant. */
  populations: readonly string[];
}

/** The network between regions, and how users reach it. */
export interface Network {
  /**
   * Measured region-to-region round-trip latency in ms, `regions x regions` (flat
   * row-major or rows), in the order of `world.regions`; may be directional (it is
   * symmetrised with the mean). Default: the great-circle model of `latencyFromKm`.
   */
  latencyMs?: ArrayLike<number> | readonly ArrayLike<number>[];
  /**
   * Links of the backbone network (region ids) a Steiner backbone may use, with their
   * latency (default: the region-to-region latency). Default: each region linked to
   * its `nearestLinks` nearest regions, plus the links of a minimum spanning tree so the
   * network is connected.
   */
  links?: readonly (readonly [string, string] | readonly [string, string, number])[];
  /** Neighbours per region in the default backbone network (default 4). */
  nearestLinks?: number;
  /** Route factor of the great-circle model (default 1.5: real routes are longer than the great circle). */
  routeFactor?: number;
  /** Fixed per-path overhead of the great-circle model in ms (default 2). */
  overheadMs?: number;
}

/** Validates a world, throwing a ModelError that names the field (e.g. `world.regions[3].lat`). */
export function validateWorld(world: World): void {
  if (world === null || typeof world !== 'object') throw new ModelError('world', `must be an object, got ${describe(world)}`);
  if (!Array.isArray(world.regions)) throw new ModelError('world.regions', `must be an array, got ${describe(world.regions)}`);
  if (world.regions.length === 0) throw new ModelError('world.regions', 'must not be empty');
  if (!Array.isArray(world.populations)) throw new ModelError('world.populations', `must be an array, got ${describe(world.populations)}`);
  if (world.populations.length === 0) throw new ModelError('world.populations', 'must not be empty');
  const regionIds = new Set<string>();
  world.regions.forEach((r, i) => {
    const f = `world.regions[${i}]`;
    if (r === null || typeof r !== 'object') throw new ModelError(f, `must be an object, got ${describe(r)}`);
    requireId(`${f}.id`, r.id, regionIds);
    requireCoordinates(f, r.lat, r.lon);
    requireNonNegativeFinite(`${f}.cost`, r.cost);
    if (r.capacity !== undefined && !(r.capacity >= 0)) throw new ModelError(`${f}.capacity`, `must be a non-negative number, got ${describe(r.capacity)}`);
    if (r.mustOpen && r.forbidden) throw new ModelError(f, 'is both mustOpen and forbidden');
  });
  const popIds = new Set<string>();
  world.populations.forEach((p, j) => {
    const f = `world.populations[${j}]`;
    if (p === null || typeof p !== 'object') throw new ModelError(f, `must be an object, got ${describe(p)}`);
    requireId(`${f}.id`, p.id, popIds);
    requireCoordinates(f, p.lat, p.lon);
    requireNonNegativeFinite(`${f}.users`, p.users);
  });
  if (world.tenants !== undefined) {
    if (!Array.isArray(world.tenants)) throw new ModelError('world.tenants', `must be an array, got ${describe(world.tenants)}`);
    const tenantIds = new Set<string>();
    const owner = new Map<string, string>();
    world.tenants.forEach((t, k) => {
      const f = `world.tenants[${k}]`;
      requireId(`${f}.id`, t?.id, tenantIds);
      if (!Array.isArray(t.populations) || t.populations.length === 0) throw new ModelError(`${f}.populations`, 'must be a non-empty array of population ids');
      t.populations.forEach((id: string, q: number) => {
        if (!popIds.has(id)) throw new ModelError(`${f}.populations[${q}]`, `names unknown population ${JSON.stringify(id)}`);
        const prev = owner.get(id);
        if (prev !== undefined) throw new ModelError(`${f}.populations[${q}]`, `population ${JSON.stringify(id)} already belongs to tenant ${JSON.stringify(prev)}`);
        owner.set(id, t.id);
      });
    });
  }
  const net = world.network;
  if (net !== undefined) {
    if (net === null || typeof net !== 'object') throw new ModelError('world.network', `must be an object, got ${describe(net)}`);
    const n = world.regions.length;
    if (net.latencyMs !== undefined) readSquare('world.network.latencyMs', net.latencyMs, n);
    if (net.nearestLinks !== undefined && !(Number.isInteger(net.nearestLinks) && net.nearestLinks >= 1)) {
      throw new ModelError('world.network.nearestLinks', `must be a positive integer, got ${describe(net.nearestLinks)}`);
    }
    if (net.routeFactor !== undefined && !(net.routeFactor >= 1 && Number.isFinite(net.routeFactor))) {
      throw new ModelError('world.network.routeFactor', `must be a finite number >= 1, got ${describe(net.routeFactor)}`);
    }
    if (net.overheadMs !== undefined) requireNonNegativeFinite('world.network.overheadMs', net.overheadMs);
    net.links?.forEach((l, e) => {
      const f = `world.network.links[${e}]`;
      if (!Array.isArray(l) || l.length < 2) throw new ModelError(f, `must be [from, to, latencyMs?], got ${describe(l)}`);
      if (!regionIds.has(l[0])) throw new ModelError(`${f}[0]`, `names unknown region ${JSON.stringify(l[0])}`);
      if (!regionIds.has(l[1])) throw new ModelError(`${f}[1]`, `names unknown region ${JSON.stringify(l[1])}`);
      if (l[0] === l[1]) throw new ModelError(f, `joins region ${JSON.stringify(l[0])} to itself`);
      if (l.length > 2) requireNonNegativeFinite(`${f}[2]`, l[2]);
    });
  }
}

/** A square matrix given flat or as rows, as a flat Float64Array; names the bad entry. */
export function readSquare(field: string, m: ArrayLike<number> | readonly ArrayLike<number>[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  const rows = m as readonly ArrayLike<number>[];
  if (m.length === n && n > 0 && typeof rows[0] === 'object' && rows[0] !== null) {
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      if (row.length !== n) throw new ModelError(`${field}[${i}]`, `must have ${n} entries (one per region), got ${row.length}`);
      for (let j = 0; j < n; j++) out[i * n + j] = requireNonNegativeFinite(`${field}[${i}][${j}]`, row[j]);
    }
    return out;
  }
  const flat = m as ArrayLike<number>;
  if (flat.length !== n * n) throw new ModelError(field, `must have ${n} x ${n} = ${n * n} entries (regions x regions), got ${flat.length}`);
  for (let k = 0; k < n * n; k++) out[k] = requireNonNegativeFinite(`${field}[${Math.floor(k / n)}][${k % n}]`, flat[k]);
  return out;
}

function requireId(field: string, id: unknown, seen: Set<string>): void {
  if (typeof id !== 'string' || id.length === 0) throw new ModelError(field, `must be a non-empty string, got ${describe(id)}`);
  if (seen.has(id)) throw new ModelError(field, `repeats the id ${JSON.stringify(id)}`);
  seen.add(id);
}

function requireCoordinates(field: string, lat: unknown, lon: unknown): void {
  if (typeof lat !== 'number' || !(lat >= -90 && lat <= 90)) throw new ModelError(`${field}.lat`, `must be a latitude in [-90, 90], got ${describe(lat)}`);
  if (typeof lon !== 'number' || !(lon >= -180 && lon <= 180)) throw new ModelError(`${field}.lon`, `must be a longitude in [-180, 180], got ${describe(lon)}`);
}

function requireNonNegativeFinite(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ModelError(field, `must be a finite non-negative number, got ${describe(v)}`);
  return v;
}
