import { checkMemory, checkModelShape, runStepsAsync, SolveRun, type Graph, type Result, type Steps, type UnsolvedResult } from '@emplace/core';
import { checkSpectralOptions, type EigenMethod, type RitzReport } from './eigensolver.js';
import { laplacianFiedler, laplacianFiedlerSteps, type FiedlerPair } from './fiedler.js';
import { laplacianSteps } from './laplacian.js';
import { recursivePartitionSteps, type KWayOptions, type KWayPartition } from './partition.js';
import { RESOLVABLE_WEIGHT_RANGE, rescaleWeightsSteps } from './rescale.js';

/**
 * The Laplacian (CSR values and columns, twice per edge, plus a scaled copy), the
 * eigensolver's blocks (about 40 vectors of n) and the dense fallback for small graphs.
 */
function guardSpectralMemory(g: Graph, method: string, options: { maxMemoryBytes?: number | undefined; method?: string | undefined }): void {
  if (g === null || typeof g !== 'object' || !Number.isFinite(g.n) || !Number.isFinite(g.m)) return;
  // The dense oracle holds the matrix, its eigenvectors and the QL copy: three n x n arrays.
  const dense = g.n <= 48 || options.method === 'dense' ? g.n * g.n * 8 * 3 : 0;
  checkMemory(method, `a graph of ${g.n} nodes and ${g.m} edges`, g.m * 2 * 24 + g.n * 8 * 40 + dense, options);
}

/** What `solveFiedler` returns as the solution of the Result envelope. */
export interface FiedlerSolution extends Pick<FiedlerPair, 'laplacian' | 'lambda2' | 'vector' | 'residual' | 'relativeResidual' | 'normL' | 'connected'> {
  componentCount: number;
  /** component[v] when the graph is disconnected (lambda2 = 0 exactly). */
  component?: Int32Array;
  ids: readonly string[];
}

/**
 * The Fiedler pair in the emplace Result envelope (family 'fiedler', method in
 * options.method): objective = lambda2 (the Rayleigh quotient of the returned vector),
 * status `optimal` for the dense oracle and for disconnected graphs (lambda2 = 0
 * exactly), `feasible` for LOBPCG (converged to the residual tolerance; stats.residual
 * says how close). Yields to the event loop every 10 ms, so an abort is seen in-thread; a
 * stopped run answers at once: when LOBPCG had not formed the residual of the returned
 * vector it is not computed (solution.residual NaN, no stats.residual, a warning says so).
 */
export async function solveFiedler(input: Graph, options: Parameters<typeof laplacianFiedler>[1] = {}): Promise<Result<FiedlerSolution>> {
  const shapeMs = timedShapeCheck(input);
  checkSpectralOptions(options);
  const run = new SolveRun(options, `fiedler:${options.method ?? 'auto'}`, 'min');
  return runStepsAsync(solveFiedlerSteps(input, options, run, shapeMs), run);
}

/**
 * checkModelShape, timed. A method-table entry has already run it (and yielded); called
 * directly (fuzz finding F5) this is the only check. On a graph of a million edges it scans
 * for 5-16 ms: the solver then gives the event loop a turn before its own first pass over
 * the weights (`rescaleWeights`), so the two are not one stretch (issue 13).
 */
function timedShapeCheck(input: Graph): number {
  const t = performance.now();
  checkModelShape(input);
  return performance.now() - t;
}

/** A long shape check is its own stretch: a yield before the first pass over the input. */
const SHAPE_YIELD_MS = 2;

function* solveFiedlerSteps(input: Graph, options: Parameters<typeof laplacianFiedler>[1], run: SolveRun, shapeMs: number): Steps<Result<FiedlerSolution>> {
  const method: EigenMethod = options.method ?? 'auto';
  guardSpectralMemory(input, `fiedler:${method}`, options);
  if (shapeMs >= SHAPE_YIELD_MS) yield;
  const { graph: g, scale: weightScale, range, rangeText, unscale } = yield* rescaleWeightsSteps(input);
  if (g !== input) yield; // a rescaled copy was made: O(m)
  const kind = options.laplacian ?? 'combinatorial';
  const lap = yield* laplacianSteps(g, kind, run);
  if (!lap) return stoppedInSetup(run, g, 'the Laplacian build');
  // Combinatorial eigenvalues scale with the weights; the normalized ones do not.
  const back = kind === 'combinatorial' ? unscale : (x: number) => x;
  // LOBPCG's current vector goes to options.onIncumbent (a pool returns it if it kills the worker).
  const report: RitzReport | undefined = run.options.onIncumbent
    ? (value, vector, residual, normL) =>
        run.incumbent(back(value), () => ({
          laplacian: kind,
          lambda2: back(value),
          vector,
          residual: back(residual),
          relativeResidual: normL > 0 ? residual / normL : residual,
          normL: back(normL),
          connected: true,
          componentCount: 1,
          ids: g.ids,
        }) satisfies FiedlerSolution)
    : undefined;
  const f = yield* laplacianFiedlerSteps(lap, options, run, report);
  if (!f) return stoppedInSetup(run, g, method === 'dense' ? 'the dense eigensolver' : 'the eigensolver setup (components, ordering, preconditioner)');
  f.lambda2 = back(f.lambda2);
  f.residual = back(f.residual);
  f.normL = back(f.normL);
  const solution: FiedlerSolution = {
    laplacian: f.laplacian,
    lambda2: f.lambda2,
    vector: f.vector,
    residual: f.residual,
    relativeResidual: f.relativeResidual,
    normL: f.normL,
    connected: f.connected,
    componentCount: f.components.count,
    ids: g.ids,
  };
  if (!f.connected) solution.component = f.components.component;
  const warnings: string[] = [];
  const resolvable = range <= RESOLVABLE_WEIGHT_RANGE;
  if (!resolvable) warnings.push(`edge weights span a factor ${rangeText} (> ${RESOLVABLE_WEIGHT_RANGE.toExponential(0)}): lambda2 is below the float64 resolution of the largest eigenvalue, so it is not proven`);
  const exact = (f.method === 'dense' || f.method === 'components') && resolvable;
  const residualKnown = Number.isFinite(f.residual);
  if (!residualKnown) warnings.push(`stopped (${run.stoppedBy()}) before the residual of the returned vector was formed: residual not computed`);
  else if (!f.converged) warnings.push(`not converged: relative residual ${f.relativeResidual.toExponential(2)} above the tolerance ${(options.tolerance ?? 1e-10).toExponential(0)}`);
  return run.solved({
    solution,
    objective: f.lambda2,
    proven: exact,
    guarantee: exact ? { kind: 'exact' } : { kind: 'heuristic' },
    iterations: f.iterations,
    stats: {
      eigenMethod: f.method,
      ...(residualKnown ? { residual: f.residual, relativeResidual: f.relativeResidual } : {}),
      normL: f.normL,
      matvecs: f.matvecs,
      converged: f.converged,
      components: f.components.count,
      nodes: g.n,
      edges: g.m,
      ...(weightScale !== 1 ? { weightScale } : {}),
    },
    warnings,
  });
}

/** The envelope of a run stopped (time limit, signal) before it had a first vector or cut: no solution. */
export function stoppedInSetup(run: SolveRun, g: Graph, phase: string): UnsolvedResult {
  return run.unsolved({
    status: 'no-solution',
    guarantee: { kind: 'heuristic' },
    stats: { nodes: g.n, edges: g.m },
    warnings: [`stopped (${run.stoppedBy()}) during ${phase}, before a first approximation`],
  });
}

/** What `solvePartition` returns: the k-way partition (without its split log) and the node ids. */
export interface PartitionSolution extends Omit<KWayPartition, 'splits'> {
  ids: readonly string[];
}

/**
 * Spectral partitioning in the Result envelope: objective = conductance of the cut for
 * k = 2, the largest part conductance for k > 2 (recomputed from the graph). For k = 2
 * with the dense oracle, bound = lambda2 / 2 (Cheeger's lower bound on the optimal
 * conductance, proven).
 */
export async function solvePartition(input: Graph, options: KWayOptions = {}): Promise<Result<PartitionSolution>> {
  const shapeMs = timedShapeCheck(input);
  const run = new SolveRun(options, 'partition:spectral', 'min');
  guardSpectralMemory(input, 'partition:spectral', options);
  // Conductances do not depend on a common weight factor; the cut weight does.
  const { g, unscale, p } = await runStepsAsync(rescaledPartitionSteps(input, options, run, shapeMs), run);
  if (!p) return stoppedInSetup(run, g, 'the first bisection (Laplacian, Fiedler vector)');
  p.cutWeight = unscale(p.cutWeight);
  if (p.cheeger && options.laplacian === 'combinatorial') p.cheeger.lambda2 = unscale(p.cheeger.lambda2);
  const solution: PartitionSolution = {
    part: p.part,
    parts: p.parts,
    sizes: p.sizes,
    cutWeight: p.cutWeight,
    conductances: p.conductances,
    maxConductance: p.maxConductance,
    balance: p.balance,
    ids: g.ids,
  };
  if (p.cheeger) solution.cheeger = p.cheeger;
  if (p.completedBy) solution.completedBy = p.completedBy;
  const warnings = p.completedBy ? [`stopped (${run.stoppedBy()}) after ${p.splits.length} bisection(s): the last ${p.completedBy} part(s) were made by halving the largest parts in node order`] : [];
  const bound = p.parts === 2 && p.cheeger && options.method === 'dense' ? p.cheeger.lower : undefined;
  return run.solved({
    solution,
    objective: p.maxConductance,
    ...(bound !== undefined ? { bound } : {}),
    guarantee: { kind: 'heuristic' },
    iterations: p.splits.length,
    stats: {
      parts: p.parts,
      cutWeight: p.cutWeight,
      balance: p.balance,
      ...(p.cheeger ? { cheegerLower: p.cheeger.lower, cheegerUpper: p.cheeger.upper, lambda2: p.cheeger.lambda2 } : {}),
    },
    warnings,
  });
}

/** The weights rescaled (after a yield when the shape check was long), then the recursive partition of the rescaled graph. */
function* rescaledPartitionSteps(input: Graph, options: KWayOptions, run: SolveRun, shapeMs: number): Steps<{ g: Graph; unscale: (x: number) => number; p: KWayPartition | undefined }> {
  if (shapeMs >= SHAPE_YIELD_MS) yield;
  const { graph: g, unscale } = yield* rescaleWeightsSteps(input);
  if (g !== input) yield; // a rescaled copy was made: O(m)
  return { g, unscale, p: yield* recursivePartitionSteps(g, options, run) };
}
