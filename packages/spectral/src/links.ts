import { ModelError, SolveRun, createGraph, describe, type Graph } from '@emplace/core';
import { checkSpectralOptions, requireTwoNodes, type SpectralOptions } from './eigensolver.js';
import { laplacianFiedler } from './fiedler.js';
import { laplacian } from './laplacian.js';

export interface LinkAdditionOptions extends SpectralOptions {
  /** Weight of each added link (default 1). */
  weight?: number;
  /** Candidate links [u, v] (node indices); default: every non-edge when n <= 1500, else the non-edges among the 256 nodes at each end of the Fiedler vector. */
  candidates?: readonly (readonly [number, number])[];
}

export interface AddedLink {
  u: number;
  v: number;
  /** Node ids of the ends. */
  ids: [string, string];
  /** w (v_u - v_v)^2: the first-order increase of lambda2 predicted by the Fiedler vector. */
  predictedGain: number;
  lambda2Before: number;
  lambda2After: number;
}

export interface LinkAddition {
  links: AddedLink[];
  lambda2Initial: number;
  /** lambda2 of the final graph, recomputed from scratch (cold start), not carried over. */
  lambda2Final: number;
  /** True when the recomputation agrees with the last warm-started solve to within the tolerance. */
  verified: boolean;
  /** The graph with the links added. */
  graph: Graph;
}

/**
 * Greedy link addition for algebraic connectivity (Ghosh & Boyd 2006): adding edge {i, j}
 * of weight w raises lambda2 by about w (v_i - v_j)^2 (first-order perturbation of a
 * simple eigenvalue), so each step adds the candidate non-edge maximising that score,
 * then re-solves the Fiedler pair warm-started from the previous vector. The final
 * lambda2 is recomputed cold to verify the chain. On a disconnected graph the first links
 * join components (each such link raises the multiplicity-count of zero eigenvalues down).
 */
export function addLinksForConnectivity(g: Graph, k: number, options: LinkAdditionOptions = {}, run?: SolveRun): LinkAddition {
  checkSpectralOptions(options);
  laplacian(g);
  requireTwoNodes(g);
  if (!Number.isInteger(k) || k < 0) throw new ModelError('k', `must be a non-negative integer, got ${describe(k)}`);
  const weight = options.weight ?? 1;
  if (!(weight > 0) || !Number.isFinite(weight)) throw new ModelError('options.weight', `must be a positive finite number, got ${describe(weight)}`);
  const r = run ?? new SolveRun(options, 'fiedler:link-addition', 'max');
  const n = g.n;
  const existing = new Set<number>();
  for (let e = 0; e < g.m; e++) existing.add(key(g.edgeU[e]!, g.edgeV[e]!, n));
  const U = Array.from(g.edgeU);
  const V = Array.from(g.edgeV);
  const W = Array.from(g.edgeW);
  const solveOptions: SpectralOptions = { ...options, laplacian: options.laplacian ?? 'combinatorial' };
  let current = g;
  let f = laplacianFiedler(laplacian(current, solveOptions.laplacian), solveOptions, r);
  const lambda2Initial = f.lambda2;
  const links: AddedLink[] = [];
  const given = options.candidates;
  if (given) {
    given.forEach(([a, b], t) => {
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n || a === b) {
        throw new ModelError(`options.candidates[${t}]`, `must be two distinct node indices in [0, ${n}), got [${describe(a)}, ${describe(b)}]`);
      }
    });
  }
  for (let step = 0; step < k && !r.shouldStop(); step++) {
    let score: Float64Array = f.vector;
    if (!f.connected) {
      // lambda2 = 0: link component 0 to another component (any such link helps).
      score = new Float64Array(n);
      for (let i = 0; i < n; i++) score[i] = f.components.component[i] === 0 ? 1 : 0;
    }
    const best = bestCandidate(score, existing, n, given, solveOptions.laplacian === 'normalized' ? laplacian(current).degrees : undefined);
    if (!best) break;
    const [a, b, gain] = best;
    existing.add(key(a, b, n));
    U.push(a);
    V.push(b);
    W.push(weight);
    current = createGraph({ nodes: g.ids, edges: { u: U, v: V, w: W } });
    const before = f.lambda2;
    f = laplacianFiedler(laplacian(current, solveOptions.laplacian), { ...solveOptions, initial: [f.vector] }, r);
    links.push({ u: a, v: b, ids: [g.ids[a]!, g.ids[b]!], predictedGain: weight * gain, lambda2Before: before, lambda2After: f.lambda2 });
    r.progress({ phase: 'link-addition', incumbent: f.lambda2, iterations: step + 1 });
  }
  const cold = laplacianFiedler(laplacian(current, solveOptions.laplacian), { ...solveOptions, initial: undefined }, new SolveRun({ ...options, seed: (options.seed ?? 1) + 7919 }, 'fiedler:verify', 'min'));
  const tol = Math.max(1e-9 * Math.abs(cold.lambda2), 10 * (cold.residual + f.residual));
  return { links, lambda2Initial, lambda2Final: cold.lambda2, verified: Math.abs(cold.lambda2 - f.lambda2) <= tol, graph: current };
}

function key(a: number, b: number, n: number): number {
  return a < b ? a * n + b : b * n + a;
}

/** The candidate non-edge of largest (s_i - s_j)^2 (scaled by D^-1/2 for the normalized Laplacian). */
function bestCandidate(
  vec: Float64Array,
  existing: Set<number>,
  n: number,
  given: readonly (readonly [number, number])[] | undefined,
  degrees: Float64Array | undefined,
): [number, number, number] | undefined {
  const s = degrees ? Float64Array.from(vec, (x, i) => (degrees[i]! > 0 ? x / Math.sqrt(degrees[i]!) : x)) : vec;
  let best: [number, number, number] | undefined;
  const consider = (a: number, b: number): void => {
    if (a === b || existing.has(key(a, b, n))) return;
    const d = s[a]! - s[b]!;
    const gain = d * d;
    if (!best || gain > best[2] + 1e-15 || (Math.abs(gain - best[2]) <= 1e-15 && key(a, b, n) < key(best[0], best[1], n))) best = [Math.min(a, b), Math.max(a, b), gain];
  };
  if (given) {
    for (const [a, b] of given) consider(a, b);
    return best;
  }
  if (n <= 1500) {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) consider(a, b);
    return best;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a]! - s[b]! || a - b);
  const t = Math.min(256, Math.floor(n / 2));
  for (let x = 0; x < t; x++) for (let y = n - t; y < n; y++) consider(order[x]!, order[y]!);
  return best;
}
