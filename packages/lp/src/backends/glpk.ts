import { BackendError, type StoppedBy } from '@emplace/core';
import type { GLPK, LP } from 'glpk.js/node';
import { now, remainingSeconds, type Backend, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import { importGlpk } from './platform.js';
import { errorMessage, runtimeCache } from './runtime-cache.js';
import type { BackendCapabilities } from '../types.js';

/*
 * GLPK through glpk.js's synchronous Node entry. glpk.js takes a JSON model keyed by
 * variable names (one object per nonzero: fine for the model sizes GLPK suits) and
 * returns only a solution status: no return code, no MIP bound. So:
 * - a time-limit stop shows up as GLP_FEAS (incumbent) or GLP_UNDEF (none); we tell it
 *   from a gap stop by the measured solve time against the limit;
 * - no bound is ever claimed for a MIP;
 * - an LP is solved without presolve, because GLPK's LP presolver reports infeasible and
 *   unbounded models as "undefined";
 * - a MIP needs the presolver (glp_intopt without it requires a prior LP basis, which
 *   glpk.js does not compute), and its "undefined" is disambiguated by extra solves.
 */

// Loaded on first use, so importing @emplace/lp costs nothing until a GLPK solve.
const runtime = runtimeCache<GLPK>(() => importGlpk().then((mod) => mod.default()));

export const glpkCapabilities: BackendCapabilities = {
  name: 'glpk',
  bound: false,
  timeLimit: 'native',
  abort: 'before',
  warmStart: false,
  duals: true,
  progress: false,
  notes:
    'GLPK 5 (glpk.js, WebAssembly, synchronous). Time limit via tm_lim; a time-limit stop yields feasible (incumbent, no bound) or no-solution. ' +
    'No MIP bound is reported, so a time-limited MIP never has a gap. The signal is only checked before the solve. Warm starts are ignored (with a warning).',
};

function colName(j: number): string {
  return `x${j}`;
}

function rowName(i: number): string {
  return `r${i}`;
}

function bnds(glpk: GLPK, lb: number, ub: number): { type: number; lb: number; ub: number } {
  const hasLb = lb > -Infinity;
  const hasUb = ub < Infinity;
  if (hasLb && hasUb) return lb === ub ? { type: glpk.GLP_FX, lb, ub } : { type: glpk.GLP_DB, lb, ub };
  if (hasLb) return { type: glpk.GLP_LO, lb, ub: 0 };
  if (hasUb) return { type: glpk.GLP_UP, lb: 0, ub };
  return { type: glpk.GLP_FR, lb: 0, ub: 0 };
}

function toGlpk(glpk: GLPK, m: CompiledModel, options: { zeroCost?: boolean; relax?: boolean } = {}): LP {
  const objVars: { name: string; coef: number }[] = [];
  if (options.zeroCost !== true) {
    for (let j = 0; j < m.numCols; j++) if (m.colCost[j] !== 0) objVars.push({ name: colName(j), coef: m.colCost[j]! });
  }
  const subjectTo: LP['subjectTo'] = [];
  for (let i = 0; i < m.numRows; i++) {
    const vars: { name: string; coef: number }[] = [];
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) vars.push({ name: colName(m.rowIndex[k]!), coef: m.rowValue[k]! });
    subjectTo.push({ name: rowName(i), vars, bnds: bnds(glpk, m.rowLower[i]!, m.rowUpper[i]!) });
  }
  // Every column appears in `bounds`, so glpk.js creates even those in no row.
  const bounds: NonNullable<LP['bounds']> = [];
  const generals: string[] = [];
  for (let j = 0; j < m.numCols; j++) {
    bounds.push({ name: colName(j), ...bnds(glpk, m.colLower[j]!, m.colUpper[j]!) });
    if (m.colType[j] !== 0 && options.relax !== true) generals.push(colName(j));
  }
  const lp: LP = {
    name: 'emplace',
    objective: { direction: m.sense === 'max' ? glpk.GLP_MAX : glpk.GLP_MIN, name: 'obj', vars: objVars },
    subjectTo,
    bounds,
  };
  // Binaries are integers whose bounds are already [0, 1]; GLPK's GLP_BV would reset them.
  if (generals.length > 0) lp.generals = generals;
  return lp;
}

function readX(m: CompiledModel, vars: Record<string, number>): Float64Array {
  const x = new Float64Array(m.numCols);
  for (let j = 0; j < m.numCols; j++) x[j] = vars[colName(j)] ?? 0;
  return x;
}

/** One glpk.js solve; `timedOut` when it stopped at (nearly) the time limit. */
interface GlpkRun {
  status: number;
  vars: Record<string, number>;
  dual?: Record<string, number>;
  timedOut: boolean;
}

function runGlpk(glpk: GLPK, lp: LP, options: ResolvedOptions, isMip: boolean): GlpkRun {
  const limit = remainingSeconds(options);
  const opts: { msglev: number; presol: boolean; mipgap: number; tmlim?: number } = {
    msglev: glpk.GLP_MSG_OFF,
    presol: isMip && lp.generals !== undefined,
    mipgap: options.mipRelGap,
  };
  if (limit !== undefined) opts.tmlim = limit;
  const t0 = now();
  const res = glpk.solve(lp, opts).result;
  // glpk.js hides GLPK's return code; a stop at (nearly) the limit is the time limit.
  const timedOut = limit !== undefined && now() - t0 >= limit * 1000 * 0.98 - 1;
  const out: GlpkRun = { status: res.status, vars: res.vars, timedOut };
  if (res.dual !== undefined) out.dual = res.dual;
  return out;
}

/** An optimal answer, with row duals for LPs. */
function optimalOutcome(m: CompiledModel, res: GlpkRun, warnings: string[]): BackendOutcome {
  const out: BackendOutcome = { status: 'optimal', x: readX(m, res.vars), stoppedBy: 'converged', warnings };
  if (!m.isMip && res.dual !== undefined) {
    const duals = new Float64Array(m.numRows);
    for (let i = 0; i < m.numRows; i++) duals[i] = res.dual[rowName(i)] ?? 0;
    out.duals = duals;
  }
  return out;
}

/**
 * GLPK's "undefined" without a time-limit stop. For a MIP the presolver/branch-and-bound
 * gave up: most often an unbounded LP relaxation. Decide with the relaxation and, if that
 * is unbounded, a zero-objective MIP (feasible => unbounded, else infeasible).
 */
function undefinedOutcome(glpk: GLPK, m: CompiledModel, res: GlpkRun, options: ResolvedOptions, warnings: string[]): BackendOutcome {
  if (res.timedOut) return { status: 'no-solution', stoppedBy: 'time-limit', warnings };
  if (m.isMip) {
    const relax = runGlpk(glpk, toGlpk(glpk, m, { relax: true }), options, true);
    if (relax.status === glpk.GLP_NOFEAS) return { status: 'infeasible', stoppedBy: 'converged', warnings };
    if (relax.status === glpk.GLP_UNBND) {
      const probe = runGlpk(glpk, toGlpk(glpk, m, { zeroCost: true }), options, true);
      if (probe.status === glpk.GLP_OPT || probe.status === glpk.GLP_FEAS) return { status: 'unbounded', stoppedBy: 'converged', warnings };
      if (probe.status === glpk.GLP_NOFEAS) return { status: 'infeasible', stoppedBy: 'converged', warnings };
      if (probe.timedOut) return { status: 'no-solution', stoppedBy: 'time-limit', warnings };
    }
    if (relax.timedOut) return { status: 'no-solution', stoppedBy: 'time-limit', warnings };
  }
  warnings.push(`glpk returned status ${res.status} (undefined/infeasible) without a time-limit stop`);
  return { status: 'no-solution', stoppedBy: 'converged', warnings };
}

/** Solves and maps GLPK's solution status to an outcome. */
function solveWith(glpk: GLPK, m: CompiledModel, options: ResolvedOptions, warnings: string[]): BackendOutcome {
  const res = runGlpk(glpk, toGlpk(glpk, m), options, m.isMip);
  const stoppedBy: StoppedBy = res.timedOut ? 'time-limit' : 'converged';
  switch (res.status) {
    case glpk.GLP_OPT:
      return optimalOutcome(m, res, warnings);
    case glpk.GLP_FEAS:
      // For a MIP without a time-limit stop, GLP_FEAS means the relative gap reached
      // mipgap (GLP_EMIPGAP): proven to the requested gap.
      if (m.isMip && !res.timedOut) return { status: 'optimal', x: readX(m, res.vars), stoppedBy: 'converged', warnings };
      return { status: 'feasible', x: readX(m, res.vars), stoppedBy, warnings };
    case glpk.GLP_NOFEAS:
      return { status: 'infeasible', stoppedBy: 'converged', warnings };
    case glpk.GLP_UNBND:
      return { status: 'unbounded', stoppedBy: 'converged', warnings };
    default:
      return undefinedOutcome(glpk, m, res, options, warnings);
  }
}

export const glpkBackend: Backend = {
  name: 'glpk',
  capabilities: glpkCapabilities,
  async solve(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
    let glpk: GLPK;
    try {
      glpk = await runtime.get();
    } catch (err) {
      throw new BackendError('glpk', `could not load the WebAssembly runtime: ${errorMessage(err)}`, { cause: err });
    }
    if (options.signal?.aborted) return { status: 'no-solution', stoppedBy: 'aborted' };
    const warnings: string[] = [];
    if (options.warmStart !== undefined) warnings.push('glpk ignores warmStart');
    try {
      return solveWith(glpk, m, options, warnings);
    } catch (err) {
      // A wasm trap may leave the module's heap inconsistent: drop it and load a new one next time.
      runtime.reset();
      throw new BackendError('glpk', `solver crashed: ${errorMessage(err)} (the runtime will be re-created on the next solve)`, { cause: err });
    }
  },
};
