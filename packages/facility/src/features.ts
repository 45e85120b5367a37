import type { FeatureTable } from '@emplace/core';
import type { FacilityVariant } from './problem.js';

/**
 * The model features each facility variant honours (DESIGN.md §2), the one place this
 * package declares them. The variants are the textbook problems: every client is one unit on
 * one resource dimension, so affinity, anti-affinity, extra dimensions, site-dependent demand
 * and replica counts are ignored, with a warning in the result (the solution is a plan for
 * the model without them, still a useful first cut, e.g. to choose which sites to open).
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

export const FACILITY_FEATURES: Readonly<Record<FacilityVariant, FeatureTable>> = {
  ufl: UNCAPACITATED,
  pmedian: UNCAPACITATED,
  cfl: CAPACITATED,
  sscfl: CAPACITATED,
};
