import { BackendError, type StoppedBy } from '@emplace/core';
import type { Highs, HighsCallbackMap, Model, ModelData } from 'highs';
import { now, remainingSeconds, type Backend, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import { onHighsConfigChange } from './highs-config.js';
import { loadHighsRuntime } from './platform.js';
import type { BackendCapabilities } from '../types.js';

/*
 * HiGHS through highs-js's persistent model API. The wasm runtime is loaded once and
 * shared; every solve builds one native model from CSR arrays, runs it synchronously and
 * disposes it in `finally` (garbage collection never frees wasm memory). If anything
 * throws inside the runtime (a wasm trap, an abort, a wrapper error), the runtime is
 * dropped and re-created on the next solve, and the failure surfaces as BackendError.
 */

type Loader = () => Promise<Highs>;

// Loaded on first use, so importing @emplace/lp costs nothing until a HiGHS solve; where
// from (the `highs` package in Node, a URL in browsers) is platform.ts's business.
const loadHighs: Loader = async () => (await loadHighsRuntime()) as Highs;

let loader: Loader = () => loadHighs();
let runtime: Promise<Highs> | undefined;

function getRuntime(): Promise<Highs> {
  if (runtime === undefined) {
    const loading = loader();
    runtime = loading;
    // A failed load must not poison later calls.
    loading.catch(() => {
      if (runtime === loading) runtime = undefined;
    });
  }
  return runtime;
}

/** Drops the shared HiGHS runtime; the next solve loads a fresh one. */
export function resetHighsRuntime(): void {
  runtime = undefined;
}
onHighsConfigChange(resetHighsRuntime);

/** Test hook: replaces the runtime loader (pass undefined to restore the real one). */
export function setHighsLoaderForTesting(custom: Loader | undefined): void {
  loader = custom ?? (() => loadHighs());
  runtime = undefined;
}

export const highsCapabilities: BackendCapabilities = {
  name: 'highs',
  bound: true,
  timeLimit: 'native',
  abort: 'during',
  warmStart: true,
  duals: true,
  progress: true,
  notes:
    'HiGHS (WebAssembly, single-threaded). mip_rel_gap is set from mipRelGap (default 1e-9; HiGHS itself defaults to 1e-4). ' +
    'The time limit is HiGHS time_limit plus an interrupt callback at the deadline; an AbortSignal is polled from the simplex, IPM and MIP interrupt callbacks, ' +
    'so it takes effect at the next solver checkpoint (the JavaScript event loop is blocked while HiGHS runs, so the signal must be aborted from a timer that fired earlier, another worker, or a callback).',
};

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
    matrix: {
      format: 'csr',
      numRows: m.numRows,
      numCols: m.numCols,
      starts: m.rowStart,
      indices: m.rowIndex,
      values: m.rowValue,
    },
  };
  if (!m.isMip) return data;
  const integrality = new Int32Array(m.numCols);
  for (let j = 0; j < m.numCols; j++) integrality[j] = m.colType[j] === 0 ? 0 : 1;
  return { ...data, integrality };
}

function infoNumber(model: Model, name: string): number | undefined {
  try {
    const v = model.info.get(name);
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return undefined;
  }
}

export const highsBackend: Backend = {
  name: 'highs',
  capabilities: highsCapabilities,
  async solve(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
    let highs: Highs;
    try {
      highs = await getRuntime();
    } catch (err) {
      throw new BackendError('highs', `could not load the WebAssembly runtime: ${message(err)}`, { cause: err });
    }
    if (options.signal?.aborted) return { status: 'no-solution', stoppedBy: 'aborted' };
    let model: Model | undefined;
    // Set when the caller's onProgress throws: the solve is interrupted and that error rethrown.
    const user: { failed: boolean; error: unknown } = { failed: false, error: undefined };
    try {
      model = highs.createModel(buildModelData(highs, m));
      const opts: Record<string, number | boolean | string> = { output_flag: false, mip_rel_gap: options.mipRelGap };
      const limit = remainingSeconds(options);
      if (limit !== undefined) opts['time_limit'] = limit;
      model.options.set(opts);
      if (options.highsOptions !== undefined) {
        try {
          model.options.set(options.highsOptions);
        } catch (err) {
          throw new BackendError('highs', `rejected highsOptions: ${message(err)}`, { cause: err });
        }
      }
      if (options.warmStart !== undefined) model.setSolution({ colValue: options.warmStart });

      // Interrupt checkpoints: abort signal, and the deadline as a backstop to HiGHS's own
      // time_limit (which presolve, for one, can overrun).
      let interruptedBy: StoppedBy | undefined;
      let lastProgress = -Infinity;
      let lastIncumbent = NaN;
      let lastBound = NaN;
      const { signal, deadline, onProgress } = options;
      const shouldInterrupt = (): boolean => {
        if (interruptedBy !== undefined || user.failed) return true;
        if (signal?.aborted) interruptedBy = 'aborted';
        else if (now() >= deadline) interruptedBy = 'time-limit';
        return interruptedBy !== undefined;
      };
      const callbacks: { -readonly [K in keyof HighsCallbackMap]: HighsCallbackMap[K] } = {};
      const cb = highs.constants.callbackType;
      if (signal !== undefined || deadline !== Infinity) {
        callbacks[cb.simplexInterrupt] = (event) => {
          if (shouldInterrupt()) event.interrupt();
          return undefined;
        };
        callbacks[cb.ipmInterrupt] = (event) => {
          if (shouldInterrupt()) event.interrupt();
          return undefined;
        };
      }
      if (m.isMip && (signal !== undefined || deadline !== Infinity || onProgress !== undefined)) {
        callbacks[cb.mipInterrupt] = (event) => {
          if (onProgress !== undefined && !user.failed) {
            const t = now();
            const inc = event.data.mip_primal_bound;
            const bnd = event.data.mip_dual_bound;
            if (t - lastProgress >= options.progressIntervalMs && (inc !== lastIncumbent || bnd !== lastBound)) {
              lastProgress = t;
              lastIncumbent = inc ?? NaN;
              lastBound = bnd ?? NaN;
              const e: { incumbent?: number; bound?: number; elapsedMs: number } = { elapsedMs: t - options.startedAt };
              if (inc !== undefined && Number.isFinite(inc)) e.incumbent = inc;
              if (bnd !== undefined && Number.isFinite(bnd)) e.bound = bnd;
              try {
                onProgress(e);
              } catch (error) {
                user.failed = true;
                user.error = error;
              }
            }
          }
          if (shouldInterrupt()) event.interrupt();
          return undefined;
        };
      }

      const status = model.run(callbacks).modelStatus as number;
      if (user.failed) throw user.error;
      const warnings: string[] = [];

      if (status === MS.unboundedOrInfeasible) {
        // Presolve could not tell which. With a zero objective the model is bounded, so
        // its feasibility decides: feasible means the original objective is unbounded.
        model.passModel(buildModelData(highs, m, true));
        const probe = model.run(callbacks).modelStatus as number;
        if (user.failed) throw user.error;
        if (probe === MS.infeasible) return { status: 'infeasible', stoppedBy: 'converged' };
        // Any feasible point proves "unbounded" here, even one found before a limit.
        if (probe === MS.optimal || probe === MS.empty || infoNumber(model, 'primal_solution_status') === 2) {
          return { status: 'unbounded', stoppedBy: 'converged' };
        }
        // The probe stopped undecided; its x and bound belong to the zero-objective model.
        const undecided = classify(model, m, probe, interruptedBy, warnings);
        return { status: 'no-solution', stoppedBy: undecided.stoppedBy, warnings };
      }

      const out = classify(model, m, status, interruptedBy, warnings);
      const counter = infoNumber(model, m.isMip ? 'mip_node_count' : 'simplex_iteration_count');
      if (counter !== undefined && counter >= 0) {
        if (m.isMip) out.nodes = counter;
        else out.iterations = counter;
      }
      return out;
    } catch (err) {
      if (user.failed && err === user.error) throw err;
      if (err instanceof BackendError) throw err;
      // Anything thrown from inside the runtime may have left it corrupted: drop it.
      resetHighsRuntime();
      throw new BackendError('highs', `solver crashed: ${message(err)} (the runtime will be re-created on the next solve)`, {
        cause: err,
      });
    } finally {
      try {
        model?.dispose();
      } catch {
        // A corrupted runtime may refuse to dispose; it has been dropped above.
        resetHighsRuntime();
      }
    }
  },
};

/** Maps a HiGHS model status (after the run) to an outcome, reading x and the bound. */
function classify(model: Model, m: CompiledModel, status: number, interruptedBy: StoppedBy | undefined, warnings: string[]): BackendOutcome {
  switch (status) {
    case MS.optimal:
    case MS.empty: {
      const sol = model.getSolution();
      const out: BackendOutcome = { status: 'optimal', x: sol.colValue, stoppedBy: 'converged', warnings };
      if (m.isMip) {
        const b = infoNumber(model, 'mip_dual_bound');
        if (b !== undefined && Number.isFinite(b)) out.bound = b;
      } else {
        // An optimal LP basis proves its own objective; solveLp fills bound = objective.
        if (infoNumber(model, 'dual_solution_status') === 2) out.duals = sol.rowDual;
      }
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
      const stoppedBy: StoppedBy =
        status === MS.timeLimit
          ? 'time-limit'
          : status === MS.interrupted
            ? (interruptedBy ?? 'aborted')
            : status === MS.iterationLimit
              ? 'iteration-limit'
              : 'converged';
      if (status === MS.unknown) warnings.push('HiGHS ended with model status "unknown"');
      const hasPrimal = infoNumber(model, 'primal_solution_status') === 2;
      const out: BackendOutcome = hasPrimal
        ? { status: 'feasible', x: model.getSolution().colValue, stoppedBy, warnings }
        : { status: 'no-solution', stoppedBy, warnings };
      if (m.isMip) {
        const b = infoNumber(model, 'mip_dual_bound');
        if (b !== undefined && Number.isFinite(b)) out.bound = b;
      }
      return out;
    }
    default:
      throw new BackendError('highs', `solve failed with model status ${status}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
