import { ModelError } from './errors.js';
import { checkArray, describe, indexIds, requireInteger, requireNonNegative, toFloat64 } from './validate.js';

/**
 * The placement model (DESIGN.md §2): sites (clusters, regions), clients (workloads,
 * user populations), a sites x clients cost matrix and optional constraints. One object
 * serves facility location, p-median, k-center, GAP/scheduling and Pareto search.
 *
 * Storage is index-based typed arrays: `cost[i * nClients + j]` is the cost (or
 * distance) of serving all of client j from site i; `capacity[i * nDims + d]` and
 * `demand[j * nDims + d]` are per resource dimension.
 */
export interface PlacementModel {
  readonly kind: 'placement';
  readonly nSites: number;
  readonly nClients: number;
  /** Resource dimensions, e.g. ['cpu', 'memory']; at least one (default ['demand']). */
  readonly dimensions: readonly string[];
  readonly siteIds: readonly string[];
  readonly clientIds: readonly string[];
  /** Free-form labels per site, e.g. { jurisdiction: 'EU', region: 'eu-west-1', domain: 'az-1' }. */
  readonly siteLabels: readonly Readonly<Record<string, string>>[];
  /** Opening (fixed) cost per site. */
  readonly openingCost: Float64Array;
  /** Capacity per site and dimension, `nSites * nDims`; Infinity means uncapacitated. */
  readonly capacity: Float64Array;
  /** Demand per client and dimension, `nClients * nDims`. */
  readonly demand: Float64Array;
  /** Weight per client (k-center minimises weight x distance). */
  readonly weight: Float64Array;
  /**
   * Replica count per client when some client is a replicated workload (`demand` is then the
   * per-replica request and the decision is an integer count per site, see
   * @emplace/assignment replicas); absent = every client is one indivisible unit. A client
   * entry of 0 means "not replicated" (indivisible) in a model where others are.
   */
  readonly replicas?: Int32Array;
  /** Serving cost / distance, `nSites * nClients`, row-major by site. */
  readonly cost: Float64Array;
  /**
   * Site-dependent demand (GAP's r_ij), `nSites * nClients * nDims`, index
   * `(i * nClients + j) * nDims + d`; when absent the demand does not depend on the site.
   */
  readonly siteDemand?: Float64Array;
  /** `allowed[i * nClients + j] === 1` when client j may be served by site i (compliance); absent = all allowed. */
  readonly allowed?: Uint8Array;
  /** 1 for sites that must be open (pre-opened). */
  readonly mustOpen: Uint8Array;
  /** 1 for sites that may not be opened. */
  readonly forbidden: Uint8Array;
  /** Groups of clients that must share one site. */
  readonly affinity: readonly Int32Array[];
  /** Groups of clients that must sit on pairwise distinct sites, or distinct values of a site label (`domain`). */
  readonly antiAffinity: readonly AntiAffinityGroup[];
}

export interface AntiAffinityGroup {
  readonly clients: Int32Array;
  /** Site label whose values must differ (e.g. 'zone'); absent = distinct sites. */
  readonly domain?: string;
}

export interface SiteInput {
  id?: string;
  openingCost?: number;
  /** One number (first dimension), an array by dimension, or a record keyed by dimension name. */
  capacity?: number | readonly number[] | Readonly<Record<string, number>>;
  labels?: Readonly<Record<string, string>>;
  mustOpen?: boolean;
  forbidden?: boolean;
}

export interface ClientInput {
  id?: string;
  demand?: number | readonly number[] | Readonly<Record<string, number>>;
  weight?: number;
  /** Replicated workload: N replicas, each requesting `demand`; absent = one indivisible unit. */
  replicas?: number;
}

export interface PlacementInput {
  /** Site descriptions, or just their number when the column arrays below carry the data. */
  sites: number | readonly SiteInput[];
  clients: number | readonly ClientInput[];
  /** sites x clients: a flat row-major array or an array of rows (one per site). */
  cost: ArrayLike<number> | readonly (ArrayLike<number>)[];
  dimensions?: readonly string[];
  /** Column overrides (fast path for large models): flat arrays in the layout of PlacementModel. */
  openingCost?: ArrayLike<number>;
  capacity?: ArrayLike<number>;
  demand?: ArrayLike<number>;
  weight?: ArrayLike<number>;
  siteDemand?: ArrayLike<number>;
  /** Flat `nSites * nClients` 0/1 array, array of rows, or a predicate. */
  allowed?: ArrayLike<number | boolean> | readonly ArrayLike<number | boolean>[] | ((site: number, client: number) => boolean);
  /** Client groups (indices or ids) that must share a site. */
  affinity?: readonly (readonly (number | string)[])[];
  antiAffinity?: readonly { clients: readonly (number | string)[]; domain?: string }[];
  /** Allow negative serving costs (e.g. profits); default false. */
  allowNegativeCost?: boolean;
}

/** Builds and validates a PlacementModel. Inputs are copied, never mutated. */
export function createPlacementModel(input: PlacementInput): PlacementModel {
  if (input === null || typeof input !== 'object') throw new ModelError('model', `must be an object, got ${describe(input)}`);
  const shape = placementShape(input);
  const { nSites, nClients, dimensions } = shape;
  const sites = siteArrays(input, shape);
  const clients = clientArrays(input, shape);
  const cost = readMatrix('cost', input.cost, nSites, nClients);
  checkArray(cost, (k) => `cost[${Math.floor(k / Math.max(1, nClients))}][${k % Math.max(1, nClients)}]`, input.allowNegativeCost ? 'finite' : 'non-negative');
  const siteDemand = input.siteDemand ? siteDemandArray(input.siteDemand, shape) : undefined;
  const allowed = input.allowed !== undefined ? allowedMatrix(input.allowed, nSites, nClients) : undefined;
  const replicas = replicaCounts(shape);
  const model: PlacementModel = {
    kind: 'placement',
    nSites,
    nClients,
    dimensions,
    siteIds: shape.siteIds,
    clientIds: shape.clientIds,
    ...sites,
    ...clients,
    cost,
    ...constraintGroups(input, shape),
    ...(siteDemand ? { siteDemand } : {}),
    ...(allowed ? { allowed } : {}),
    ...(replicas ? { replicas } : {}),
  };
  return model;
}

/** Sizes, dimensions and ids of a placement input. */
interface PlacementShape {
  readonly siteList: readonly SiteInput[] | undefined;
  readonly clientList: readonly ClientInput[] | undefined;
  readonly nSites: number;
  readonly nClients: number;
  readonly dimensions: string[];
  readonly nDims: number;
  readonly siteIds: string[];
  readonly clientIds: string[];
  readonly clientIndex: Map<string, number>;
}

/** The site or client list of a `sites` / `clients` field, every entry an object. */
function entityList<T extends object>(field: string, value: number | readonly T[]): readonly T[] | undefined {
  if (typeof value === 'number') return undefined;
  if (!Array.isArray(value)) throw new ModelError(field, `must be a count or an array, got ${describe(value)}`);
  value.forEach((e: unknown, k) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new ModelError(`${field}[${k}]`, `must be an object, got ${describe(e)}`);
  });
  return value;
}

function placementShape(input: PlacementInput): PlacementShape {
  const siteList = entityList<SiteInput>('sites', input.sites);
  const clientList = entityList<ClientInput>('clients', input.clients);
  const nSites = siteList ? siteList.length : requireInteger('sites', input.sites, 1);
  const nClients = clientList ? clientList.length : requireInteger('clients', input.clients, 0);
  if (nSites === 0) throw new ModelError('sites', 'must not be empty');
  if (input.dimensions !== undefined && !Array.isArray(input.dimensions)) throw new ModelError('dimensions', `must be an array of names, got ${describe(input.dimensions)}`);
  const dimensions = input.dimensions ? [...input.dimensions] : ['demand'];
  if (dimensions.length === 0) throw new ModelError('dimensions', 'must name at least one resource dimension');
  indexIds('dimensions', dimensions);
  const siteIds = siteList ? siteList.map((s, i) => s.id ?? `site${i}`) : range(nSites, (i) => `site${i}`);
  const clientIds = clientList ? clientList.map((c, j) => c.id ?? `client${j}`) : range(nClients, (j) => `client${j}`);
  indexIds('sites[].id', siteIds);
  const clientIndex = indexIds('clients[].id', clientIds);
  return { siteList, clientList, nSites, nClients, dimensions, nDims: dimensions.length, siteIds, clientIds, clientIndex };
}

/** Opening costs, capacities (Infinity = uncapacitated), flags and labels per site. */
function siteArrays(input: PlacementInput, shape: PlacementShape) {
  const { siteList, nSites, nDims, dimensions, siteIds } = shape;
  let openingCost: Float64Array;
  if (input.openingCost) openingCost = toFloat64('openingCost', input.openingCost, nSites);
  else openingCost = Float64Array.from(siteList ?? range(nSites, () => ({})), (s: SiteInput) => s.openingCost ?? 0);
  checkArray(openingCost, (i) => `site ${JSON.stringify(siteIds[i])} openingCost`, 'non-negative');
  let capacity: Float64Array;
  if (input.capacity) capacity = toFloat64('capacity', input.capacity, nSites * nDims);
  else {
    capacity = new Float64Array(nSites * nDims).fill(Infinity);
    siteList?.forEach((s, i) => {
      // null = uncapacitated, as in emplace JSON (a JavaScript caller passing null got a TypeError).
      if (s.capacity !== undefined && s.capacity !== null) fillDims(capacity, i, nDims, dimensions, s.capacity, `sites[${i}].capacity`);
    });
  }
  checkArray(capacity, (k) => `site ${JSON.stringify(siteIds[Math.floor(k / nDims)])} capacity${dimSuffix(dimensions, k % nDims)}`, 'non-negative-or-infinity');
  const mustOpen = new Uint8Array(nSites);
  const forbidden = new Uint8Array(nSites);
  siteList?.forEach((s, i) => {
    if (s.mustOpen) mustOpen[i] = 1;
    if (s.forbidden) forbidden[i] = 1;
    if (s.mustOpen && s.forbidden) throw new ModelError(`sites[${i}]`, 'is both mustOpen and forbidden');
  });
  const siteLabels = siteList ? siteList.map((s) => ({ ...(s.labels ?? {}) })) : range(nSites, () => ({}));
  return { openingCost, capacity, mustOpen, forbidden, siteLabels };
}

/** Demand per client and dimension (1 in the first by default) and weight per client. */
function clientArrays(input: PlacementInput, shape: PlacementShape): { demand: Float64Array; weight: Float64Array } {
  const { clientList, nClients, nDims, dimensions, clientIds } = shape;
  let demand: Float64Array;
  if (input.demand) demand = toFloat64('demand', input.demand, nClients * nDims);
  else {
    demand = new Float64Array(nClients * nDims);
    for (let j = 0; j < nClients; j++) {
      const c = clientList?.[j];
      if (c?.demand !== undefined) fillDims(demand, j, nDims, dimensions, c.demand, `clients[${j}].demand`);
      else demand[j * nDims] = 1;
    }
  }
  checkArray(demand, (k) => `client ${JSON.stringify(clientIds[Math.floor(k / nDims)])} demand${dimSuffix(dimensions, k % nDims)}`, 'non-negative');
  let weight: Float64Array;
  if (input.weight) weight = toFloat64('weight', input.weight, nClients);
  else weight = clientList ? Float64Array.from(clientList, (c: ClientInput) => c.weight ?? 1) : new Float64Array(nClients).fill(1);
  checkArray(weight, (j) => `client ${JSON.stringify(clientIds[j])} weight`, 'non-negative');
  return { demand, weight };
}

function siteDemandArray(values: ArrayLike<number>, shape: PlacementShape): Float64Array {
  const { nSites, nClients, nDims, dimensions } = shape;
  const siteDemand = toFloat64('siteDemand', values, nSites * nClients * nDims);
  checkArray(siteDemand, (k) => {
    const d = k % nDims;
    const ij = Math.floor(k / nDims);
    return `siteDemand[${Math.floor(ij / nClients)}][${ij % nClients}]${dimSuffix(dimensions, d)}`;
  }, 'non-negative');
  return siteDemand;
}

/** The sites x clients compliance matrix from a function, rows, or a flat array. */
function allowedMatrix(a: NonNullable<PlacementInput['allowed']>, nSites: number, nClients: number): Uint8Array {
  const allowed = new Uint8Array(nSites * nClients);
  if (typeof a === 'function') {
    for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) allowed[i * nClients + j] = a(i, j) ? 1 : 0;
    return allowed;
  }
  if (a === null || typeof a !== 'object') throw new ModelError('allowed', `must be an array or a function, got ${describe(a)}`);
  // Rows are told from a flat array by their first entry (an array, not a flag), never by the
  // length alone: with one client both forms have nSites entries, and a row [0] is truthy.
  if (a.length === nSites && nSites > 0 && typeof a[0] === 'object' && a[0] !== null) {
    const rows = a as readonly ArrayLike<number | boolean>[];
    for (let i = 0; i < nSites; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || row.length !== nClients) throw new ModelError(`allowed[${i}]`, `must have ${nClients} entries, got ${row === null || typeof row !== 'object' ? describe(row) : row.length}`);
      for (let j = 0; j < nClients; j++) allowed[i * nClients + j] = row[j] ? 1 : 0;
    }
    return allowed;
  }
  const flat = a as ArrayLike<number | boolean>;
  if (flat.length !== nSites * nClients) throw new ModelError('allowed', `must have ${nSites * nClients} entries (sites x clients), got ${flat.length}`);
  if (flat instanceof Uint8Array) return flagsOf(flat, allowed);
  for (let k = 0; k < flat.length; k++) {
    const v = flat[k];
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new ModelError(`allowed[${k}]`, `must be 0/1 or a boolean, got ${describe(v)}`);
    allowed[k] = v ? 1 : 0;
  }
  return allowed;
}

/** 0/1 flags of a byte array (a monomorphic loop: the generic one costs ~8 ms per million entries). */
function flagsOf(src: Uint8Array, out: Uint8Array): Uint8Array {
  for (let k = 0; k < src.length; k++) out[k] = src[k] ? 1 : 0;
  return out;
}

/** Replicated workloads: an integer count per site instead of one indivisible unit. */
function replicaCounts(shape: PlacementShape): Int32Array | undefined {
  const list = shape.clientList;
  if (!list || !list.some((c) => c.replicas !== undefined)) return undefined;
  const replicas = new Int32Array(shape.nClients);
  list.forEach((c, j) => {
    if (c.replicas !== undefined) replicas[j] = requireInteger(`clients[${j}].replicas`, c.replicas, 0, 2 ** 31 - 1);
  });
  return replicas;
}

/** Affinity and anti-affinity groups, clients named by index or id. */
function constraintGroups(input: PlacementInput, shape: PlacementShape): { affinity: Int32Array[]; antiAffinity: AntiAffinityGroup[] } {
  const resolveClient = (field: string, c: unknown): number => {
    if (typeof c === 'string') {
      const j = shape.clientIndex.get(c);
      if (j === undefined) throw new ModelError(field, `names unknown client ${JSON.stringify(c)}`);
      return j;
    }
    return requireInteger(field, c, 0, shape.nClients - 1);
  };
  const groups = <T>(field: string, v: readonly T[] | undefined): readonly T[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new ModelError(field, `must be an array of groups, got ${describe(v)}`);
    return v;
  };
  const members = (field: string, g: unknown): readonly unknown[] => {
    if (!Array.isArray(g)) throw new ModelError(field, `must be an array of client ids or indices, got ${describe(g)}`);
    return g;
  };
  const affinity = groups('affinity', input.affinity).map((g, a) => Int32Array.from(members(`affinity[${a}]`, g), (c, k) => resolveClient(`affinity[${a}][${k}]`, c)));
  const antiAffinity = groups('antiAffinity', input.antiAffinity).map((g, a) => {
    if (g === null || typeof g !== 'object') throw new ModelError(`antiAffinity[${a}]`, `must be { clients, domain? }, got ${describe(g)}`);
    const group: AntiAffinityGroup = { clients: Int32Array.from(members(`antiAffinity[${a}].clients`, g.clients), (c, k) => resolveClient(`antiAffinity[${a}].clients[${k}]`, c)) };
    return g.domain !== undefined ? { ...group, domain: g.domain } : group;
  });
  return { affinity, antiAffinity };
}

/** Is client j allowed at site i (compliance constraints)? */
export function isAllowed(model: PlacementModel, site: number, client: number): boolean {
  return model.allowed === undefined || model.allowed[site * model.nClients + client] === 1;
}

/** Demand of client j at site i in dimension d (site-dependent when the model has `siteDemand`). */
export function demandAt(model: PlacementModel, site: number, client: number, d = 0): number {
  const nDims = model.dimensions.length;
  return model.siteDemand ? model.siteDemand[(site * model.nClients + client) * nDims + d]! : model.demand[client * nDims + d]!;
}

/** Total demand per dimension. */
export function totalDemand(model: PlacementModel): Float64Array {
  const nDims = model.dimensions.length;
  const out = new Float64Array(nDims);
  for (let j = 0; j < model.nClients; j++) for (let d = 0; d < nDims; d++) out[d]! += model.demand[j * nDims + d]!;
  return out;
}

/** True when every site has infinite capacity in every dimension. */
export function isUncapacitated(model: PlacementModel): boolean {
  for (let k = 0; k < model.capacity.length; k++) if (model.capacity[k] !== Infinity) return false;
  return true;
}

function readMatrix(field: string, m: PlacementInput['cost'], rows: number, cols: number): Float64Array {
  if (m === undefined || m === null) throw new ModelError(field, 'is required');
  const asRows = m as readonly ArrayLike<number>[];
  if (m.length === rows && rows > 0 && typeof asRows[0] === 'object' && asRows[0] !== null) {
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = asRows[i];
      if (!row || row.length !== cols) throw new ModelError(`${field}[${i}]`, `must have ${cols} entries (one per client), got ${row ? row.length : describe(row)}`);
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new ModelError(`${field}[${i}][${j}]`, `must be a number, got ${describe(v)}`);
        out[i * cols + j] = v;
      }
    }
    return out;
  }
  const flat = m as ArrayLike<number>;
  if (flat.length !== rows * cols) throw new ModelError(field, `must have ${rows} x ${cols} = ${rows * cols} entries (sites x clients), got ${flat.length}`);
  return toFloat64(field, flat, rows * cols);
}

function fillDims(
  target: Float64Array,
  row: number,
  nDims: number,
  dimensions: readonly string[],
  value: number | readonly number[] | Readonly<Record<string, number>>,
  field: string,
): void {
  if (typeof value === 'number') {
    // A bare number is the first dimension; the others keep their defaults
    // (Infinity for capacity, 0 for demand).
    target[row * nDims] = value;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length !== nDims) throw new ModelError(field, `must have ${nDims} entries (${dimensions.join(', ')}), got ${value.length}`);
    for (let d = 0; d < nDims; d++) target[row * nDims + d] = requireNonNegative(`${field}[${d}]`, value[d], true);
    return;
  }
  if (value === null || typeof value !== 'object') throw new ModelError(field, `must be a number, an array by dimension or a record by dimension name, got ${describe(value)}`);
  const rec = value as Readonly<Record<string, number>>;
  for (const key of Object.keys(rec)) {
    const d = dimensions.indexOf(key);
    if (d < 0) throw new ModelError(`${field}.${key}`, `is not a declared dimension (${dimensions.join(', ')})`);
    target[row * nDims + d] = requireNonNegative(`${field}.${key}`, rec[key], true);
  }
}

function dimSuffix(dimensions: readonly string[], d: number): string {
  return dimensions.length > 1 ? `.${dimensions[d]}` : '';
}

function range<T>(n: number, f: (i: number) => T): T[] {
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}
