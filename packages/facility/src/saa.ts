import { checkMemory, ModelError, Rng, runStepsAsync, SolveRun, type PlacementModel, type Result, type SolveOptions } from '@emplace/core';
import { jmsGreedySteps } from './greedy.js';
import type { FacilityProblem } from './problem.js';
import { createScenarioSet, listSampler, prefixEvaluation, sampleSet, ScenarioEvaluator, type ScenarioEvaluation, type ScenarioSampler, type ScenarioSet, type ScenarioSetOptions } from './scenarios.js';
import { checkSet, mostOpenSet, scenarioSolution, type ScenarioSolution } from './stochastic.js';
import { extensiveForm, uflEquivalent } from './stochastic-extensive.js';
import { studentTQuantile } from './student-t.js';

/** A distribution SAA can sample: a listed scenario set (drawn by probability) or a seeded generator. */
export type ScenarioSource =
  | ScenarioSet
  | ({ kind: 'generator'; model: PlacementModel; sampler: ScenarioSampler } & ScenarioSetOptions);

export interface SaaOptions extends SolveOptions {
  /** M, the number of independent sample problems (default 10, at least 2). */
  replications?: number;
  /** N, scenarios per sample problem (default 50). */
  samples?: number;
  /**
   * N', scenarios of the independent sample that estimates the candidate's expected cost
   * (default 5000). A listed set with at most N' scenarios is evaluated exactly instead.
   */
  evaluationSamples?: number;
  /** Joint confidence of the bracket [lowerBound, upperBound] (default 0.95). */
  confidence?: number;
  backend?: 'highs' | 'glpk' | 'jslp';
}

/** The statistical bounds of sample average approximation. */
export interface SaaStatistics {
  /** Mean of the M sample-problem optima (their proven lower bounds): E of it is <= the true optimum. */
  lowerEstimate: number;
  /** Its standard error s / sqrt(M). */
  lowerStdError: number;
  /** One-sided lower confidence limit: lowerEstimate - t_{M-1} * lowerStdError. */
  lowerBound: number;
  /** Expected cost of the chosen open set, estimated on N' independent scenarios (or exact). */
  upperEstimate: number;
  upperStdError: number;
  /** One-sided upper confidence limit (equals upperEstimate when evaluated exactly). */
  upperBound: number;
  /** upperBound - lowerBound, and relative to upperEstimate. */
  gap: number;
  relativeGap: number;
  /** Probability that lowerBound <= true optimum <= upperBound (Bonferroni over the two sides). */
  confidence: number;
  replications: number;
  samples: number;
  evaluationSamples: number;
  exactEvaluation: boolean;
  /** Optimum (or proven bound) of each sample problem. */
  sampleOptima: number[];
  /** Distinct candidate open sets considered. */
  candidates: number;
  /** Sample problems not solved to proven optimality (their bound was used). */
  unprovenSamples: number;
}

export interface SaaSolution extends ScenarioSolution {
  statistics: SaaStatistics;
}

/**
 * Sample average approximation (Kleywegt, Shapiro & Homem-de-Mello 2002) for two-stage
 * placement over many (or infinitely many) scenarios:
 * 1. solve M sample problems of N scenarios each exactly (ufl-equivalent or extensive
 *    form); the mean of their optima v_m has expectation <= the true optimum z*, so
 *    mean - t_{M-1,1-a} s/sqrt(M) is a lower confidence limit;
 * 2. screen the M candidate open sets on one sample of N' scenarios and evaluate the best
 *    on a fresh independent one (or exactly, for a small listed set): its mean + t s/sqrt(N')
 *    is an upper confidence limit on its expected cost, itself >= z*.
 * Each side holds with probability 1 - a, a = (1 - confidence) / 2, so the bracket holds
 * with probability >= confidence. The objective is the estimated (or exact) expected cost
 * of the returned open set; status is `feasible` (the bounds are statistical, not proven).
 */
export async function solveSaa(source: ScenarioSource, options: SaaOptions = {}): Promise<Result<SaaSolution>> {
  const { M, N, Neval, confidence } = saaSizes(options);
  if (source === null || typeof source !== 'object') throw new ModelError('source', 'must be a ScenarioSet or a { kind: "generator" } source');
  const run = new SolveRun(options, 'stochastic:saa', 'min');
  const guarantee = { kind: 'probabilistic' as const, confidence };
  const alpha = (1 - confidence) / 2;
  const { draw, listed } = scenarioDrawer(source);
  checkSampleMemory(listed ? listed.model : (source as { model: PlacementModel }).model, N, Neval, options);
  // The greedy plan's estimate draws from a stream of its own: run.rng, and so an unstopped run's answer, stays as it was.
  const earlyRng = new Rng((options.seed ?? 1) + 0x5aa * 4294967296);
  const estimate = (plan: Uint8Array): Promise<UpperSide> => upperSide((_, count) => draw(earlyRng, count), listed, new Map([['early', plan]]), run, N, N);
  const lower = await solveSamples(draw, run, M, N, options, estimate);
  if ('infeasibleSample' in lower) {
    return run.unsolved({ status: 'infeasible', guarantee, certificate: { reason: `sample problem ${lower.infeasibleSample} cannot be served by any open set (a client has no surviving site and the penalty is infinite)`, fields: ['scenarios[].failed', 'penalty'] } });
  }
  const { sampleOptima, candidates, unproven, setWarnings, early, earlyUpper } = lower;
  let warnings: string[] = [];
  if (candidates.size === 0) {
    if (early === null) return run.unsolved({ status: 'no-solution', guarantee, warnings: ['stopped before the first sample was drawn'] });
    // Stopped during the first sample problem: the greedy plan, estimated like any candidate.
    candidates.set('early', early);
    warnings.push('stopped before the first sample problem was solved: the plan is the greedy one on the first sample (no lower bound)');
  }
  if (sampleOptima.length < M) warnings.push(`only ${sampleOptima.length} of ${M} replications finished before the limit`);
  if (unproven > 0) warnings.push(`${unproven} sample problems were not solved to optimality: their proven bounds enter the lower estimate`);
  let upper = candidates.size === 1 && earlyUpper !== null && candidates.has('early') ? earlyUpper : await upperSide(draw, listed, candidates, run, Neval, N);
  if (upper.upperEstimate === Infinity) {
    // Opening more sites never makes a scenario harder to serve: if every allowed site open
    // leaves an evaluation scenario unservable, no set serves it; otherwise that set is the answer.
    const fallback = mostOpenUpper(upper.evalSet, upper.exactEval);
    if (fallback === null) {
      return run.unsolved({ status: 'infeasible', guarantee, certificate: { reason: 'an evaluation scenario cannot be served even with every allowed site open (a client has no surviving site or not enough capacity, and the penalty is infinite)', fields: ['scenarios[].failed', 'capacity', 'penalty'] } });
    }
    warnings.push('the sample problems chose open sets that leave an evaluation scenario unservable: every allowed site is opened instead');
    upper = fallback;
  }
  const { upperEstimate, upperStdError, exactEval, evalSet } = upper;
  if (!exactEval && evalSet.scenarios.length < Math.min(Neval, N)) {
    warnings.push(`stopped during the estimate: the plan's expected cost is estimated on ${evalSet.scenarios.length} fresh scenarios only (the upper bound is correspondingly wide)`);
  }
  const Mdone = sampleOptima.length;
  const lowerEstimate = Mdone > 0 ? meanOf(sampleOptima) : -Infinity;
  const lowerStdError = Mdone > 1 ? Math.sqrt(varianceOf(sampleOptima, lowerEstimate) / Mdone) : Infinity;
  const tLow = Mdone > 1 ? studentTQuantile(1 - alpha, Mdone - 1) : Infinity;
  const lowerBound = lowerStdError === 0 ? lowerEstimate : lowerEstimate - tLow * lowerStdError;
  const upperBound = exactEval ? upperEstimate : upperEstimate + studentTQuantile(1 - alpha, evalSet.scenarios.length - 1) * upperStdError;
  const gap = upperBound - lowerBound;
  const statistics: SaaStatistics = {
    lowerEstimate,
    lowerStdError,
    lowerBound,
    upperEstimate,
    upperStdError,
    upperBound,
    gap,
    relativeGap: gap / Math.max(1e-9, Math.abs(upperEstimate)),
    confidence,
    replications: Mdone,
    samples: N,
    evaluationSamples: evalSet.scenarios.length,
    exactEvaluation: exactEval,
    sampleOptima,
    candidates: candidates.size,
    unprovenSamples: unproven,
  };
  warnings = [...setWarnings, ...warnings];
  const solution: SaaSolution = { ...scenarioSolution(evalSet, upper.bestOpen, upper.bestEvaluation), statistics };
  return run.solved({
    solution,
    objective: upperEstimate,
    guarantee,
    iterations: Mdone,
    stats: { lowerBound, upperBound, relativeGap: statistics.relativeGap, candidates: candidates.size, exactEvaluation: exactEval },
    warnings,
  });
}

/** M replications of N scenarios, N' evaluation scenarios and the confidence, validated. */
function saaSizes(options: SaaOptions): { M: number; N: number; Neval: number; confidence: number } {
  const M = options.replications ?? 10;
  const N = options.samples ?? 50;
  const Neval = options.evaluationSamples ?? 5000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(M) || M < 2) throw new ModelError('options.replications', `must be an integer >= 2, got ${String(options.replications)}`);
  if (!Number.isInteger(N) || N < 1) throw new ModelError('options.samples', `must be a positive integer, got ${String(options.samples)}`);
  if (!Number.isInteger(Neval) || Neval < 2) throw new ModelError('options.evaluationSamples', `must be an integer >= 2, got ${String(options.evaluationSamples)}`);
  if (!(confidence > 0 && confidence < 1)) throw new ModelError('options.confidence', `must be in (0, 1), got ${String(options.confidence)}`);
  return { M, N, Neval, confidence };
}

/**
 * Refuses sample sizes whose scenario sets cannot be held (issue 13's size guard; samples =
 * 1e308 threw a RangeError from the draw). A sample problem of N scenarios is a UFL over
 * N x C scenario clients (a cost and a unit-cost cell per site: 16 bytes each, see
 * stochastic-extensive.ts) and each evaluation scenario carries a cost per client at least.
 */
function checkSampleMemory(model: PlacementModel, N: number, Neval: number, options: SaaOptions): void {
  const S = model.nSites;
  const C = model.nClients;
  checkMemory('stochastic:saa', `a sample problem of ${N} scenarios over ${S} sites x ${C} clients`, 16 * S * C * N, options, 'options.samples');
  checkMemory('stochastic:saa', `${Neval} evaluation scenarios of ${C} clients`, 8 * (S + C) * Neval, options, 'options.evaluationSamples');
}

type Draw = (rng: Rng, count: number) => ScenarioSet;

/** Drawing: listed sets by probability, generators by calling the sampler. */
function scenarioDrawer(source: ScenarioSource): { draw: Draw; listed: ScenarioSet | null } {
  if (source.kind === 'scenarios') {
    checkSet(source);
    const set = source;
    const pick = listSampler(set);
    return { draw: (rng, count) => sampleSet(set, Int32Array.from({ length: count }, () => pick(rng))), listed: set };
  }
  if (source.kind === 'generator') {
    if (typeof source.sampler !== 'function') throw new ModelError('source.sampler', 'must be a function (rng) => ScenarioInput');
    const model: unknown = source.model;
    if (model === null || typeof model !== 'object' || (model as { kind?: unknown }).kind !== 'placement') throw new ModelError('source.model', 'must be a PlacementModel (createPlacementModel from @emplace/core)');
    const setOptions: ScenarioSetOptions = {
      ...(source.penalty !== undefined ? { penalty: source.penalty } : {}),
      ...(source.capacitated !== undefined ? { capacitated: source.capacitated } : {}),
    };
    return { draw: (rng, count) => createScenarioSet(source.model, Array.from({ length: count }, () => source.sampler(rng)), setOptions), listed: null };
  }
  throw new ModelError('source.kind', `must be "scenarios" or "generator", got ${JSON.stringify((source as { kind?: unknown }).kind)}`);
}

/** Lower side: solves the M sample problems exactly; their optima (or proven bounds) and the distinct open sets they chose. */
async function solveSamples(
  draw: Draw,
  run: SolveRun,
  M: number,
  N: number,
  options: SaaOptions,
  estimate: (plan: Uint8Array) => Promise<UpperSide>,
): Promise<{ sampleOptima: number[]; candidates: Map<string, Uint8Array>; unproven: number; setWarnings: readonly string[]; early: Uint8Array | null; earlyUpper: UpperSide | null } | { infeasibleSample: number }> {
  const sampleOptima: number[] = [];
  const candidates = new Map<string, Uint8Array>();
  let unproven = 0;
  let setWarnings: readonly string[] = [];
  let early: Uint8Array | null = null;
  let earlyUpper: UpperSide | null = null;
  for (let m = 0; m < M; m++) {
    // No yield before the first sample's greedy plan: an abort one turn in still gets a plan.
    if (m === 0 ? run.shouldStop() : await run.tick()) break;
    const sample = draw(run.rng, N);
    setWarnings = sample.warnings;
    const ev = new ScenarioEvaluator(sample);
    // Made even when the run stopped during the draw: an abort at any later moment has a plan to return.
    if (m === 0) early = await greedyPlan(sample, ev, run);
    // Its estimate on `samples` fresh scenarios now (a few ms), so that a stop during the first
    // sample problem answers at once; a stop before then estimates it afterwards (upperSide).
    if (m === 0 && early !== null && !run.shouldStop()) earlyUpper = await estimate(early);
    // Drawing a sample builds a scenario set (validated, costs per scenario): a checkpoint.
    if (await run.tick()) break;
    const out = sample.capacitated
      ? await extensiveForm(sample, ev, run, { kind: 'expected' }, options.backend ? { backend: options.backend } : {})
      : await uflEquivalent(sample, ev, run);
    if (out.bound === Infinity && out.proven) return { infeasibleSample: m + 1 };
    if (!out.open || !Number.isFinite(out.bound)) break;
    if (!out.proven) unproven++;
    // The proven bound (= optimum when solved) keeps the estimator's expectation below z*.
    // The evaluation over the sample yields between scenarios; a stop during it keeps the bound.
    const sampleValue = out.proven ? await ev.evaluateAsync(out.open, run) : null;
    sampleOptima.push(sampleValue !== null ? Math.min(out.bound, sampleValue.expected) : out.bound);
    const key = Array.from(out.open).join('');
    if (!candidates.has(key)) candidates.set(key, out.open);
    run.progress({ phase: 'saa-samples', iterations: m + 1, fraction: (m + 1) / M });
  }
  return { sampleOptima, candidates, unproven, setWarnings, early, earlyUpper };
}

/**
 * The plan SAA returns when it is stopped before its first sample problem is solved (issue
 * 13: an abort then returned no solution): the JMS greedy (ratio 1.61 for metric UFL) on
 * the sample's mean serving costs, c_ij = the expected min(e^s_ij, penalty x demand^s_j) over
 * the scenarios where site i serves client j, capacities ignored. A few ms: N x sites x
 * clients reads (the costs stay cached for the sample problem) and one greedy. A stop cuts
 * the mean short (it keeps the scenarios read, at least one) and ends the greedy with
 * cheapest-site connections, so a plan always comes out (a stop during the first scenario
 * leaves the greedy the sites of the rows read so far, at least 8); its value is estimated afterwards
 * on fresh scenarios like any candidate, and it never enters an unstopped run's answer.
 */
async function greedyPlan(sample: ScenarioSet, ev: ScenarioEvaluator, run: SolveRun): Promise<Uint8Array> {
  const { base, scenarios, penalty } = sample;
  const { nSites: S, nClients: C } = base;
  const sum = new Float64Array(S * C);
  const mass = new Float64Array(S * C);
  const unserved = new Float64Array(C);
  scenarioLoop: for (let s = 0; s < scenarios.length; s++) {
    if (s > 0 && (await run.tick())) break;
    const { probability: p, demand } = scenarios[s]!;
    if (p === 0) continue;
    // An absent client costs 0 everywhere (and Infinity x 0 is not a number).
    for (let j = 0; j < C; j++) unserved[j] = demand[j]! === 0 ? 0 : penalty * demand[j]!;
    const e = ev.costs(s);
    for (let i = 0; i < S; i++) {
      // One scenario in cold code took ~11 ms on 50 x 500 (issue 13): a checkpoint every 8
      // site rows. A scenario cut short leaves the rows it reached averaged over one
      // scenario more; during the first one, the sites of the rows not reached have no
      // mean (Infinity) and the greedy plan opens among the first ones only.
      if ((i & 7) === 7 && (await run.tick())) break scenarioLoop;
      for (let j = 0, k = i * C; j < C; j++, k++) {
        const v = Math.min(e[k]!, unserved[j]!);
        if (v < Infinity) {
          sum[k]! += p * v;
          mass[k]! += p;
        }
      }
    }
  }
  for (let k = 0; k < sum.length; k++) sum[k] = mass[k]! > 0 ? sum[k]! / mass[k]! : Infinity;
  const meanUfl: FacilityProblem = { ...base, variant: 'ufl', c: sum, cap: new Float64Array(S).fill(Infinity), capacitated: false, p: 0 };
  return runStepsAsync(jmsGreedySteps(meanUfl, () => run.shouldStop()), run);
}

/**
 * Upper side: the candidates evaluated exactly on a small listed set, or screened on one
 * sample of N' scenarios with the winner evaluated on a fresh one (an unbiased estimate).
 * The evaluations yield between scenarios; once the run has stopped (abort, time limit)
 * the screening ends and the winner is evaluated on a fresh sample of only `stopSize`
 * scenarios (the sample-problem size): still an unbiased estimate, with the wider
 * confidence interval its size gives, instead of thousands of scenarios after the stop.
 * A stop during that evaluation keeps the scenarios it reached (freshEstimate).
 */
async function upperSide(
  draw: Draw,
  listed: ScenarioSet | null,
  candidates: Map<string, Uint8Array>,
  run: SolveRun,
  Neval: number,
  stopSize: number,
): Promise<{ bestOpen: Uint8Array; bestEvaluation: ScenarioEvaluation; upperEstimate: number; upperStdError: number; exactEval: boolean; evalSet: ScenarioSet }> {
  // A run stopped already evaluates on a fresh sample of `stopSize` scenarios below, not on
  // every scenario of a large listed set (each one a pass over sites x clients).
  if (listed !== null && listed.scenarios.length <= Neval && !(run.shouldStop() && listed.scenarios.length > stopSize)) {
    // Stopped already: one candidate is evaluated, without the cache (its open sites' rows
    // only, a fraction of the full cost matrices a cache fills).
    const ev = run.shouldStop() ? new ScenarioEvaluator(listed, 0) : new ScenarioEvaluator(listed);
    // The first candidate is always evaluated in full (it is the answer on a stop), still
    // yielding between scenarios: a run of its own that never stops gives it the checkpoints.
    const unstoppable = new SolveRun({}, run.method, run.sense);
    let best: { open: Uint8Array; e: ScenarioEvaluation } | null = null;
    for (const open of candidates.values()) {
      const e: ScenarioEvaluation | null = await ev.evaluateAsync(open, best === null ? unstoppable : run);
      if (e === null) break;
      if (!best || e.expected < best.e.expected) best = { open, e };
    }
    return { bestOpen: best!.open, bestEvaluation: best!.e, upperEstimate: best!.e.expected, upperStdError: 0, exactEval: true, evalSet: listed };
  }
  let bestOpen: Uint8Array = candidates.values().next().value!;
  if (candidates.size > 1 && !run.shouldStop()) {
    const ev = new ScenarioEvaluator(draw(run.rng, Neval), 0);
    let best = Infinity;
    for (const open of candidates.values()) {
      const e = await ev.evaluateAsync(open, run);
      if (e === null) break;
      if (e.expected < best) {
        best = e.expected;
        bestOpen = open;
      }
    }
  }
  const { set: evalSet, evaluation: bestEvaluation } = await freshEstimate(draw, bestOpen, run, run.shouldStop() ? Math.min(Neval, Math.max(2, stopSize)) : Neval, stopSize);
  const costs = bestEvaluation.recourse;
  const mean = meanOf(costs);
  return { bestOpen, bestEvaluation, upperEstimate: bestEvaluation.openingCost + mean, upperStdError: Math.sqrt(varianceOf(costs, mean) / costs.length), exactEval: false, evalSet };
}

type UpperSide = Awaited<ReturnType<typeof upperSide>>;

/**
 * After a stop, the plan's estimate goes on for at most this long (and to at least two
 * scenarios, the fewest a standard error needs): a cold pass over 50 fresh scenarios took
 * 20-35 ms on 50 x 500 after an abort (issue 13).
 */
const POST_STOP_MS = 4;

/**
 * The open set evaluated on a fresh sample of `size` scenarios. A stop keeps the scenarios
 * evaluated by then: if fewer than `stopSize`, more are added for POST_STOP_MS (at least
 * two in all). The first k scenarios of an independent sample are an independent sample of
 * k (their number depends on the clock, not on their costs), so the estimate stays
 * unbiased; its sample size is what the statistics report, and the t-interval widens with it.
 */
async function freshEstimate(draw: Draw, open: Uint8Array, run: SolveRun, size: number, stopSize: number): Promise<{ set: ScenarioSet; evaluation: ScenarioEvaluation }> {
  const set = draw(run.rng, size);
  let stoppedAt = -1;
  const more = (done: number): boolean => {
    if (done < 2) return true;
    if (stoppedAt < 0) stoppedAt = performance.now();
    return done < stopSize && performance.now() - stoppedAt < POST_STOP_MS;
  };
  const { evaluation, count } = await new ScenarioEvaluator(set, 0).evaluatePrefixAsync(open, run, more);
  return count === set.scenarios.length ? { set, evaluation } : prefixEvaluation(set, evaluation, count);
}

/**
 * The upper side for the set of every allowed site, evaluated on the same scenarios; null when
 * even its expected cost is infinite. Judged on the expectation, not the worst scenario: a
 * listed scenario of probability 0 that no set can serve does not make the problem infeasible
 * (the status audit, seed 6061: an abort before the first sample problem answered
 * `infeasible` on such a set, whose optimum is 175).
 */
function mostOpenUpper(evalSet: ScenarioSet, exactEval: boolean): UpperSide | null {
  const open = mostOpenSet(evalSet);
  const evaluation = new ScenarioEvaluator(evalSet, exactEval ? undefined : 0).evaluate(open);
  const upperEstimate = exactEval ? evaluation.expected : evaluation.openingCost + meanOf(evaluation.recourse);
  if (!(upperEstimate < Infinity)) return null;
  const upperStdError = exactEval ? 0 : Math.sqrt(varianceOf(evaluation.recourse, upperEstimate - evaluation.openingCost) / evaluation.recourse.length);
  return { bestOpen: open, bestEvaluation: evaluation, upperEstimate, upperStdError, exactEval, evalSet };
}

function meanOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]!;
  return s / a.length;
}

function varianceOf(a: ArrayLike<number>, mean: number): number {
  if (a.length < 2) return 0;
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - mean) ** 2;
  return s / (a.length - 1);
}
