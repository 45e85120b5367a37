import { solveLp, LinearModel } from '@emplace/lp';
import type { PlacementModel, Result } from '@emplace/core';
import type { GapInstance, GapSolution } from './gap-instance.js';
import type { GapOptions } from './gap.js';
import { gapFinish, gapPrepare } from './gap.js';
import { mthg } from './mthg.js';

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
  const { lp, col } = buildGapMip(inst);
  let warm: Float64Array | undefined;
  if (options?.warmStart !== false) {
    const a = mthg(inst);
    if (a) {
      warm = new Float64Array(lp.numVariables);
      for (let j = 0; j < inst.n; j++) warm[col[a[j]! * inst.n + j]!] = 1;
    }
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
  const bound = sol.bound === undefined ? undefined : sol.bound;
  return gapFinish(p, assignment, {
    ...(bound !== undefined ? { bound } : {}),
    proven: sol.status === 'optimal',
    guarantee: 'exact',
    stats: { backend: sol.stats.backend, mipStatus: sol.status },
  });
}
