import { solveLp } from '@emplace/lp';
import { checkModelFeatures, ModelError, runSteps, runStepsAsync, SolveRun, yieldToEventLoop, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { SCHEDULE_FEATURES } from './features.js';
import { compileSchedule, compileScheduleSteps, type CompiledSchedule } from './schedule-compile.js';
import { scheduleCost, scheduleSolution, type ScheduleSolution } from './schedule-evaluate.js';
import { buildScheduleMipSteps, mipPlan, mipSize, mipWarmStart } from './schedule-mip.js';
import type { ScheduleModel } from './schedule-model.js';
import { ScheduleSearch } from './schedule-search.js';
import { checkScheduleShape } from './schedule-shape.js';
import { solveLpByDeadline } from './lp-deadline.js';
import { integerOption } from './shape-fields.js';

/** Options of the scheduling methods. */
export interface ScheduleOptions extends SolveOptions {
  /**
   * Local search: stop after this many perturbation rounds without improvement when no
   * time limit is given (default 30). With a time limit the search uses all of it.
   */
  maxRoundsWithoutImprovement?: number;
  /** MIP: largest linearised model (variables) to build; default 200,000. */
  maxMipVariables?: number;
  /** MIP: start the backend from the local-search plan (default true). */
  warmStart?: boolean;
  /** MIP backend (default highs). */
  backend?: 'highs' | 'glpk' | 'jslp';
}

/** Default budget of `schedule:auto` when no time limit is given (ms). */
export const SCHEDULE_DEFAULT_TIME_LIMIT_MS = 10_000;

type Prepared = { run: SolveRun; c: CompiledSchedule; model: ScheduleModel } | Result<ScheduleSolution>;

function prepare(model: ScheduleModel, options: ScheduleOptions | undefined, method: string): Prepared {
  checkEntry(model, options, method);
  const run = new SolveRun(options, `schedule:${method}`, 'min');
  const r = compileSchedule(model);
  if (r.kind === 'infeasible') return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: r.certificate });
  return { run, c: r.problem, model };
}

/** The model and options checks of every entry (ModelErrors naming the field). */
function checkEntry(model: ScheduleModel, options: ScheduleOptions | undefined, method: string): void {
  if (!model || model.kind !== 'schedule') {
    throw new ModelError('model', 'must be a ScheduleModel (createScheduleModel)');
  }
  checkScheduleShape(model);
  if (options) {
    integerOption(options, 'maxRoundsWithoutImprovement', 1);
    integerOption(options, 'maxMipVariables', 1);
  }
  // Replica counts are refused (the replicas family places them); everything else is honoured.
  checkModelFeatures(model.placement, SCHEDULE_FEATURES, `schedule:${method}`);
}

/** `prepare` for the async entries: the compilation yields between its phases and stops on abort / time limit. */
async function prepareAsync(model: ScheduleModel, options: ScheduleOptions | undefined, method: string): Promise<Prepared> {
  checkEntry(model, options, method);
  // The registry's model checks and checkEntry read every array of the model (10-20 ms on 2000
  // workloads, the run's clock not yet started): the event loop gets its turn before compiling.
  await yieldToEventLoop();
  const run = new SolveRun(options, `schedule:${method}`, 'min');
  const steps = compileScheduleSteps(model);
  let step = steps.next();
  while (!step.done) {
    if (await run.tick()) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, warnings: ['stopped while compiling the model, before any plan'] });
    step = steps.next();
  }
  const r = step.value;
  if (r.kind === 'infeasible') return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: r.certificate });
  return { run, c: r.problem, model };
}

/** Client plan from a unit plan. */
function clientPlan(c: CompiledSchedule, site: Int32Array): Int32Array {
  const a = new Int32Array(c.unitOf.length);
  for (let j = 0; j < a.length; j++) a[j] = site[c.unitOf[j]!]!;
  return a;
}

function done(
  run: SolveRun,
  model: ScheduleModel,
  c: CompiledSchedule,
  site: Int32Array | undefined,
  args: { bound?: number; proven?: boolean; exact?: boolean; iterations?: number; stats?: Record<string, string | number | boolean | undefined>; warnings?: string[] },
): Result<ScheduleSolution> {
  const guarantee = args.exact ? ({ kind: 'exact' } as const) : ({ kind: 'heuristic' } as const);
  if (!site) {
    return run.unsolved({
      status: 'no-solution',
      guarantee,
      ...(args.bound !== undefined ? { bound: args.bound } : {}),
      ...(args.stats ? { stats: args.stats } : {}),
      warnings: args.warnings ?? ['no feasible plan found (the constraints may still be satisfiable)'],
    });
  }
  const assignment = clientPlan(c, site);
  const cost = scheduleCost(model, assignment);
  return run.solved({
    solution: scheduleSolution(model, assignment),
    objective: cost.total,
    ...(args.bound !== undefined ? { bound: args.bound } : {}),
    ...(args.proven ? { proven: true } : {}),
    guarantee,
    ...(args.iterations !== undefined ? { iterations: args.iterations } : {}),
    stats: { ...args.stats, moved: cost.moved, units: c.U },
    ...(args.warnings ? { warnings: args.warnings } : {}),
  });
}

/**
 * Initial plan: units keep their current site where it is still valid (a re-plan starts
 * from what runs), the rest are inserted hardest-first by cheapest feasible site with
 * one-step ejection when full. Undefined when some unit cannot be placed or `run` stopped
 * first (there is no plan to return before the construction ends).
 */
function* initial(c: CompiledSchedule, run: SolveRun): Steps<ScheduleSearch | NoPlan> {
  const ls = new ScheduleSearch(c);
  for (let u = 0; u < c.U; u++) {
    const s = c.unitCurrent[u]!;
    if (s >= 0 && ls.canPlace(u, s)) ls.move(u, s);
  }
  if (!(yield* ls.constructSteps(run.rng, () => run.shouldStop()))) return { noPlan: ls.noPlan };
  return ls;
}

/** A construction that ended without a plan, and why (ScheduleSearch.noPlan; undefined: the run stopped). */
interface NoPlan {
  noPlan: 'infeasible' | 'budget' | undefined;
}

/**
 * The answer when the construction found no plan: `infeasible` when its exhaustive search
 * proved that none exists, else `no-solution` with the limit that came first (its node
 * budget is an iteration limit).
 */
function noPlanResult(run: SolveRun, model: ScheduleModel, c: CompiledSchedule, why: NoPlan): Result<ScheduleSolution> {
  if (why.noPlan === 'infeasible') {
    return run.unsolved({
      status: 'infeasible',
      guarantee: { kind: 'exact' },
      certificate: { reason: 'an exhaustive search over every allowed site of every workload found no plan within capacity, affinity, anti-affinity and locality', fields: ['capacity', 'affinity', 'antiAffinity', 'locality', 'allowed'] },
    });
  }
  if (why.noPlan === 'budget') run.hitIterationLimit();
  return done(run, model, c, undefined, {});
}

/** Greedy construction only (hardest first, cheapest feasible site, ejection when full). */
export function scheduleGreedy(model: ScheduleModel, options?: ScheduleOptions): Result<ScheduleSolution> {
  const p = prepare(model, options, 'greedy');
  if (!('c' in p)) return p;
  return runSteps(greedySteps(p.run, model, p.c));
}

/** `scheduleGreedy` that yields to the event loop while it constructs (the registry's `schedule:greedy`). */
export async function scheduleGreedyAsync(model: ScheduleModel, options?: ScheduleOptions): Promise<Result<ScheduleSolution>> {
  const p = await prepareAsync(model, options, 'greedy');
  if (!('c' in p)) return p;
  return runStepsAsync(greedySteps(p.run, model, p.c), p.run);
}

function* greedySteps(run: SolveRun, model: ScheduleModel, c: CompiledSchedule): Steps<Result<ScheduleSolution>> {
  const ls = yield* initial(c, run);
  if (!(ls instanceof ScheduleSearch)) return noPlanResult(run, model, c, ls);
  return done(run, model, c, Int32Array.from(ls.site), {});
}

/**
 * Iterated local search on the full objective: greedy start, descent with shift moves and
 * ejection chains (incremental network term), then random kicks from the best plan,
 * accepting only improvements. Never leaves the feasible region.
 */
export function scheduleLocalSearch(model: ScheduleModel, options?: ScheduleOptions): Result<ScheduleSolution> {
  const p = prepare(model, options, 'local-search');
  if (!('c' in p)) return p;
  return runSteps(localSearch(p.run, model, p.c, options));
}

/**
 * `scheduleLocalSearch` that yields to the event loop every ~10 ms (the registry's
 * `schedule:local-search`), so that an abort fired by a timer is seen in-thread.
 */
export async function scheduleLocalSearchAsync(model: ScheduleModel, options?: ScheduleOptions): Promise<Result<ScheduleSolution>> {
  const p = await prepareAsync(model, options, 'local-search');
  if (!('c' in p)) return p;
  return runStepsAsync(localSearch(p.run, model, p.c, options), p.run);
}

function* localSearch(run: SolveRun, model: ScheduleModel, c: CompiledSchedule, options?: ScheduleOptions, start?: Int32Array): Steps<Result<ScheduleSolution>> {
  const ls = yield* initial(c, run);
  if (!(ls instanceof ScheduleSearch)) return noPlanResult(run, model, c, ls);
  const stop = (): boolean => run.shouldStop();
  if (start) {
    ls.loadFrom(start);
  }
  yield* ls.descendSteps(run.rng, stop);
  let best = Int32Array.from(ls.site);
  let bestV = ls.recompute();
  run.progress({ phase: 'local-search', incumbent: bestV });
  run.incumbent(bestV, () => scheduleSolution(model, clientPlan(c, best)));
  const patience = options?.maxRoundsWithoutImprovement ?? 30;
  const timed = run.deadline !== Infinity;
  let rounds = 0;
  let since = 0;
  // With a time limit the search uses it, but gives up after a long fruitless streak.
  const cap = timed ? Math.max(20_000, 20 * patience) : patience;
  while (!run.shouldStop() && since < cap && c.U > 1) {
    rounds++;
    const k = 2 + run.rng.int(Math.max(1, Math.min(30, Math.floor(c.U / 20))));
    ls.kick(run.rng, k);
    yield* ls.descendSteps(run.rng, stop);
    const v = ls.recompute();
    if (v < bestV - 1e-9 * Math.max(1, Math.abs(bestV))) {
      bestV = v;
      best = Int32Array.from(ls.site);
      since = 0;
      run.progress({ phase: 'local-search', incumbent: bestV, iterations: rounds });
      run.incumbent(bestV, () => scheduleSolution(model, clientPlan(c, best)));
    } else {
      since++;
      ls.loadFrom(best);
    }
    yield;
  }
  if (since >= cap) run.hitIterationLimit();
  return done(run, model, c, best, { iterations: rounds, stats: { moves: ls.moves } });
}

/**
 * Exact MIP through @emplace/lp (network term linearised; small instances only),
 * warm-started with the local-search plan.
 */
export async function scheduleMip(model: ScheduleModel, options?: ScheduleOptions): Promise<Result<ScheduleSolution>> {
  const p = await prepareAsync(model, options, 'mip');
  if (!('c' in p)) return p;
  return mip(p.run, model, p.c, options, options?.warmStart !== false);
}

async function mip(run: SolveRun, model: ScheduleModel, c: CompiledSchedule, options: ScheduleOptions | undefined, warm: boolean): Promise<Result<ScheduleSolution>> {
  const size = mipSize(c);
  const limit = options?.maxMipVariables ?? 200_000;
  let start: Int32Array | undefined;
  if (warm) {
    const ls = await runStepsAsync(initial(c, run), run);
    if (ls instanceof ScheduleSearch) {
      await runStepsAsync(ls.descendSteps(run.rng, () => run.shouldStop()), run);
      start = Int32Array.from(ls.site);
    }
  }
  // Too big to linearise the network term: solve the assignment part exactly (serving,
  // compliance, migration, every hard constraint) and price its plan on the full objective.
  const network = size.variables <= limit;
  const warnings: string[] = [];
  if (!network) {
    if (size.assignmentVariables > limit) {
      return done(run, model, c, start, {
        exact: true,
        warnings: [`the MIP would have ${size.assignmentVariables} assignment variables even without the network term (> maxMipVariables ${limit}): not built; returning the ${start ? 'local-search plan' : 'no plan'}`],
        stats: { mipVariables: size.variables },
      });
    }
    warnings.push(`the linearised network term would need ${size.variables} variables (> maxMipVariables ${limit}): solved without it (no proof; the plan is priced on the full objective)`);
  }
  run.progress({ phase: 'build-mip', ...(start ? { incumbent: scheduleCost(model, clientPlan(c, start)).total } : {}) }, true);
  const m = await runStepsAsync(buildScheduleMipSteps(c, { network }, () => run.shouldStop()), run);
  // Stopped while building: the warm start (if any) is the answer.
  if (!m) return done(run, model, c, start, { exact: true, stats: { mipVariables: size.variables } });
  const warmStart = start ? mipWarmStart(c, m, start, network) : undefined;
  const sol = await solveLpByDeadline(run, options?.signal, (signal, remaining) =>
    solveLp(m.lp, {
      ...(options?.backend ? { backend: options.backend } : {}),
      ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
      ...(signal ? { signal } : {}),
      ...(warmStart ? { warmStart } : {}),
      mipRelGap: run.tolerance,
    }),
  );
  run.markStopped(sol.stoppedBy);
  let site: Int32Array | undefined;
  if (sol.status === 'optimal' || sol.status === 'feasible') {
    const plan = mipPlan(c, m, sol.solution.x);
    if (plan.every((s) => s >= 0)) site = plan;
  }
  // Keep the warm start if the backend returned nothing better.
  if (start) {
    const sv = site ? scheduleCost(model, clientPlan(c, site)).total : Infinity;
    if (scheduleCost(model, clientPlan(c, start)).total < sv) site = start;
  }
  if (!site && sol.status === 'infeasible') {
    return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: 'the MIP backend proved that no plan satisfies the constraints', fields: ['capacity', 'antiAffinity'] } });
  }
  return done(run, model, c, site, {
    exact: network,
    ...(sol.bound !== undefined && network ? { bound: sol.bound } : {}),
    proven: network && sol.status === 'optimal',
    stats: { mipVariables: network ? size.variables : size.assignmentVariables, networkLinearised: network, backend: sol.stats.backend, mipStatus: sol.status },
    ...(warnings.length ? { warnings } : {}),
  });
}

/** `auto`: the MIP (warm-started) when the linearised model is small, else iterated local search. */
export async function scheduleAuto(model: ScheduleModel, options?: ScheduleOptions): Promise<Result<ScheduleSolution>> {
  // The MIP has no natural end on hard instances: `auto` gets a default budget.
  const opts: ScheduleOptions = { ...options };
  if (opts.timeLimitMs === undefined) opts.timeLimitMs = SCHEDULE_DEFAULT_TIME_LIMIT_MS;
  const p = await prepareAsync(model, opts, 'auto');
  if (!('c' in p)) return p;
  const size = mipSize(p.c);
  if (size.variables <= 5_000 && p.c.U <= 60) return mip(p.run, model, p.c, opts, true);
  return runStepsAsync(localSearch(p.run, model, p.c, opts), p.run);
}
