import { BackendError, type StoppedBy } from '@emplace/core';
import type { Highs, HighsCallbackMap, Model, ModelData } from 'highs';
import { now, type BackendOutcome } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import type { LpProgress } from '../types.js';
import { errorMessage as message } from './runtime-cache.js';

/*
 * One HiGHS solve of a compiled model on a loaded runtime, synchronous (the wasm call
 * holds the thread). The same code runs in the caller's thread and inside the HiGHS
 * worker (highs-worker.ts); everything it needs from its host comes in `HighsRunControl`.
 */

/** What a HiGHS run reads from its host: limits, the stop test and where to report. */
export interface HighsRunControl {
  /** Absolute deadline on this thread's `performance.now()` clock; Infinity without one. */
  deadline: number;
  /** True once the caller aborted (an AbortSignal, or a flag in shared memory). */
  aborted: () => boolean;
  /** Whether `aborted` can ever become true (else no interrupt callback is installed for it). */
  abortable: boolean;
  mipRelGap: number;
  warmStart: Float64Array | undefined;
  highsOptions: Readonly<Record<string, string | number | boolean>> | undefined;
  progressIntervalMs: number;
  startedAt: number;
  /** Incumbent/bound updates (MIP), throttled; an exception interrupts the solve and is rethrown. */
  onProgress: ((e: LpProgress) => void) | undefined;
  /** Each improved MIP solution (full length, original column order). */
  onIncumbent: ((x: Float64Array) => void) | undefined;
}

const MS = {
  optimal: 7,
  empty: 6,
  infeasible: 8,
  unboundedOrInfeasible: 9,
  unbounded: 10,
  objectiveBound: 11,
  objectiveTarget: 12,
  timeLimit: 13,
  iterationLimit: 14,
  unknown: 15,
  solutionLimit: 16,
  interrupted: 17,
} as const;

type Callbacks = { -readonly [K in keyof HighsCallbackMap]: HighsCallbackMap[K] };

/** The interrupt state of one run: why it was interrupted, and a user error to rethrow. */
interface RunState {
  interruptedBy: StoppedBy | undefined;
  userFailed: boolean;
  userError: unknown;
}

/** Solves `m` on `highs`; throws BackendError for rejected options, the user's error from onProgress, or whatever the runtime throws. */
export function runHighs(highs: Highs, m: CompiledModel, ctl: HighsRunControl): BackendOutcome {
  const state: RunState = { interruptedBy: undefined, userFailed: false, userError: undefined };
  let model: Model | undefined;
  try {
    model = createModel(highs, m, ctl);
    const callbacks = interruptCallbacks(highs, m, ctl, state);
    const status = model.run(callbacks).modelStatus as number;
    if (state.userFailed) throw state.userError;
    if (status === MS.unboundedOrInfeasible) return probeUnbounded(highs, model, m, callbacks, state);
    const out = classify(model, m, status, state.interruptedBy, []);
    const counter = infoNumber(model, m.isMip ? 'mip_node_count' : 'simplex_iteration_count');
    if (counter !== undefined && counter >= 0) {
      if (m.isMip) out.nodes = counter;
      else out.iterations = counter;
    }
    return out;
  } finally {
    model?.dispose();
  }
}

function buildModelData(highs: Highs, m: CompiledModel, zeroCost = false): ModelData {
  const data: ModelData = {
    numCols: m.numCols,
    numRows: m.numRows,
    sense: m.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    offset: m.offset,
    colCost: zeroCost ? new Float64Array(m.numCols) : m.colCost,
    colLower: m.colLower,
    colUpper: m.colUpper,
    rowLower: m.rowLower,
    rowUpper: m.rowUpper,
    matrix: { format: 'csr', numRows: m.numRows, numCols: m.numCols, starts: m.rowStart, indices: m.rowIndex, values: m.rowValue },
  };
  if (!m.isMip) return data;
  const integrality = new Int32Array(m.numCols);
  for (let j = 0; j < m.numCols; j++) integrality[j] = m.colType[j] === 0 ? 0 : 1;
  return { ...data, integrality };
}

/** The native model with the layer's options (gap, time limit), the caller's HiGHS options and warm start. */
function createModel(highs: Highs, m: CompiledModel, ctl: HighsRunControl): Model {
  const model = highs.createModel(buildModelData(highs, m));
  try {
    const opts: Record<string, number | boolean | string> = { output_flag: false, mip_rel_gap: ctl.mipRelGap };
    if (ctl.deadline !== Infinity) opts['time_limit'] = Math.max(1e-3, (ctl.deadline - now()) / 1000);
    model.options.set(opts);
    if (ctl.highsOptions !== undefined) {
      try {
        model.options.set(ctl.highsOptions);
      } catch (err) {
        throw new BackendError('highs', `rejected highsOptions: ${message(err)}`, { cause: err });
      }
    }
    if (ctl.warmStart !== undefined) model.setSolution({ colValue: ctl.warmStart });
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/**
 * Interrupt checkpoints: the abort test, and the deadline as a backstop to HiGHS's own
 * time_limit (which presolve, for one, can overrun); for MIPs also progress and incumbents.
 */
function interruptCallbacks(highs: Highs, m: CompiledModel, ctl: HighsRunControl, state: RunState): Callbacks {
  const shouldInterrupt = (): boolean => {
    if (state.interruptedBy !== undefined || state.userFailed) return true;
    if (ctl.aborted()) state.interruptedBy = 'aborted';
    else if (now() >= ctl.deadline) state.interruptedBy = 'time-limit';
    return state.interruptedBy !== undefined;
  };
  const callbacks: Callbacks = {};
  const cb = highs.constants.callbackType;
  const limited = ctl.abortable || ctl.deadline !== Infinity;
  if (limited) {
    const interrupt = (event: { interrupt(): void }): undefined => {
      if (shouldInterrupt()) event.interrupt();
      return undefined;
    };
    callbacks[cb.simplexInterrupt] = interrupt;
    callbacks[cb.ipmInterrupt] = interrupt;
  }
  if (!m.isMip) return callbacks;
  const { onIncumbent } = ctl;
  if (onIncumbent !== undefined) {
    callbacks[cb.mipImprovingSolution] = (event) => {
      const x = event.data.mip_solution;
      if (x !== undefined && x.length === m.numCols) onIncumbent(x);
      return undefined;
    };
  }
  if (limited || ctl.onProgress !== undefined) {
    const report = progressReporter(ctl, state);
    callbacks[cb.mipInterrupt] = (event) => {
      report(event.data.mip_primal_bound, event.data.mip_dual_bound);
      if (shouldInterrupt()) event.interrupt();
      return undefined;
    };
  }
  return callbacks;
}

/** Calls onProgress when the incumbent or bound changed, at most once per progressIntervalMs; records a throw. */
function progressReporter(ctl: HighsRunControl, state: RunState): (inc: number | undefined, bnd: number | undefined) => void {
  const { onProgress } = ctl;
  let lastAt = -Infinity;
  let lastIncumbent = NaN;
  let lastBound = NaN;
  return (inc, bnd) => {
    if (onProgress === undefined || state.userFailed) return;
    const t = now();
    if (t - lastAt < ctl.progressIntervalMs || (inc === lastIncumbent && bnd === lastBound)) return;
    lastAt = t;
    lastIncumbent = inc ?? NaN;
    lastBound = bnd ?? NaN;
    const e: LpProgress = { elapsedMs: t - ctl.startedAt };
    if (inc !== undefined && Number.isFinite(inc)) e.incumbent = inc;
    if (bnd !== undefined && Number.isFinite(bnd)) e.bound = bnd;
    try {
      onProgress(e);
    } catch (error) {
      state.userFailed = true;
      state.userError = error;
    }
  };
}

/**
 * Presolve could not tell unbounded from infeasible. With a zero objective the model is
 * bounded, so its feasibility decides: feasible means the original objective is unbounded.
 */
function probeUnbounded(highs: Highs, model: Model, m: CompiledModel, callbacks: Callbacks, state: RunState): BackendOutcome {
  model.passModel(buildModelData(highs, m, true));
  const probe = model.run(callbacks).modelStatus as number;
  if (state.userFailed) throw state.userError;
  if (probe === MS.infeasible) return { status: 'infeasible', stoppedBy: 'converged' };
  // Any feasible point proves "unbounded" here, even one found before a limit.
  if (probe === MS.optimal || probe === MS.empty || infoNumber(model, 'primal_solution_status') === 2) {
    return { status: 'unbounded', stoppedBy: 'converged' };
  }
  // The probe stopped undecided; its x and bound belong to the zero-objective model.
  const warnings: string[] = [];
  const undecided = classify(model, m, probe, state.interruptedBy, warnings);
  return { status: 'no-solution', stoppedBy: undecided.stoppedBy, warnings };
}

function infoNumber(model: Model, name: string): number | undefined {
  try {
    const v = model.info.get(name);
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return undefined;
  }
}

function stoppedByOf(status: number, interruptedBy: StoppedBy | undefined): StoppedBy {
  if (status === MS.timeLimit) return 'time-limit';
  if (status === MS.interrupted) return interruptedBy ?? 'aborted';
  if (status === MS.iterationLimit) return 'iteration-limit';
  return 'converged';
}

/** Maps a HiGHS model status (after the run) to an outcome, reading x and the bound. */
function classify(model: Model, m: CompiledModel, status: number, interruptedBy: StoppedBy | undefined, warnings: string[]): BackendOutcome {
  switch (status) {
    case MS.optimal:
    case MS.empty: {
      const sol = model.getSolution();
      const out: BackendOutcome = { status: 'optimal', x: sol.colValue, stoppedBy: 'converged', warnings };
      if (m.isMip) addMipBound(model, out);
      // An optimal LP basis proves its own objective; solveLp fills bound = objective.
      else if (infoNumber(model, 'dual_solution_status') === 2) out.duals = sol.rowDual;
      return out;
    }
    case MS.infeasible:
      return { status: 'infeasible', stoppedBy: 'converged' };
    case MS.unbounded:
      return { status: 'unbounded', stoppedBy: 'converged' };
    case MS.timeLimit:
    case MS.interrupted:
    case MS.iterationLimit:
    case MS.solutionLimit:
    case MS.objectiveBound:
    case MS.objectiveTarget:
    case MS.unknown: {
      const stoppedBy = stoppedByOf(status, interruptedBy);
      if (status === MS.unknown) warnings.push('HiGHS ended with model status "unknown"');
      const hasPrimal = infoNumber(model, 'primal_solution_status') === 2;
      const out: BackendOutcome = hasPrimal
        ? { status: 'feasible', x: model.getSolution().colValue, stoppedBy, warnings }
        : { status: 'no-solution', stoppedBy, warnings };
      if (m.isMip) addMipBound(model, out);
      return out;
    }
    default:
      throw new BackendError('highs', `solve failed with model status ${status}`);
  }
}

function addMipBound(model: Model, out: BackendOutcome): void {
  const b = infoNumber(model, 'mip_dual_bound');
  if (b !== undefined && Number.isFinite(b)) out.bound = b;
}
