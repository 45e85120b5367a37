import { solveLp, LinearModel } from '@emplace/lp';
import type { PlacementModel, Result } from '@emplace/core';
import type { GapInstance, GapSolution } from './gap-instance.js';
import type { GapOptions } from './gap.js';
import { gapFinish, gapPrepare } from './gap.js';
import { MTHG_CRITERIA, mthgPass } from './mthg.js';

/** Total cost of a complete assignment (job j on agent a[j]). */
function assignmentCost(inst: GapInstance, a: Int32Array): number {
  let s = 0;
  for (let j = 0; j < inst.n; j++) s += inst.cost[a[j]! * inst.n + j]!;
  return s;
}

/** The GAP as a MIP: x_ij binary on feasible pairs, one agent per job, knapsack rows per agent. */
export function buildGapMip(inst: GapInstance): { lp: LinearModel; col: Int32Array } {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const lp = new LinearModel('min');
  const col = new Int32Array(m * n).fill(-1);
  for (let k = 0; k < m * n; k++) if (feasible[k]) col[k] = lp.addVariable({ type: 'binary', obj: cost[k]! });
  for (let j = 0; j < n; j++) {
    const idx: number[] = [];
    for (let i = 0; i < m; i++) if (col[i * n + j]! >= 0) idx.push(col[i * n + j]!);
    lp.addEq(idx, idx.map(() => 1), 1, `assign[${j}]`);
  }
  for (let i = 0; i < m; i++) {
    if (capacity[i] === Infinity) continue;
    const idx: number[] = [];
    const co: number[] = [];
    for (let j = 0; j < n; j++) {
      if (col[i * n + j]! < 0) continue;
      idx.push(col[i * n + j]!);
      co.push(weight[i * n + j]!);
    }
    lp.addLe(idx, co, capacity[i]!, `capacity[${i}]`);
  }
  return { lp, col };
}

/**
 * Exact GAP through @emplace/lp (HiGHS by default), warm-started with MTHG unless
 * `warmStart` is false. The baseline the specialised methods are measured against.
 */
export async function gapMip(model: PlacementModel, options?: GapOptions & { warmStart?: boolean; backend?: 'highs' | 'glpk' | 'jslp' }): Promise<Result<GapSolution>> {
  const p = gapPrepare(model, options, 'mip');
  if (!('inst' in p)) return p;
  const { inst, run } = p;
  // The MTHG start first, one pass (criterion) at a time with a checkpoint after each, then
  // the model: on 80 x 800 the start and the build were one 88 ms stretch (issue 13). The
  // start is also the incumbent when the MIP stops (limit or abort) without a plan.
  let a: Int32Array | undefined;
  if (options?.warmStart !== false) {
    let bestCost = Infinity;
    for (const criterion of MTHG_CRITERIA) {
      const pass = mthgPass(inst, criterion);
      if (pass) {
        const c = assignmentCost(inst, pass);
        if (c < bestCost) [bestCost, a] = [c, pass];
      }
      if (await run.tick()) return gapFinish(p, a, { guarantee: 'exact', stats: { mipStatus: 'not started' } });
    }
  }
  const { lp, col } = buildGapMip(inst);
  if (await run.tick()) return gapFinish(p, a, { guarantee: 'exact', stats: { mipStatus: 'not started' } });
  let warm: Float64Array | undefined;
  if (a) {
    warm = new Float64Array(lp.numVariables);
    for (let j = 0; j < inst.n; j++) warm[col[a[j]! * inst.n + j]!] = 1;
  }
  const remaining = run.remainingMs();
  const sol = await solveLp(lp, {
    ...(options?.backend ? { backend: options.backend } : {}),
    ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(warm ? { warmStart: warm } : {}),
    mipRelGap: run.tolerance,
  });
  run.markStopped(sol.stoppedBy);
  if (sol.status === 'infeasible') {
    return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: 'the MIP backend proved that no assignment fits the capacities', fields: ['capacity'] } });
  }
  let assignment: Int32Array | undefined;
  if (sol.status === 'optimal' || sol.status === 'feasible') {
    assignment = new Int32Array(inst.n).fill(-1);
    for (let k = 0; k < inst.m * inst.n; k++) if (col[k]! >= 0 && sol.solution.x[col[k]!]! > 0.5) assignment[k % inst.n] = Math.floor(k / inst.n);
    if (assignment.some((v) => v < 0)) assignment = undefined;
  }
  // No plan from the MIP (stopped first): the MTHG start, never thrown away. (A proven optimum keeps the MIP's.)
  const fromStart = !assignment && a !== undefined && sol.status !== 'optimal';
  if (fromStart) assignment = a;
  const bound = sol.bound === undefined ? undefined : sol.bound;
  return gapFinish(p, assignment, {
    ...(bound !== undefined ? { bound } : {}),
    proven: sol.status === 'optimal' && !fromStart,
    guarantee: 'exact',
    stats: { backend: sol.stats.backend, mipStatus: sol.status, ...(fromStart ? { incumbent: 'mthg start' } : {}) },
  });
}
