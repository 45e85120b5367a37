import { ModelError, runSteps, SolveRun, describe, type Graph, type Steps } from '@emplace/core';
import { inducedLaplacianSteps } from './subgraph.js';
import type { SpectralOptions } from './eigensolver.js';
import { checkSpectralOptions, requireTwoNodes, stoppedBeforeStart } from './eigensolver.js';
import { laplacianFiedlerSteps, type FiedlerPair } from './fiedler.js';
import { laplacianSteps, type LaplacianKind, type SparseLaplacian } from './laplacian.js';
import { chunkedSteps, yieldOnly, type Checkpoints } from './chunks.js';
import { argsortSteps, cutQualitySteps, sweepCutSteps, type CutQuality } from './sweep.js';

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
  const r = run ?? new SolveRun(options, 'partition:spectral', 'min');
  return stoppedBeforeStart(runSteps(spectralBisectionSteps(g, options, r)), r);
}

/** `spectralBisection` as steps (the Laplacian build's and the Fiedler solve's checkpoints); undefined when the run stops before a first vector. */
export function* spectralBisectionSteps(g: Graph, options: BisectionOptions, r: SolveRun): Steps<Bisection | undefined> {
  checkSpectralOptions(options);
  const kind = options.laplacian ?? 'normalized';
  const lap = yield* laplacianSteps(g, kind, r);
  requireTwoNodes(g);
  checkSplit(options);
  return lap ? yield* bisectLaplacianSteps(lap, options, r) : undefined;
}

function checkSplit(options: BisectionOptions): void {
  const split = options.split ?? 'conductance';
  if (!['conductance', 'median', 'zero'].includes(split)) throw new ModelError('options.split', `must be 'conductance', 'median' or 'zero', got ${describe(split)}`);
}

/**
 * The bisection of a Laplacian's graph. When the run has stopped by the time the Fiedler
 * vector is back (its current approximation), the cut is made at zero (O(n)) instead of
 * by a sweep, so that an abort is answered at once with a valid cut.
 */
function* bisectLaplacianSteps(lap: SparseLaplacian, options: BisectionOptions, r: SolveRun): Steps<Bisection | undefined> {
  const b = yield* bisectSideSteps(lap, options, r);
  if (!b) return undefined;
  return bisectionOf(lap.kind, b.f, b.quality ?? (yield* cutQualitySteps(lap, b.side, r)));
}

/** A bisection's side with its Fiedler pair; `quality` when choosing the side computed it (the sweeps do, the zero and component splits do not). */
interface SideChoice {
  side: Uint8Array;
  quality?: CutQuality | undefined;
  f: FiedlerPair;
}

function bisectionOf(kind: LaplacianKind, f: FiedlerPair, cut: CutQuality): Bisection {
  const out: Bisection = { ...cut, lambda2: f.lambda2, laplacian: kind, fiedlerResidual: f.residual, eigenMethod: f.method };
  if (kind === 'normalized') out.cheeger = cheegerOf(f);
  return out;
}

function cheegerOf(f: FiedlerPair): CheegerInterval {
  return { lambda2: f.lambda2, lower: f.lambda2 / 2, upper: Math.sqrt(2 * f.lambda2) };
}

/**
 * The side of a Laplacian's bisection, without the extra pass over its entries that the
 * quality of a zero or component split costs: a caller that recomputes the quality from
 * the graph anyway (a two-way partition) skips it, which halves the work between a stop
 * and the answer.
 */
function* bisectSideSteps(lap: SparseLaplacian, options: BisectionOptions, r: SolveRun): Steps<SideChoice | undefined> {
  const n = lap.n;
  const kind = lap.kind;
  const f = yield* laplacianFiedlerSteps(lap, { ...options, laplacian: kind }, r);
  if (!f) return undefined;
  const split = r.shouldStop() ? 'zero' : (options.split ?? 'conductance');
  if (!f.connected) {
    const side = new Uint8Array(n);
    for (let i = 0; i < n; i++) side[i] = f.components.component[i] === 0 ? 1 : 0;
    return { side, f };
  }
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = kind === 'normalized' ? f.vector[i]! / Math.sqrt(lap.degrees[i]!) : f.vector[i]!;
  if (split === 'conductance') {
    const quality = yield* sweepCutSteps(lap, score, options.minSize ?? 1, r);
    if (quality) return { side: quality.side, quality, f };
  } else if (split === 'median') {
    const order = yield* argsortSteps(score, r);
    if (order) {
      const side = new Uint8Array(n);
      for (let t = 0; t < Math.floor(n / 2); t++) side[order[t]!] = 1;
      return { side, f };
    }
  }
  // The zero split, also when a sweep or sort was cut short by a stop.
  return { side: zeroSide(score), f };
}

/** The nodes of negative score; an empty side (a vector of one sign) falls back to the first half of the nodes. */
function zeroSide(score: Float64Array): Uint8Array {
  const n = score.length;
  const side = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (score[i]! < 0) (side[i] = 1), count++;
  if (count === 0 || count === n) for (let i = 0; i < n; i++) side[i] = i < n / 2 ? 1 : 0;
  return side;
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
  /** Parts made by halving (in node order) because the run stopped before their bisection. */
  completedBy?: number;
}

/**
 * Recursive spectral partitioning into k parts: repeatedly bisect (least-conductance
 * sweep of the part's own Fiedler vector) the part of largest volume, until k parts.
 * Disconnected parts are split along their components first (conductance 0).
 */
export function recursivePartition(g: Graph, options: KWayOptions = {}, run?: SolveRun): KWayPartition {
  const r = run ?? new SolveRun(options, 'partition:spectral', 'min');
  return stoppedBeforeStart(runSteps(recursivePartitionSteps(g, options, r)), r);
}

/**
 * `recursivePartition` as steps: checkpoints inside every bisection and sub-Laplacian
 * build. When the run stops after the first bisection, the parts still missing are made
 * by halving the largest parts in node order (a valid k-way partition, its conductances
 * honest, flagged in `completedBy`); undefined when it stops before the first one.
 */
export function* recursivePartitionSteps(g: Graph, options: KWayOptions, r: SolveRun): Steps<KWayPartition | undefined> {
  checkSpectralOptions(options);
  const k = options.k ?? 2;
  if (!Number.isInteger(k) || k < 1) throw new ModelError('options.k', `must be a positive integer, got ${describe(k)}`);
  checkSplit(options);
  // The whole graph's merged Laplacian (validates the graph); every part's is cut out of it.
  const base = yield* laplacianSteps(g, 'combinatorial', r);
  requireTwoNodes(g);
  if (k > g.n) throw new ModelError('options.k', `is ${k}, more parts than the ${g.n} nodes`);
  if (!base) return undefined;
  const kind = options.laplacian ?? 'normalized';
  const part = new Int32Array(g.n);
  const splits: KWayPartition['splits'] = [];
  let parts = 1;
  let cheeger: CheegerInterval | undefined;
  while (parts < k && !r.shouldStop()) {
    const target = largestSplittablePart(part, parts, base.degrees);
    if (target < 0) break;
    // Checkpoints between these O(n) passes (yields only: 12-20 ms on CPU in one piece with
    // the induced Laplacian's first pass on 400k nodes, issue 13); a stop is seen below.
    if (r.needsYield()) yield;
    const nodes = membersOf(part, target);
    if (r.needsYield()) yield;
    const lap = yield* inducedLaplacianSteps(base, nodes, kind, r);
    const b = lap ? yield* bisectSideSteps(lap, options, r) : undefined;
    if (!b || !lap) break;
    if (parts === 1 && kind === 'normalized') cheeger = cheegerOf(b.f);
    // The one split of a two-way partition is the whole graph's: its conductance is the
    // partition's, computed below from the graph; any other split's is within its part.
    const quality = b.quality ?? (k === 2 ? undefined : yield* cutQualitySteps(lap, b.side, r));
    for (let t = 0; t < nodes.length; t++) if (b.side[t]) part[nodes[t]!] = parts;
    splits.push({ part: target, size: nodes.length, conductance: quality ? quality.conductance : Number.NaN, lambda2: b.f.lambda2 });
    parts++;
  }
  if (parts < k && splits.length === 0 && k > 1) return undefined;
  const completedBy = parts < k ? k - parts : 0;
  for (; parts < k; parts++) {
    const target = largestSplittablePart(part, parts, base.degrees);
    if (target < 0) break;
    const nodes = membersOf(part, target);
    for (let t = Math.floor(nodes.length / 2); t < nodes.length; t++) part[nodes[t]!] = parts;
  }
  const quality = yield* kWayQualitySteps(g, part, parts, r);
  if (k === 2 && splits.length === 1 && Number.isNaN(splits[0]!.conductance)) splits[0]!.conductance = quality.maxConductance;
  return { ...quality, splits, ...(cheeger ? { cheeger } : {}), ...(completedBy > 0 ? { completedBy } : {}) };
}

/** The part of largest volume with at least two nodes (ties: more nodes), -1 if none. */
function largestSplittablePart(part: Int32Array, parts: number, degrees: Float64Array): number {
  const vol = new Float64Array(parts);
  const size = new Int32Array(parts);
  for (let v = 0; v < part.length; v++) {
    vol[part[v]!]! += degrees[v]!;
    size[part[v]!]!++;
  }
  let target = -1;
  for (let p = 0; p < parts; p++) {
    if (size[p]! < 2) continue;
    if (target < 0 || vol[p]! > vol[target]! || (vol[p] === vol[target] && size[p]! > size[target]!)) target = p;
  }
  return target;
}

function membersOf(part: Int32Array, target: number): Int32Array {
  let count = 0;
  for (let v = 0; v < part.length; v++) if (part[v] === target) count++;
  const nodes = new Int32Array(count);
  let t = 0;
  for (let v = 0; v < part.length; v++) if (part[v] === target) nodes[t++] = v;
  return nodes;
}

/** Sizes, cut weight, part conductances and balance of a k-way assignment, recomputed from g. */
export function kWayQuality(g: Graph, part: Int32Array, parts: number): Omit<KWayPartition, 'splits' | 'cheeger'> {
  return runSteps(kWayQualitySteps(g, part, parts));
}

/** The per-part sums of `kWayQuality`. */
interface PartSums {
  vol: Float64Array;
  cutOf: Float64Array;
  cutWeight: number;
}

/** `kWayQuality` in chunks of edges; it yields but always finishes (the sums run in edge order whatever the chunking). */
export function* kWayQualitySteps(g: Graph, part: Int32Array, parts: number, cp?: Checkpoints): Steps<Omit<KWayPartition, 'splits' | 'cheeger'>> {
  const sizes = new Int32Array(parts);
  for (let v = 0; v < g.n; v++) sizes[part[v]!]!++;
  const sums: PartSums = { vol: new Float64Array(parts), cutOf: new Float64Array(parts), cutWeight: 0 };
  // The pass reads part[] at both ends of every edge in random order: as bytes (up to 256
  // parts) the array is a quarter the size, stays in cache, and the pass takes about half
  // the time on a power-law graph of 2M edges; the sums are the same, in the same order.
  const label = parts <= 256 ? Uint8Array.from(part) : part;
  yield* chunkedSteps(g.m, 1 << 16, (from, to) => sumPartEdges(g, label, sums, from, to), yieldOnly(cp));
  const { vol, cutOf, cutWeight } = sums;
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

/** Edges [from, to): the volume of each part and the cut weight, total and per part. */
function sumPartEdges(g: Graph, part: Int32Array | Uint8Array, s: PartSums, from: number, to: number): void {
  const { vol, cutOf } = s;
  let cutWeight = s.cutWeight;
  for (let e = from; e < to; e++) {
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
  s.cutWeight = cutWeight;
}
