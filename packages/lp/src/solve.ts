import { ModelError, relativeGap, yieldToEventLoop, type Guarantee, type Steps, type StoppedBy } from '@emplace/core';
import { now, type Backend, type BackendOutcome, type ResolvedOptions } from './backend.js';
import { highsBackend } from './backends/highs.js';
import { glpkBackend } from './backends/glpk.js';
import { jslpBackend } from './backends/jslp.js';
import type { CompileJob } from './compile-job.js';
import { objectiveOf, violationSteps, type CompiledModel, type LinearModel } from './linear-model.js';
import type { BackendCapabilities, BackendName, LpOptions, LpResult, LpSolution, LpStats } from './types.js';

const BACKENDS: Readonly<Record<BackendName, Backend>> = {
  highs: highsBackend,
  glpk: glpkBackend,
  jslp: jslpBackend,
};

/** HiGHS, GLPK and jslp solve to optimality when not stopped; the status says whether they did. */
const EXACT: Guarantee = { kind: 'exact' };

/** Relative amount by which a backend's bound may cross the recomputed objective and still be clipped. */
const BOUND_SLACK = 1e-6;

export const BACKEND_NAMES: readonly BackendName[] = ['highs', 'glpk', 'jslp'];

/** What a backend can prove (bound, time limit, abort, warm start, duals), so callers need not guess. */
export function backendCapabilities(name: BackendName): BackendCapabilities {
  const backend = BACKENDS[name];
  if (backend === undefined) throw new ModelError('backend', `must be one of ${BACKEND_NAMES.join(', ')}, got ${String(name)}`);
  return { ...backend.capabilities };
}

function resolveOptions(model: LinearModel, options: LpOptions, startedAt: number): ResolvedOptions {
  const { timeLimitMs, mipRelGap, warmStart, progressIntervalMs } = options;
  if (timeLimitMs !== undefined && !(timeLimitMs >= 0)) {
    throw new ModelError('options.timeLimitMs', `must be a non-negative number, got ${String(timeLimitMs)}`);
  }
  if (mipRelGap !== undefined && !(mipRelGap >= 0 && mipRelGap < 1)) {
    throw new ModelError('options.mipRelGap', `must be in [0, 1), got ${String(mipRelGap)}`);
  }
  if (progressIntervalMs !== undefined && !(progressIntervalMs >= 0)) {
    throw new ModelError('options.progressIntervalMs', `must be a non-negative number, got ${String(progressIntervalMs)}`);
  }
  if (options.offload !== undefined && !['auto', 'worker', 'thread'].includes(options.offload)) {
    throw new ModelError('options.offload', `must be auto, worker or thread, got ${String(options.offload)}`);
  }
  if (warmStart !== undefined && warmStart.length !== model.numVariables) {
    throw new ModelError('options.warmStart', `has length ${warmStart.length}, expected ${model.numVariables} (one value per variable)`);
  }
  return {
    deadline: timeLimitMs === undefined ? Infinity : startedAt + timeLimitMs,
    signal: options.signal,
    mipRelGap: mipRelGap ?? 1e-9,
    // Checked and copied in slices by solveLp (warmStartSteps).
    warmStart: undefined,
    onProgress: options.onProgress,
    progressIntervalMs: progressIntervalMs ?? 100,
    startedAt,
    highsOptions: options.highsOptions,
    offload: options.offload ?? 'auto',
  };
}

/** Entries of a warm start checked and copied between two checkpoints. */
const WARM_START_STEP = 1 << 15;

/** The warm start checked (finite) and copied, as steps: one value per column of a model that may have millions. */
function* warmStartSteps(warmStart: ArrayLike<number>): Steps<Float64Array> {
  const start = new Float64Array(warmStart.length);
  for (let j0 = 0; j0 < warmStart.length; j0 += WARM_START_STEP) {
    const j1 = Math.min(warmStart.length, j0 + WARM_START_STEP);
    for (let j = j0; j < j1; j++) {
      const v = warmStart[j]!;
      if (!Number.isFinite(v)) throw new ModelError(`options.warmStart[${j}]`, `must be finite, got ${String(v)}`);
      start[j] = v;
    }
    yield;
  }
  return start;
}

/** A model without variables: feasible iff every row admits activity 0. */
function solveEmpty(m: CompiledModel): BackendOutcome {
  for (let i = 0; i < m.numRows; i++) {
    if (m.rowLower[i]! > 0 || m.rowUpper[i]! < 0) return { status: 'infeasible', stoppedBy: 'converged' };
  }
  return { status: 'optimal', x: new Float64Array(0), stoppedBy: 'converged' };
}

/**
 * Longest stretch solveLp computes on the caller's thread between two turns of its event
 * loop while it copies the model or checks the answer (the copy for a HiGHS worker uses
 * the same 4 ms): an abort fired by a timer is then seen within a few ms.
 */
const SLICE_MS = 4;

/**
 * Runs `steps`, giving the event loop a turn every SLICE_MS; with `stop`, gives up at a
 * turn where it returns a reason (the steps are then left unfinished).
 */
async function runSliced<T>(steps: Steps<T>, stop?: () => StoppedBy | undefined): Promise<{ value: T } | { stoppedBy: StoppedBy }> {
  let sliceStart = now();
  let r = steps.next();
  while (!r.done) {
    if (now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = now();
      const reason = stop?.();
      if (reason !== undefined) return { stoppedBy: reason };
    }
    r = steps.next();
  }
  return { value: r.value };
}

/**
 * The model compiled a slice at a time (a multi-million-nonzero copy in one call held the
 * caller's thread for 100+ ms, issue 13); the reason instead when the signal aborts or the
 * deadline passes first.
 */
async function compileSliced(job: CompileJob, options: ResolvedOptions): Promise<CompiledModel | StoppedBy> {
  function* steps(): Steps<CompiledModel> {
    while (!job.step()) yield;
    return job.model;
  }
  const out = await runSliced(steps(), () => stopReason(options));
  if ('value' in out) return out.value;
  job.cancel();
  return out.stoppedBy;
}

function stopReason(options: ResolvedOptions): StoppedBy | undefined {
  if (options.signal?.aborted) return 'aborted';
  if (options.deadline !== Infinity && now() >= options.deadline) return 'time-limit';
  return undefined;
}

/** Turns a backend's outcome into the Result envelope: objective recomputed, bound checked. */
async function toResult(compiled: CompiledModel | Pick<CompiledModel, 'sense' | 'isMip'>, name: BackendName, outcome: BackendOutcome, startedAt: number): Promise<LpResult> {
  const warnings = outcome.warnings !== undefined && outcome.warnings.length > 0 ? [...outcome.warnings] : [];
  const stats: LpStats = { method: `lp:${name}`, backend: name, elapsedMs: 0 };
  if (outcome.nodes !== undefined) stats.nodes = outcome.nodes;
  if (outcome.iterations !== undefined) stats.iterations = outcome.iterations;
  if (outcome.ranIn !== undefined) stats.ranIn = outcome.ranIn;
  const base = { sense: compiled.sense, stoppedBy: outcome.stoppedBy, stats, guarantee: EXACT };
  let result: LpResult;
  // A model stopped while compiling (only its sense and type known) has no values.
  if ((outcome.status === 'optimal' || outcome.status === 'feasible') && outcome.x !== undefined && 'colCost' in compiled) {
    const x = outcome.x;
    const model = compiled;
    const objective = objectiveOf(model, x);
    // Over every nonzero (tens of ms on the largest models): in slices, never given up (the values are kept).
    const checked = await runSliced(violationSteps(model, x));
    const solution: LpSolution = { x, maxViolation: 'value' in checked ? checked.value.max : Infinity };
    if (outcome.duals !== undefined && !compiled.isMip) solution.duals = outcome.duals;
    result = { ...base, status: outcome.status, solution, objective };
    let bound = outcome.bound;
    if (bound === undefined && outcome.status === 'optimal' && !compiled.isMip) bound = objective;
    if (bound !== undefined) {
      const crossing = compiled.sense === 'min' ? bound - objective : objective - bound;
      if (crossing <= BOUND_SLACK * Math.max(1, Math.abs(objective))) {
        // A bound that crosses the incumbent by round-off is clipped to it: it still bounds the optimum.
        if (crossing > 0) bound = objective;
        result.bound = bound;
        result.gap = relativeGap(objective, bound);
      } else {
        // Crossing by more than round-off means the backend's bound and our objective
        // disagree (tolerances, or a bug): claim nothing rather than a false proof.
        warnings.push(`${name} reported bound ${bound}, which crosses the recomputed objective ${objective}; bound dropped`);
      }
    }
  } else if (outcome.status === 'optimal' || outcome.status === 'feasible') {
    // A backend that claims a solution but gives no values has not given one.
    result = { ...base, status: 'no-solution' };
    warnings.push(`${name} reported ${outcome.status} without primal values`);
  } else {
    result = { ...base, status: outcome.status };
    if (outcome.bound !== undefined && outcome.status === 'no-solution') result.bound = outcome.bound;
  }
  if (warnings.length > 0) result.warnings = warnings;
  stats.elapsedMs = now() - startedAt;
  return result;
}

/**
 * Solves `model` with the chosen backend (default HiGHS) and returns core's Result
 * envelope (`solution: { x, duals?, maxViolation }`; backend, nodes and iterations in
 * `stats`). The objective is recomputed from `x`; a bound is reported only when the
 * backend proves one, and never crosses the returned objective. Bad options or input
 * throw ModelError; a backend failure rejects with BackendError. The model is copied (and
 * the answer checked) a slice at a time with a turn of the caller's event loop every 4 ms,
 * so an abort or the deadline during the copy of a large model returns `no-solution` at
 * once; the copy is the model as it was when solveLp was called (an edit in between
 * finishes the copy first).
 */
export async function solveLp(model: LinearModel, options: LpOptions = {}): Promise<LpResult> {
  const startedAt = now();
  const name = options.backend ?? 'highs';
  const backend = BACKENDS[name];
  if (backend === undefined) {
    throw new ModelError('options.backend', `must be one of ${BACKEND_NAMES.join(', ')}, got ${String(name)}`);
  }
  const resolved = resolveOptions(model, options, startedAt);
  const head = { sense: model.sense, isMip: model.isMip };
  if (resolved.signal?.aborted) return toResult(head, name, { status: 'no-solution', stoppedBy: 'aborted' }, startedAt);
  // Started now, so that the copy is the model as it was at this call whatever happens while it is made.
  const job = model.compileJob();
  if (options.warmStart !== undefined) {
    try {
      const start = await runSliced(warmStartSteps(options.warmStart));
      if ('value' in start) resolved.warmStart = start.value;
    } catch (err) {
      job.cancel();
      throw err;
    }
  }
  const compiled = await compileSliced(job, resolved);
  if (typeof compiled === 'string') return toResult(head, name, { status: 'no-solution', stoppedBy: compiled }, startedAt);
  const finish = (outcome: BackendOutcome): Promise<LpResult> => toResult(compiled, name, outcome, startedAt);
  if (resolved.signal?.aborted) return finish({ status: 'no-solution', stoppedBy: 'aborted' });
  if (compiled.numCols === 0) return finish(solveEmpty(compiled));
  return finish(await backend.solve(compiled, resolved));
}
