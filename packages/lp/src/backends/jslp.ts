import { BackendError } from '@emplace/core';
import { now, type Backend, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import type { BackendCapabilities } from '../types.js';
import { runIsolated, type JslpConstraint, type JslpModel } from './jslp-runner.js';

/*
 * javascript-lp-solver: a pure-JavaScript dense-tableau simplex with branch-and-cut,
 * for small models. Its result says only feasible/bounded: no time-out flag, no bound,
 * no duals. Variables are non-negative (free ones are split in two), so other bounds become
 * rows. Its `timeout` stops branch-and-cut between nodes (the simplex itself is not
 * interruptible, and can cycle forever); since the result does not say whether that
 * happened, any solve that ran at least as long as the limit is reported as stopped by
 * the time limit, and its answer as `feasible` (or `no-solution`) only. Under Node the
 * solve runs in a worker thread that is killed shortly after the limit or on abort (see
 * jslp-runner.ts), so neither a cycling simplex nor a long branch-and-cut can hang the caller.
 */

/** Extra time after the limit before a still-running worker is killed (its incumbent is then lost). */
const KILL_GRACE_MS = 100;

export const jslpCapabilities: BackendCapabilities = {
  name: 'jslp',
  bound: false,
  timeLimit: 'external',
  abort: 'during',
  warmStart: false,
  duals: false,
  progress: false,
  notes:
    'javascript-lp-solver (pure JavaScript, dense tableau; small models only). Under Node it runs in a worker thread: the time limit is its ' +
    'branch-and-cut timeout, backed by killing the worker 100 ms after the limit (then no incumbent survives), and an AbortSignal kills it at once. ' +
    'Its result has no time-out flag, so a solve that ran past the limit is never called optimal. No bound, no duals, no warm start; ' +
    'always solved to a zero relative gap. In a browser (no worker_threads) it runs in-thread and cannot be stopped.',
};

const OBJ = '__objective';

/**
 * How an original column maps to a non-negative jsLPSolver variable:
 * x = base + dir * x' (dir = +1 from a finite lower bound, -1 from a finite upper bound
 * only), x = base for a fixed column (no jsLPSolver variable), or x = x+ - x- for a free
 * column (two non-negative variables `x<j>` and `n<j>`).
 */
interface ColumnMap {
  kind: Uint8Array; // 0 shifted, 1 fixed, 2 free
  base: Float64Array;
  dir: Float64Array;
}

/**
 * Translates to jsLPSolver's JSON. jsLPSolver variables are >= 0, and its simplex proved
 * fragile with bounds written as rows on unrestricted variables (it called feasible
 * degenerate models infeasible), so columns are shifted to start at 0, fixed columns are
 * substituted out, integer bounds are rounded inward, and a free column is split into its
 * positive and negative parts: jsLPSolver's own "unrestricted" variables gave "unbounded" on
 * bounded degenerate LPs (the least core of an all-zero game). Returns undefined when the model is evidently infeasible (crossed integer
 * bounds, or a row left without variables that excludes 0).
 */
function toJslp(m: CompiledModel, timeoutMs: number | undefined): { model: JslpModel; map: ColumnMap } | undefined {
  const cols = mapColumns(m);
  if (cols === undefined) return undefined;
  const { map, constraints, variables, ints } = cols;
  if (!addRows(m, map, constraints, variables)) return undefined;
  const model: JslpModel = { optimize: OBJ, opType: m.sense, constraints, variables, options: { tolerance: 0 } };
  if (Object.keys(ints).length > 0) model.ints = ints;
  if (timeoutMs !== undefined) model.timeout = Math.max(1, timeoutMs);
  return { model, map };
}

/** The columns of the translated model (see toJslp); undefined when integer bounds cross. */
interface JslpColumns {
  map: ColumnMap;
  constraints: Record<string, JslpConstraint>;
  variables: Record<string, Record<string, number>>;
  ints: Record<string, 1>;
}

/** Shifts each column to start at 0 (or flips it from an upper bound), substitutes fixed ones, bounds spans by rows. */
function mapColumns(m: CompiledModel): JslpColumns | undefined {
  const n = m.numCols;
  const cols: JslpColumns = { map: { kind: new Uint8Array(n), base: new Float64Array(n), dir: new Float64Array(n) }, constraints: {}, variables: {}, ints: {} };
  const { map } = cols;
  for (let j = 0; j < n; j++) {
    let lb = m.colLower[j]!;
    let ub = m.colUpper[j]!;
    const integer = m.colType[j] !== 0;
    if (integer) {
      lb = Math.ceil(lb - 1e-9);
      ub = Math.floor(ub + 1e-9);
      if (lb > ub) return undefined;
    }
    if (lb === ub) {
      map.kind[j] = 1;
      map.base[j] = lb;
      continue;
    }
    const name = `x${j}`;
    const coefs: Record<string, number> = {};
    let span = Infinity;
    if (lb > -Infinity) {
      map.base[j] = lb;
      map.dir[j] = 1;
      span = ub - lb;
    } else if (ub < Infinity) {
      map.base[j] = ub;
      map.dir[j] = -1;
    } else {
      map.kind[j] = 2;
      map.dir[j] = 1;
    }
    const c = m.colCost[j]! * map.dir[j]!;
    if (c !== 0) coefs[OBJ] = c;
    if (span < Infinity) {
      cols.constraints[`b${j}`] = { max: span };
      coefs[`b${j}`] = 1;
    }
    cols.variables[name] = coefs;
    if (integer) cols.ints[name] = 1;
    if (map.kind[j] === 2) {
      // The negative part: the same column negated (its row coefficients are added by addRows).
      const negative = `n${j}`;
      cols.variables[negative] = c !== 0 ? { [OBJ]: -c } : {};
      if (integer) cols.ints[negative] = 1;
    }
  }
  return cols;
}

/** Adds the rows on the mapped columns; false when a row left without variables excludes 0 (infeasible). */
function addRows(m: CompiledModel, map: ColumnMap, constraints: Record<string, JslpConstraint>, variables: Record<string, Record<string, number>>): boolean {
  for (let i = 0; i < m.numRows; i++) {
    const row = `r${i}`;
    let shift = 0;
    let terms = 0;
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) {
      const j = m.rowIndex[k]!;
      const a = m.rowValue[k]!;
      shift += a * map.base[j]!;
      if (map.kind[j] === 1) continue;
      variables[`x${j}`]![row] = a * map.dir[j]!;
      if (map.kind[j] === 2) variables[`n${j}`]![row] = -a;
      terms++;
    }
    const lb = m.rowLower[i]! - shift;
    const ub = m.rowUpper[i]! - shift;
    const tol = 1e-9 * Math.max(1, Math.abs(shift));
    if (terms === 0) {
      if (lb > tol || ub < -tol) return false;
      continue;
    }
    if (lb === ub) constraints[row] = { equal: lb };
    else {
      const b: JslpConstraint = {};
      if (lb > -Infinity) b.min = lb;
      if (ub < Infinity) b.max = ub;
      // A free row constrains nothing; its terms stay on the variables harmlessly.
      if (b.min !== undefined || b.max !== undefined) constraints[row] = b;
    }
  }
  return true;
}

export const jslpBackend: Backend = {
  name: 'jslp',
  capabilities: jslpCapabilities,
  async solve(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
    if (options.signal?.aborted) return { status: 'no-solution', stoppedBy: 'aborted' };
    const warnings: string[] = [];
    if (options.warmStart !== undefined) warnings.push('jslp ignores warmStart');
    const limitMs = options.deadline === Infinity ? undefined : Math.max(1, options.deadline - now());
    const translated = toJslp(m, limitMs);
    if (translated === undefined) return { status: 'infeasible', stoppedBy: 'converged', warnings };
    const { model, map } = translated;
    const t0 = now();
    const run = await runIsolated(model, options.deadline + KILL_GRACE_MS, options.signal);
    if (run.kind === 'killed') {
      return { status: 'no-solution', stoppedBy: run.reason, warnings };
    }
    if (run.kind === 'error') {
      throw new BackendError('jslp', `solver failed: ${run.message}`);
    }
    const res = run.result;
    const ranOut = limitMs !== undefined && now() - t0 >= limitMs;
    if (res.feasible && res.bounded === false) return { status: 'unbounded', stoppedBy: 'converged', warnings };
    if (!res.feasible) {
      return ranOut ? { status: 'no-solution', stoppedBy: 'time-limit', warnings } : { status: 'infeasible', stoppedBy: 'converged', warnings };
    }
    const x = new Float64Array(m.numCols);
    for (let j = 0; j < m.numCols; j++) {
      if (map.kind[j] === 1) {
        x[j] = map.base[j]!;
        continue;
      }
      const v = res[`x${j}`];
      let value = typeof v === 'number' ? v : 0;
      if (map.kind[j] === 2) {
        const neg = res[`n${j}`];
        value -= typeof neg === 'number' ? neg : 0;
      }
      x[j] = map.base[j]! + map.dir[j]! * value;
    }
    return ranOut ? { status: 'feasible', x, stoppedBy: 'time-limit', warnings } : { status: 'optimal', x, stoppedBy: 'converged', warnings };
  },
};
