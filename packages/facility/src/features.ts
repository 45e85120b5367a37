import type { FeatureTable } from '@emplace/core';
import type { FacilityVariant } from './problem.js';

/**
 * The model features each facility variant honours (DESIGN.md §2), the one place this
 * package declares them. The variants are the textbook problems on one resource dimension:
 * anti-affinity, extra dimensions, site-dependent demand and replica counts are ignored, with a
 * warning in the result (the solution is a plan for the model without them, still a useful
 * first cut, e.g. to choose which sites to open). Affinity is honoured where each client sits
 * on one site (see FACILITY_FEATURES).
 * Capacity is the difference between the uncapacitated (UFL, p-median) and capacitated
 * (CFL, SSCFL) variants.
 */
const UNCAPACITATED: FeatureTable = {
  affinity: 'ignored',
  antiAffinity: 'ignored',
  capacity: 'ignored',
  dimensions: 'ignored',
  siteDemand: 'ignored',
  allowed: 'honoured',
  fixedSites: 'honoured',
  replicas: 'ignored',
};

const CAPACITATED: FeatureTable = { ...UNCAPACITATED, capacity: 'honoured' };

/**
 * The scenario methods (two-stage stochastic, robust, SAA): their formulations have no groups
 * and no site-dependent demand, so those are refused (a plan that ignores them would be judged
 * on the wrong costs in every scenario); extra dimensions and replica counts are ignored with a
 * warning, as in the single-scenario variants.
 */
export const SCENARIO_FEATURES: FeatureTable = { ...CAPACITATED, affinity: 'refused', antiAffinity: 'refused', siteDemand: 'refused' };

/** Online facility location (Meyerson): uncapacitated, and its groups are refused. */
export const ONLINE_FEATURES: FeatureTable = { ...UNCAPACITATED, affinity: 'refused', antiAffinity: 'refused' };

/**
 * The one-site-per-client variants honour affinity by solving over affinity units (affinity.ts);
 * split-demand CFL cannot (a split client has no single site to share).
 */
export const FACILITY_FEATURES: Readonly<Record<FacilityVariant, FeatureTable>> = {
  ufl: { ...UNCAPACITATED, affinity: 'honoured' },
  pmedian: { ...UNCAPACITATED, affinity: 'honoured' },
  cfl: CAPACITATED,
  sscfl: { ...CAPACITATED, affinity: 'honoured' },
};
