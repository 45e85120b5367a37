import { runStepsAsync, yieldToEventLoop, type Certificate, type Result, type SolveRun, type Steps } from '@emplace/core';
import { solveLp, type LpResult } from '@emplace/lp';
import { rehostRoom, residualCapacity, workloadViolation } from './check.js';
import { replicaEnvelope } from './envelope.js';
import { greedyPlaceSteps, type GreedyPlan } from './greedy.js';
import { relaxationBound } from './bound.js';
import { replicaLagrangianSteps } from './lagrangian.js';
import { shiftImproveSteps } from './improve.js';
import { solveLpByDeadline } from '../lp-deadline.js';

/** Above this many (workload, eligible cluster) pairs, `exact` bounds with the Lagrangian relaxation instead of building the MIP (when the objective allows). */
export const REPLICAS_MIP_MAX_PAIRS = 20_000;
import { inactiveObjective, replicaCriteria, replicaObjective } from './metrics.js';
import { addExprLe, addRehostBlock, buildReplicaMip, buildReplicaMipSteps, exprValue, mipCounts, mipWarmStart, setStageObjective, type LinearExpr, type ReplicaMip } from './mip.js';
import type { ReplicaModel } from './model.js';
import type { ReplicaOptions, ReplicaSolution } from './solution.js';

/**
 * `exact`: the MIP of mip.ts solved in stages, each warm-started from the previous answer
 * (the first from the greedy plan), each fixing its value before the next:
 *   1. only when the greedy could not place every workload: per priority level, highest
 *      first, maximise the number of placed workloads of that level;
 *   2. when a workload is `aggregated`: minimise its number of clusters;
 *   3. the objective: one weighted stage, or one stage per lexicographic criterion.
 * `optimal` only when every stage is proven; the bound is the last weighted stage's bound
 * (lexicographic: the first criterion's), reported only when the stages before it are proven.
 * A single workload the MIP proves unplaceable is `infeasible`; its certificate comes from
 * re-solving without one constraint family at a time (the first whose removal helps is named).
 */
export async function replicasExact(run: SolveRun, m: ReplicaModel, options: ReplicaOptions): Promise<Result<ReplicaSolution>> {
  const greedy = await runStepsAsync(greedyPlaceSteps(m, run), run);
  const activeList: number[] = [];
  for (let w = 0; w < m.placement.nClients; w++) if (!m.evident[w]) activeList.push(w);
  const active = Int32Array.from(activeList);
  const status = Uint8Array.from(greedy.status);
  const reasons = [...greedy.reasons];
  if (active.length === 0) {
    return replicaEnvelope(run, m, greedy.counts, status, reasons, { guarantee: { kind: 'exact' }, proven: true });
  }
  const allPlaced = activeList.every((w) => greedy.status[w] === 0);
  const e: ExactStart = { run, m, options, greedy, active, activeList, status, reasons, allPlaced };
  const early = (allPlaced ? await runStepsAsync(boundShortcutSteps(e), run) : undefined) ?? tooBigForMip(e);
  if (early) return early;
  // Not an `incumbent`: the stages place more (priority) and aggregate first, so the answer can
  // cost more than the greedy plan (audit seed 6711 replicas case 14: greedy 23, answer 29).
  run.progress({ phase: 'build-mip', message: `greedy objective ${replicaObjective(m, replicaCriteria(m, greedy.counts))}` }, true);
  const mip = await buildMipAsync(run, buildReplicaMipSteps(m, active, { placedVars: !allPlaced, lazyRehost: true }));
  if (mip === undefined) {
    // Stopped while building the MIP: the greedy plan is the incumbent.
    return replicaEnvelope(run, m, greedy.counts, status, reasons, { guarantee: { kind: 'exact' }, stats: { stages: 0, greedyPlaced: greedy.status.filter((s) => s === 0).length } });
  }
  const st: StageState = {
    e,
    mip,
    x: options.warmStart !== false ? mipWarmStart(m, mip, greedy.counts) : undefined,
    provenSoFar: true,
    stages: 0,
    rounds: 0,
    nodes: 0,
    stopped: false,
    warnings: [],
  };
  // The stages' bounds cover the active workloads; the others add their constant moves.
  const stageBound = await runStages(st);
  // The answer is checked and explained in a few stretches of 5-15 ms each (issue 13): the
  // event loop gets a turn between them, also when the run has stopped (run.tick then never yields).
  await yieldToEventLoop();
  // Lexicographic: the bound is the first criterion's, and a bound meeting the objective reads as
  // `optimal` (core closes the gap), so it is reported only when every later stage is proven too
  // (after an abort the first criterion was at its bound but the cost stage was not: issue 13 audit).
  const everyStage = st.provenSoFar && run.stoppedBy() === 'converged';
  const lexUnproven = (m.lexicographic?.length ?? 0) > 1 && !everyStage;
  const bound = stageBound === undefined || lexUnproven ? undefined : stageBound + inactiveObjective(m, active);
  const counts = chooseAnswer(st);
  await yieldToEventLoop();
  const certificates = await certifyUnplaceable(st);
  await yieldToEventLoop();
  const { warnings } = st;
  return replicaEnvelope(run, m, counts, status, reasons, {
    guarantee: { kind: 'exact' },
    ...(bound !== undefined ? { bound } : {}),
    // A run stopped (abort, time limit) while its stages ran proves nothing: seen in the audit as
    // `optimal` with aborted and the stage-1 plan, every stage having reported optimal.
    proven: everyStage,
    certificates,
    stats: { stages: st.stages, rounds: st.rounds, rehostBlocks: mip.rehostVars.length, nodes: st.nodes, mipVariables: mip.lp.numVariables, greedyPlaced: greedy.status.filter((s) => s === 0).length },
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

/** Runs the MIP build's steps, yielding to the event loop; undefined when the run stops first (abort, time limit). */
async function buildMipAsync(run: SolveRun, steps: Steps<ReplicaMip>): Promise<ReplicaMip | undefined> {
  let r = steps.next();
  while (!r.done) {
    if (await run.tick()) return undefined;
    r = steps.next();
  }
  return r.value;
}

/** What every step of `exact` reads: the inputs, the greedy plan, the active workloads and the status / reasons being updated. */
interface ExactStart {
  readonly run: SolveRun;
  readonly m: ReplicaModel;
  readonly options: ReplicaOptions;
  readonly greedy: GreedyPlan;
  readonly active: Int32Array;
  readonly activeList: readonly number[];
  readonly status: Uint8Array;
  readonly reasons: (string | undefined)[];
  /** The greedy placed every active workload (no priority stages, no placed binaries). */
  readonly allPlaced: boolean;
}

/** The staged MIP solve in progress. */
interface StageState {
  readonly e: ExactStart;
  readonly mip: ReplicaMip;
  /** The last answer (warm start of the next stage). */
  x: Float64Array | undefined;
  provenSoFar: boolean;
  stages: number;
  rounds: number;
  nodes: number;
  /** A stage failed or ran out of time: the remaining stages are skipped. */
  stopped: boolean;
  readonly warnings: string[];
}

function eligiblePairs(m: ReplicaModel, activeList: readonly number[]): number {
  let pairs = 0;
  for (const w of activeList) for (let c = 0; c < m.placement.nSites; c++) pairs += m.eligible[w * m.placement.nSites + c]!;
  return pairs;
}

/** The greedy plan may already meet a combinatorial lower bound (then it is optimal); too big for the MIP, the Lagrangian bound. */
function* boundShortcutSteps(e: ExactStart): Steps<Result<ReplicaSolution> | undefined> {
  const { run, m, greedy, active, activeList, status, reasons, options } = e;
  const activeLb = relaxationBound(m, active);
  if (activeLb === undefined) return undefined;
  const lb = activeLb + inactiveObjective(m, active);
  const value = replicaObjective(m, replicaCriteria(m, greedy.counts));
  const pairs = eligiblePairs(m, activeList);
  const meetsBound = value <= lb + 1e-9 * Math.max(1, Math.abs(lb));
  if (!meetsBound && pairs > (options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS)) {
    const lag = yield* lagrangianPlanSteps(e, lb, pairs);
    if (lag) return lag;
  }
  if (!meetsBound) return undefined;
  return replicaEnvelope(run, m, greedy.counts, status, reasons, {
    guarantee: { kind: 'exact' },
    bound: lb,
    proven: true,
    stats: { stages: 0, nodes: 0, provenBy: 'relaxation bound', greedyPlaced: activeList.length },
  });
}

/**
 * Too big for the MIP within a decision budget: Lagrangian bound + heuristic.
 * Shift local search on the greedy plan (a better incumbent steers the Polyak steps),
 * the Lagrangian bound and heuristic, then the local search again on its best plan.
 */
function* lagrangianPlanSteps(e: ExactStart, lb: number, pairs: number): Steps<Result<ReplicaSolution> | undefined> {
  const { run, m, greedy, active, activeList, status, reasons, options } = e;
  const t0 = performance.now();
  const budget = run.deadline === Infinity ? 5_000 : Math.max(0, run.deadline - t0);
  const start = Int32Array.from(greedy.counts);
  let shifts = yield* shiftImproveSteps(m, start, active, run, t0 + 0.25 * budget);
  const startValue = replicaObjective(m, replicaCriteria(m, start));
  const lag = yield* replicaLagrangianSteps(m, active, run, { counts: start, value: startValue }, { deadline: t0 + 0.85 * budget });
  if (!lag) return undefined;
  let plan = lag.counts;
  if (plan !== start) {
    const again = Int32Array.from(plan);
    shifts += yield* shiftImproveSteps(m, again, active, run, t0 + budget);
    if (replicaObjective(m, replicaCriteria(m, again)) < lag.value) plan = again;
  }
  return replicaEnvelope(run, m, plan, status, reasons, {
    guarantee: { kind: 'exact' },
    bound: Math.max(lb, lag.bound + inactiveObjective(m, active)),
    stats: { stages: 0, lagrangianIterations: lag.iterations, lagrangianImproved: lag.improved, shifts, provenBy: 'lagrangian bound', greedyPlaced: activeList.length, pairs },
    warnings: [`${pairs} (workload, cluster) pairs > maxMipPairs ${options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS}: Lagrangian relaxation of the shared capacity instead of the MIP (bound and gap reported)`],
  });
}

/** Too big for the MIP and no Lagrangian bound applies: the greedy plan, said plainly. */
function tooBigForMip(e: ExactStart): Result<ReplicaSolution> | undefined {
  const { run, m, greedy, activeList, status, reasons, options, allPlaced } = e;
  const pairsAll = eligiblePairs(m, activeList);
  const maxPairs = options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS;
  if (pairsAll <= maxPairs) return undefined;
  return replicaEnvelope(run, m, greedy.counts, status, reasons, {
    guarantee: { kind: 'exact' },
    stats: { stages: 0, pairs: pairsAll, greedyPlaced: greedy.status.filter((st) => st === 0).length },
    warnings: [
      `${pairsAll} (workload, cluster) pairs > maxMipPairs ${maxPairs}${allPlaced ? ' and the objective has no Lagrangian bound here' : ' and the greedy could not place every workload'}: the MIP is not built; returning the greedy plan without a bound (raise maxMipPairs to try the MIP)`,
    ],
  });
}

/** Solves the MIP with the current objective; re-hosting blocks are added lazily: re-solve while the answer breaks one. */
async function solveWithRehost(st: StageState): Promise<LpResult> {
  const { run, m, options } = st.e;
  const { mip } = st;
  for (;;) {
    let start = st.x;
    if (start && start.length < mip.lp.numVariables) {
      const grown = new Float64Array(mip.lp.numVariables);
      grown.set(start);
      start = grown;
    }
    const sol = await solveLpByDeadline(run, options.signal, (signal, remaining) =>
      solveLp(mip.lp, {
        ...(options.backend ? { backend: options.backend } : {}),
        ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
        ...(signal ? { signal } : {}),
        ...(start ? { warmStart: start } : {}),
        mipRelGap: run.tolerance,
      }),
    );
    st.rounds++;
    if (sol.status !== 'optimal' && sol.status !== 'feasible') return sol;
    // The answer came from the worker: a turn before reading it back (counts, re-hosting check).
    await yieldToEventLoop();
    if (!addBrokenRehost(m, mip, mipCounts(m, mip, sol.solution.x))) return sol;
    if (run.shouldStop()) {
      // Out of time with a plan that breaks re-hosting: not an answer.
      const { sense, bound, stoppedBy, stats, guarantee, warnings } = sol;
      return { status: 'no-solution', sense, stoppedBy, stats, guarantee, ...(bound !== undefined ? { bound } : {}), ...(warnings ? { warnings } : {}) };
    }
  }
}

/** One stage: minimise `terms`; undefined (and the remaining stages skipped) when it gives no answer. */
async function runStage(st: StageState, terms: { expr: LinearExpr; coef: number }[], name: string, isObjective = false): Promise<{ sol: LpResult; value: number } | undefined> {
  if (st.stopped) return undefined;
  setStageObjective(st.mip, terms);
  const sol = await solveWithRehost(st);
  const { run } = st.e;
  st.stages++;
  st.nodes += sol.stats.nodes ?? 0;
  run.markStopped(sol.stoppedBy);
  if (sol.warnings) st.warnings.push(...sol.warnings.map((s) => `${name}: ${s}`));
  if (sol.status === 'infeasible') {
    // Stage 1 always has a solution (nothing placed) and later stages contain the previous answer.
    st.warnings.push(`${name}: the backend reported infeasible on a stage that contains the previous answer`);
    st.provenSoFar = false;
    st.stopped = true;
    return undefined;
  }
  if (sol.status !== 'optimal' && sol.status !== 'feasible') {
    st.provenSoFar = false;
    st.stopped = true;
    return undefined;
  }
  st.x = sol.solution.x;
  // A stage stopped by the time limit or an abort proves nothing, whatever status it reports
  // (after an abort a lexicographic stage came back `optimal` with a worse plan; issue 13 audit).
  if (sol.status !== 'optimal' || sol.stoppedBy !== 'converged' || run.shouldStop()) {
    st.provenSoFar = false;
    st.stopped = true; // out of time: keep this answer, skip the remaining stages
  }
  // Only the stage of the Result objective (weighted, or the first lexicographic criterion) reports
  // incumbent / bound, on its scale (plus the inactive workloads' moves) and the bound only while
  // every stage before was proven; the other stages' values are in other units (audit seed 6711
  // replicas cases 19-25: a placed-count of -1 and a later criterion read as incumbents).
  const value = exprValue(terms, sol.solution.x);
  if (isObjective) reportObjectiveStage(st, name, sol);
  else run.progress({ phase: name, message: `stage value ${value}` }, true);
  return { sol, value };
}

/**
 * The objective stage's progress: the incumbent is the plan's own objective (its rounded counts,
 * as the Result computes it), not the MIP's value at x, which differs by the solver's tolerance
 * (audit seed 6741 replicas case 8: 6.999999964 reported against the answer's 6.999999976, with
 * a capacity of 1e12 in the model); a plan that fails the check (the answer then falls back to
 * the greedy one) reports no incumbent. The bound is reported only while every stage before
 * was proven, never past the incumbent.
 */
function reportObjectiveStage(st: StageState, name: string, sol: LpResult & { solution: { x: Float64Array } }): void {
  const { m, active } = st.e;
  const counts = mipCounts(m, st.mip, sol.solution.x);
  const plan = verify(m, counts, active) === undefined ? replicaObjective(m, replicaCriteria(m, counts)) : undefined;
  const bound = sol.bound !== undefined && st.provenSoFar ? Math.min(sol.bound + inactiveObjective(m, active), plan ?? Infinity) : undefined;
  st.e.run.progress({ phase: name, ...(plan !== undefined ? { incumbent: plan } : {}), ...(bound !== undefined ? { bound } : {}) }, true);
}

function fixAt(st: StageState, terms: { expr: LinearExpr; coef: number }[], value: number, name: string): void {
  addExprLe(st.mip, terms, value + 1e-7 * Math.max(1, Math.abs(value)), name);
}

/** Priority levels, aggregated, then the objective; returns the reported bound (see the comment on `replicasExact`). */
async function runStages(st: StageState): Promise<number | undefined> {
  const { m, activeList, allPlaced } = st.e;
  const { mip } = st;
  // 1. Priority levels.
  if (!allPlaced) {
    const levels = [...new Set(activeList.map((w) => m.priority[w]!))].sort((a, b) => b - a);
    for (const level of levels) {
      const members = activeList.filter((w) => m.priority[w] === level);
      const expr: LinearExpr = { idx: members.map((w) => mip.pCol[w]!), co: members.map(() => -1), offset: 0 };
      const r = await runStage(st, [{ expr, coef: 1 }], `placed(priority ${level})`);
      if (!r) break;
      fixAt(st, [{ expr, coef: 1 }], Math.round(r.value), `placed(priority ${level})`);
    }
  }
  // 2. Aggregated workloads: fewest clusters.
  if (mip.aggregated.idx.length > 0) {
    const r = await runStage(st, [{ expr: mip.aggregated, coef: 1 }], 'aggregated');
    if (r) fixAt(st, [{ expr: mip.aggregated, coef: 1 }], Math.round(r.value), 'aggregated');
  }
  // 3. The objective.
  const provenBeforeObjective = st.provenSoFar;
  if (m.lexicographic) {
    let firstLexBound: number | undefined;
    for (let i = 0; i < m.lexicographic.length; i++) {
      const k = m.lexicographic[i]!;
      const terms = [{ expr: mip.criteria[k], coef: 1 }];
      const r = await runStage(st, terms, `lexicographic ${k}`, i === 0);
      if (!r) break;
      if (i === 0 && provenBeforeObjective && r.sol.bound !== undefined) firstLexBound = r.sol.bound;
      if (i < m.lexicographic.length - 1) fixAt(st, terms, r.value, `lexicographic ${k}`);
    }
    return firstLexBound;
  }
  const terms = (Object.keys(m.weights) as (keyof typeof m.weights)[]).map((k) => ({ expr: mip.criteria[k], coef: m.weights[k] }));
  const r = await runStage(st, terms, 'objective', true);
  return r && provenBeforeObjective && r.sol.bound !== undefined ? r.sol.bound : undefined;
}

/** The answer: the MIP's plan when every workload of it checks out, else the greedy's (never worse than the greedy on the same placements). */
function chooseAnswer(st: StageState): Int32Array {
  const { m, greedy, active, activeList, status, reasons } = st.e;
  const C = m.placement.nSites;
  let counts = greedy.counts;
  if (st.x) {
    const cand = mipCounts(m, st.mip, st.x);
    const bad = verify(m, cand, active);
    if (bad === undefined) {
      counts = cand;
      for (const w of activeList) {
        let total = 0;
        for (let c = 0; c < C; c++) total += cand[w * C + c]!;
        const placed = total > 0 || m.placement.replicas[w] === 0;
        status[w] = placed ? 0 : 2;
        reasons[w] = placed ? undefined : st.provenSoFar ? 'not placed: the capacity goes to workloads of higher (or equal) priority (proven by the MIP)' : 'not placed in the best plan found within the time limit';
      }
    } else {
      // The greedy plan is not what the stages proved optimal: no proof for it.
      st.provenSoFar = false;
      st.warnings.push(`the MIP answer fails the check (${bad}); returning the greedy plan`);
    }
  }
  const crit = replicaCriteria(m, counts);
  const greedyBetter = samePlacement(greedy.status, status) && replicaObjective(m, replicaCriteria(m, greedy.counts)) < replicaObjective(m, crit) - 1e-9;
  if (greedyBetter && !st.provenSoFar) {
    counts = greedy.counts;
    st.warnings.push('the greedy plan beat the MIP incumbent (time limit); returning it');
  }
  return counts;
}

/**
 * Proven that nothing can be placed (a single workload, or every stage at 0): each
 * workload is infeasible on its own; the certificate names the constraint (few workloads).
 */
async function certifyUnplaceable(st: StageState): Promise<(Certificate | undefined)[]> {
  const { run, m, options, activeList, status, reasons } = st.e;
  const certificates: (Certificate | undefined)[] = new Array(m.placement.nClients).fill(undefined);
  const nonePlaced = activeList.every((w) => status[w] !== 0);
  if (!st.provenSoFar || !nonePlaced) return certificates;
  for (const w of activeList) {
    status[w] = 1;
    const cert =
      activeList.length <= 5
        ? await diagnose(run, m, w, options)
        : { reason: `workloads[${w}]: proven unplaceable by the MIP`, fields: [`workloads[${w}]`] };
    certificates[w] = cert;
    reasons[w] = cert.reason;
  }
  return certificates;
}

function samePlacement(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] === 0) !== (b[i] === 0)) return false;
  return true;
}

function verify(m: ReplicaModel, counts: Int32Array, active: Int32Array): string | undefined {
  const { nSites: C } = m.placement;
  const residual = residualCapacity(m, counts);
  for (const w of active) {
    const bad = workloadViolation(m, w, counts, w * C, residual);
    if (bad) return bad;
  }
  return undefined;
}

/** Which constraint family makes workload w unplaceable: re-solve without each in turn. */
async function diagnose(run: SolveRun, m: ReplicaModel, w: number, options: ReplicaOptions): Promise<Certificate> {
  const f = `workloads[${w}]`;
  const families: string[] = [];
  for (const s of m.spreads) if (s.workload === w) families.push(s.field);
  const sv = m.survivability.find((s) => s.workload === w);
  if (sv?.rehost) families.push(`${sv.field}.rehost`);
  if (sv) families.push(sv.field);
  if (m.current && m.maxMoves[w]! >= 0) families.push(`${f}.maxMoves`);
  for (const fam of families) {
    if (run.shouldStop()) break;
    const mip: ReplicaMip = buildReplicaMip(m, Int32Array.of(w), { placedVars: false, drop: new Set([fam]) });
    setStageObjective(mip, []);
    const remaining = run.remainingMs();
    const sol = await solveLp(mip.lp, {
      ...(options.backend ? { backend: options.backend } : {}),
      ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (sol.status === 'optimal' || sol.status === 'feasible') {
      return { reason: `${fam}: no placement of ${m.placement.replicas[w]} replicas satisfies it together with the other constraints (proven by the MIP; without it the workload fits)`, fields: [fam] };
    }
  }
  return {
    reason: `${f}: no placement of ${m.placement.replicas[w]} replicas fits the free capacity of its eligible clusters under minReplicas/maxReplicas${families.length ? ` (even without ${families.join(', ')})` : ''}`,
    fields: [`${f}.replicas`, 'clusters[].free', ...families],
  };
}

/** Adds the re-hosting block of every (workload, domain) the plan breaks; true when any was added. */
function addBrokenRehost(m: ReplicaModel, mip: ReplicaMip, counts: Int32Array): boolean {
  const { nSites: C } = m.placement;
  const residual = residualCapacity(m, counts);
  let added = false;
  for (const w of mip.active) {
    const sv = m.survivabilityOf[w];
    if (!sv || !sv.rehost) continue;
    const per = new Int32Array(sv.groups.length);
    for (let c = 0; c < C; c++) per[sv.groupOf[c]!]! += counts[w * C + c]!;
    for (let g = 0; g < per.length; g++) {
      if (per[g]! === 0 || mip.rehostAdded.has(w * 65536 + g)) continue;
      if (rehostRoom(m, w, counts, w * C, residual, sv.groupOf, g, per[g]!) < per[g]!) {
        addRehostBlock(m, mip, w, g);
        added = true;
      }
    }
  }
  return added;
}
