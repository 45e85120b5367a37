import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import type { SolveRun } from '@emplace/core';
import type { FacilityProblem } from './problem.js';
import type { FlowShare, RawSolution } from './solution.js';

export interface MipOutcome {
  solution: RawSolution | null;
  bound?: number;
  proven: boolean;
  backend: string;
  status: string;
  variables: number;
  warnings?: string[];
}

/**
 * The strong MIP formulation through @emplace/lp:
 *   min sum_i f_i y_i + sum_ij c_ij x_ij
 *   sum_i x_ij = 1 (j),  x_ij <= y_i (i, j),  [sum_j d_j x_ij <= C_i y_i (i)],  [sum_i y_i = p],
 * y binary, x continuous in [0, 1] (binary for single source). Pairs that are not allowed
 * get no variable. `fixed` (1 open / 0 closed / -1 free) restricts y, e.g. after
 * Lagrangian reduced-cost fixing; `warm` is a starting solution.
 */
export async function solveMip(
  pr: FacilityProblem,
  run: SolveRun,
  opts: { fixed?: Int8Array; warm?: RawSolution | null; backend?: BackendName; cutoff?: number } = {},
): Promise<MipOutcome> {
  const { nSites: S, nClients: C, c } = pr;
  // HiGHS checks its clock coarsely, and building the model and presolve come on top of
  // its own limit: it gets the remaining time minus a margin (5 % of the budget, at most
  // 0.5 s), and is not started at all when less than that is left.
  const margin = run.deadline === Infinity ? 0 : Math.min(500, 0.05 * (run.deadline - run.startedAt));
  if (run.deadline !== Infinity && run.remainingMs() <= margin) {
    run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
    return { solution: null, proven: false, backend: opts.backend ?? 'highs', status: 'skipped (no time left)', variables: 0 };
  }
  const lm = new LinearModel('min');
  // Building the model is O(S C) calls (hundreds of ms on 100 x 1000): a checkpoint per site row.
  const stopped = (): MipOutcome => {
    run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
    return { solution: null, proven: false, backend: opts.backend ?? 'highs', status: 'skipped (stopped while building the model)', variables: lm.numVariables };
  };
  // Stopped already (an abort before the MIP): not even the arrays (35-40 ms at 2000 x 2000).
  if (run.shouldStop()) return stopped();
  reserveMip(lm, pr);
  const yCol = new Int32Array(S).fill(-1);
  for (let i = 0; i < S; i++) {
    const fx = opts.fixed ? opts.fixed[i]! : -1;
    const lb = pr.mustOpen[i] || fx === 1 ? 1 : 0;
    const ub = pr.forbidden[i] || fx === 0 ? 0 : 1;
    yCol[i] = lm.addVariable({ type: 'binary', lb, ub, obj: pr.f[i]! });
  }
  const xType = pr.variant === 'sscfl' ? 'binary' : 'continuous';
  // Column of x_ij, -1 when the pair is not allowed.
  const xCol = new Int32Array(S * C).fill(-1);
  const perClientIdx: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < S; i++) {
    const closed = pr.forbidden[i] || (opts.fixed && opts.fixed[i] === 0);
    if (closed) continue;
    // The site's columns in one bulk append, then their costs (no spec object per column).
    let count = 0;
    for (let j = 0; j < C; j++) if (c[i * C + j]! !== Infinity) count++;
    let col = lm.addVariables(count, { type: xType, lb: 0, ub: 1 });
    for (let j = 0; j < C; j++) {
      const v = c[i * C + j]!;
      if (v === Infinity) continue;
      if (v !== 0) lm.setObjective(col, v);
      xCol[i * C + j] = col;
      perClientIdx[j]!.push(col);
      col++;
    }
    if (await run.tick()) return stopped();
  }
  const ones = new Float64Array(S).fill(1);
  for (let j = 0; j < C; j++) {
    const idx = perClientIdx[j]!;
    lm.addEq(idx, ones.subarray(0, idx.length), 1);
    if ((j & 63) === 63 && (await run.tick())) return stopped();
  }
  if (!(await linkRows(lm, S, C, xCol, yCol, run))) return stopped();
  if (pr.capacitated && !(await capacityRows(lm, pr, xCol, yCol, run))) return stopped();
  if (pr.variant === 'pmedian') lm.addEq(yCol, ones, pr.p);

  let warmStart: Float64Array | undefined;
  if (opts.warm) {
    warmStart = new Float64Array(lm.numVariables);
    for (let i = 0; i < S; i++) warmStart[yCol[i]!] = opts.warm.open[i] ? 1 : 0;
    if (opts.warm.flows) {
      for (const sh of opts.warm.flows) {
        const col = xCol[sh.site * C + sh.client]!;
        if (col >= 0) warmStart[col] = sh.fraction;
      }
    } else {
      for (let j = 0; j < C; j++) {
        const col = xCol[opts.warm.assign[j]! * C + j]!;
        if (col >= 0) warmStart[col] = 1;
      }
    }
  }
  const remaining = run.remainingMs() - margin;
  if (remaining <= 0) {
    run.markStopped('time-limit');
    return { solution: null, proven: false, backend: opts.backend ?? 'highs', status: 'skipped (no time left)', variables: lm.numVariables };
  }
  const lp = await solveLp(lm, {
    backend: opts.backend ?? 'highs',
    ...(remaining < Infinity ? { timeLimitMs: Math.max(1, remaining) } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    mipRelGap: Math.max(run.tolerance, 1e-9),
    ...(warmStart ? { warmStart } : {}),
    onProgress: (e) => run.progress({ phase: 'mip', ...(e.incumbent !== undefined ? { incumbent: e.incumbent } : {}), ...(e.bound !== undefined ? { bound: e.bound } : {}) }),
  });
  run.markStopped(lp.stoppedBy);
  const out: MipOutcome = {
    solution: null,
    proven: lp.status === 'optimal',
    backend: lp.stats.backend,
    status: lp.status,
    variables: lm.numVariables,
    ...(lp.bound !== undefined ? { bound: lp.bound } : {}),
    ...(lp.warnings ? { warnings: lp.warnings } : {}),
  };
  if (lp.status === 'optimal' || lp.status === 'feasible') {
    const x = lp.solution.x;
    const open = new Uint8Array(S);
    for (let i = 0; i < S; i++) open[i] = x[yCol[i]!]! > 0.5 ? 1 : 0;
    const assign = new Int32Array(C);
    let flows: FlowShare[] | undefined;
    if (pr.variant === 'cfl') flows = [];
    for (let j = 0; j < C; j++) {
      let best = -1;
      let bv = -1;
      let sum = 0;
      const shares: FlowShare[] = [];
      for (let i = 0; i < S; i++) {
        const col = xCol[i * C + j]!;
        if (col < 0 || !open[i]) continue;
        const val = x[col]!;
        if (val > 1e-9) {
          shares.push({ site: i, client: j, fraction: val });
          sum += val;
        }
        if (val > bv) {
          bv = val;
          best = i;
        }
      }
      assign[j] = best;
      if (flows) for (const sh of shares) flows.push({ ...sh, fraction: sh.fraction / sum });
    }
    out.solution = flows ? { open, assign, flows } : { open, assign };
  }
  return out;
}

/**
 * One allocation at (an upper bound of) the final size instead of doubling buffers (issue 13):
 * S + S C columns; C assignment rows, S C x <= y rows, S capacity rows and the p row.
 */
function reserveMip(lm: LinearModel, pr: FacilityProblem): void {
  const { nSites: S, nClients: C } = pr;
  lm.reserve({
    variables: S + S * C,
    constraints: C + S * C + (pr.capacitated ? S : 0) + 1,
    nonzeros: 3 * S * C + (pr.capacitated ? S * C + S : 0) + S,
  });
}

/** The x_ij <= y_i rows, site by site, from two reused arrays (no two-element arrays per pair); false when the run stopped. */
async function linkRows(lm: LinearModel, S: number, C: number, xCol: Int32Array, yCol: Int32Array, run: SolveRun): Promise<boolean> {
  const pairIdx = new Int32Array(2);
  const pairCoef = Float64Array.of(1, -1);
  for (let i = 0; i < S; i++) {
    pairIdx[1] = yCol[i]!;
    for (let j = 0; j < C; j++) {
      const col = xCol[i * C + j]!;
      if (col < 0) continue;
      pairIdx[0] = col;
      lm.addLe(pairIdx, pairCoef, 0);
    }
    if (await run.tick()) return false;
  }
  return true;
}

/** sum_j d_j x_ij <= C_i y_i for every site with an allowed pair of positive demand; false when the run stopped. */
async function capacityRows(lm: LinearModel, pr: FacilityProblem, xCol: Int32Array, yCol: Int32Array, run: SolveRun): Promise<boolean> {
  const { nSites: S, nClients: C } = pr;
  for (let i = 0; i < S; i++) {
    const idx: number[] = [];
    const coef: number[] = [];
    for (let j = 0; j < C; j++) {
      const col = xCol[i * C + j]!;
      if (col >= 0 && pr.d[j]! > 0) {
        idx.push(col);
        coef.push(pr.d[j]!);
      }
    }
    if (idx.length === 0) continue;
    idx.push(yCol[i]!);
    coef.push(-pr.cap[i]!);
    lm.addLe(idx, coef, 0);
    if (await run.tick()) return false;
  }
  return true;
}
