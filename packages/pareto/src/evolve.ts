import { checkMemory, ModelError, SolveRun, requireInteger, type Result, type Rng, type SolveOptions } from '@emplace/core';
import { ParetoArchive } from './archive.js';
import { hvFlat } from './hypervolume.js';
import { resolveVariation, randomSolution, vary, type Variation, type VariationOptions } from './operators.js';
import { checkEvaluation, spaceLength, validateProblem, type Evaluation, type MultiObjectiveProblem } from './problem.js';
import { crowdingInto, duplicateMask, rankInto } from './ranking.js';
import { RankAndCrowdingSurvival, ReferenceDirectionSurvival, type Survival } from './survival.js';

export { rankInto } from './ranking.js';
export type { Survival } from './survival.js';

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

/**
 * The generational loop shared by NSGA-II and NSGA-III: binary tournament on
 * (feasibility-first rank, then crowding distance or random), variation, evaluation,
 * and (mu + lambda) survival by `survival` (rank and crowding: NSGA-II; reference
 * directions: NSGA-III).
 */
export async function evolve(problem: MultiObjectiveProblem, options: EvolutionOptions, survival: Survival, method: string): Promise<Result<ParetoFrontSolution>> {
  validateProblem(problem);
  const run = new SolveRun(options, method, 'max');
  const maxEvaluations = options.maxEvaluations ?? 25000;
  requireInteger('options.maxEvaluations', maxEvaluations, 1);
  let size = options.populationSize ?? survival.defaultPopulationSize;
  requireInteger('options.populationSize', size, 2);
  if (size % 2 === 1) size++;
  if (maxEvaluations < size) throw new ModelError('options.maxEvaluations', `(${maxEvaluations}) must be at least the population size (${size})`);
  const pop = new Population(problem, options, survival, run, size);
  await pop.initialise();
  pop.reference = referencePoint(options, pop.objs, pop.size, problem.nObjectives);
  pop.rankAndCrowd();
  pop.report();
  while (pop.evaluations + size <= maxEvaluations) {
    // One generation per turn: run.tick() yields to the event loop every 10 ms (in-thread abort).
    if (await run.tick()) break;
    await pop.generation();
  }
  if (pop.evaluations + size > maxEvaluations && !run.shouldStop()) run.hitIterationLimit();
  return pop.answer();
}

/** Reference point of the reported hypervolume: the caller's, else 1.1 x the worst value of the first population (shifted to stay above it). */
function referencePoint(options: EvolutionOptions, objs: Float64Array, size: number, m: number): Float64Array {
  if (options.referencePoint) {
    if (options.referencePoint.length !== m) throw new ModelError('options.referencePoint', `has ${options.referencePoint.length} entries, the problem has ${m} objectives`);
    const reference = Float64Array.from(options.referencePoint);
    reference.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new ModelError(`options.referencePoint[${k}]`, `must be finite, got ${v}`);
    });
    return reference;
  }
  const reference = new Float64Array(m).fill(-Infinity);
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
  return reference;
}

/**
 * The population of one run: 2N slots (parents then offspring) in flat typed arrays, their
 * ranks and crowding distances, the optional archive, and the counters.
 */
class Population {
  readonly m: number;
  readonly rng: Rng;
  readonly cap: number;
  readonly variation: Variation;
  /** Discrete spaces breed copies of the same decision vector, which crowd out the rest of the front: survival ranks copies after every distinct vector. */
  readonly discrete: boolean;
  xs: Float64Array[];
  objs: Float64Array;
  viol: Float64Array;
  readonly rank: Int32Array;
  readonly crowd: Float64Array;
  nextXs: Float64Array[];
  nextObjs: Float64Array;
  nextViol: Float64Array;
  readonly nextRank: Int32Array;
  readonly nextCrowd: Float64Array;
  readonly archive: ParetoArchive<Float64Array> | undefined;
  evaluations = 0;
  generations = 0;
  reference: Float64Array = new Float64Array(0);
  readonly listening: boolean;
  /** Bytes of one archive entry (objectives, decision vector, object headers). */
  readonly archiveEntryBytes: number;
  /** Archive size at which its memory is checked next (doubling). */
  nextArchiveCheck = 1024;

  constructor(
    readonly problem: MultiObjectiveProblem,
    readonly options: EvolutionOptions,
    readonly survival: Survival,
    readonly run: SolveRun,
    /** Population size; only a stop during the first population lowers it (to the members evaluated). */
    public size: number,
  ) {
    const m = problem.nObjectives;
    const len = spaceLength(problem.space);
    // Two generations of 2N slots: decision vectors, objectives, violation, rank, crowding.
    checkMemory(run.method, `a population of ${size} with ${len} decision variables and ${m} objectives`, 4 * size * (len + m + 3) * 8, options);
    this.archiveEntryBytes = 8 * (len + m) + 256;
    this.m = m;
    this.rng = run.rng;
    this.cap = 2 * size;
    this.discrete = problem.space.kind !== 'real';
    this.variation = resolveVariation(problem.space, options, survival.variationDefaults);
    const cap = this.cap;
    this.xs = Array.from({ length: cap }, () => new Float64Array(len));
    this.objs = new Float64Array(cap * m);
    this.viol = new Float64Array(cap);
    this.rank = new Int32Array(cap);
    this.crowd = new Float64Array(cap);
    this.nextXs = Array.from({ length: cap }, () => new Float64Array(len));
    this.nextObjs = new Float64Array(cap * m);
    this.nextViol = new Float64Array(cap);
    this.nextRank = new Int32Array(cap);
    this.nextCrowd = new Float64Array(cap);
    this.archive = options.archive ? new ParetoArchive<Float64Array>(m) : undefined;
    this.listening = options.onGeneration !== undefined || options.onProgress !== undefined;
  }

  /**
   * Random first population, evaluated. The evaluations yield to the event loop (a first
   * population of a large placement problem was a 40-120 ms stretch, issue 13); the first
   * member is always evaluated, and a stop after it ends the population at the members
   * evaluated (`size` shrinks: the answer is their front, no generation follows).
   */
  async initialise(): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      if (this.run.needsYield()) await this.run.tick();
      this.xs[i]!.set(randomSolution(this.problem.space, this.rng));
    }
    const first = this.options.evaluator ? this.size : Math.min(1, this.size);
    await this.evaluateRange(0, first, 'yield');
    if (first < this.size && !(await this.evaluateRange(first, this.size, 'stop'))) this.size = this.evaluations;
  }

  /**
   * Repairs and evaluates slots [from, to) (through the batch evaluator when given);
   * feasible points go to the archive. In this thread, a `stop` range yields to the event
   * loop between evaluations when the run is due to and stops early when the run stops
   * (false: the range is only partly evaluated); a `yield` range yields but evaluates all.
   */
  async evaluateRange(from: number, to: number, checkpoints: 'stop' | 'yield' = 'stop'): Promise<boolean> {
    const { problem, options, xs, m, archive, run } = this;
    for (let i = from; i < to; i++) problem.repair?.(xs[i]!);
    let evals: Evaluation[];
    if (options.evaluator) {
      evals = await options.evaluator(xs.slice(from, to));
      if (evals.length !== to - from) throw new ModelError('options.evaluator', `returned ${evals.length} evaluations for ${to - from} decision vectors`);
    } else {
      evals = [];
      for (let i = from; i < to; i++) {
        if (run.needsYield() && (await run.tick()) && checkpoints === 'stop') break;
        evals.push(problem.evaluate(xs[i]!));
      }
    }
    const done = from + evals.length;
    for (let i = from; i < done; i++) {
      this.viol[i] = checkEvaluation(problem, evals[i - from]!, this.evaluations + (i - from), this.objs, i * m);
      if (archive && this.viol[i] === 0) archive.add(this.objs.subarray(i * m, i * m + m), xs[i]!.slice());
    }
    this.evaluations += done - from;
    if (archive && archive.size >= this.nextArchiveCheck) {
      // The archive is unbounded: refuse to grow it past the memory budget.
      checkMemory(run.method, `an archive of ${archive.size} non-dominated points`, archive.size * this.archiveEntryBytes, options);
      this.nextArchiveCheck *= 2;
    }
    return done === to;
  }

  rankAndCrowd(): void {
    rankInto(this.objs, this.viol, this.size, this.m, this.rank);
    crowdingInto(this.objs, this.m, this.rank, this.size, this.crowd);
  }

  /** Binary tournament: lower rank, then (NSGA-II) larger crowding distance, else a coin. */
  tournament(): number {
    const { rng, size, rank, crowd } = this;
    const a = rng.int(size);
    const b = rng.int(size);
    if (rank[a]! !== rank[b]!) return rank[a]! < rank[b]! ? a : b;
    if (this.survival.tournamentByCrowding && crowd[a] !== crowd[b]) return crowd[a]! > crowd[b]! ? a : b;
    return rng.next() < 0.5 ? a : b;
  }

  /** Offspring by tournament and variation, evaluation, survival into the next parents. */
  async generation(): Promise<void> {
    const { problem, variation, rng, size, cap, m, xs } = this;
    for (let c = size; c < cap; c += 2) vary(problem.space, variation, rng, xs[this.tournament()]!, xs[this.tournament()]!, xs[c]!, xs[c + 1]!);
    // Stopped half-way: the parents stay the population (the archive has what was evaluated).
    if (!(await this.evaluateRange(size, cap, 'stop'))) return;
    const dup = this.discrete ? duplicateMask(xs, cap) : undefined;
    const chosen = this.survival.select(this.objs, this.viol, cap, m, size, rng, dup);
    for (let t = 0; t < size; t++) {
      const i = chosen[t]!;
      this.nextXs[t]!.set(xs[i]!);
      this.nextObjs.set(this.objs.subarray(i * m, i * m + m), t * m);
      this.nextViol[t] = this.viol[i]!;
    }
    this.nextXs = this.xs.splice(0, cap, ...this.nextXs);
    [this.objs, this.nextObjs] = [this.nextObjs, this.objs];
    [this.viol, this.nextViol] = [this.nextViol, this.viol];
    rankInto(this.objs, this.viol, size, m, this.nextRank);
    this.rank.set(this.nextRank);
    crowdingInto(this.objs, m, this.rank, size, this.nextCrowd);
    this.crowd.set(this.nextCrowd);
    this.generations++;
    this.report();
  }

  /** The archive's front, or the population's feasible first front (flat objectives). */
  currentFront(): Float64Array {
    const { m, archive } = this;
    if (archive) {
      const es = archive.entries();
      const out = new Float64Array(es.length * m);
      es.forEach((e, t) => out.set(e.objectives, t * m));
      return out;
    }
    const rows: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.rank[i] === 0 && this.viol[i] === 0) rows.push(i);
    const out = new Float64Array(rows.length * m);
    rows.forEach((i, t) => out.set(this.objs.subarray(i * m, i * m + m), t * m));
    return out;
  }

  /** onGeneration / onProgress with the current front's hypervolume (computed only when someone listens). */
  report(): void {
    if (!this.listening) return;
    const { m, options, generations, evaluations } = this;
    const front = this.currentFront();
    const hv = frontHypervolume(front, m, this.reference);
    options.onGeneration?.({ generation: generations, evaluations, hypervolume: hv, frontSize: front.length / m });
    this.run.progress({ phase: this.survival.name, iterations: generations, incumbent: hv, message: `hypervolume ${hv.toPrecision(6)}, front ${front.length / m}, evaluations ${evaluations}` });
  }

  /** The answer: the archive, or the final population's feasible first front (duplicates once). */
  answer(): Result<ParetoFrontSolution> {
    const { m, run, archive, problem, generations, evaluations } = this;
    let points: ParetoPoint[];
    if (archive) {
      points = archive.entries().map((e) => ({ objectives: Array.from(e.objectives), x: Array.from(e.item) }));
    } else {
      const final = new ParetoArchive<Float64Array>(m);
      for (let i = 0; i < this.size; i++) if (this.viol[i] === 0 && this.rank[i] === 0) final.add(this.objs.subarray(i * m, i * m + m), this.xs[i]!);
      points = final.entries().map((e) => ({ objectives: Array.from(e.objectives), x: Array.from(e.item) }));
    }
    const stats = { evaluations, generations, populationSize: this.size, frontSize: points.length };
    if (points.length === 0) {
      return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, iterations: generations, stats, warnings: ['no feasible decision vector found: every evaluated point violates a constraint'] });
    }
    const flat = Float64Array.from(points.flatMap((p) => p.objectives));
    const hv = frontHypervolume(flat, m, this.reference);
    const solution: ParetoFrontSolution = {
      points,
      referencePoint: Array.from(this.reference),
      hypervolume: hv,
      evaluations,
      generations,
      ...(problem.objectiveNames ? { objectiveNames: [...problem.objectiveNames] } : {}),
    };
    return run.solved({ solution, objective: hv, guarantee: { kind: 'heuristic' }, iterations: generations, stats });
  }
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

/** NSGA-II (Deb et al. 2002). */
export async function nsga2(problem: MultiObjectiveProblem, options: EvolutionOptions = {}): Promise<Result<ParetoFrontSolution>> {
  return evolve(problem, options, new RankAndCrowdingSurvival(), 'pareto:nsga2');
}

/** NSGA-III (Deb & Jain 2014): reference-direction niching, for 3+ objectives. */
export async function nsga3(problem: MultiObjectiveProblem, options: EvolutionOptions = {}): Promise<Result<ParetoFrontSolution>> {
  validateProblem(problem);
  return evolve(problem, options, ReferenceDirectionSurvival.fromOptions(problem.nObjectives, options), 'pareto:nsga3');
}
