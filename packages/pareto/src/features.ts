import type { FeatureTable } from '@emplace/core';

/**
 * The model features the placement fronts honour (DESIGN.md §2), the one place this package
 * declares them. The evolutionary decoding (placementProblem) places affinity units whole and
 * counts anti-affinity pairs that share a site (or label value) as a constraint violation; the
 * exact epsilon-constraint front has neither in its MIP and refuses them. Replica counts are
 * refused by both: a plan places each client once.
 */
export const PLACEMENT_FRONT_FEATURES: FeatureTable = {
  affinity: 'honoured',
  antiAffinity: 'honoured',
  capacity: 'honoured',
  dimensions: 'honoured',
  siteDemand: 'honoured',
  allowed: 'honoured',
  fixedSites: 'honoured',
  replicas: 'refused',
};

export const EXACT_PLACEMENT_FRONT_FEATURES: FeatureTable = { ...PLACEMENT_FRONT_FEATURES, affinity: 'refused', antiAffinity: 'refused' };
