import { checkModelFeatures, ModelError, requireNonNegative, runSteps, type PlacementModel, type Steps } from '@emplace/core';
import { coverageFeatures } from './features.js';
import type { KCenterInstance } from './instance.js';
import type { CoverageSolution } from './coverage-types.js';

/**
 * The data every radius-based coverage model works on: which openable sites cover which
 * clients within radius R, as two CSR lists (client -> sites, site -> clients), the
 * pre-opened and forbidden sites, and the demand of each client (dimension 0). Built once
 * per solve; the model is never mutated.
 */
export interface CoverageData {
  readonly model: PlacementModel;
  readonly nS: number;
  readonly nC: number;
  readonly radius: number;
  /** Pre-opened sites, ascending. */
  readonly mustOpen: Int32Array;
  readonly isMust: Uint8Array;
  /** Sites that may be open (not forbidden), ascending. */
  readonly openable: Int32Array;
  /** Client -> covering sites (openable only), `cAdj[cStart[j] .. cStart[j + 1])`, ascending. */
  readonly cStart: Int32Array;
  readonly cAdj: Int32Array;
  /** Site -> covered clients, ascending. */
  readonly sStart: Int32Array;
  readonly sAdj: Int32Array;
  /** Demand per client, dimension 0. */
  readonly demand: Float64Array;
  readonly totalDemand: number;
  readonly warnings: string[];
}

/** What a coverage model honours beyond the covering relation itself. */
export interface CoverageFeatures {
  /** The model's finite capacities are used (otherwise a warning says they are ignored). */
  capacities: boolean;
  /** Family name used in warnings, e.g. 'mclp'. */
  family: string;
}

/** Validates the radius and the model, and builds the covering relation. */
export function prepareCoverage(model: PlacementModel, radiusIn: number | undefined, features: CoverageFeatures): CoverageData {
  return runSteps(prepareCoverageSteps(model, radiusIn, features));
}

/**
 * prepareCoverage with a pause (a bare `yield`) every COVER_SCAN_ENTRIES entries of the two
 * scans of the cost matrix (on 500 x 500 they were a 28 ms stretch of their own). The input
 * is validated before the first pause.
 */
export function* prepareCoverageSteps(model: PlacementModel, radiusIn: number | undefined, features: CoverageFeatures, onlySites?: (must: readonly number[], openable: readonly number[]) => number[]): Steps<CoverageData> {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (createPlacementModel)');
  if (radiusIn === undefined) throw new ModelError('options.radius', 'is required: the coverage radius (largest cost at which a site covers a client)');
  const radius = requireNonNegative('options.radius', radiusIn);
  const { nSites: nS, nClients: nC } = model;
  const warnings = featureWarnings(model, features);
  const nDims = model.dimensions.length;
  const demand = new Float64Array(nC);
  let totalDemand = 0;
  for (let j = 0; j < nC; j++) {
    demand[j] = model.demand[j * nDims]!;
    totalDemand += demand[j]!;
  }
  const isMust = new Uint8Array(nS);
  const must: number[] = [];
  const openable: number[] = [];
  for (let s = 0; s < nS; s++) {
    if (model.mustOpen[s] === 1) {
      if (model.forbidden[s] === 1) throw new ModelError(`sites[${s}]`, 'is both mustOpen and forbidden');
      isMust[s] = 1;
      must.push(s);
    }
    if (model.forbidden[s] !== 1) openable.push(s);
  }
  // `onlySites` keeps a few openable sites (ascending): the relation of a plan made without
  // the whole matrix (mclp stopped during its setup), k rows instead of every row.
  if (onlySites) openable.splice(0, openable.length, ...onlySites(must, openable));
  const { cStart, cAdj, sStart, sAdj } = yield* coverRelationSteps(model, openable, radius);
  return {
    model,
    nS,
    nC,
    radius,
    mustOpen: Int32Array.from(must),
    isMust,
    openable: Int32Array.from(openable),
    cStart,
    cAdj,
    sStart,
    sAdj,
    demand,
    totalDemand,
    warnings,
  };
}

/** Cost-matrix entries scanned between two pauses of prepareCoverageSteps. */
export const COVER_SCAN_ENTRIES = 1 << 15;

/** The pairs within the radius, allowed, over the openable sites, as two exact-size CSR lists. */
function* coverRelationSteps(model: PlacementModel, openable: readonly number[], radius: number): Steps<{ cStart: Int32Array; cAdj: Int32Array; sStart: Int32Array; sAdj: Int32Array }> {
  const { nSites: nS, nClients: nC, cost, allowed } = model;
  const rowsPerPause = Math.max(1, Math.floor(COVER_SCAN_ENTRIES / Math.max(1, nC)));
  // Two passes over the matrix (count, then fill) so the lists are exact-size typed arrays.
  const cStart = new Int32Array(nC + 1);
  const sStart = new Int32Array(nS + 1);
  for (let a = 0; a < openable.length; a++) {
    if (a % rowsPerPause === rowsPerPause - 1) yield;
    const s = openable[a]!;
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      if (cost[row + j]! <= radius && (allowed === undefined || allowed[row + j] === 1)) {
        cStart[j + 1]!++;
        sStart[s + 1]!++;
      }
    }
  }
  for (let j = 0; j < nC; j++) cStart[j + 1]! += cStart[j]!;
  for (let s = 0; s < nS; s++) sStart[s + 1]! += sStart[s]!;
  const cAdj = new Int32Array(cStart[nC]!);
  const sAdj = new Int32Array(sStart[nS]!);
  const cFill = cStart.slice(0, nC);
  for (let a = 0; a < openable.length; a++) {
    if (a % rowsPerPause === rowsPerPause - 1) yield;
    const s = openable[a]!;
    const row = s * nC;
    let p = sStart[s]!;
    for (let j = 0; j < nC; j++) {
      if (cost[row + j]! <= radius && (allowed === undefined || allowed[row + j] === 1)) {
        sAdj[p++] = j;
        cAdj[cFill[j]!++] = s;
      }
    }
  }
  return { cStart, cAdj, sStart, sAdj };
}

/** Warnings for model features a coverage model does not use (never silently ignored). */
export function featureWarnings(model: PlacementModel, features: CoverageFeatures): string[] {
  return checkModelFeatures(model, coverageFeatures(features.capacities), features.family);
}

/** Clients that no openable site covers within the radius. */
export function uncoverableClients(data: CoverageData): number[] {
  const out: number[] = [];
  for (let j = 0; j < data.nC; j++) if (data.cStart[j + 1] === data.cStart[j]) out.push(j);
  return out;
}

/**
 * The coverage of a set of open sites, recomputed from the model: each client goes to
 * its nearest open site within the radius (an `assignment` may be given instead, e.g. a
 * capacity-feasible one; it is checked against the radius).
 */
export function evaluateCoverage(data: CoverageData, openIn: ArrayLike<number>, assignmentIn?: Int32Array): CoverageSolution {
  const { model, nC } = data;
  const open = Int32Array.from(new Set(Array.from(openIn))).sort();
  const cost = model.cost;
  const assignment = new Int32Array(nC).fill(-1);
  const isOpen = new Uint8Array(data.nS);
  for (let a = 0; a < open.length; a++) isOpen[open[a]!] = 1;
  if (assignmentIn) {
    for (let j = 0; j < nC; j++) {
      const s = assignmentIn[j]!;
      if (s >= 0 && isOpen[s] && covers(data, s, j)) assignment[j] = s;
    }
  } else {
    const best = new Float64Array(nC).fill(Infinity);
    for (let a = 0; a < open.length; a++) {
      const s = open[a]!;
      for (let t = data.sStart[s]!; t < data.sStart[s + 1]!; t++) {
        const j = data.sAdj[t]!;
        const v = cost[s * nC + j]!;
        if (v < best[j]!) {
          best[j] = v;
          assignment[j] = s;
        }
      }
    }
  }
  let covered = 0;
  let coveredDemand = 0;
  const uncovered: number[] = [];
  for (let j = 0; j < nC; j++) {
    if (assignment[j]! >= 0) {
      covered++;
      coveredDemand += data.demand[j]!;
    } else uncovered.push(j);
  }
  const added = open.filter((s) => data.isMust[s] !== 1);
  return {
    open,
    openIds: Array.from(open, (s) => model.siteIds[s]!),
    added,
    assignment,
    uncovered: Int32Array.from(uncovered),
    covered,
    coveredDemand,
    totalDemand: data.totalDemand,
  };
}

/** True when site s covers client j within the radius (allowed, not forbidden). */
export function covers(data: CoverageData, s: number, j: number): boolean {
  const { model, nC, radius } = data;
  if (model.forbidden[s] === 1) return false;
  if (model.allowed !== undefined && model.allowed[s * nC + j] !== 1) return false;
  return model.cost[s * nC + j]! <= radius;
}

/**
 * The coverage data seen as a k-center instance at this radius, so that kcenter's
 * covering reductions (buildCover) and set-cover MIP apply unchanged: distances are the
 * unweighted costs, Infinity where a pair is not allowed or the site forbidden.
 */
export function asCoverInstance(data: CoverageData): KCenterInstance {
  const { model, nS, nC } = data;
  let plain = model.allowed === undefined;
  for (let s = 0; plain && s < nS; s++) if (model.forbidden[s] === 1) plain = false;
  let d = model.cost;
  if (!plain) {
    d = new Float64Array(nS * nC);
    for (let s = 0; s < nS; s++) {
      const row = s * nC;
      for (let j = 0; j < nC; j++) {
        d[row + j] = model.forbidden[s] === 1 || (model.allowed !== undefined && model.allowed[row + j] !== 1) ? Infinity : model.cost[row + j]!;
      }
    }
  }
  const nDims = model.dimensions.length;
  return {
    model,
    nS,
    nC,
    d,
    k: nS,
    z: 0,
    mustOpen: data.mustOpen,
    openable: data.openable,
    colocated: false,
    weighted: false,
    capacitated: false,
    capacity: Float64Array.from({ length: nS }, (_, s) => model.capacity[s * nDims]!),
    demand: data.demand,
    hasInfinity: !plain,
    warnings: [],
  };
}

/** H(n) = 1 + 1/2 + ... + 1/n: the greedy set-cover ratio for sets of at most n elements. */
export function harmonic(n: number): number {
  let h = 0;
  for (let i = 1; i <= n; i++) h += 1 / i;
  return h;
}
