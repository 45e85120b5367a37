import { ModelError, SolveRun, requireInteger, type Result, type Rng, type SolveOptions } from '@emplace/core';
import { crowdingDistance } from './crowding.js';
import { hvFlat } from './hypervolume.js';
import { resolveVariation, randomSolution, vary, type VariationOptions } from './operators.js';
import { checkEvaluation, spaceLength, validateProblem, type Evaluation, type MultiObjectiveProblem } from './problem.js';
import { dasDennis, divisionsFor } from './reference-directions.js';
import { nonDominatedSort } from './sort.js';
import { ParetoArchive } from './archive.js';

/** Evaluates a whole population at once (e.g. in worker threads: see `@emplace/pareto/parallel`). */
export type BatchEvaluator = (xs: readonly Float64Array[]) => Promise<Evaluation[]>;

export interface EvolutionOptions extends SolveOptions, VariationOptions {
  /** Population size (rounded up to even). Default 100 (NSGA-II) or the number of reference directions rounded up to a multiple of 4 (NSGA-III). */
  populationSize?: number | undefined;
  /** Evaluation budget. Default 25,000. The run also stops at `timeLimitMs`. */
  maxEvaluations?: number | undefined;
  /** Reference point for the reported hypervolume; default: 1.1 x the worst feasible value seen in the first population (per objective, shifted to stay above it). */
  referencePoint?: ArrayLike<number> | undefined;
  /** Keep every non-dominated feasible point ever evaluated (unbounded archive) and return it instead of the final population's front. Default false. */
  archive?: boolean | undefined;
  /** Batch evaluator (async, e.g. worker threads); default: `problem.evaluate` in this thread. */
  evaluator?: BatchEvaluator | undefined;
  /** NSGA-III: reference directions (rows summing to 1); default Das-Dennis with `divisions`. */
  referenceDirections?: readonly ArrayLike<number>[] | undefined;
  /** NSGA-III: Das-Dennis divisions p; default 12 for 3 objectives, else the most giving at most ~200 directions. */
  divisions?: number | undefined;
  /** Called after every generation with the current front's hypervolume (computed only when this or onProgress is set). */
  onGeneration?: ((e: GenerationEvent) => void) | undefined;
}

export interface GenerationEvent {
  generation: number;
  evaluations: number;
  hypervolume: number;
  frontSize: number;
}

/** One point of a returned front. */
export interface ParetoPoint {
  objectives: number[];
  /** The decision vector (see the problem's DecisionSpace). */
  x: number[];
}

/** What the multi-objective methods return as `solution`. */
export interface ParetoFrontSolution {
  points: ParetoPoint[];
  objectiveNames?: string[];
  /** The reference point of `hypervolume` (and of the Result's `objective`). */
  referencePoint: number[];
  hypervolume: number;
  evaluations: number;
  generations: number;
}

type Survival = 'crowding' | 'reference';

/**
 * The generational loop shared by NSGA-II and NSGA-III: binary tournament on
 * (feasibility-first rank, then crowding distance or random), variation, evaluation,
 * and (mu + lambda) survival by fronts, the last front cut by crowding distance
 * (NSGA-II) or by reference-direction niching (NSGA-III).
 */
export async function evolve(problem: MultiObjectiveProblem, options: EvolutionOptions, survival: Survival, method: string): Promise<Result<ParetoFrontSolution>> {
  validateProblem(problem);
  const run = new SolveRun(options, method, 'max');
  const rng = run.rng;
  const m = problem.nObjectives;
  const len = spaceLength(problem.space);
  const maxEvaluations = options.maxEvaluations ?? 25000;
  requireInteger('options.maxEvaluations', maxEvaluations, 1);

  let directions: Float64Array | undefined;
  let nDirections = 0;
  if (survival === 'reference') {
    if (options.referenceDirections) {
      const rows = options.referenceDirections;
      nDirections = rows.length;
      directions = new Float64Array(nDirections * m);
      rows.forEach((r, i) => {
        if (r.length !== m) throw new ModelError(`options.referenceDirections[${i}]`, `has ${r.length} entries, the problem has ${m} objectives`);
        for (let k = 0; k < m; k++) directions![i * m + k] = r[k]!;
      });
      if (nDirections === 0) throw new ModelError('options.referenceDirections', 'must not be empty');
    } else {
      const p = options.divisions ?? (m === 3 ? 12 : m === 2 ? 99 : divisionsFor(m, 210));
      const dd = dasDennis(m, p);
      directions = dd.values;
      nDirections = dd.count;
    }
  }
  let size = options.populationSize ?? (survival === 'reference' ? Math.ceil((nDirections + 1) / 4) * 4 : 100);
  requireInteger('options.populationSize', size, 2);
  if (size % 2 === 1) size++;
  if (maxEvaluations < size) throw new ModelError('options.maxEvaluations', `(${maxEvaluations}) must be at least the population size (${size})`);
  // Discrete spaces breed copies of the same decision vector, which crowd out the rest
  // of the front: survival ranks copies after every distinct vector.
  const discrete = problem.space.kind !== 'real';
  const variation = resolveVariation(problem.space, options, survival === 'reference' ? { crossoverProbability: 1, crossoverEta: 30 } : {});

  // Population storage: 2N slots (parents then offspring), flat typed arrays.
  const cap = 2 * size;
  const xs: Float64Array[] = Array.from({ length: cap }, () => new Float64Array(len));
  let objs = new Float64Array(cap * m);
  let viol = new Float64Array(cap);
  let evaluations = 0;
  const archive = options.archive ? new ParetoArchive<Float64Array>(m) : undefined;

  const evaluateRange = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) problem.repair?.(xs[i]!);
    let evals: Evaluation[];
    if (options.evaluator) evals = await options.evaluator(xs.slice(from, to));
    else {
      evals = [];
      for (let i = from; i < to; i++) evals.push(problem.evaluate(xs[i]!));
    }
    if (evals.length !== to - from) throw new ModelError('options.evaluator', `returned ${evals.length} evaluations for ${to - from} decision vectors`);
    for (let i = from; i < to; i++) {
      viol[i] = checkEvaluation(problem, evals[i - from]!, evaluations + (i - from), objs, i * m);
      if (archive && viol[i] === 0) archive.add(objs.subarray(i * m, i * m + m), xs[i]!.slice());
    }
    evaluations += to - from;
  };

  for (let i = 0; i < size; i++) xs[i]!.set(randomSolution(problem.space, rng));
  await evaluateRange(0, size);

  // Reference point of the reported hypervolume.
  let reference: Float64Array;
  if (options.referencePoint) {
    if (options.referencePoint.length !== m) throw new ModelError('options.referencePoint', `has ${options.referencePoint.length} entries, the problem has ${m} objectives`);
    reference = Float64Array.from(options.referencePoint);
    reference.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new ModelError(`options.referencePoint[${k}]`, `must be finite, got ${v}`);
    });
  } else {
    reference = new Float64Array(m).fill(-Infinity);
    const lo = new Float64Array(m).fill(Infinity);
    for (let i = 0; i < size; i++) {
      for (let k = 0; k < m; k++) {
        reference[k] = Math.max(reference[k]!, objs[i * m + k]!);
        lo[k] = Math.min(lo[k]!, objs[i * m + k]!);
      }
    }
    for (let k = 0; k < m; k++) {
      const span = Math.max(reference[k]! - lo[k]!, Math.abs(reference[k]!), 1e-9);
      reference[k] = reference[k]! + 0.1 * span;
      if (!Number.isFinite(reference[k])) reference[k] = Number.MAX_VALUE;
    }
  }

  let rank = new Int32Array(cap);
  let crowd = new Float64Array(cap);
  rankInto(objs, viol, size, m, rank);
  crowdingInto(objs, m, rank, size, crowd);

  const listening = options.onGeneration !== undefined || options.onProgress !== undefined;
  let generation = 0;
  const report = (): void => {
    if (!listening) return;
    const front = currentFront();
    const hv = frontHypervolume(front, m, reference);
    options.onGeneration?.({ generation, evaluations, hypervolume: hv, frontSize: front.length / m });
    run.progress({ phase: survival === 'reference' ? 'nsga3' : 'nsga2', iterations: generation, incumbent: hv, message: `hypervolume ${hv.toPrecision(6)}, front ${front.length / m}, evaluations ${evaluations}` });
  };
  const currentFront = (): Float64Array => {
    if (archive) {
      const es = archive.entries();
      const out = new Float64Array(es.length * m);
      es.forEach((e, t) => out.set(e.objectives, t * m));
      return out;
    }
    const rows: number[] = [];
    for (let i = 0; i < size; i++) if (rank[i] === 0 && viol[i] === 0) rows.push(i);
    const out = new Float64Array(rows.length * m);
    rows.forEach((i, t) => out.set(objs.subarray(i * m, i * m + m), t * m));
    return out;
  };
  report();

  const tournament = (): number => {
    const a = rng.int(size);
    const b = rng.int(size);
    if (rank[a]! !== rank[b]!) return rank[a]! < rank[b]! ? a : b;
    if (survival === 'crowding' && crowd[a] !== crowd[b]) return crowd[a]! > crowd[b]! ? a : b;
    return rng.next() < 0.5 ? a : b;
  };

  let nextXs: Float64Array[] = Array.from({ length: cap }, () => new Float64Array(len));
  let nextObjs = new Float64Array(cap * m);
  let nextViol = new Float64Array(cap);
  const nextRank = new Int32Array(cap);
  const nextCrowd = new Float64Array(cap);

  while (evaluations + size <= maxEvaluations) {
    // One generation per turn: run.tick() yields to the event loop every 10 ms (in-thread abort).
    if (await run.tick()) break;
    for (let c = size; c < cap; c += 2) {
      vary(problem.space, variation, rng, xs[tournament()]!, xs[tournament()]!, xs[c]!, xs[c + 1]!);
    }
    await evaluateRange(size, cap);
    const dup = discrete ? duplicateMask(xs, cap) : undefined;
    const chosen = survival === 'crowding' ? crowdingSurvival(objs, viol, cap, m, size, dup) : referenceSurvival(objs, viol, cap, m, size, directions!, nDirections, rng, dup);
    for (let t = 0; t < size; t++) {
      const i = chosen[t]!;
      nextXs[t]!.set(xs[i]!);
      nextObjs.set(objs.subarray(i * m, i * m + m), t * m);
      nextViol[t] = viol[i]!;
    }
    nextXs = xs.splice(0, cap, ...nextXs);
    [objs, nextObjs] = [nextObjs, objs];
    [viol, nextViol] = [nextViol, viol];
    rankInto(objs, viol, size, m, nextRank);
    rank.set(nextRank);
    crowdingInto(objs, m, rank, size, nextCrowd);
    crowd.set(nextCrowd);
    generation++;
    report();
  }
  if (evaluations + size > maxEvaluations && !run.shouldStop()) run.hitIterationLimit();

  // The answer: the archive, or the final population's feasible first front (duplicates once).
  let points: ParetoPoint[];
  if (archive) {
    points = archive.entries().map((e) => ({ objectives: Array.from(e.objectives), x: Array.from(e.item) }));
  } else {
    const final = new ParetoArchive<Float64Array>(m);
    for (let i = 0; i < size; i++) if (viol[i] === 0 && rank[i] === 0) final.add(objs.subarray(i * m, i * m + m), xs[i]!);
    points = final.entries().map((e) => ({ objectives: Array.from(e.objectives), x: Array.from(e.item) }));
  }
  const stats = { evaluations, generations: generation, populationSize: size, frontSize: points.length };
  if (points.length === 0) {
    return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, iterations: generation, stats, warnings: ['no feasible decision vector found: every evaluated point violates a constraint'] });
  }
  const flat = Float64Array.from(points.flatMap((p) => p.objectives));
  const hv = frontHypervolume(flat, m, reference);
  const solution: ParetoFrontSolution = {
    points,
    referencePoint: Array.from(reference),
    hypervolume: hv,
    evaluations,
    generations: generation,
    ...(problem.objectiveNames ? { objectiveNames: [...problem.objectiveNames] } : {}),
  };
  return run.solved({ solution, objective: hv, guarantee: { kind: 'heuristic' }, iterations: generation, stats });
}

/** Hypervolume of a flat front, ignoring points outside the reference box. */
function frontHypervolume(front: Float64Array, m: number, reference: Float64Array): number {
  const n = front.length / m;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let k = 0; k < m; k++) if (!(front[i * m + k]! < reference[k]!)) ok = false;
    if (ok) keep.push(i);
  }
  const vals = new Float64Array(keep.length * m);
  keep.forEach((i, t) => vals.set(front.subarray(i * m, i * m + m), t * m));
  return hvFlat(vals, keep.length, m, reference);
}

/**
 * Feasibility-first ranks (Deb's rules): feasible points by non-dominated sorting; then
 * infeasible points, one rank per distinct total violation, smallest first.
 */
export function rankInto(objs: Float64Array, viol: Float64Array, n: number, m: number, rank: Int32Array): number {
  const feasible: number[] = [];
  const infeasible: number[] = [];
  for (let i = 0; i < n; i++) (viol[i]! > 0 ? infeasible : feasible).push(i);
  let maxRank = -1;
  if (feasible.length > 0) {
    const sub = new Float64Array(feasible.length * m);
    feasible.forEach((i, t) => sub.set(objs.subarray(i * m, i * m + m), t * m));
    const r = nonDominatedSort(sub, feasible.length, m);
    feasible.forEach((i, t) => {
      rank[i] = r[t]!;
      if (r[t]! > maxRank) maxRank = r[t]!;
    });
  }
  infeasible.sort((a, b) => viol[a]! - viol[b]! || a - b);
  let last = NaN;
  for (const i of infeasible) {
    if (viol[i] !== last) {
      maxRank++;
      last = viol[i]!;
    }
    rank[i] = maxRank;
  }
  return maxRank + 1;
}

function crowdingInto(objs: Float64Array, m: number, rank: Int32Array, n: number, out: Float64Array): void {
  const fronts: number[][] = [];
  for (let i = 0; i < n; i++) {
    while (fronts.length <= rank[i]!) fronts.push([]);
    fronts[rank[i]!]!.push(i);
  }
  for (const f of fronts) if (f.length > 0) crowdingDistance(objs, m, f, out);
}

/** Fronts of the distinct individuals (feasibility-first), then one last front holding the duplicates. */
function frontsOf(objs: Float64Array, viol: Float64Array, n: number, m: number, dup?: Uint8Array): number[][] {
  if (!dup) {
    const rank = new Int32Array(n);
    const count = rankInto(objs, viol, n, m, rank);
    const fronts: number[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < n; i++) fronts[rank[i]!]!.push(i);
    return fronts;
  }
  const keep: number[] = [];
  const copies: number[] = [];
  for (let i = 0; i < n; i++) (dup[i] ? copies : keep).push(i);
  const subObjs = new Float64Array(keep.length * m);
  const subViol = new Float64Array(keep.length);
  keep.forEach((i, t) => {
    subObjs.set(objs.subarray(i * m, i * m + m), t * m);
    subViol[t] = viol[i]!;
  });
  const fronts = frontsOf(subObjs, subViol, keep.length, m).map((f) => f.map((t) => keep[t]!));
  if (copies.length > 0) fronts.push(copies);
  return fronts;
}

/** 1 for every decision vector equal to an earlier one. */
function duplicateMask(xs: Float64Array[], n: number): Uint8Array {
  const seen = new Set<string>();
  const dup = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const key = xs[i]!.join(',');
    if (seen.has(key)) dup[i] = 1;
    else seen.add(key);
  }
  return dup;
}

/** NSGA-II survival: whole fronts while they fit, then the last front by decreasing crowding distance. */
function crowdingSurvival(objs: Float64Array, viol: Float64Array, n: number, m: number, size: number, dup?: Uint8Array): number[] {
  const chosen: number[] = [];
  const crowd = new Float64Array(n);
  for (const f of frontsOf(objs, viol, n, m, dup)) {
    if (chosen.length + f.length <= size) {
      chosen.push(...f);
      if (chosen.length === size) break;
      continue;
    }
    crowdingDistance(objs, m, f, crowd);
    f.sort((a, b) => crowd[b]! - crowd[a]! || a - b);
    chosen.push(...f.slice(0, size - chosen.length));
    break;
  }
  return chosen;
}

/**
 * NSGA-III survival (Deb & Jain 2014): fronts while they fit; then normalise the
 * candidates (ideal point, extreme points by the achievement scalarising function,
 * hyperplane intercepts, falling back to the worst values when the hyperplane is
 * degenerate), associate each with its nearest reference line, and fill the remaining
 * slots niche by niche, least crowded reference first.
 */
function referenceSurvival(objs: Float64Array, viol: Float64Array, n: number, m: number, size: number, dirs: Float64Array, nDirs: number, rng: Rng, dup?: Uint8Array): number[] {
  const fronts = frontsOf(objs, viol, n, m, dup);
  const chosen: number[] = [];
  let last: number[] = [];
  for (const f of fronts) {
    if (chosen.length + f.length <= size) {
      chosen.push(...f);
      if (chosen.length === size) return chosen;
      continue;
    }
    last = f;
    break;
  }
  // Infeasible last front: least violation first (its points share one violation value).
  if (viol[last[0]!]! > 0) {
    chosen.push(...last.slice(0, size - chosen.length));
    return chosen;
  }
  const candidates = [...chosen.filter((i) => viol[i] === 0), ...last];
  const ideal = new Float64Array(m).fill(Infinity);
  for (const i of candidates) for (let k = 0; k < m; k++) ideal[k] = Math.min(ideal[k]!, objs[i * m + k]!);
  const intercept = intercepts(objs, m, candidates, ideal, fronts[0]!.filter((i) => viol[i] === 0));
  // Association.
  const assoc = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const fn = new Float64Array(m);
  // Unit directions once; then the squared perpendicular distance is |f|^2 - (f.u)^2.
  const unit = new Float64Array(nDirs * m);
  for (let j = 0; j < nDirs; j++) {
    let ww = 0;
    for (let k = 0; k < m; k++) ww += dirs[j * m + k]! * dirs[j * m + k]!;
    const norm = Math.sqrt(ww) || 1;
    for (let k = 0; k < m; k++) unit[j * m + k] = dirs[j * m + k]! / norm;
  }
  for (const i of candidates) {
    let ff = 0;
    for (let k = 0; k < m; k++) {
      fn[k] = (objs[i * m + k]! - ideal[k]!) / intercept[k]!;
      ff += fn[k]! * fn[k]!;
    }
    let bestDot = -Infinity;
    let bestJ = 0;
    for (let j = 0; j < nDirs; j++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += fn[k]! * unit[j * m + k]!;
      if (dot > bestDot) {
        bestDot = dot;
        bestJ = j;
      }
    }
    // Largest projection = smallest perpendicular distance (f is in the positive orthant after normalisation).
    const best = Math.max(0, ff - bestDot * bestDot);
    assoc[i] = bestJ;
    dist[i] = Math.sqrt(best);
  }
  const niche = new Int32Array(nDirs);
  for (const i of chosen) if (assoc[i]! >= 0) niche[assoc[i]!]!++;
  // Members of the last front per reference direction.
  const pool: number[][] = Array.from({ length: nDirs }, () => []);
  for (const i of last) pool[assoc[i]!]!.push(i);
  const active = new Uint8Array(nDirs).fill(1);
  let remaining = size - chosen.length;
  // Rounds: every active direction with the least niche count, in random order, takes one
  // member (the closest if its niche is empty, else a random one); directions with no
  // member left drop out. Same choices as picking one least-crowded direction at a time.
  while (remaining > 0) {
    let minCount = Infinity;
    for (let j = 0; j < nDirs; j++) if (active[j] && niche[j]! < minCount) minCount = niche[j]!;
    if (minCount === Infinity) break;
    const ties: number[] = [];
    for (let j = 0; j < nDirs; j++) if (active[j] && niche[j] === minCount) ties.push(j);
    rng.shuffle(ties);
    for (const j of ties) {
      if (remaining === 0) break;
      const members = pool[j]!;
      if (members.length === 0) {
        active[j] = 0;
        continue;
      }
      let pick: number;
      if (niche[j] === 0) {
        pick = 0;
        for (let t = 1; t < members.length; t++) if (dist[members[t]!]! < dist[members[pick]!]!) pick = t;
      } else pick = rng.int(members.length);
      chosen.push(members[pick]!);
      members[pick] = members[members.length - 1]!;
      members.pop();
      niche[j]!++;
      remaining--;
    }
  }
  return chosen;
}

/** Hyperplane intercepts through the extreme points (per axis, the point minimising the ASF); fallback: worst value of the first front. */
function intercepts(objs: Float64Array, m: number, candidates: number[], ideal: Float64Array, firstFront: number[]): Float64Array {
  const extreme = new Float64Array(m * m);
  for (let axis = 0; axis < m; axis++) {
    let best = Infinity;
    let bestI = candidates[0]!;
    for (const i of candidates) {
      let asf = -Infinity;
      for (let k = 0; k < m; k++) {
        const w = k === axis ? 1 : 1e-6;
        asf = Math.max(asf, (objs[i * m + k]! - ideal[k]!) / w);
      }
      if (asf < best) {
        best = asf;
        bestI = i;
      }
    }
    for (let k = 0; k < m; k++) extreme[axis * m + k] = objs[bestI * m + k]! - ideal[k]!;
  }
  const b = solveLinear(extreme, m);
  const out = new Float64Array(m);
  let ok = b !== undefined;
  if (b) {
    for (let k = 0; k < m; k++) {
      const a = 1 / b[k]!;
      if (!Number.isFinite(a) || a <= 1e-6) ok = false;
      out[k] = a;
    }
  }
  if (!ok) {
    const from = firstFront.length > 0 ? firstFront : candidates;
    for (let k = 0; k < m; k++) {
      let worst = -Infinity;
      for (const i of from) worst = Math.max(worst, objs[i * m + k]! - ideal[k]!);
      out[k] = worst > 1e-12 ? worst : 1;
    }
  }
  return out;
}

/** Solves E b = 1 (rows of E are the extreme points) by Gaussian elimination with partial pivoting. */
function solveLinear(e: Float64Array, m: number): Float64Array | undefined {
  const a = e.slice();
  const rhs = new Float64Array(m).fill(1);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]!) > Math.abs(a[piv * m + c]!)) piv = r;
    if (Math.abs(a[piv * m + c]!) < 1e-12) return undefined;
    if (piv !== c) {
      for (let k = 0; k < m; k++) [a[c * m + k], a[piv * m + k]] = [a[piv * m + k]!, a[c * m + k]!];
      [rhs[c], rhs[piv]] = [rhs[piv]!, rhs[c]!];
    }
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c]! / a[c * m + c]!;
      for (let k = c; k < m; k++) a[r * m + k]! -= f * a[c * m + k]!;
      rhs[r]! -= f * rhs[c]!;
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = rhs[r]!;
    for (let k = r + 1; k < m; k++) s -= a[r * m + k]! * x[k]!;
    x[r] = s / a[r * m + r]!;
  }
  return x;
}

/** NSGA-II (Deb et al. 2002). */
export function nsga2(problem: MultiObjectiveProblem, options: EvolutionOptions = {}): Promise<Result<ParetoFrontSolution>> {
  return evolve(problem, options, 'crowding', 'pareto:nsga2');
}

/** NSGA-III (Deb & Jain 2014): reference-direction niching, for 3+ objectives. */
export function nsga3(problem: MultiObjectiveProblem, options: EvolutionOptions = {}): Promise<Result<ParetoFrontSolution>> {
  return evolve(problem, options, 'reference', 'pareto:nsga3');
}
