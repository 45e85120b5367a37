import { ModelError } from './errors.js';
import type { PlacementModel } from './placement.js';

/**
 * The parts of a PlacementModel whose meaning a method may or may not implement
 * (DESIGN.md §2: "every family declares which of these it honours").
 *
 * - `affinity`: groups of clients that must share a site (see affinityUnits).
 * - `antiAffinity`: groups that must sit on distinct sites or distinct label values.
 * - `capacity`: finite site capacity in the first resource dimension.
 * - `dimensions`: a resource dimension after the first that constrains something (a finite
 *   capacity and a positive demand in it).
 * - `siteDemand`: demand that depends on the site (GAP's r_ij).
 * - `allowed`: a site x client pair that is not allowed (compliance).
 * - `fixedSites`: a site that must be open (`mustOpen`) or may not be opened (`forbidden`).
 * - `replicas`: a client with more than one replica (an integer count per site).
 */
export const MODEL_FEATURES = ['affinity', 'antiAffinity', 'capacity', 'dimensions', 'siteDemand', 'allowed', 'fixedSites', 'replicas'] as const;

export type ModelFeature = (typeof MODEL_FEATURES)[number];

/**
 * What a method does with a feature the model uses:
 * - `honoured`: the solution satisfies it;
 * - `ignored`: the method solves the model without it and the result carries a warning
 *   saying so (its status and objective refer to that relaxed model);
 * - `refused`: a ModelError, for features whose omission would make the answer meaningless.
 */
export type FeatureSupport = 'honoured' | 'ignored' | 'refused';

/** One declaration per method (or per family): every feature is named, so none is forgotten. */
export type FeatureTable = Readonly<Record<ModelFeature, FeatureSupport>>;

/** The model field a feature lives in, for messages and ModelError fields. */
const FIELD: Readonly<Record<ModelFeature, string>> = {
  affinity: 'model.affinity',
  antiAffinity: 'model.antiAffinity',
  capacity: 'model.capacity',
  dimensions: 'model.dimensions',
  siteDemand: 'model.siteDemand',
  allowed: 'model.allowed',
  fixedSites: 'model.mustOpen/forbidden',
  replicas: 'model.replicas',
};

/**
 * The features a model actually uses, with a short description of each use. A feature
 * present only in form (an affinity group of one client, an extra dimension without a
 * finite capacity, `allowed` with every pair allowed) is not in use: ignoring it changes nothing.
 * `honoured`: `allowed` is not scanned when this table honours it (S x C entries in one go).
 */
export function usedModelFeatures(model: PlacementModel, honoured?: FeatureTable): Map<ModelFeature, string> {
  const used = new Map<ModelFeature, string>();
  const { nSites, nClients } = model;
  const nDims = model.dimensions.length;
  const affinity = model.affinity.filter((g) => new Set(g).size > 1).length;
  if (affinity > 0) used.set('affinity', `${affinity} affinity group(s)`);
  const anti = model.antiAffinity.filter((g) => new Set(g.clients).size > 1).length;
  if (anti > 0) used.set('antiAffinity', `${anti} anti-affinity group(s)`);
  const finiteIn = (d: number): number => {
    let n = 0;
    for (let i = 0; i < nSites; i++) if (model.capacity[i * nDims + d]! < Infinity) n++;
    return n;
  };
  const cap0 = finiteIn(0);
  if (cap0 > 0) used.set('capacity', `${cap0} finite capacit${cap0 === 1 ? 'y' : 'ies'} in ${JSON.stringify(model.dimensions[0])}`);
  const extra: string[] = [];
  for (let d = 1; d < nDims; d++) {
    let demanded = false;
    for (let j = 0; j < nClients && !demanded; j++) if (model.demand[j * nDims + d]! > 0) demanded = true;
    if (model.siteDemand) for (let k = d; k < model.siteDemand.length && !demanded; k += nDims) if (model.siteDemand[k]! > 0) demanded = true;
    if (demanded && finiteIn(d) > 0) extra.push(model.dimensions[d]!);
  }
  if (extra.length > 0) used.set('dimensions', `resource dimension(s) ${extra.map((d) => JSON.stringify(d)).join(', ')} after the first`);
  if (model.siteDemand) used.set('siteDemand', 'site-dependent demand (siteDemand)');
  if (model.allowed && honoured?.allowed !== 'honoured') {
    let banned = 0;
    for (let k = 0; k < model.allowed.length; k++) if (model.allowed[k] !== 1) banned++;
    if (banned > 0) used.set('allowed', `${banned} disallowed site-client pair(s)`);
  }
  let fixed = 0;
  for (let i = 0; i < nSites; i++) if (model.mustOpen[i] || model.forbidden[i]) fixed++;
  if (fixed > 0) used.set('fixedSites', `${fixed} mustOpen/forbidden site(s)`);
  if (model.replicas) {
    let replicated = 0;
    for (let j = 0; j < nClients; j++) if (model.replicas[j]! > 1) replicated++;
    if (replicated > 0) used.set('replicas', `${replicated} replicated client(s)`);
  }
  return used;
}

/**
 * Checks a model against what `method` honours: throws a ModelError naming the field of the
 * first used feature the method refuses, and returns one warning per used feature it ignores
 * (to be put in the result's `warnings`). Honoured features cost nothing.
 */
export function checkModelFeatures(model: PlacementModel, table: FeatureTable, method: string): string[] {
  const warnings: string[] = [];
  for (const [feature, use] of usedModelFeatures(model, table)) {
    const support = table[feature];
    if (support === 'refused') throw new ModelError(FIELD[feature], `is not supported by ${method} (the model has ${use})`);
    if (support === 'ignored') {
      warnings.push(`${method} ignores ${FIELD[feature]} (${use}): the solution may violate it, and its status and objective refer to the model without it`);
    }
  }
  return warnings;
}

/** Puts `warnings` (e.g. from checkModelFeatures) first in a result's warnings; the result is returned. */
export function withWarnings<R extends { warnings?: string[] }>(result: R, warnings: readonly string[]): R {
  if (warnings.length > 0) result.warnings = [...warnings, ...(result.warnings ?? [])];
  return result;
}
