import type { SolveOptions } from '@emplace/core';

/** A value per player (Shapley, Banzhaf, nucleolus...), as the `solution` of a game solver. */
export interface PlayerValues {
  readonly players: readonly string[];
  /** One value per player, in player order. */
  readonly values: Float64Array;
  /** The same values as exact fractions "p/q", when the method could compute them exactly. */
  readonly exact?: readonly string[];
}

/** Solution of exact Shapley enumeration: the Shapley value and, from the same pass, the Banzhaf value. */
export interface ShapleySolution extends PlayerValues {
  /** Which value `values` holds. */
  readonly concept: 'shapley' | 'banzhaf' | 'shapley-shubik' | 'nucleolus' | 'least-core';
  /** v(N), the value of the grand coalition. */
  readonly grandValue: number;
  /** Banzhaf value (raw: average marginal contribution over the 2^(n-1) coalitions of the others). */
  readonly banzhaf?: Float64Array | undefined;
  readonly banzhafExact?: readonly string[] | undefined;
  /** Normalised Banzhaf index (raw values scaled to sum to 1) for simple games. */
  readonly banzhafIndex?: Float64Array | undefined;
  /** Characteristic-function evaluations used. */
  readonly evaluations?: number | undefined;
}

/** Confidence interval of a sampled value per player. */
export interface SampledValues extends PlayerValues {
  readonly concept: 'shapley';
  readonly grandValue: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Half-width of each player's interval. */
  readonly halfWidth: Float64Array;
  /** Confidence of each player's interval (e.g. 0.95). */
  readonly confidence: number;
  /** How the interval is obtained. */
  readonly interval: IntervalKind;
  /** Samples per player (permutations or antithetic pairs), or per player and coalition size (stratified). */
  readonly samples: number;
  readonly evaluations: number;
  /** True when every half-width reached the requested precision. */
  readonly reachedPrecision: boolean;
  readonly precision: number;
}

/**
 * `hoeffding`: needs the range of marginal contributions, distribution-free;
 * `bernstein`: empirical Bernstein (Maurer-Pontil), needs the range, much tighter when
 * the variance is small; `normal`: CLT interval from the sample variance (asymptotic).
 */
export type IntervalKind = 'hoeffding' | 'bernstein' | 'normal';

export type GameKind = 'profit' | 'cost';

export interface GameSolveOptions extends SolveOptions {
  /**
   * `profit` (default): v(S) is what S can earn, stability means x(S) >= v(S).
   * `cost`: v(S) is what serving S costs, stability means x(S) <= v(S).
   */
  gameKind?: GameKind;
}
