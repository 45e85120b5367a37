import type { FeatureTable } from '@emplace/core';

/**
 * The model features k-center honours (DESIGN.md §2), the one place this package declares
 * them. A centre serves each client alone by distance, so affinity, anti-affinity, extra
 * dimensions, site-dependent demand and replica counts are ignored with a warning in the
 * result; capacity (dimension 0) is honoured by capacitated k-center, and `capacitated: false`
 * is the caller's explicit request to drop it.
 */
export const KCENTER_FEATURES: FeatureTable = {
  affinity: 'ignored',
  antiAffinity: 'ignored',
  capacity: 'honoured',
  dimensions: 'ignored',
  siteDemand: 'ignored',
  allowed: 'honoured',
  fixedSites: 'honoured',
  replicas: 'ignored',
};

/**
 * The coverage and dispersion models (LSCP, MCLP, p-dispersion, survivable): the same as
 * k-center, except that capacity is honoured only by the methods that use it.
 */
export function coverageFeatures(capacities: boolean): FeatureTable {
  return { ...KCENTER_FEATURES, capacity: capacities ? 'honoured' : 'ignored' };
}
