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

export const FACILITY_FEATURES: Readonly<Record<FacilityVariant, FeatureTable>> = {
  ufl: UNCAPACITATED,
  pmedian: UNCAPACITATED,
  cfl: CAPACITATED,
  sscfl: CAPACITATED,
};
