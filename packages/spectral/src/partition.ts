import { ModelError, runSteps, SolveRun, describe, type Graph, type Steps } from '@emplace/core';
import { inducedSubgraph } from './subgraph.js';
import type { SpectralOptions } from './eigensolver.js';
import { checkSpectralOptions, requireTwoNodes } from './eigensolver.js';
import { laplacianFiedlerSteps } from './fiedler.js';
import { laplacian, type LaplacianKind } from './laplacian.js';
import { cutQuality, sweepCut, type CutQuality } from './sweep.js';

export interface BisectionOptions extends SpectralOptions {
  /** Where to split the sorted Fiedler vector: least conductance (default), the median (equal halves), or at zero. */
  split?: 'conductance' | 'median' | 'zero' | undefined;
  /** Smallest side allowed by the conductance sweep (default 1). */
  minSize?: number | undefined;
}

/** Cheeger's inequality for the normalized Laplacian: lambda2 / 2 <= h(G) <= sqrt(2 lambda2). */
export interface CheegerInterval {
  lambda2: number;
  lower: number;
  upper: number;
}

export interface Bisection extends CutQuality {
  /** lambda2 of the Laplacian used (normalized by default). */
  lambda2: number;
  laplacian: LaplacianKind;
  /** Present with the normalized Laplacian: the interval that contains the graph's conductance h(G). */
  cheeger?: CheegerInterval;
  fiedlerResidual: number;
  eigenMethod: string;
}

/**
 * Spectral bisection: the Fiedler vector of the normalized Laplacian (default; the
 * combinatorial one on request), scaled by D^-1/2, swept for the least-conductance
 * prefix. On a disconnected graph the cut separates component 0 (conductance 0).
 */
export function spectralBisection(g: Graph, options: BisectionOptions = {}, run?: SolveRun): Bisection {
  return runSteps(spectralBisectionSteps(g, options, run ?? new SolveRun(options, 'partition:spectral', 'min')));
}

/** `spectralBisection` as steps (the Fiedler solve's checkpoints). */
export function* spectralBisectionSteps(g: Graph, options: BisectionOptions, r: SolveRun): Steps<Bisection> {
  checkSpectralOptions(options);
  const kind = options.laplacian ?? 'normalized';
  const lap = laplacian(g, kind);
  requireTwoNodes(g);
  const split = options.split ?? 'conductance';
  if (!['conductance', 'median', 'zero'].includes(split)) throw new ModelError('options.split', `must be 'conductance', 'median' or 'zero', got ${describe(split)}`);
  yield;
  const f = yield* laplacianFiedlerSteps(lap, { ...options, laplacian: kind }, r);
  let cut: CutQuality;
  if (!f.connected) {
    const side = new Uint8Array(g.n);
    for (let i = 0; i < g.n; i++) side[i] = f.components.component[i] === 0 ? 1 : 0;
    cut = cutQuality(lap, side);
  } else {
    const score = new Float64Array(g.n);
    for (let i = 0; i < g.n; i++) score[i] = kind === 'normalized' ? f.vector[i]! / Math.sqrt(lap.degrees[i]!) : f.vector[i]!;
    if (split === 'conductance') cut = sweepCut(lap, score, options.minSize ?? 1);
    else {
      const order = Array.from({ length: g.n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
      const side = new Uint8Array(g.n);
      if (split === 'median') for (let t = 0; t < Math.floor(g.n / 2); t++) side[order[t]!] = 1;
      else for (let i = 0; i < g.n; i++) side[i] = score[i]! < 0 ? 1 : 0;
      cut = cutQuality(lap, side);
    }
  }
  const out: Bisection = { ...cut, lambda2: f.lambda2, laplacian: kind, fiedlerResidual: f.residual, eigenMethod: f.method };
  if (kind === 'normalized') out.cheeger = { lambda2: f.lambda2, lower: f.lambda2 / 2, upper: Math.sqrt(2 * f.lambda2) };
  return out;
}

export interface KWayOptions extends BisectionOptions {
  /** Number of parts (default 2). */
  k?: number | undefined;
}

export interface KWayPartition {
  /** part[v] in 0..parts-1. */
  part: Int32Array;
  parts: number;
  sizes: Int32Array;
  /** Total weight of edges whose ends are in different parts. */
  cutWeight: number;
  /** Conductance of each part in the whole graph. */
  conductances: Float64Array;
  /** max over parts of their conductance (the k-way conductance of the partition). */
  maxConductance: number;
  /** min part size / max part size. */
  balance: number;
  /** The bisections made, in order: which part was split, its conductance within that part, lambda2 of the part. */
  splits: { part: number; size: number; conductance: number; lambda2: number }[];
  /** Cheeger interval of the whole graph (normalized Laplacian), from the first split. */
  cheeger?: CheegerInterval;
}

/**
 * Recursive spectral partitioning into k parts: repeatedly bisect (least-conductance
 * sweep of the part's own Fiedler vector) the part of largest volume, until k parts.
 * Disconnected parts are split along their components first (conductance 0).
 */
export function recursivePartition(g: Graph, options: KWayOptions = {}, run?: SolveRun): KWayPartition {
  return runSteps(recursivePartitionSteps(g, options, run ?? new SolveRun(options, 'partition:spectral', 'min')));
}

/** `recursivePartition` as steps: checkpoints inside every bisection. */
export function* recursivePartitionSteps(g: Graph, options: KWayOptions, r: SolveRun): Steps<KWayPartition> {
  checkSpectralOptions(options);
  const k = options.k ?? 2;
  if (!Number.isInteger(k) || k < 1) throw new ModelError('options.k', `must be a positive integer, got ${describe(k)}`);
  laplacian(g, 'combinatorial'); // validates the graph
  requireTwoNodes(g);
  if (k > g.n) throw new ModelError('options.k', `is ${k}, more parts than the ${g.n} nodes`);
  const part = new Int32Array(g.n);
  const splits: KWayPartition['splits'] = [];
  const deg = new Float64Array(g.n);
  for (let e = 0; e < g.m; e++) {
    deg[g.edgeU[e]!]! += g.edgeW[e]!;
    deg[g.edgeV[e]!]! += g.edgeW[e]!;
  }
  let parts = 1;
  let cheeger: CheegerInterval | undefined;
  const bisectOptions: BisectionOptions = { ...options };
  while (parts < k && !r.shouldStop()) {
    // The splittable part of largest volume (ties: more nodes).
    const vol = new Float64Array(parts);
    const size = new Int32Array(parts);
    for (let v = 0; v < g.n; v++) {
      vol[part[v]!]! += deg[v]!;
      size[part[v]!]!++;
    }
    let target = -1;
    for (let p = 0; p < parts; p++) {
      if (size[p]! < 2) continue;
      if (target < 0 || vol[p]! > vol[target]! || (vol[p] === vol[target] && size[p]! > size[target]!)) target = p;
    }
    if (target < 0) break;
    const nodes: number[] = [];
    for (let v = 0; v < g.n; v++) if (part[v] === target) nodes.push(v);
    const sub = inducedSubgraph(g, nodes);
    yield;
    const b = yield* spectralBisectionSteps(sub, bisectOptions, r);
    if (parts === 1 && b.cheeger) cheeger = b.cheeger;
    for (let t = 0; t < nodes.length; t++) if (b.side[t]) part[nodes[t]!] = parts;
    splits.push({ part: target, size: nodes.length, conductance: b.conductance, lambda2: b.lambda2 });
    parts++;
  }
  return { ...kWayQuality(g, part, parts), splits, ...(cheeger ? { cheeger } : {}) };
}

/** Sizes, cut weight, part conductances and balance of a k-way assignment, recomputed from g. */
export function kWayQuality(g: Graph, part: Int32Array, parts: number): Omit<KWayPartition, 'splits' | 'cheeger'> {
  const sizes = new Int32Array(parts);
  const vol = new Float64Array(parts);
  const cutOf = new Float64Array(parts);
  for (let v = 0; v < g.n; v++) sizes[part[v]!]!++;
  let cutWeight = 0;
  for (let e = 0; e < g.m; e++) {
    const w = g.edgeW[e]!;
    const a = part[g.edgeU[e]!]!;
    const b = part[g.edgeV[e]!]!;
    vol[a]! += w;
    vol[b]! += w;
    if (a !== b) {
      cutWeight += w;
      cutOf[a]! += w;
      cutOf[b]! += w;
    }
  }
  const conductances = new Float64Array(parts);
  let maxConductance = 0;
  for (let p = 0; p < parts; p++) {
    // The complement's volume is summed, not taken as total - vol[p]: the subtraction
    // cancels to 0 when the part's volume is tiny next to the rest (weights 1 and 1e308).
    let rest = 0;
    for (let q = 0; q < parts; q++) if (q !== p) rest += vol[q]!;
    const d = Math.min(vol[p]!, rest);
    conductances[p] = d > 0 ? cutOf[p]! / d : cutOf[p]! > 0 ? Infinity : 0;
    maxConductance = Math.max(maxConductance, conductances[p]!);
  }
  let mn = Infinity;
  let mx = 0;
  for (let p = 0; p < parts; p++) {
    mn = Math.min(mn, sizes[p]!);
    mx = Math.max(mx, sizes[p]!);
  }
  return { part, parts, sizes, cutWeight, conductances, maxConductance, balance: mx > 0 ? mn / mx : 0 };
}
