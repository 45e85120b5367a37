import { SolveRun, hasSolution, type Guarantee, type PlacementModel, type SolveOptions, type StoppedBy } from '@emplace/core';
import { solveSscfl, solveUfl } from '@emplace/facility';
import { LinearModel, solveLp } from '@emplace/lp';

/** A cost-optimal placement of a (possibly restricted) placement model. */
export interface CostPlacement {
  status: 'optimal' | 'feasible';
  open: number[];
  /** Region serving each client (the largest share when demand splits). */
  assignment: Int32Array;
  objective: number;
  bound?: number;
  method: string;
  guarantee: Guarantee;
  stoppedBy: StoppedBy;
}

export type CostPlacementOutcome = { ok: true; placement: CostPlacement } | { ok: false; status: 'infeasible' | 'no-solution'; reason: string };

/**
 * Minimum total cost placement: uncapacitated facility location (`solveUfl`), or
 * single-source capacitated facility location (`solveSscfl`: each population wholly in one
 * region, so "who is served from where" has one answer) when regions have capacities,
 * both exact (`auto`) within the budget. A bound on the number of open regions is not a
 * facility-location constraint, so then the strong MIP with `min <= sum y <= max` goes to
 * HiGHS through @emplace/lp.
 */
export async function solveCostPlacement(model: PlacementModel, count: { min?: number; max?: number } | undefined, options: SolveOptions): Promise<CostPlacementOutcome> {
  if (count && (count.min !== undefined || count.max !== undefined)) return countMip(model, count, options);
  let capacitated = false;
  for (let i = 0; i < model.nSites; i++) if (model.capacity[i * model.dimensions.length] !== Infinity) capacitated = true;
  const r = capacitated ? await solveSscfl(model, options) : await solveUfl(model, options);
  if (!hasSolution(r)) {
    return { ok: false, status: r.status === 'infeasible' ? 'infeasible' : 'no-solution', reason: r.certificate?.reason ?? `the facility solver stopped without a placement (${r.stoppedBy})` };
  }
  return {
    ok: true,
    placement: {
      status: r.status,
      open: Array.from(r.solution.openSites),
      assignment: r.solution.assignment,
      objective: r.objective,
      ...(r.bound !== undefined ? { bound: r.bound } : {}),
      method: r.stats.method,
      guarantee: r.guarantee,
      stoppedBy: r.stoppedBy,
    },
  };
}

/** The strong facility-location MIP with a cardinality row, solved by HiGHS. */
async function countMip(model: PlacementModel, count: { min?: number; max?: number }, options: SolveOptions): Promise<CostPlacementOutcome> {
  const run = new SolveRun(options, 'plan:count-mip', 'min');
  const { nSites: n, nClients: m } = model;
  const nDims = model.dimensions.length;
  const lp = new LinearModel('min');
  const y = lp.addVariables(n, { type: 'binary' });
  for (let i = 0; i < n; i++) {
    lp.setObjective(y + i, model.openingCost[i]!);
    if (model.mustOpen[i]) lp.addGe([y + i], [1], 1);
    if (model.forbidden[i]) lp.addLe([y + i], [1], 0);
  }
  let capacitated = false;
  for (let i = 0; i < n; i++) if (model.capacity[i * nDims] !== Infinity) capacitated = true;
  // Uncapacitated: x may stay continuous (some optimum is integral). With capacities, single source.
  const x = lp.addVariables(n * m, { lb: 0, ub: 1, ...(capacitated ? { type: 'binary' as const } : {}) });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const col = x + i * m + j;
      if (model.allowed && model.allowed[i * m + j] !== 1) {
        lp.addLe([col], [1], 0);
        continue;
      }
      lp.setObjective(col, model.cost[i * m + j]!);
      lp.addLe([col, y + i], [1, -1], 0);
    }
  }
  for (let j = 0; j < m; j++) {
    const cols = Array.from({ length: n }, (_, i) => x + i * m + j);
    lp.addEq(cols, cols.map(() => 1), 1);
  }
  for (let i = 0; i < n; i++) {
    const cap = model.capacity[i * nDims]!;
    if (cap === Infinity) continue;
    const cols = Array.from({ length: m }, (_, j) => x + i * m + j);
    lp.addLe([...cols, y + i], [...cols.map((_, j) => model.demand[j * nDims]!), -cap], 0);
  }
  const all = Array.from({ length: n }, (_, i) => y + i);
  lp.addConstraint(all, all.map(() => 1), count.min ?? 0, count.max ?? n);
  const sol = await solveLp(lp, {
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: run.remainingMs() } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  run.markStopped(sol.stoppedBy);
  if (sol.status === 'infeasible') return { ok: false, status: 'infeasible', reason: `no placement with ${count.min ?? 1}..${count.max ?? n} regions meets the residency, latency and capacity constraints` };
  if (sol.status !== 'optimal' && sol.status !== 'feasible') return { ok: false, status: 'no-solution', reason: `the MIP stopped without a placement (${sol.status}, ${sol.stoppedBy})` };
  const open: number[] = [];
  for (let i = 0; i < n; i++) if (sol.solution.x[y + i]! > 0.5) open.push(i);
  const assignment = new Int32Array(m).fill(-1);
  let objective = 0;
  for (const i of open) objective += model.openingCost[i]!;
  for (let j = 0; j < m; j++) {
    let best = -1;
    let share = 0;
    for (const i of open) {
      const v = sol.solution.x[x + i * m + j]!;
      if (v > 1e-9) objective += v * model.cost[i * m + j]!;
      if (v > share) {
        share = v;
        best = i;
      }
    }
    assignment[j] = best;
  }
  const proven = sol.status === 'optimal';
  return {
    ok: true,
    placement: {
      status: proven ? 'optimal' : 'feasible',
      open,
      assignment,
      objective,
      ...(sol.bound !== undefined && Number.isFinite(sol.bound) ? { bound: Math.min(sol.bound, objective) } : proven ? { bound: objective } : {}),
      method: `plan:count-mip (${sol.stats.backend})`,
      guarantee: { kind: 'exact' },
      stoppedBy: run.stoppedBy(),
    },
  };
}
