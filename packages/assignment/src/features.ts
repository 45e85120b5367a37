import type { FeatureTable } from '@emplace/core';

/**
 * The model features each family of this package honours (DESIGN.md §2), the one place they
 * are declared.
 *
 * GAP is the textbook problem: one resource dimension, one job per client, no groups. Affinity,
 * anti-affinity and replica counts change what a valid answer is, so GAP refuses them (ModelError)
 * and points to the schedule and replicas families, which honour them. Several dimensions are
 * refused by toGapInstance itself, even when they constrain nothing.
 */
export const GAP_FEATURES: FeatureTable = {
  affinity: 'refused',
  antiAffinity: 'refused',
  capacity: 'honoured',
  dimensions: 'refused',
  siteDemand: 'honoured',
  allowed: 'honoured',
  // GAP opens no sites: every site is available, so mustOpen holds trivially; forbidden sites take no job.
  fixedSites: 'honoured',
  replicas: 'refused',
};

/** The scheduling model honours everything but replica counts, which the replicas family places. */
export const SCHEDULE_FEATURES: FeatureTable = { ...GAP_FEATURES, affinity: 'honoured', antiAffinity: 'honoured', dimensions: 'honoured', replicas: 'refused' };
