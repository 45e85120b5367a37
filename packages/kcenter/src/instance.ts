import { checkMemory, checkMetric, checkModelFeatures, ModelError, requireInteger, runSteps, type PlacementModel, type Prepared as PreparedProblem, type Steps } from '@emplace/core';
import { KCENTER_FEATURES } from './features.js';
import type { KCenterOptions } from './types.js';

/**
 * The k-center data every method works on: the weighted sites x clients distance matrix
 * (weight x cost, Infinity where a site may not serve a client or may not be opened),
 * k, the outlier count and the pre-opened sites. Built once per solve; the model is
 * never mutated.
 */
export interface KCenterInstance {
  readonly model: PlacementModel;
  readonly nS: number;
  readonly nC: number;
  /** `d[s * nC + j]` = weight_j x cost(s, j), Infinity when not allowed or s forbidden. */
  readonly d: Float64Array;
  /** Total number of centres (pre-opened ones included). */
  readonly k: number;
  /** Clients that may be ignored. */
  readonly z: number;
  readonly mustOpen: Int32Array;
  /** Sites that may be opened (not forbidden). */
  readonly openable: Int32Array;
  /** Every client has a site at distance 0 (vertex k-center rather than k-supplier). */
  readonly colocated: boolean;
  /** Some client weight differs from 1. */
  readonly weighted: boolean;
  /** Capacities (dimension 0) must be respected. */
  readonly capacitated: boolean;
  /** Site capacity / client demand in dimension 0 (for capacitated k-center). */
  readonly capacity: Float64Array;
  readonly demand: Float64Array;
  /** Some pair is not allowed (or a site forbidden): disconnection must be checked. */
  readonly hasInfinity: boolean;
  readonly warnings: string[];
}

/** What prepareInstance found: an instance, or a proof that none can be served; with the warnings either way. */
export type Prepared = PreparedProblem<KCenterInstance> & { readonly warnings: string[] };

/** Validates the model and options (naming the bad field) and builds the instance. */
export function prepareInstance(model: PlacementModel, options: KCenterOptions): Prepared {
  return runSteps(prepareInstanceSteps(model, options));
}

/** Matrix entries read between two checkpoints of the scans below. */
const SCAN_ENTRIES = 1 << 18;

/**
 * `prepareInstance` as steps: a checkpoint every SCAN_ENTRIES distances of its scans of the
 * matrix (weighting, the search for a missing pair, each client's nearest site): on
 * 2000 x 2000 they were one 35-80 ms stretch before every kcenter method (issue 13).
 */
export function* prepareInstanceSteps(model: PlacementModel, options: KCenterOptions): Steps<Prepared> {
  const { k, z, warnings } = validateOptions(model, options);
  const { capacity, demand, capacitated } = capacityData(model, options, z);
  const { mustOpen, openable } = siteLists(model);
  if (mustOpen.length > k) {
    return {
      kind: 'infeasible',
      certificate: { reason: `${mustOpen.length} sites are pre-opened (mustOpen) but k = ${k}`, fields: Array.from(mustOpen, (s) => `sites[${s}].mustOpen`) },
      warnings,
    };
  }
  if (openable.length === 0 && model.nClients > 0) {
    return { kind: 'infeasible', certificate: { reason: 'every site is forbidden', fields: ['sites[].forbidden'] }, warnings };
  }
  const { d, weighted, hasInfinity } = yield* weightedDistances(model);
  const { orphans, colocated } = yield* nearestSites(d, model.nSites, model.nClients);
  if (orphans.length > z) {
    return {
      kind: 'infeasible',
      certificate: {
        reason: `${orphans.length} client(s) have no allowed, non-forbidden site${z > 0 ? ` and only ${z} may be outliers` : ''}`,
        fields: orphans.slice(0, 20).map((j) => `clients[${j}]`),
      },
      warnings,
    };
  }
  if (orphans.length > 0) warnings.push(`${orphans.length} client(s) have no allowed site and are necessarily outliers`);
  const { nSites: nS, nClients: nC } = model;
  return {
    kind: 'ok',
    warnings,
    problem: { model, nS, nC, d, k, z, mustOpen, openable, colocated, weighted, capacitated, capacity, demand, hasInfinity, warnings },
  };
}

/** The model kind, the memory it needs, k and the outlier count (naming the bad field), and the feature warnings. */
function validateOptions(model: PlacementModel, options: KCenterOptions): { k: number; z: number; warnings: string[] } {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (createPlacementModel)');
  const { nSites: nS, nClients: nC } = model;
  // The weighted distance copy and the sorted candidate radii: about 24 bytes per pair.
  checkMemory('kcenter', `a ${nS} x ${nC} sites x clients distance matrix`, nS * nC * 24, options);
  if (options.k === undefined) throw new ModelError('options.k', 'is required: the number of centres to open');
  const k = requireInteger('options.k', options.k, 0);
  if (k === 0 && nC > 0) throw new ModelError('options.k', `must be at least 1 to serve ${nC} clients, got 0`);
  // More centres than candidate sites is a mistake in the input (k and the model disagree), not a request to open everything.
  if (k > nS) throw new ModelError('options.k', `is ${k}, more centres than the ${nS} candidate sites`);
  const z = requireInteger('options.outliers', options.outliers ?? 0, 0);
  // Features of the model k-center does not implement are named in the result, never dropped silently.
  const warnings = checkModelFeatures(model, KCENTER_FEATURES, 'kcenter');
  if (z > nC) throw new ModelError('options.outliers', `must be at most the number of clients (${nC}), got ${z}`);
  return { k, z, warnings };
}

/** Capacity and demand in dimension 0, and whether they bind (default: some finite capacity). */
function capacityData(model: PlacementModel, options: KCenterOptions, z: number): { capacity: Float64Array; demand: Float64Array; capacitated: boolean } {
  const { nSites: nS, nClients: nC } = model;
  const nDims = model.dimensions.length;
  const capacity = new Float64Array(nS);
  for (let s = 0; s < nS; s++) capacity[s] = model.capacity[s * nDims]!;
  const demand = new Float64Array(nC);
  for (let j = 0; j < nC; j++) demand[j] = model.demand[j * nDims]!;
  let hasFiniteCapacity = false;
  for (let s = 0; s < nS; s++) if (capacity[s] !== Infinity) hasFiniteCapacity = true;
  const capacitated = options.capacitated ?? hasFiniteCapacity;
  if (capacitated && z > 0) throw new ModelError('options.outliers', 'is not supported together with capacities (set capacitated: false)');
  return { capacity, demand, capacitated };
}

function siteLists(model: PlacementModel): { mustOpen: Int32Array; openable: Int32Array } {
  const mustOpen: number[] = [];
  const openable: number[] = [];
  for (let s = 0; s < model.nSites; s++) {
    if (model.mustOpen[s] === 1) mustOpen.push(s);
    if (model.forbidden[s] !== 1) openable.push(s);
  }
  return { mustOpen: Int32Array.from(mustOpen), openable: Int32Array.from(openable) };
}

/**
 * weight x cost, Infinity where a pair is not allowed or the site forbidden. Plain data
 * (unit weights, every pair allowed, no forbidden site) is used in place: the distance
 * matrix is the model's cost, not a copy (it can be large).
 */
function* weightedDistances(model: PlacementModel): Steps<{ d: Float64Array; weighted: boolean; hasInfinity: boolean }> {
  const { nSites: nS, nClients: nC, allowed } = model;
  let weighted = false;
  for (let j = 0; j < nC; j++) if (model.weight[j] !== 1) weighted = true;
  let anyForbidden = false;
  for (let s = 0; s < nS; s++) if (model.forbidden[s] === 1) anyForbidden = true;
  const d = !weighted && allowed === undefined && !anyForbidden ? model.cost : new Float64Array(nS * nC);
  const rowsPerStep = Math.max(1, Math.floor(SCAN_ENTRIES / Math.max(1, nC)));
  if (d !== model.cost) {
    for (let s = 0; s < nS; s++) {
      if (s % rowsPerStep === rowsPerStep - 1) yield;
      const row = s * nC;
      if (model.forbidden[s] === 1) {
        d.fill(Infinity, row, row + nC);
        continue;
      }
      for (let j = 0; j < nC; j++) {
        const w = model.weight[j]!;
        // weight 0 clients are served at any allowed site at no cost (0 x distance).
        d[row + j] = allowed !== undefined && allowed[row + j] !== 1 ? Infinity : w === 0 ? 0 : w * model.cost[row + j]!;
      }
    }
  }
  let hasInfinity = false;
  for (let at = 0; at < d.length && !hasInfinity; at += SCAN_ENTRIES) {
    for (let t = at, end = Math.min(d.length, at + SCAN_ENTRIES); t < end; t++) {
      if (d[t] === Infinity) {
        hasInfinity = true;
        break;
      }
    }
    if (at + SCAN_ENTRIES < d.length) yield;
  }
  return { d, weighted, hasInfinity };
}

/** Clients no openable site may serve (they can only be outliers), and whether every client has a site at distance 0. */
function* nearestSites(d: Float64Array, nS: number, nC: number): Steps<{ orphans: number[]; colocated: boolean }> {
  const orphans: number[] = [];
  let colocated = true;
  const nearest = new Float64Array(nC).fill(Infinity);
  const rowsPerStep = Math.max(1, Math.floor(SCAN_ENTRIES / Math.max(1, nC)));
  for (let s = 0; s < nS; s++) {
    if (s % rowsPerStep === rowsPerStep - 1) yield;
    const row = s * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < nearest[j]!) nearest[j] = d[row + j]!;
  }
  for (let j = 0; j < nC; j++) {
    if (nearest[j] === Infinity) orphans.push(j);
    else if (nearest[j] !== 0) colocated = false;
  }
  return { orphans, colocated };
}

/** Result of the metric check that approximation ratios rely on. */
export interface MetricCheck {
  isMetric: boolean;
  sampled: boolean;
  message?: string;
}

const metricCache = new WeakMap<PlacementModel, MetricCheck>();

/**
 * Checks the metric properties of the model's cost (not the weighted distances: weights
 * enter the guarantee separately). Square models whose site i is client i get core's
 * checkMetric, on a random sample of at most 120 points for large matrices; other models
 * get a sampled check of the bipartite triangle inequality
 * c(s, u) <= c(s, v) + c(t, v) + c(t, u) that the k-supplier ratio uses.
 */
export function checkInstanceMetric(inst: KCenterInstance): MetricCheck {
  const cached = metricCache.get(inst.model);
  if (cached) return cached;
  const { model, nS, nC } = inst;
  const c = model.cost;
  let result: MetricCheck;
  // One point set (site i is client i) when the ids agree or the diagonal is zero: then the
  // whole matrix must be a metric (symmetric, zero diagonal, triangle inequality).
  let sameIds = nS === nC;
  for (let i = 0; sameIds && i < nS; i++) if (model.siteIds[i] !== model.clientIds[i]) sameIds = false;
  let zeroDiag = nS === nC;
  for (let i = 0; zeroDiag && i < nS; i++) if (c[i * nC + i] !== 0) zeroDiag = false;
  const squareIdentity = sameIds || zeroDiag;
  // Deterministic sample (a fixed stride walk) so the same model always gives the same answer.
  if (squareIdentity) {
    const m = Math.min(nS, 120);
    const idx = sampleIndices(nS, m);
    const sub = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = c[idx[a]! * nC + idx[b]!]!;
    const tol = 1e-9 * Math.max(1, maxFinite(sub));
    const rep = checkMetric(sub, m, tol, 1);
    result = { isMetric: rep.isMetric, sampled: m < nS };
    if (!rep.isMetric) {
      const why = !rep.symmetric ? 'not symmetric' : !rep.zeroDiagonal ? 'non-zero diagonal' : 'triangle inequality fails';
      const ex = rep.symmetric && rep.zeroDiagonal && rep.example
        ? ` (e.g. c(${idx[rep.example[0]]}, ${idx[rep.example[2]]}) > c(${idx[rep.example[0]]}, ${idx[rep.example[1]]}) + c(${idx[rep.example[1]]}, ${idx[rep.example[2]]}))`
        : '';
      result.message = `cost is not a metric: ${why}${ex}`;
    }
  } else {
    let violations = 0;
    let example = '';
    let state = 0x9e3779b9;
    const rnd = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    const samples = Math.min(20000, nS * nS * nC);
    for (let t = 0; t < samples && violations === 0; t++) {
      const s = rnd(nS), r = rnd(nS), u = rnd(nC), v = rnd(nC);
      const lhs = c[s * nC + u]!;
      const rhs = c[s * nC + v]! + c[r * nC + v]! + c[r * nC + u]!;
      if (lhs > rhs * (1 + 1e-9) + 1e-12) {
        violations++;
        example = `c(site ${s}, client ${u}) > c(${s}, ${v}) + c(${r}, ${v}) + c(${r}, ${u})`;
      }
    }
    result = { isMetric: violations === 0, sampled: true };
    if (violations > 0) result.message = `cost is not a metric: ${example}`;
  }
  metricCache.set(model, result);
  return result;
}

/**
 * The approximation ratio a threshold method (Hochbaum-Shmoys, Gonzalez) may claim on
 * this instance: 2 for vertex k-center (every client has a site at distance 0), 3 for
 * k-supplier, none on non-metric input (then a warning says why).
 */
export function thresholdRatio(inst: KCenterInstance, warnings: string[]): number | undefined {
  const m = checkInstanceMetric(inst);
  if (!m.isMetric) {
    warnings.push(`${m.message ?? 'cost is not a metric'}${m.sampled ? ' (sampled check)' : ''}: the approximation ratio does not apply`);
    return undefined;
  }
  return inst.colocated ? 2 : 3;
}

function sampleIndices(n: number, m: number): Int32Array {
  const out = new Int32Array(m);
  if (m === n) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  for (let a = 0; a < m; a++) out[a] = Math.floor((a * n) / m);
  return out;
}

function maxFinite(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m && a[i]! !== Infinity) m = a[i]!;
  return m;
}
