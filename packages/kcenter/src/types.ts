import type { SolveOptions } from '@emplace/core';

/** Options of every k-center method (on top of the shared SolveOptions). */
export interface KCenterOptions extends SolveOptions {
  /** Number of centres to open, counting pre-opened (`mustOpen`) sites. Required. */
  k?: number;
  /** k-center with outliers: the number z of clients that may be left unserved (default 0). */
  outliers?: number;
  /**
   * Respect site capacities (dimension 0 of `capacity` vs `demand`). Default: true when the
   * model has a finite capacity in dimension 0, false otherwise.
   */
  capacitated?: boolean;
  /** Starting centres (site indices) for `local`; default: the Gonzalez solution. */
  initial?: ArrayLike<number>;
  /** Backend of the exact covering MIP when @emplace/lp is used: default HiGHS. */
  backend?: 'highs' | 'glpk' | 'jslp';
}

/** A k-center answer in domain terms. */
export interface KCenterSolution {
  /** Open sites (indices), ascending. */
  open: Int32Array;
  /** Ids of the open sites. */
  openIds: string[];
  /** Site serving each client, -1 for an ignored outlier; a client whose demand is split (see `split`) holds its largest share's site. */
  assignment: Int32Array;
  /**
   * Capacitated k-center, where a client's demand may be split across open sites: every part
   * of the clients served by more than one site (the radius counts each part's distance).
   * Absent when no demand is split.
   */
  split?: KCenterShare[];
  /** max over served clients of weight x distance to the serving site. */
  radius: number;
  /** Ignored clients (k-center with outliers), ascending. */
  outliers: Int32Array;
  /** A client that attains the radius (-1 when there is none). */
  criticalClient: number;
}

/** A part of a client's demand served by one site (capacitated k-center with split demand). */
export interface KCenterShare {
  client: number;
  site: number;
  amount: number;
}
