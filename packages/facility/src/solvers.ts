import { checkMemory, checkModelFeatures, checkModelShape, hasSolution, ModelError, runSteps, runStepsAsync, runStepsUnlessStopped, withWarnings, SolveRun, type Guarantee, type PlacementModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { lagrangianSearch, pausableSearch, type Incumbent, type SearchHooks, type SearchResult } from './branch-and-bound.js';
import { assignmentIncumbent, CflEvaluator, closeIdleSteps, coverDemand, firstFitSplitPlan, freeAfterRoot, improveAssignmentSteps, openSetKey, swapSearchFromRoot, siteLocalSearchSteps, uncapacitatedBounder, wideAfterRoot } from './capacitated.js';
import { regretAssignSteps } from './sscfl-assign.js';
import { isSmallCfl, smallCflSearch } from './cfl-small.js';
import { greedyAddSteps, jmsGreedySteps } from './greedy.js';
import { Interchange } from './interchange.js';
import { solveMip } from './mip.js';
import { honoursAffinityByUnits, solveOverAffinityUnits } from './affinity.js';
import { FACILITY_FEATURES } from './features.js';
import { singleSourceSearch } from './single-source.js';
import { prepareProblemSteps, unitCostsSteps, type FacilityProblem, type FacilityVariant, type Prepared } from './problem.js';
import { toSolution, type FacilitySolution, type RawSolution } from './solution.js';

export const UFL_METHODS = ['auto', 'greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'mip'] as const;
export const CFL_METHODS = ['auto', 'greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'mip'] as const;
export const SSCFL_METHODS = ['auto', 'greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'mip'] as const;
export const PMEDIAN_METHODS = ['auto', 'greedy', 'interchange', 'lagrangian', 'branch-and-bound', 'mip'] as const;

export type UflMethod = (typeof UFL_METHODS)[number];
export type CflMethod = (typeof CFL_METHODS)[number];
export type SscflMethod = (typeof SSCFL_METHODS)[number];
export type PMedianMethod = (typeof PMEDIAN_METHODS)[number];

export interface FacilityOptions extends SolveOptions {
  /** MIP backend of the `mip` method (default highs). */
  backend?: 'highs' | 'glpk' | 'jslp';
}

export interface PMedianOptions extends FacilityOptions {
  /** Number of sites to open. */
  p: number;
}

const EXACT: Guarantee = { kind: 'exact' };
const HEURISTIC: Guarantee = { kind: 'heuristic' };

/** Uncapacitated facility location: min sum f_i y_i + sum c_ij x_ij, every client at one open site. */
export function solveUfl(model: PlacementModel, options: FacilityOptions = {}): Promise<Result<FacilitySolution>> {
  return solveFacility(model, 'ufl', options, UFL_METHODS);
}

/** Capacitated facility location with split demand (the seed formulation, dimension 0 of demand/capacity). */
export function solveCfl(model: PlacementModel, options: FacilityOptions = {}): Promise<Result<FacilitySolution>> {
  return solveFacility(model, 'cfl', options, CFL_METHODS);
}

/** Single-source capacitated facility location: each client wholly at one site. */
export function solveSscfl(model: PlacementModel, options: FacilityOptions = {}): Promise<Result<FacilitySolution>> {
  return solveFacility(model, 'sscfl', options, SSCFL_METHODS);
}

/** p-median: exactly p sites, no opening cost, min sum_j c(j, nearest open site). */
export function solvePMedian(model: PlacementModel, options: PMedianOptions): Promise<Result<FacilitySolution>> {
  return solveFacility(model, 'pmedian', options, PMEDIAN_METHODS);
}

/** Default budget of `auto` when the caller gives no time limit (large instances only). */
function autoBudgetMs(model: PlacementModel, variant: FacilityVariant): number | undefined {
  if (!(model.nSites * model.nClients > 10_000)) return undefined;
  return variant === 'cfl' || variant === 'sscfl' ? 50_000 : 6_500;
}


/**
 * Working memory per sites x clients cell, in bytes: the cost copy and the greedy's
 * sort order (all methods), the interchange tables (uncapacitated), the unit costs, their
 * transpose and the flows of the transportation (split demand); a MIP adds a column and
 * about three nonzeros per cell, several times over inside HiGHS.
 */
function bytesPerCell(variant: FacilityVariant, method: string): number {
  const base = 12 + (variant === 'ufl' || variant === 'pmedian' ? 24 : 36);
  const mip = method === 'mip' || (method === 'auto' && (variant === 'cfl' || variant === 'sscfl'));
  return base + (mip ? 240 : 0);
}

/** Refuses instances whose working memory would exceed the budget, before allocating any of it. */
function guardMemory(model: PlacementModel, variant: FacilityVariant, method: string, options: FacilityOptions): void {
  if (model === null || typeof model !== 'object') return; // prepareProblem names the error
  const cells = model.nSites * model.nClients;
  if (!Number.isFinite(cells)) return;
  checkMemory(`${variant}:${method}`, `a ${model.nSites} x ${model.nClients} sites x clients problem`, cells * bytesPerCell(variant, method), options);
}

/** How long the setup may go on after a stop (see solveFacility): within the 50 ms abort target with room for the plan after it. */
const SETUP_GRACE_MS = 20;

async function solveFacility(
  model: PlacementModel,
  variant: FacilityVariant,
  options: FacilityOptions & { p?: number },
  methods: readonly string[],
): Promise<Result<FacilitySolution>> {
  // The direct entries bypass the method table's shape check: a malformed model is a ModelError naming its field, not a TypeError.
  checkModelShape(model);
  const method = options.method ?? 'auto';
  if (!methods.includes(method)) throw new ModelError('options.method', `${JSON.stringify(method)} is not a ${variant} method; methods: ${methods.join(', ')}`);
  guardMemory(model, variant, method, options);
  if (honoursAffinityByUnits(variant, model)) {
    return solveOverAffinityUnits(model, variant, method, options, (units) => solveFacility(units, variant, options, methods));
  }
  // The run (clock, deadline, signal) starts before the setup: the model copy of a large
  // instance is part of what the time limit bounds. The setup yields to the event loop; after
  // a stop it is finished when it is nearly done (SETUP_GRACE_MS), so that the first cheap
  // plan that follows it is returned, and abandoned otherwise (51 x 25,000 costs: 120 ms).
  const budget = method === 'auto' && options.timeLimitMs === undefined ? autoBudgetMs(model, variant) : undefined;
  const run = new SolveRun(budget === undefined ? options : { ...options, timeLimitMs: budget }, `${variant}:${method}`, 'min');
  const prep = await runStepsUnlessStopped(prepareProblemSteps(model, variant, options.p), run, SETUP_GRACE_MS);
  if (!prep) return run.unsolved({ status: 'no-solution', guarantee: guaranteeOf(variant, method) });
  // Features of the model this variant does not implement are named in the result, never dropped silently.
  const ignored = checkModelFeatures(model, FACILITY_FEATURES[variant], `${variant}:${method}`);
  return withWarnings(await solvePrepared(model, variant, method, prep, run, budget, options), ignored);
}

async function solvePrepared(
  model: PlacementModel,
  variant: FacilityVariant,
  method: string,
  prep: Prepared,
  run: SolveRun,
  budget: number | undefined,
  options: FacilityOptions & { p?: number },
): Promise<Result<FacilitySolution>> {
  const result = await solveRun(model, variant, method, prep, run, options);
  // The caller set no limit: say that auto's own budget, not the search, ended the run.
  if (budget !== undefined && result.stoppedBy === 'time-limit') {
    const what = hasSolution(result) ? 'the best plan found and its proven bound are returned' : 'no plan was found';
    withWarnings(result, [`${variant}:auto stopped at its default budget of ${budget / 1000} s (no timeLimitMs given): not proven optimal; ${what}. Pass timeLimitMs to choose the budget.`]);
  }
  return result;
}

async function solveRun(
  model: PlacementModel,
  variant: FacilityVariant,
  method: string,
  prep: Prepared,
  run: SolveRun,
  options: FacilityOptions & { p?: number },
): Promise<Result<FacilitySolution>> {
  const guarantee = guaranteeOf(variant, method);
  if (prep.kind === 'infeasible') return run.unsolved({ status: 'infeasible', certificate: prep.certificate, guarantee });
  const pr = prep.problem;
  const ctx: FacilityContext = { model, pr, run, method, guarantee, options };
  if (pr.nClients === 0) return trivialEmpty(ctx);
  // Setup (the model copy) is done: let timers and an abort in before the first phase.
  await run.tick();
  switch (variant) {
    case 'ufl':
    case 'pmedian':
      return solveUncapacitated(ctx);
    case 'cfl':
      return solveSplit(ctx);
    case 'sscfl':
      return solveSingleSource(ctx);
  }
}

/** What every step of one solve shares: the model, its solver view, the run, the method, its guarantee, the options. */
interface FacilityContext {
  readonly model: PlacementModel;
  readonly pr: FacilityProblem;
  readonly run: SolveRun;
  readonly method: string;
  readonly guarantee: Guarantee;
  readonly options: FacilityOptions;
}

function guaranteeOf(variant: FacilityVariant, method: string): Guarantee {
  if (method === 'branch-and-bound' || method === 'mip' || method === 'auto') return EXACT;
  if (variant === 'ufl' && method === 'greedy') return { kind: 'approximation', ratio: 1.61, assumes: 'metric costs' };
  if (variant === 'ufl' && method === 'local-search') return { kind: 'approximation', ratio: 3, assumes: 'metric costs' };
  if (variant === 'pmedian' && method === 'interchange') return { kind: 'approximation', ratio: 5, assumes: 'metric costs' };
  return HEURISTIC;
}

function finish(
  ctx: FacilityContext,
  inc: Incumbent | null,
  extra: { bound?: number; proven?: boolean; iterations?: number; stats?: Record<string, string | number | boolean | undefined>; warnings?: string[] } = {},
): Result<FacilitySolution> {
  const { model, pr, run, guarantee } = ctx;
  if (!inc) {
    return run.unsolved({
      status: 'no-solution',
      guarantee,
      ...(extra.bound !== undefined ? { bound: extra.bound } : {}),
      ...(extra.stats ? { stats: extra.stats } : {}),
    });
  }
  const { solution, objective } = toSolution(model, pr, inc.solution);
  return run.solved({
    solution,
    objective,
    guarantee,
    ...(extra.bound !== undefined && Number.isFinite(extra.bound) ? { bound: extra.bound } : {}),
    ...(extra.proven ? { proven: true } : {}),
    ...(extra.iterations !== undefined ? { iterations: extra.iterations } : {}),
    ...(extra.stats ? { stats: extra.stats } : {}),
    ...(extra.warnings ? { warnings: extra.warnings } : {}),
  });
}

function trivialEmpty(ctx: FacilityContext): Result<FacilitySolution> {
  const { pr } = ctx;
  const open = new Uint8Array(pr.nSites);
  for (let i = 0; i < pr.nSites; i++) if (pr.mustOpen[i]) open[i] = 1;
  if (pr.variant === 'pmedian') {
    let count = 0;
    for (let i = 0; i < pr.nSites; i++) count += open[i]!;
    for (let i = 0; i < pr.nSites && count < pr.p; i++) {
      if (!open[i] && !pr.forbidden[i]) {
        open[i] = 1;
        count++;
      }
    }
  }
  const raw: RawSolution = { open, assign: new Int32Array(0), ...(pr.variant === 'cfl' ? { flows: [] } : {}) };
  let value = 0;
  if (pr.variant !== 'pmedian') for (let i = 0; i < pr.nSites; i++) if (open[i]) value += pr.f[i]!;
  return finish(ctx, { value, solution: raw }, { proven: true, bound: value });
}

// ---------------------------------------------------------------- UFL and p-median

/** Cost of an open set with each client at its closest open site (the first wins ties). */
function closestValue(pr: FacilityProblem, open: Uint8Array): Incumbent | null {
  return runSteps(closestValueSteps(pr, open));
}

/** `closestValue` in steps: a checkpoint every 2^16 entries (17 ms in one go at 151 x 450,000). */
export function* closestValueSteps(pr: FacilityProblem, open: Uint8Array): Steps<Incumbent | null> {
  const { nSites: S, nClients: C, c } = pr;
  let count = 0;
  for (let i = 0; i < S; i++) {
    if (open[i]) count++;
    if ((open[i] && pr.forbidden[i]) || (!open[i] && pr.mustOpen[i])) return null;
  }
  if (pr.variant === 'pmedian' && count !== pr.p) return null;
  const assign = new Int32Array(C);
  const best = new Float64Array(C).fill(Infinity);
  let value = 0;
  let work = 0;
  for (let i = 0; i < S; i++) {
    if (!open[i]) continue;
    if ((work += C) >= 1 << 16) {
      work = 0;
      yield;
    }
    value += pr.f[i]!;
    for (let j = 0, row = i * C; j < C; j++) {
      if (c[row + j]! < best[j]!) {
        best[j] = c[row + j]!;
        assign[j] = i;
      }
    }
  }
  for (let j = 0; j < C; j++) {
    if (best[j] === Infinity) return null;
    value += best[j]!;
  }
  return { value, solution: { open: Uint8Array.from(open), assign } };
}

function fromInterchange(pr: FacilityProblem, ls: Interchange): Incumbent | null {
  if (!ls.feasible()) return null;
  return closestValue(pr, ls.open);
}

function uncapacitatedHooks(pr: FacilityProblem, run: SolveRun, ls: Interchange): SearchHooks {
  const mode = pr.variant === 'pmedian' ? 'swap' : 'ufl';
  let bestSeen = Infinity;
  /** The closest-site plan of the selection, polished by the interchange (checkpoints after every move) when promising. */
  function* heuristicSteps(sel: Uint8Array, _rho: Float64Array, _fixed: Int8Array, deep: boolean): Steps<Incumbent | null> {
    const quick = closestValue(pr, sel);
    if (!quick) return null;
    let out = quick;
    if (deep || quick.value < bestSeen * (1 + 1e-3)) {
      yield* ls.setOpenSteps(sel);
      yield* ls.descendSteps(mode, () => run.shouldStop());
      const polished = fromInterchange(pr, ls);
      if (polished && polished.value < out.value) out = polished;
    }
    if (out.value < bestSeen) bestSeen = out.value;
    return out;
  }
  return {
    heuristicSteps,
    heuristic: (sel, rho, fixed, deep) => runSteps(heuristicSteps(sel, rho, fixed, deep)),
    leaf: (open) => closestValue(pr, open),
  };
}

async function solveUncapacitated(ctx: FacilityContext): Promise<Result<FacilitySolution>> {
  const { pr, run, method } = ctx;
  const pmed = pr.variant === 'pmedian';
  const mode = pmed ? 'swap' : 'ufl';
  // The interchange tables copy the S x C costs: a stop during that copy ends the solve
  // at once (nothing found yet) instead of finishing it in one stretch.
  const ls = await runStepsUnlessStopped(Interchange.createSteps(pr), run);
  if (!ls) return finish(ctx, null);
  run.progress({ phase: 'greedy' }, true);
  let startOpen: Uint8Array;
  let inc: Incumbent | null;
  if (pmed) {
    startOpen = await runStepsAsync(greedyAddSteps(pr, ls, pr.p, () => run.shouldStop()), run);
    inc = await runStepsAsync(closestValueSteps(pr, startOpen), run);
  } else ({ open: startOpen, inc } = await runStepsAsync(pruneUnusedSteps(pr, await runStepsAsync(jmsGreedySteps(pr, () => run.shouldStop()), run)), run));
  if (method === 'greedy') return finishOrProve(ctx, inc);
  let moves = 0;
  // Stopped already: the greedy's plan is the answer; the tables' rebuild (O(S C)) is skipped.
  if (!run.shouldStop()) {
    await runStepsAsync(ls.setOpenSteps(startOpen), run);
    moves = await runStepsAsync(ls.descendSteps(mode, () => run.shouldStop()), run);
    const polished = ls.feasible() ? await runStepsAsync(closestValueSteps(pr, ls.open), run) : null;
    if (polished && (!inc || polished.value < inc.value)) inc = polished;
  }
  await run.tick();
  if (pmed && method !== 'interchange') inc = await runStepsAsync(restartsSteps(pr, run, ls, inc), run);
  await run.tick();
  run.progress({ phase: 'local-search', ...(inc ? { incumbent: inc.value } : {}) }, true);
  if (method === 'local-search' || method === 'interchange') return finishOrProve(ctx, inc, { stats: { moves } });
  if (method === 'mip') return mipMethod(ctx, inc);
  // Stopped: the plan, without the search's setup (~6 ms at 51 x 100,000).
  if (run.shouldStop()) return finish(ctx, inc, { stats: { moves } });
  const report = reporter(ctx);
  report?.(inc);
  const search = await lagrangianSearch(pr, run, uncapacitatedHooks(pr, run, ls), inc, {
    ...(report ? { report } : {}),
    rootIterations: 2000,
    nodeIterations: pmed ? 60 : 80,
    branch: method !== 'lagrangian',
    phase: method === 'lagrangian' ? 'lagrangian' : 'branch-and-bound',
    // One pass over the costs (more when they are fractional): not worth it once stopped.
    granule: run.shouldStop() ? 0 : objectiveGranule(pr),
  });
  if (!search.incumbent && method === 'lagrangian' && !run.shouldStop()) return mipMethod(ctx, null);
  return finishSearch(ctx, search);
}

/**
 * A heuristic's answer, except when it found no plan and was not stopped: with allowed pairs
 * a p-median can have no p sites serving every client (a set cover), which no heuristic can
 * tell from a miss, so the exact MIP decides it instead of 'no-solution' with nothing stopping it.
 */
function finishOrProve(ctx: FacilityContext, inc: Incumbent | null, extra: Parameters<typeof finish>[2] = {}): Promise<Result<FacilitySolution>> | Result<FacilitySolution> {
  if (!inc && !ctx.run.shouldStop()) return mipMethod(ctx, null);
  return finish(ctx, inc, extra);
}

/**
 * The granule of single-assignment objectives: the smallest 1/k (k among a few
 * decimal/binary scales) such that every cost is a multiple of it; 0 when none fits.
 */
function objectiveGranule(pr: FacilityProblem): number {
  if (pr.variant === 'cfl') return 0;
  const scales = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000];
  for (const k of scales) if (allMultiples(pr.c, k) && allMultiples(pr.f, k)) return 1 / k;
  return 0;
}

/** True when every finite value times k is an integer (within rounding); stops at the first that is not. */
function allMultiples(values: Float64Array, k: number): boolean {
  for (let t = 0; t < values.length; t++) {
    const v = values[t]!;
    if (v === Infinity) continue;
    const x = v * k;
    if (Math.abs(x - Math.round(x)) > 1e-9 * Math.max(1, Math.abs(x))) return false;
  }
  return true;
}

/**
 * p-median: interchange from random p-sets (seeded by run.rng). Small p has weak
 * Lagrangian bounds and many local optima, so a few restarts pay off; they take at most
 * about a tenth of the time budget.
 */
function* restartsSteps(pr: FacilityProblem, run: SolveRun, ls: Interchange, inc: Incumbent | null): Steps<Incumbent | null> {
  const S = pr.nSites;
  const count = pr.p <= 25 ? 12 : 4;
  const budgetMs = run.remainingMs() === Infinity ? Infinity : 0.1 * run.remainingMs();
  const t0 = run.elapsedMs();
  const usable: number[] = [];
  for (let i = 0; i < S; i++) if (!pr.forbidden[i] && !pr.mustOpen[i]) usable.push(i);
  let nMust = 0;
  for (let i = 0; i < S; i++) nMust += pr.mustOpen[i]!;
  for (let r = 0; r < count; r++) {
    if (run.shouldStop() || run.elapsedMs() - t0 > budgetMs) break;
    const open = new Uint8Array(S);
    for (let i = 0; i < S; i++) if (pr.mustOpen[i]) open[i] = 1;
    const perm = run.rng.permutation(usable.length);
    for (let k = 0; k < pr.p - nMust && k < usable.length; k++) open[usable[perm[k]!]!] = 1;
    yield* ls.setOpenSteps(open);
    yield* ls.descendSteps('swap', () => run.shouldStop());
    const cand = fromInterchange(pr, ls);
    if (cand && (!inc || cand.value < inc.value)) inc = cand;
  }
  return inc;
}

/**
 * Sends improved incumbents to options.onIncumbent in domain terms (the solver pool returns
 * the last one if it has to kill the worker). Improvements are rare next to the work that
 * finds them, so each is reported; nothing is built when nobody listens.
 */
function reporter(ctx: FacilityContext): ((inc: Incumbent | null) => void) | undefined {
  const { model, pr, run } = ctx;
  if (!run.options.onIncumbent) return undefined;
  return (inc) => {
    if (!inc) return;
    const { solution, objective } = toSolution(model, pr, inc.solution);
    run.incumbent(objective, () => solution, true);
  };
}

function finishSearch(ctx: FacilityContext, search: SearchResult): Result<FacilitySolution> {
  const { run, guarantee } = ctx;
  if (search.complete && !search.incumbent) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      iterations: search.iterations,
      stats: { nodes: search.nodes },
      certificate: { reason: 'branch-and-bound over every open/closed combination found no feasible solution (allowed pairs, pre-opened sites and p / capacities conflict)', fields: ['allowed', 'mustOpen', 'forbidden'] },
    });
  }
  return finish(ctx, search.incumbent, {
    bound: search.bound,
    proven: search.complete,
    iterations: search.iterations,
    stats: { nodes: search.nodes, fixedAtRoot: search.fixedAtRoot, searchComplete: search.complete },
  });
}

/** Closes sites (other than mustOpen) nobody uses; the plan keeps its assignment (first closest wins ties), priced without a second pass. */
function* pruneUnusedSteps(pr: FacilityProblem, open: Uint8Array): Steps<{ open: Uint8Array; inc: Incumbent | null }> {
  const inc = yield* closestValueSteps(pr, open);
  if (!inc) return { open, inc };
  const { nSites: S, nClients: C } = pr;
  const { assign } = inc.solution;
  const out = new Uint8Array(S);
  for (let j = 0; j < C; j++) out[assign[j]!] = 1;
  let value = inc.value;
  for (let i = 0; i < S; i++) {
    if (pr.mustOpen[i]) out[i] = 1;
    if (open[i] && !out[i]) value -= pr.f[i]!;
  }
  return { open: out, inc: { value, solution: { open: Uint8Array.from(out), assign } } };
}

async function mipMethod(ctx: FacilityContext, warm: Incumbent | null, polish?: (open: Uint8Array) => Promise<Incumbent | null>): Promise<Result<FacilitySolution>> {
  const { pr, run, guarantee, options } = ctx;
  run.progress({ phase: 'mip', ...(warm ? { incumbent: warm.value } : {}) }, true);
  const out = await solveMip(pr, run, { warm: warm ? warm.solution : null, ...(options.backend ? { backend: options.backend } : {}) });
  let inc = warm;
  if (out.solution) {
    // Re-derive the serving part exactly from the open set (rounding of backend values).
    const exact = polish ? await polish(out.solution.open) : pr.variant === 'sscfl' ? ssFromMip(pr, out.solution) : closestValue(pr, out.solution.open);
    if (exact && (!inc || exact.value < inc.value)) inc = exact;
  }
  if (!inc && out.status === 'infeasible') return mipInfeasible(run, guarantee, out);
  return finish(ctx, inc, {
    ...(out.bound !== undefined ? { bound: out.bound } : {}),
    proven: out.proven && inc !== null && out.solution !== null && inc.value <= (out.bound ?? Infinity) * (1 + 1e-9) + 1e-9,
    stats: { backend: out.backend, backendStatus: out.status, variables: out.variables },
    ...(out.warnings ? { warnings: out.warnings } : {}),
  });
}

/** The MIP (over every feasible open/assign combination) proved that none exists. */
function mipInfeasible(run: SolveRun, guarantee: Guarantee, out: { backend: string; status: string }): Result<FacilitySolution> {
  return run.unsolved({
    status: 'infeasible',
    guarantee,
    stats: { backend: out.backend, backendStatus: out.status },
    certificate: { reason: `the exact MIP (${out.backend}) proved that no assignment meets the capacities, allowed pairs and pre-opened/forbidden sites`, fields: ['capacity', 'demand', 'allowed', 'mustOpen', 'forbidden'] },
  });
}

function ssFromMip(pr: FacilityProblem, s: RawSolution): Incumbent | null {
  const load = new Float64Array(pr.nSites);
  let value = 0;
  for (let i = 0; i < pr.nSites; i++) if (s.open[i]) value += pr.f[i]!;
  for (let j = 0; j < pr.nClients; j++) {
    const i = s.assign[j]!;
    if (i < 0 || !s.open[i]) return null;
    load[i]! += pr.d[j]!;
    value += pr.c[i * pr.nClients + j]!;
  }
  for (let i = 0; i < pr.nSites; i++) if (load[i]! > pr.cap[i]! * (1 + 1e-9) + 1e-9) return null;
  return { value, solution: { open: Uint8Array.from(s.open), assign: Int32Array.from(s.assign) } };
}

// ---------------------------------------------------------------- split-demand CFL

/** The split-demand start: the JMS greedy's sites (or `greedyOpen`, when the caller has run that greedy on the same costs) carried by a transportation. */
async function cflStart(pr: FacilityProblem, run: SolveRun, evaluator: CflEvaluator, greedyOpen?: Uint8Array): Promise<Incumbent | null> {
  const open = greedyOpen ? Uint8Array.from(greedyOpen) : await runStepsAsync(jmsGreedySteps(pr, () => run.shouldStop()), run);
  // Stopped: no transportation (hundreds of augmenting paths at 100 x 1000); the caller has its first-fit plan.
  if (run.shouldStop() || !coverDemand(pr, open)) return null;
  let inc = await runStepsAsync(evaluator.evaluateSteps(open), run);
  if (!inc) {
    if (run.shouldStop()) return null;
    // `allowed` can strand capacity: open everything usable as a last resort.
    const all = new Uint8Array(pr.nSites);
    for (let i = 0; i < pr.nSites; i++) all[i] = pr.forbidden[i] ? 0 : 1;
    inc = await runStepsAsync(evaluator.evaluateSteps(all), run);
    if (!inc) return null;
  }
  if (run.shouldStop()) return inc;
  return runStepsAsync(closeIdleSteps(pr, inc, evaluator), run);
}

/** sumV + sum_{i open} rho_i: a lower bound on every split-demand solution opening exactly `open` (Infinity-free rho only). */
function setBound(open: Uint8Array, rho: Float64Array, sumV: number): number {
  let b = sumV;
  for (let i = 0; i < open.length; i++) if (open[i]) b += rho[i]!;
  return Number.isFinite(b) ? b : -Infinity;
}

/** How many of the tree's best distinct plans reducedMip hands to the swap search's kicks. */
const TREE_PLANS = 32;

/** The `TREE_PLANS` cheapest distinct plans offered (by open set), cheapest first (earlier first among equals). */
class TreePlans {
  readonly list: Incumbent[] = [];
  private readonly keys = new Set<string>();

  offer(inc: Incumbent): void {
    const { list } = this;
    if (list.length >= TREE_PLANS && inc.value >= list[list.length - 1]!.value) return;
    const key = openSetKey(inc.solution.open);
    if (this.keys.has(key)) return;
    let at = list.length;
    while (at > 0 && list[at - 1]!.value > inc.value) at--;
    list.splice(at, 0, inc);
    this.keys.add(key);
    if (list.length > TREE_PLANS) this.keys.delete(openSetKey(list.pop()!.solution.open));
  }
}

function cflHooks(pr: FacilityProblem, run: SolveRun, evaluator: CflEvaluator, start: Incumbent | null, plans?: TreePlans): SearchHooks {
  let bestSeen = start ? start.value : Infinity;
  const small = pr.nSites * pr.nClients <= 20_000;
  let spentMs = 0;
  let deepRuns = 0;
  const lowerBound = uncapacitatedBounder(pr);
  /** The Lagrangian heuristic: cover the demand from the selection, then one transportation (checkpoints inside). */
  function* build(sel: Uint8Array, rho: Float64Array, fixed: Int8Array, deep: boolean, sumV?: number): Steps<Incumbent | null> {
    if (run.shouldStop()) return null;
    const open = Uint8Array.from(sel);
    if (!coverDemand(pr, open, rho, fixed)) return null;
    // Skip the transportation when even the uncapacitated cost of this set is no better.
    // A deep call may still run the site local search, from a set within 0.5 % of the best.
    const lsPossible = deep && small && deepRuns < 6;
    const relaxed = closestValue(pr, open);
    if (!relaxed) return null;
    if (lsPossible ? relaxed.value > bestSeen * 1.005 : relaxed.value >= bestSeen) return null;
    // ... or when the Lagrangian bound of this very set (sumV + its rho) is no better.
    if (sumV !== undefined) {
      const lb = setBound(open, rho, sumV);
      if (lsPossible ? lb > bestSeen * 1.005 : lb >= bestSeen) return null;
    }
    let inc = yield* evaluator.evaluateSteps(open, lsPossible ? Infinity : bestSeen);
    if (!inc) return null;
    inc = yield* closeIdleSteps(pr, inc, evaluator);
    // Site local search only from promising sets, and a few times per search.
    if (lsPossible && inc.value <= bestSeen * 1.005 && !run.shouldStop()) {
      deepRuns++;
      // Candidates are screened by the better of the uncapacitated and the Lagrangian set bounds.
      const screen = sumV === undefined ? lowerBound : (o: Uint8Array) => Math.max(lowerBound(o), setBound(o, rho, sumV));
      const ls = yield* siteLocalSearchSteps(pr, inc.solution.open, (o) => evaluator.valueSteps(o), () => run.shouldStop(), pr.nSites <= 30, screen);
      if (ls.value < inc.value) {
        const again = yield* evaluator.evaluateSteps(ls.open);
        if (again && again.value < inc.value) inc = again;
      }
    }
    if (inc.value < bestSeen) bestSeen = inc.value;
    plans?.offer(inc);
    return inc;
  }
  function* heuristicSteps(sel: Uint8Array, rho: Float64Array, fixed: Int8Array, deep: boolean, sumV?: number): Steps<Incumbent | null> {
    // Keep the transportations to about a third of the time: the bound needs the rest.
    if (!small && spentMs > 0.35 * run.elapsedMs()) return null;
    // Time between checkpoints is the caller's (the event loop's): count only the computing.
    const steps = build(sel, rho, fixed, deep, sumV);
    let t = run.elapsedMs();
    let r = steps.next();
    while (!r.done) {
      spentMs += run.elapsedMs() - t;
      yield;
      t = run.elapsedMs();
      r = steps.next();
    }
    spentMs += run.elapsedMs() - t;
    return r.value;
  }
  return {
    nodeStride: 10,
    heuristicSteps,
    heuristic: (sel, rho, fixed, deep, sumV) => runSteps(heuristicSteps(sel, rho, fixed, deep, sumV)),
    leafSteps: (open) => evaluator.evaluateSteps(open),
    leaf: (open) => evaluator.evaluate(open),
  };
}

async function solveSplit(ctx: FacilityContext): Promise<Result<FacilitySolution>> {
  const { pr, run, method, guarantee } = ctx;
  // Small instances: the lean exact search of cfl-small.ts, with nothing in front of it (null: no first-fit plan, the path below decides).
  if (method === 'auto' && isSmallCfl(pr)) {
    const small = await smallCflSearch(pr, run, reporter(ctx));
    if (small) {
      const res = finishSearch(ctx, small);
      res.stats.transportations = small.transportations;
      return res;
    }
  }
  // A plan in O(S C) before anything else, so that an early abort or time limit still has one.
  const quick = firstFitSplitPlan(pr);
  if (quick) reporter(ctx)?.(quick);
  // Stopped: the first-fit plan, without the evaluator's O(S C) tables (37 ms at 400 x 4000).
  const unit = (await run.tick()) ? undefined : await runStepsUnlessStopped(unitCostsSteps(pr), run);
  if (!unit) return finish(ctx, quick);
  const evaluator = new CflEvaluator(pr, unit);
  evaluator.transport.stop = () => run.shouldStop();
  run.progress({ phase: 'greedy' }, true);
  await run.tick();
  let inc = run.shouldStop() ? null : await cflStart(pr, run, evaluator);
  if (quick && (!inc || quick.value < inc.value)) inc = quick;
  await run.tick();
  // Stopped before the start was built: nothing is known about feasibility.
  if (!inc && run.shouldStop()) return finish(ctx, null);
  if (!inc) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: { reason: 'no set of usable sites can serve every client within the capacities and allowed pairs', fields: ['capacity', 'allowed'] },
    });
  }
  if (method === 'greedy') return finish(ctx, inc, { stats: { transportations: evaluator.evaluations } });
  if (method === 'local-search') {
    const ls = await runStepsAsync(siteLocalSearchSteps(pr, inc.solution.open, (o) => evaluator.valueSteps(o), () => run.shouldStop(), undefined, uncapacitatedBounder(pr)), run);
    const again = await runStepsAsync(evaluator.evaluateSteps(ls.open), run);
    if (again && again.value < inc.value) inc = again;
    return finish(ctx, inc, { stats: { transportations: evaluator.evaluations } });
  }
  if (method === 'mip') return mipMethod(ctx, inc, (open) => runStepsAsync(evaluator.evaluateSteps(open), run));
  // Stopped: the plan, without the search's O(S C) setup.
  if (run.shouldStop()) return finish(ctx, inc, { stats: { transportations: evaluator.evaluations } });
  const report = reporter(ctx);
  report?.(inc);
  if (method === 'auto' && pr.nSites * pr.nClients > 20_000) return reducedMip(ctx, evaluator, inc);
  const search = await lagrangianSearch(pr, run, cflHooks(pr, run, evaluator, inc), inc, {
    ...(report ? { report } : {}),
    // 400 root iterations, not 2000: the root's slow tail costs more than the children's 60 each
    // (same optima in fewer iterations on cap41..134 and Cornuejols 30-50 x 100).
    rootIterations: 400,
    nodeIterations: 60,
    branch: method !== 'lagrangian',
    branchOnAverage: true,
    phase: method === 'lagrangian' ? 'lagrangian' : 'branch-and-bound',
  });
  const res = finishSearch(ctx, search);
  res.stats.transportations = evaluator.evaluations;
  return res;
}

/**
 * Large split-demand CFL (`auto`): Lagrangian branch-and-bound, the Lagrangian-guided swap search,
 * then the branch-and-bound again from its open nodes with the swap search's plan, or, when the
 * root's reduced-cost fixing left few sites free (not wideAfterRoot), the strong MIP on the
 * reduced problem (only the free sites' variables), warm-started from the incumbent. Valid bound:
 * every solution that breaks a fixing costs at least `fixedBelow`, so the optimum is >= min(fixedBelow, MIP bound).
 */
async function reducedMip(ctx: FacilityContext, evaluator: CflEvaluator, start: Incumbent): Promise<Result<FacilitySolution>> {
  const { pr, run, options } = ctx;
  const remaining = run.remainingMs();
  const startedMs = run.elapsedMs();
  const report = reporter(ctx);
  // The tree's heuristic plans (each node's Lagrangian selection, covered and costed): other basins
  // than the incumbent's, where the swap search's kicks start too.
  const treePlans = new TreePlans();
  const paused = await pausableSearch(pr, run, cflHooks(pr, run, evaluator, start, treePlans), start, {
    ...(report ? { report } : {}),
    rootIterations: 2000,
    nodeIterations: 60,
    branch: true,
    phase: 'branch-and-bound',
    branchOnAverage: true,
    ...(remaining !== Infinity ? { searchDeadlineMs: startedMs + BRANCH_AND_BOUND_SHARE * remaining, rootDeadlineMs: startedMs + 0.35 * remaining } : {}),
  });
  let search = paused.result;
  let inc = search.incumbent ?? start;
  const stats: Record<string, string | number | boolean | undefined> = { nodes: search.nodes, fixedAtRoot: search.fixedAtRoot, searchComplete: search.complete };
  let resumed = false;
  if (!search.complete && search.rootV && !run.shouldStop()) {
    const wide = wideAfterRoot(pr, search) && remaining !== Infinity;
    const untilMs = wide ? run.elapsedMs() + SWAP_SEARCH_SHARE * run.remainingMs() : undefined;
    const improved = await swapSearchFromRoot(pr, run, evaluator, inc, search, { backend: options.backend, report, stats, seeds: treePlans.list, untilMs });
    stats['swapSearchGain'] = inc.value - improved.value;
    if (improved.value < inc.value) {
      inc = improved;
      report?.(inc);
    }
    if (wide && !run.shouldStop()) {
      // The tree's open nodes again, pruned and fixed against the swap search's plan, up to the
      // margin the result needs (see swapSearchFromRoot).
      const budget = run.deadline - run.startedAt;
      search = await paused.resume(budget - Math.min(500, 0.03 * budget), inc);
      resumed = true;
      if (search.incumbent && search.incumbent.value < inc.value) inc = search.incumbent;
      Object.assign(stats, { nodes: search.nodes, searchComplete: search.complete, resumed });
    }
  }
  let bound = search.bound;
  let proven = search.complete;
  if (!search.complete && !resumed && search.rootFixed && search.fixedBelow !== undefined && !run.shouldStop() && inc.value - bound > run.tolerance * Math.abs(inc.value)) {
    stats['freeSitesInMip'] = freeAfterRoot(pr, search);
    const mip = await solveMip(pr, run, { fixed: search.rootFixed, warm: inc.solution, ...(options.backend ? { backend: options.backend } : {}) });
    stats['mipStatus'] = mip.status;
    if (mip.solution) {
      const exact = await runStepsAsync(evaluator.evaluateSteps(mip.solution.open), run);
      if (exact && exact.value < inc.value) {
        inc = exact;
        report?.(inc);
      }
    }
    const reducedBound = mip.proven && mip.solution ? Math.min(mip.bound ?? Infinity, inc.value) : mip.bound;
    if (reducedBound !== undefined) {
      // Solutions breaking the root fixing cost >= fixedBelow; the others >= the MIP bound.
      const combined = Math.min(search.fixedBelow, reducedBound);
      if (combined > bound) bound = combined;
    }
    if (mip.proven && inc.value <= search.fixedBelow + 1e-9 * Math.abs(inc.value)) proven = true;
  }
  stats['transportations'] = evaluator.evaluations;
  return finish(ctx, inc, { bound, proven: proven && bound >= inc.value * (1 - 1e-9) - 1e-9, iterations: search.iterations, stats });
}

/** reducedMip's first branch-and-bound share of the budget (averaged-selection branching proves with few sites fixed), then the swap search's share of the rest. */
const BRANCH_AND_BOUND_SHARE = 0.5;
const SWAP_SEARCH_SHARE = 0.4;

// ---------------------------------------------------------------- single-source CFL

/** Regret assignment of the greedy's sites, opening the cheapest site per unit of capacity until it packs: up to S assignments, so a checkpoint after each (issue 13). */
async function ssStart(pr: FacilityProblem, open: Uint8Array, run: SolveRun): Promise<Incumbent | null> {
  const o = Uint8Array.from(open);
  if (!coverDemand(pr, o)) return null;
  for (let extra = 0; extra <= pr.nSites; extra++) {
    const inc = await runStepsAsync(regretAssignSteps(pr, o, () => run.shouldStop()), run);
    if (inc) return inc;
    if (await run.tick()) return null;
    // Open the cheapest closed site per unit of capacity and retry.
    let best = -1;
    for (let i = 0; i < pr.nSites; i++) {
      if (o[i] || pr.forbidden[i]) continue;
      if (best < 0 || pr.f[i]! / Math.max(1e-12, pr.cap[i]!) < pr.f[best]! / Math.max(1e-12, pr.cap[best]!)) best = i;
    }
    if (best < 0) return null;
    o[best] = 1;
  }
  return null;
}

async function solveSingleSource(ctx: FacilityContext): Promise<Result<FacilitySolution>> {
  const { pr, run, method } = ctx;
  run.progress({ phase: 'greedy' }, true);
  const greedyOpen = await runStepsAsync(jmsGreedySteps(pr, () => run.shouldStop()), run);
  let inc = await ssStart(pr, greedyOpen, run);
  if (!inc) {
    const all = new Uint8Array(pr.nSites);
    for (let i = 0; i < pr.nSites; i++) all[i] = pr.forbidden[i] ? 0 : 1;
    inc = await runStepsAsync(regretAssignSteps(pr, all, () => run.shouldStop()), run);
  }
  // The heuristics can miss a feasible packing (single source is bin packing): without an
  // incumbent, only the exact MIP can say whether one exists, so every method ends there
  // instead of reporting 'no-solution' with nothing stopping it.
  const exhaustive = method === 'auto' || method === 'branch-and-bound';
  if (!inc && !run.shouldStop() && !exhaustive) return mipMethod(ctx, null);
  if (method === 'greedy') return finish(ctx, inc);
  const ssValue = function* (o: Uint8Array): Steps<number> {
    const r = yield* regretAssignSteps(pr, o, () => run.shouldStop());
    return r ? r.value : Infinity;
  };
  // The exact methods polish later, from better starts: here the search gets a tenth of the time.
  if (inc && !run.shouldStop() && (method === 'local-search' || !exhaustive)) {
    const ls = await runStepsAsync(siteLocalSearchSteps(pr, inc.solution.open, ssValue, () => run.shouldStop(), pr.nSites <= 30, uncapacitatedBounder(pr)), run);
    const again = run.shouldStop() ? null : await runStepsAsync(regretAssignSteps(pr, ls.open, () => run.shouldStop()), run);
    if (again && again.value < inc.value) inc = again;
  }
  // Stopped: the incumbent at once (the split guide would first build its O(S C) unit costs).
  if (method === 'local-search' || run.shouldStop()) return finish(ctx, inc);
  if (method === 'mip') return mipMethod(ctx, inc);
  // Lagrangian branch-and-bound on the single-source (knapsack) relaxation; `lagrangian` stops at the root.
  const report = reporter(ctx);
  report?.(inc);
  // The split-demand optimum (or the best split plan within a fifth of the budget) is a lower
  // bound for single source, and rounding its plan is a strong start.
  const split = await splitGuided(pr, run, greedyOpen);
  if (split.incumbent && (!inc || split.incumbent.value < inc.value)) inc = split.incumbent;
  // Stopped during the guide: the incumbent at once (the search would first build its relaxation).
  if (run.shouldStop()) return finish(ctx, inc);
  const polish = async (from: Incumbent): Promise<Incumbent | null> => {
    if (run.shouldStop()) return from;
    // Swap moves cost S^2 single-source assignments: only on small site counts.
    const until = run.elapsedMs() + (run.remainingMs() === Infinity ? 10_000 : 0.1 * run.remainingMs());
    const ls = await runStepsAsync(siteLocalSearchSteps(pr, from.solution.open, ssValue, () => run.shouldStop() || run.elapsedMs() > until, pr.nSites <= 20, uncapacitatedBounder(pr)), run);
    return runStepsAsync(regretAssignSteps(pr, ls.open, () => run.shouldStop()), run);
  };
  const search = await singleSourceSearch(pr, run, inc, {
    ...(report ? { report } : {}),
    polish,
    rootIterations: 1500,
    nodeIterations: 40,
    branch: method !== 'lagrangian',
    granule: objectiveGranule(pr),
    phase: method === 'lagrangian' ? 'lagrangian' : 'branch-and-bound',
  });
  if (split.bound > search.bound && !search.complete) search.bound = Math.min(split.bound, search.incumbent ? search.incumbent.value : Infinity);
  // Without an incumbent only an exhausted search proves infeasibility; otherwise the MIP decides.
  if (!search.incumbent && !search.complete && !run.shouldStop()) return mipMethod(ctx, null);
  return finishSearch(ctx, search);
}

/** Most time the split-demand guide of single source may take. */
const SPLIT_GUIDE_MAX_MS = 3000;

/**
 * Split-demand CFL on the same data (Lagrangian branch-and-bound for at most a tenth of the
 * remaining time limit, and at most 3 s): its proven
 * bound is a bound for single source (a restriction), and its best plan rounded to single
 * sources (each client at its largest share while room lasts) is a start.
 */
async function splitGuided(pr: FacilityProblem, run: SolveRun, greedyOpen: Uint8Array): Promise<{ incumbent: Incumbent | null; bound: number }> {
  const split: FacilityProblem = { ...pr, variant: 'cfl' };
  const unit = await runStepsUnlessStopped(unitCostsSteps(split), run);
  if (!unit) return { incumbent: null, bound: -Infinity };
  const evaluator = new CflEvaluator(split, unit);
  const remaining = run.remainingMs();
  // At most 3 s and a tenth of the time left: its bound rarely beats the single-source root's;
  // its use is mostly the rounded start.
  const budget = Math.min(SPLIT_GUIDE_MAX_MS, remaining === Infinity ? SPLIT_GUIDE_MAX_MS : 0.1 * remaining);
  // The start's transportations count against the budget too (one cut short reads as no start).
  const startDeadline = run.elapsedMs() + budget;
  evaluator.transport.stop = () => run.shouldStop() || run.elapsedMs() > startDeadline;
  const start = await cflStart(split, run, evaluator, greedyOpen);
  if (!start || run.shouldStop() || run.elapsedMs() > startDeadline) return { incumbent: null, bound: -Infinity };
  evaluator.transport.stop = () => run.shouldStop();
  const search = await lagrangianSearch(split, run, cflHooks(split, run, evaluator, start), start, {
    rootIterations: 2000,
    nodeIterations: 60,
    branch: true,
    phase: 'split relaxation',
    relaxation: true,
    searchDeadlineMs: startDeadline,
    rootDeadlineMs: startDeadline - 0.2 * budget,
  });
  // Stopped: no rounding (O(C log C) plus an assignment polish, ~80 ms at 100 x 1000); a stop can
  // also cut a transportation short (read as infeasible), so the bound is not used either.
  if (run.shouldStop()) return { incumbent: null, bound: -Infinity };
  const best = search.incumbent ?? start;
  return { incumbent: await runStepsAsync(roundSplitPlanSteps(pr, best.solution), run), bound: search.bound };
}

/** A single-source plan from a split one: heaviest clients first, each at its largest share's site while it has room, else the cheapest open site with room. */
function* roundSplitPlanSteps(pr: FacilityProblem, plan: RawSolution): Steps<Incumbent | null> {
  const { nSites: S, nClients: C, c, d } = pr;
  const share = new Float64Array(C);
  const primary = new Int32Array(C).fill(-1);
  for (const fl of plan.flows ?? []) {
    if (fl.fraction > share[fl.client]!) {
      share[fl.client] = fl.fraction;
      primary[fl.client] = fl.site;
    }
  }
  const open = Uint8Array.from(plan.open);
  const room = new Float64Array(S);
  for (let i = 0; i < S; i++) room[i] = open[i] ? pr.cap[i]! : 0;
  const order = Array.from({ length: C }, (_, j) => j).sort((a, b) => d[b]! - d[a]! || a - b);
  const assign = new Int32Array(C).fill(-1);
  for (const j of order) {
    let site = primary[j]!;
    if (site < 0 || room[site]! < d[j]! - 1e-9) site = cheapestWithRoom(pr, open, room, j);
    if (site < 0) {
      // No open site has room: open the one that serves j cheapest, opening cost included.
      for (let i = 0; i < S; i++) {
        if (open[i] || pr.forbidden[i] || pr.cap[i]! < d[j]! - 1e-9 || c[i * C + j] === Infinity) continue;
        if (site < 0 || pr.f[i]! + c[i * C + j]! < pr.f[site]! + c[site * C + j]!) site = i;
      }
      if (site < 0) return yield* regretAssignSteps(pr, open);
      open[site] = 1;
      room[site] = pr.cap[site]!;
    }
    assign[j] = site;
    room[site]! -= d[j]!;
  }
  yield* improveAssignmentSteps(pr, open, assign, room);
  const rounded = assignmentIncumbent(pr, open, assign);
  const regret = yield* regretAssignSteps(pr, open);
  return regret && regret.value < rounded.value ? regret : rounded;
}

/** The open site with room for client j that serves it cheapest, -1 when none. */
function cheapestWithRoom(pr: FacilityProblem, open: Uint8Array, room: Float64Array, j: number): number {
  const { nSites: S, nClients: C, c, d } = pr;
  let site = -1;
  for (let i = 0; i < S; i++) if (open[i] && room[i]! >= d[j]! - 1e-9 && c[i * C + j]! < Infinity && (site < 0 || c[i * C + j]! < c[site * C + j]!)) site = i;
  return site;
}
