import type { SolveOptions } from '@emplace/core';

/** Options shared by the radius-based coverage models (LSCP, MCLP, survivable). */
export interface CoverageOptions extends SolveOptions {
  /**
   * Coverage radius R (the model's cost unit, e.g. ms of latency): site s covers client j
   * when cost(s, j) <= R, the pair is allowed and s is not forbidden. Required.
   */
  radius?: number;
  /** Backend of the exact MIPs (@emplace/lp); default HiGHS. */
  backend?: 'highs' | 'glpk' | 'jslp';
}

/** Location set covering problem (LSCP): the fewest open sites that cover every client. */
export interface LscpOptions extends CoverageOptions {
  /**
   * Respect site capacities (dimension 0 of `capacity` against client `demand`, each client
   * served whole by one covering site). Default: true when some site has a finite
   * capacity in dimension 0.
   */
  capacitated?: boolean;
}

/** Maximal covering location problem (MCLP): k open sites covering the most demand. */
export interface MclpOptions extends CoverageOptions {
  /** Number of open sites, pre-opened (`mustOpen`) ones included. Required. */
  k?: number;
  /** Starting sites for the swap search of `mclpGreedy` (default: the greedy solution). */
  initial?: ArrayLike<number>;
}

/** p-dispersion: k sites as far apart as possible (largest smallest pairwise distance). */
export interface PDispersionOptions extends SolveOptions {
  /** Number of sites to choose, pre-opened ones included; at least 2. Required. */
  k?: number;
  /**
   * Site x site distances (`nSites * nSites`, row-major). Default: the model's cost when
   * site i is client i (same ids, or a square matrix with a zero diagonal), as in a pmed
   * graph; other models must pass it.
   */
  siteDistance?: ArrayLike<number>;
  backend?: 'highs' | 'glpk' | 'jslp';
}

/** N-1 (generally N-(level-1)) survivable placement. */
export interface SurvivableOptions extends CoverageOptions {
  /**
   * Distinct open sites every client needs within the radius (latency bound L): 2 keeps a
   * site within L after any single site failure (N-1). Default 2.
   */
  level?: number;
  /**
   * Add the serving cost: every client pays cost(s, j) to its nearest open site. Default
   * false (opening cost only).
   */
  servingCost?: boolean;
}

/** Answer of LSCP and MCLP in domain terms. */
export interface CoverageSolution {
  /** Open sites (pre-opened ones included), ascending. */
  open: Int32Array;
  openIds: string[];
  /** Open sites that were not pre-opened, ascending. */
  added: Int32Array;
  /**
   * Site covering each client: the nearest open site within the radius (or, with
   * capacities, the site the client is assigned to); -1 when uncovered.
   */
  assignment: Int32Array;
  /** Clients with no open site within the radius, ascending. */
  uncovered: Int32Array;
  /** Clients covered. */
  covered: number;
  /** Sum of demand (dimension 0) of the covered clients. */
  coveredDemand: number;
  /** Sum of demand (dimension 0) of every client. */
  totalDemand: number;
}

/** Answer of p-dispersion. */
export interface DispersionSolution {
  open: Int32Array;
  openIds: string[];
  /** Smallest distance between two chosen sites. */
  minDistance: number;
  /** A pair attaining it. */
  closestPair: [number, number];
}

/** Answer of survivable placement. */
export interface SurvivableSolution {
  open: Int32Array;
  openIds: string[];
  added: Int32Array;
  /** Nearest open site of each client (its primary). */
  primary: Int32Array;
  /** Second-nearest open site within the radius (the one left after the primary fails). */
  backup: Int32Array;
  /** Sum of the cost of the open sites (opening cost, or 1 per site when every opening cost is 0). */
  openingCost: number;
  /** Sum over clients of cost(primary, j); counted in the objective only with `servingCost`. */
  servingCost: number;
  /** Smallest number of open sites within the radius over all clients. */
  minCoverage: number;
}
