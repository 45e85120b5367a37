import { ModelError, requireInteger } from '@emplace/core';

/**
 * The decision space of a multi-objective problem. Every decision vector is a
 * Float64Array of `length` entries:
 * - `real`: x[i] in [lower[i], upper[i]];
 * - `integer`: integral x[i] in [lower[i], upper[i]];
 * - `binary`: x[i] in {0, 1};
 * - `permutation`: x is a permutation of 0..length-1;
 * - `subset` ("open these sites"): a 0/1 mask over `length` items with between
 *   `minSize` and `maxSize` ones (`fixedOn` items always 1, `fixedOff` always 0).
 */
export type DecisionSpace =
  | { readonly kind: 'real'; readonly lower: ArrayLike<number>; readonly upper: ArrayLike<number> }
  | { readonly kind: 'integer'; readonly lower: ArrayLike<number>; readonly upper: ArrayLike<number> }
  | { readonly kind: 'binary'; readonly length: number }
  | { readonly kind: 'permutation'; readonly length: number }
  | {
      readonly kind: 'subset';
      readonly length: number;
      readonly minSize?: number;
      readonly maxSize?: number;
      readonly fixedOn?: ArrayLike<number>;
      readonly fixedOff?: ArrayLike<number>;
    };

/** What one evaluation returns: the minimised objectives and, optionally, constraint violation amounts (> 0 = violated). */
export interface Evaluation {
  objectives: ArrayLike<number>;
  violations?: ArrayLike<number>;
}

/**
 * A multi-objective problem: a decision space, `nObjectives` minimised objectives and
 * optional constraints, all computed by `evaluate`. Wrap any model (a PlacementModel, a
 * graph, a test function) by closing over it in `evaluate`.
 */
export interface MultiObjectiveProblem {
  readonly kind: 'multi-objective';
  readonly name?: string;
  readonly space: DecisionSpace;
  readonly nObjectives: number;
  readonly objectiveNames?: readonly string[];
  evaluate(x: Float64Array): Evaluation;
  /** Optional problem-specific repair applied to every new decision vector (e.g. make a plan feasible). */
  repair?(x: Float64Array): void;
}

/** Length of the decision vectors of a space. */
export function spaceLength(space: DecisionSpace): number {
  return space.kind === 'real' || space.kind === 'integer' ? space.lower.length : space.length;
}

/** Checks a problem's shape, naming the bad field. */
export function validateProblem(problem: MultiObjectiveProblem): void {
  if (problem === null || typeof problem !== 'object') throw new ModelError('problem', 'must be an object');
  requireInteger('problem.nObjectives', problem.nObjectives, 1);
  if (typeof problem.evaluate !== 'function') throw new ModelError('problem.evaluate', 'must be a function');
  const space = problem.space;
  if (!space || typeof space !== 'object') throw new ModelError('problem.space', 'is required');
  switch (space.kind) {
    case 'real':
    case 'integer': {
      if (space.lower.length !== space.upper.length) throw new ModelError('problem.space.upper', `has ${space.upper.length} entries, lower has ${space.lower.length}`);
      if (space.lower.length === 0) throw new ModelError('problem.space.lower', 'must not be empty');
      for (let i = 0; i < space.lower.length; i++) {
        const lo = space.lower[i]!;
        const hi = space.upper[i]!;
        if (!Number.isFinite(lo)) throw new ModelError(`problem.space.lower[${i}]`, `must be finite, got ${lo}`);
        if (!Number.isFinite(hi)) throw new ModelError(`problem.space.upper[${i}]`, `must be finite, got ${hi}`);
        if (hi < lo) throw new ModelError(`problem.space.upper[${i}]`, `(${hi}) is below lower (${lo})`);
      }
      break;
    }
    case 'binary':
    case 'permutation':
      requireInteger('problem.space.length', space.length, 1);
      break;
    case 'subset': {
      requireInteger('problem.space.length', space.length, 1);
      const lo = space.minSize ?? 0;
      const hi = space.maxSize ?? space.length;
      requireInteger('problem.space.minSize', lo, 0, space.length);
      requireInteger('problem.space.maxSize', hi, lo, space.length);
      break;
    }
    default:
      throw new ModelError('problem.space.kind', `must be real, integer, binary, permutation or subset, got ${JSON.stringify((space as { kind: unknown }).kind)}`);
  }
}

/**
 * Validates one evaluation and returns the total violation: objectives must number
 * `nObjectives` and be non-NaN (ModelError naming the objective and the individual).
 */
export function checkEvaluation(problem: MultiObjectiveProblem, e: Evaluation, individual: number, out: Float64Array, offset: number): number {
  if (!e || typeof e !== 'object' || !e.objectives) throw new ModelError(`evaluate(x #${individual})`, 'must return { objectives, violations? }');
  const m = problem.nObjectives;
  if (e.objectives.length !== m) {
    throw new ModelError(`evaluate(x #${individual}).objectives`, `has ${e.objectives.length} values, problem.nObjectives is ${m}`);
  }
  for (let k = 0; k < m; k++) {
    const v = e.objectives[k]!;
    if (typeof v !== 'number' || Number.isNaN(v)) {
      const name = problem.objectiveNames?.[k];
      throw new ModelError(`evaluate(x #${individual}).objectives[${k}]${name ? ` (${name})` : ''}`, typeof v === 'number' ? 'is NaN' : `must be a number, got ${String(v)}`);
    }
    out[offset + k] = v;
  }
  let total = 0;
  if (e.violations) {
    for (let c = 0; c < e.violations.length; c++) {
      const v = e.violations[c]!;
      if (typeof v !== 'number' || Number.isNaN(v)) throw new ModelError(`evaluate(x #${individual}).violations[${c}]`, 'is NaN');
      if (v > 0) total += v;
    }
  }
  return total;
}
