import { registerSolver, type PlacementModel, type SolveOptions } from '@emplace/core';
import { gapAuto, gapAutoAsync, gapBranchAndBoundAsync, gapLagrangianAsync, gapMthg, gapTabuSearchAsync, type GapOptions } from './gap.js';
import { gapMip } from './gap-mip.js';
import type { ScheduleModel } from './schedule-model.js';
import { scheduleAuto, scheduleGreedy, scheduleLocalSearch, scheduleMip, type ScheduleOptions } from './schedule.js';

// Registers the GAP and scheduling methods with @emplace/core's registry, so that
// `solve(model, { method: 'gap:tabu' })` and `solve(model, { method: 'schedule' })` work.

const gap = (f: (m: PlacementModel, o?: GapOptions) => unknown) => (m: unknown, o: SolveOptions & Record<string, unknown>) =>
  f(m as PlacementModel, o as GapOptions) as ReturnType<typeof gapAuto> | Promise<ReturnType<typeof gapAuto>>;
const sched = (f: (m: ScheduleModel, o?: ScheduleOptions) => unknown) => (m: unknown, o: SolveOptions & Record<string, unknown>) =>
  f(m as ScheduleModel, o as ScheduleOptions) as ReturnType<typeof scheduleGreedy>;

registerSolver({
  family: 'gap',
  method: 'auto',
  modelKind: 'placement',
  description: 'GAP: MTHG + Lagrangian bound, tabu search on large instances, then branch-and-bound (default 30 s budget)',
  guarantee: 'exact when it finishes (status optimal); otherwise the best plan with a proven Lagrangian bound',
  // The async variants run the same steps but yield to the event loop (in-thread abort).
  solve: gap(gapAutoAsync),
});
registerSolver({
  family: 'gap',
  method: 'mthg',
  modelKind: 'placement',
  description: 'Martello-Toth MTHG regret heuristic with its improvement phase',
  guarantee: 'heuristic',
  solve: gap(gapMthg),
});
registerSolver({
  family: 'gap',
  method: 'lagrangian',
  modelKind: 'placement',
  description: 'Lagrangian relaxation of the assignment constraints (knapsack per agent), subgradient, Lagrangian heuristic',
  guarantee: 'proven bound; heuristic plan',
  solve: gap(gapLagrangianAsync),
});
registerSolver({
  family: 'gap',
  method: 'tabu',
  modelKind: 'placement',
  description: 'tabu search with strategic oscillation over capacity, shift + swap moves',
  guarantee: 'heuristic (with the Lagrangian bound)',
  solve: gap(gapTabuSearchAsync),
});
registerSolver({
  family: 'gap',
  method: 'branch-and-bound',
  modelKind: 'placement',
  description: 'depth-first branch-and-bound on the Lagrangian bound',
  guarantee: 'exact',
  solve: gap(gapBranchAndBoundAsync),
});
registerSolver({
  family: 'schedule',
  method: 'auto',
  modelKind: 'schedule',
  description: 'warm-started MIP on small instances, iterated local search otherwise',
  guarantee: 'exact on small instances when the MIP finishes, else heuristic',
  solve: sched(scheduleAuto),
});
registerSolver({
  family: 'schedule',
  method: 'greedy',
  modelKind: 'schedule',
  description: 'hardest-first cheapest feasible cluster, one-step ejection when full',
  guarantee: 'heuristic',
  solve: sched(scheduleGreedy),
});
registerSolver({
  family: 'schedule',
  method: 'local-search',
  modelKind: 'schedule',
  description: 'iterated local search: shift moves and ejection chains, incremental network term',
  guarantee: 'heuristic',
  solve: sched(scheduleLocalSearch),
});
registerSolver({
  family: 'schedule',
  method: 'mip',
  modelKind: 'schedule',
  description: 'MIP through @emplace/lp with the network term linearised (small instances), warm-started',
  guarantee: 'exact',
  solve: sched(scheduleMip),
});
registerSolver({
  family: 'gap',
  method: 'mip',
  modelKind: 'placement',
  description: 'GAP as a MIP through @emplace/lp (HiGHS), warm-started with MTHG',
  guarantee: 'exact',
  solve: gap(gapMip),
});
