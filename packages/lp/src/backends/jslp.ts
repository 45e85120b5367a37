import { BackendError } from '@emplace/core';
import { now, type Backend, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import type { BackendCapabilities } from '../types.js';
import { runIsolated, type JslpConstraint, type JslpModel } from './jslp-runner.js';

/*
 * javascript-lp-solver: a pure-JavaScript dense-tableau simplex with branch-and-cut,
 * for small models. Its result says only feasible/bounded: no time-out flag, no bound,
 * no duals. Variables are non-negative unless "unrestricted", so other bounds become
 * rows. Its `timeout` stops branch-and-cut between nodes (the simplex itself is not
 * interruptible, and can cycle forever); since the result does not say whether that
 * happened, any solve that ran at least as long as the limit is reported as stopped by
 * the time limit, and its answer as `feasible` (or `no-solution`) only. Under Node the
 * solve runs in a worker thread that is killed shortly after the limit or on abort (see
 * jslp-runner.ts), so neither a cycling simplex nor a long branch-and-cut can hang the caller.
 */

/** Extra time after the limit before a still-running worker is killed (its incumbent is then lost). */
const KILL_GRACE_MS = 250;

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
    'branch-and-cut timeout, backed by killing the worker 250 ms after the limit (then no incumbent survives), and an AbortSignal kills it at once. ' +
    'Its result has no time-out flag, so a solve that ran past the limit is never called optimal. No bound, no duals, no warm start; ' +
    'always solved to a zero relative gap. In a browser (no worker_threads) it runs in-thread and cannot be stopped.',
};

const OBJ = '__objective';

function toJslp(m: CompiledModel, timeoutMs: number | undefined): JslpModel {
  const constraints: Record<string, JslpConstraint> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  let hasInts = false;
  let hasFree = false;
  for (let j = 0; j < m.numCols; j++) {
    const name = `x${j}`;
    const coefs: Record<string, number> = {};
    if (m.colCost[j] !== 0) coefs[OBJ] = m.colCost[j]!;
    const lb = m.colLower[j]!;
    const ub = m.colUpper[j]!;
    // jsLPSolver variables are >= 0; any other bound becomes a one-variable row.
    if (lb !== 0) {
      unrestricted[name] = 1;
      hasFree = true;
    }
    const b: JslpConstraint = {};
    if (lb !== 0 && lb > -Infinity) b.min = lb;
    if (ub < Infinity) b.max = ub;
    if (b.min !== undefined || b.max !== undefined) {
      const row = `b${j}`;
      constraints[row] = b.min !== undefined && b.max !== undefined && b.min === b.max ? { equal: b.min } : b;
      coefs[row] = 1;
    }
    variables[name] = coefs;
    if (m.colType[j] !== 0) {
      ints[name] = 1;
      hasInts = true;
    }
  }
  for (let i = 0; i < m.numRows; i++) {
    const row = `r${i}`;
    const lb = m.rowLower[i]!;
    const ub = m.rowUpper[i]!;
    if (lb === ub) constraints[row] = { equal: lb };
    else {
      const b: JslpConstraint = {};
      if (lb > -Infinity) b.min = lb;
      if (ub < Infinity) b.max = ub;
      if (b.min === undefined && b.max === undefined) continue; // a free row constrains nothing
      constraints[row] = b;
    }
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) variables[`x${m.rowIndex[k]!}`]![row] = m.rowValue[k]!;
  }
  const model: JslpModel = { optimize: OBJ, opType: m.sense, constraints, variables, options: { tolerance: 0 } };
  if (hasInts) model.ints = ints;
  if (hasFree) model.unrestricted = unrestricted;
  if (timeoutMs !== undefined) model.timeout = Math.max(1, timeoutMs);
  return model;
}

export const jslpBackend: Backend = {
  name: 'jslp',
  capabilities: jslpCapabilities,
  async solve(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
    if (options.signal?.aborted) return { status: 'no-solution', stoppedBy: 'aborted' };
    const warnings: string[] = [];
    if (options.warmStart !== undefined) warnings.push('jslp ignores warmStart');
    const limitMs = options.deadline === Infinity ? undefined : Math.max(1, options.deadline - now());
    const model = toJslp(m, limitMs);
    const t0 = now();
    const run = await runIsolated(model, limitMs === undefined ? Infinity : limitMs + KILL_GRACE_MS, options.signal);
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
      const v = res[`x${j}`];
      x[j] = typeof v === 'number' ? v : 0;
    }
    return ranOut ? { status: 'feasible', x, stoppedBy: 'time-limit', warnings } : { status: 'optimal', x, stoppedBy: 'converged', warnings };
  },
};
