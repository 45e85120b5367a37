import { ModelError, SolveRun, type Result, type SolveOptions } from '@emplace/core';
import { LinearModel, solveLp, type LpOptions } from '@emplace/lp';

/** One optimal point of a scalarised subproblem. */
export interface ScalarPoint<S> {
  solution: S;
  /** [f1, f2], both minimised, recomputed by the caller from the solution. */
  objectives: [number, number];
}

/**
 * min f1 subject to f2 <= epsilon (a caller-supplied single-objective solver): the
 * optimum, or `null` when infeasible. It must be exact for the front to be exact.
 */
export type EpsilonSolver<S> = (epsilon: number) => Promise<ScalarPoint<S> | null> | ScalarPoint<S> | null;

export interface EpsilonConstraintOptions extends SolveOptions {
  /**
   * The largest f2 value worth trying strictly below `f2` (for integer f2: `f2 - 1`;
   * for a finite set of achievable values: the next smaller one), or undefined when none.
   * Default: `f2 - step`.
   */
  nextBelow?: (f2: number) => number | undefined;
  /** Step of the default `nextBelow`. Default 1 (integer objectives). */
  step?: number;
  /** First epsilon. Default Infinity (unconstrained f2). */
  start?: number;
  /** Maximum number of subproblem solves. Default 10,000. */
  maxSolves?: number;
  /** Tolerance when comparing f1 values. Default 1e-9 relative. */
  tolerance?: number;
}

export interface ExactFront<S> {
  points: ScalarPoint<S>[];
  /** Subproblems solved. */
  solves: number;
  /** True when the enumeration ran to the end (every epsilon down to infeasibility). */
  complete: boolean;
}

/**
 * The epsilon-constraint method for two minimised objectives (Haimes et al. 1971;
 * Mavrotas 2009 for the augmented variant): solve min f1 s.t. f2 <= eps, then tighten
 * eps below the f2 just reached, until the subproblem becomes infeasible. With an exact
 * solver and a `nextBelow` that skips no achievable f2 value, the returned points are
 * exactly the Pareto front (one solution per non-dominated objective vector), sorted by
 * f2 descending (f1 ascending). A point is reported only after the next solve shows f1
 * strictly worse below its f2, so weakly dominated points never appear; a solver that
 * already minimises f2 among the f1-optimal solutions (AUGMECON, lexicographic) saves the
 * extra solves.
 */
export async function epsilonConstraint<S>(solver: EpsilonSolver<S>, options: EpsilonConstraintOptions = {}): Promise<Result<ExactFront<S>>> {
  const run = new SolveRun(options, 'pareto:epsilon-constraint', 'min');
  const step = options.step ?? 1;
  if (options.nextBelow === undefined && !(step > 0)) throw new ModelError('options.step', `must be positive, got ${step}`);
  const nextBelow = options.nextBelow ?? ((f2: number) => f2 - step);
  const maxSolves = options.maxSolves ?? 10000;
  const tol = options.tolerance ?? 1e-9;
  const points: ScalarPoint<S>[] = [];
  let eps: number | undefined = options.start ?? Infinity;
  let solves = 0;
  let complete = false;
  let pending: ScalarPoint<S> | undefined;
  while (eps !== undefined) {
    if (run.shouldStop()) break;
    if (solves >= maxSolves) {
      run.hitIterationLimit();
      break;
    }
    const r = await solver(eps);
    solves++;
    if (r === null) {
      complete = true;
      break;
    }
    const [f1, f2] = r.objectives;
    if (!Number.isFinite(f1) || !Number.isFinite(f2)) throw new ModelError('solver(epsilon).objectives', `must be finite, got [${f1}, ${f2}] at epsilon ${eps}`);
    if (f2 > eps + Math.abs(eps) * 1e-12 + 1e-12) throw new ModelError('solver(epsilon).objectives[1]', `is ${f2}, above epsilon ${eps}: the solver ignored the constraint`);
    if (pending) {
      // The tighter solve reached the same f1: the pending point was only weakly non-dominated.
      if (f1 <= pending.objectives[0] + tol * Math.max(1, Math.abs(f1))) {
        // drop it
      } else points.push(pending);
      pending = undefined;
    }
    // A point is kept only once the next, tighter solve confirms that f1 gets strictly
    // worse below its f2 (else it is weakly dominated and replaced).
    pending = r;
    // No `incumbent`: a point's f1 is not the Result objective (the number of points here, the
    // hypervolume in placementFront), and a progress incumbent is read as that objective.
    run.progress({ phase: 'epsilon-constraint', iterations: solves, message: `point (${f1}, ${f2}), epsilon ${eps}` });
    eps = nextBelow(f2);
    if (eps === undefined) complete = true;
  }
  if (pending) points.push(pending);
  const stats = { solves, points: points.length, complete };
  const front: ExactFront<S> = { points, solves, complete };
  if (points.length === 0) {
    if (complete) return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, iterations: solves, stats, certificate: { reason: 'the unconstrained subproblem (epsilon = start) is infeasible' } });
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, iterations: solves, stats });
  }
  // The scalar objective of the envelope: the number of front points (what was enumerated).
  return run.solved({ solution: front, objective: points.length, proven: complete, guarantee: { kind: 'exact' }, iterations: solves, stats });
}

/** A linear objective over a LinearModel's columns. */
export interface LinearObjective {
  indices: ArrayLike<number>;
  coefs: ArrayLike<number>;
  offset?: number;
}

export interface LinearEpsilonOptions extends EpsilonConstraintOptions {
  /** AUGMECON slack reward (see augmentationDelta). Default true. */
  augmented?: boolean;
  /** Backend options for each subproblem. */
  lp?: LpOptions;
  /**
   * AUGMECON (Mavrotas 2009): add a slack s with f2 + s = eps and reward it by
   * `delta * s / range2` in the objective, so each solve returns a point with minimal f2
   * among the f1-optimal ones. Default 1e-3: exact when distinct f1 values differ by at
   * least 1 (integer objectives); scale it down for finer f1.
   */
  augmentationDelta?: number;
}

/**
 * Epsilon-constraint for integer linear programs through @emplace/lp: `build()` returns
 * a fresh LinearModel holding the constraints (variables and rows); f1 and f2 are linear
 * objectives over its columns. Default `nextBelow` is f2 - step (integer f2), so the
 * whole front is enumerated when f2 takes integer values.
 */
export async function linearEpsilonConstraint(
  build: () => LinearModel,
  f1: LinearObjective,
  f2: LinearObjective,
  options: LinearEpsilonOptions = {},
): Promise<Result<ExactFront<Float64Array>>> {
  const augmented = options.augmented ?? true;
  const delta = options.augmentationDelta ?? 1e-3;
  const evalObj = (o: LinearObjective, x: Float64Array): number => {
    let s = o.offset ?? 0;
    for (let t = 0; t < o.indices.length; t++) s += o.coefs[t]! * x[o.indices[t]!]!;
    return s;
  };
  const baseColumns = build().numVariables;
  // f2's range for scaling the augmentation: its ideal and its value at f1's optimum.
  let range2 = 1;
  if (augmented) {
    const lo = await solveObjective(build, f2, options.lp);
    const atF1 = await solveObjective(build, f1, options.lp);
    if (lo && atF1) range2 = Math.max(1e-9, evalObj(f2, atF1) - evalObj(f2, lo));
  }
  const solver: EpsilonSolver<Float64Array> = async (eps) => {
    const model = build();
    for (let t = 0; t < f1.indices.length; t++) model.setObjective(f1.indices[t]!, f1.coefs[t]!);
    if (Number.isFinite(eps)) {
      const rhs = eps - (f2.offset ?? 0);
      if (augmented) {
        // f2 + s = eps, s >= 0; objective f1 - delta * s / range2 (ties in f1 broken towards small f2).
        const s = model.addVariable({ lb: 0, obj: -delta / range2 });
        model.addEq([...Array.from(f2.indices), s], [...Array.from(f2.coefs), 1], rhs, 'epsilon');
      } else model.addLe(f2.indices, f2.coefs, rhs, 'epsilon');
    }
    const sol = await solveLp(model, options.lp ?? {});
    if (sol.status === 'infeasible') return null;
    if (sol.status !== 'optimal') throw new ModelError('build()', `subproblem at epsilon ${eps} ended ${sol.status} (${sol.stoppedBy}): the front cannot be certified`);
    const x = sol.solution.x.slice(0, baseColumns);
    return { solution: x, objectives: [evalObj(f1, x), evalObj(f2, x)] };
  };
  return epsilonConstraint(solver, options);
}

async function solveObjective(build: () => LinearModel, f: LinearObjective, lp: LpOptions | undefined): Promise<Float64Array | undefined> {
  const model = build();
  for (let t = 0; t < f.indices.length; t++) model.setObjective(f.indices[t]!, f.coefs[t]!);
  const sol = await solveLp(model, lp ?? {});
  return sol.status === 'optimal' ? sol.solution.x : undefined;
}
