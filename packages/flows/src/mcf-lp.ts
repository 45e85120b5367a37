import { ModelError, runSteps, runStepsAsync, SolveRun, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import { decomposeGroup, edgeFlowRows, groupCommodities, touchFlowRows, type CommodityGroups, type McfPath, type McfProblem } from './traffic.js';
import { capacityCeiling, flowScaleOf, lambdaCeilingSteps, nearPowerOfTwo } from './mcf-scale.js';

export type McfObjective = 'min-cost' | 'max-concurrent';

export interface McfLpOptions extends SolveOptions {
  /** `min-cost`: route every demand at least cost; `max-concurrent`: the largest lambda such that lambda x every demand routes. */
  objective?: McfObjective;
  /** LP backend (default HiGHS). */
  backend?: BackendName;
  /** Refuse models with more LP columns than this (default 4e6, about 1 GB in HiGHS): use Garg-Koenemann beyond. */
  maxColumns?: number;
}

/** Columns of the arc LP for these groups; throws a ModelError above the limit (DESIGN §3: refuse, do not crash). */
export function checkLpSize(p: McfProblem, groups: CommodityGroups, maxColumns = 4e6): void {
  const cols = groups.count * 2 * p.graph.m;
  if (cols > maxColumns) {
    throw new ModelError(
      'commodities',
      `need an LP of ${cols} columns (${groups.count} source/class groups x ${2 * p.graph.m} arcs), above options.maxColumns = ${maxColumns}: use solveMcfApprox (Garg-Koenemann) or fewer sources`,
    );
  }
}

export interface McfSolution {
  objectiveKind: McfObjective;
  /** Fraction of every demand that is routed: 1 for min-cost, the concurrent ratio otherwise. */
  lambda: number;
  /** Routing cost: sum over commodities of weight x sum over edges of cost x |flow|. */
  cost: number;
  /** Total flow on each edge (both directions, all commodities). */
  edgeLoad: Float64Array;
  /** edgeLoad / capacity (Infinity on a zero-capacity edge that carries flow). */
  utilization: Float64Array;
  /** Per commodity, the signed flow on each edge (> 0 in the direction edgeU -> edgeV). */
  commodityFlow: Float64Array[];
  /** Per commodity, its flow split into paths (node ids). */
  paths: McfPath[][];
  /** Value of one more unit of capacity on each edge (the capacity rows' dual prices), when the backend gives duals. */
  linkPrice?: Float64Array;
}

/**
 * The arc formulation, with commodities that share a source and a cost weight merged into
 * one flow variable per arc (a single-source flow to several sinks splits into paths to
 * each sink, so the merge is exact and shrinks the LP by up to the number of sinks). Why
 * arcs and not paths with column generation: the arc LP is polynomial, exact in one HiGHS
 * call and warm-startable, and with source aggregation it has (sources x classes) x 2m
 * columns, which HiGHS solves directly at inter-cluster scale (tens to hundreds of nodes);
 * beyond that the Garg-Koenemann approximation (garg-konemann.ts) is the tool.
 */
export interface CapacityColumns {
  /** Cost per unit of added capacity, per edge. */
  unitCost: ArrayLike<number>;
  /** Largest addition per edge (in units of capacity); default unbounded. */
  maxAddition?: ArrayLike<number>;
  /** Capacity is bought in modules of this size (integer columns); 0 or absent: continuous. */
  moduleSize?: number;
}

export function buildMcfLp(
  p: McfProblem,
  objective: McfObjective,
  groups: CommodityGroups,
  extra: { routingCost?: boolean; upgrade?: CapacityColumns } = {},
): BuiltMcfLp {
  return runSteps(buildMcfLpSteps(p, objective, groups, extra))!;
}

/**
 * The arc LP and where its columns are. Flow columns, supplies, capacities and continuous
 * added capacity are in units of `flowScale` (a power of two near the largest demand or
 * capacity, so exact): HiGHS's absolute tolerances (1e-7) then apply to the data's own
 * scale, and a 1e-6 demand to an unreachable sink is no longer "routed" within tolerance.
 * Objective coefficients are in the data's units (the LP objective is the true cost).
 */
export interface BuiltMcfLp {
  lp: LinearModel;
  lambdaCol: number;
  upgradeCol: number;
  flowScale: number;
  /** The lambda column is in units of this (a power of two near lambda's upper bound): lambda = x[lambdaCol] * lambdaScale. */
  lambdaScale: number;
}

/**
 * Checkpoints of the LP build: every BUILD_CHUNK_EDGES edges of a group's columns (2 columns
 * each) and every BUILD_CHUNK_ROWS rows. A whole group per step (2m columns, then n rows)
 * was 16-47 ms on a 40 x 40 grid (issue 13 sweep); a chunk is a few ms. Powers of two.
 */
export const BUILD_CHUNK_EDGES = 1024;
export const BUILD_CHUNK_ROWS = 256;

/**
 * `buildMcfLp` as steps: a checkpoint after each chunk of columns and rows (see
 * BUILD_CHUNK_EDGES) and after each group; undefined when `stop` says so at one.
 */
export function* buildMcfLpSteps(
  p: McfProblem,
  objective: McfObjective,
  groups: CommodityGroups,
  extra: { routingCost?: boolean; upgrade?: CapacityColumns; stop?: () => boolean } = {},
): Steps<BuiltMcfLp | undefined> {
  const stop = extra.stop ?? (() => false);
  const g = p.graph;
  const m = g.m;
  const lp = new LinearModel(objective === 'min-cost' ? 'min' : 'max');
  const routing = objective === 'min-cost' && extra.routingCost !== false;
  const up = extra.upgrade;
  const module = up?.moduleSize && up.moduleSize > 0 ? up.moduleSize : 0;
  const lambdaMax = objective === 'max-concurrent' ? yield* lambdaCeilingSteps(p, stop) : 1;
  const capCeiling = capacityCeiling(p, objective, lambdaMax);
  const flowScale = flowScaleOf(p, capCeiling, lambdaMax);
  // lambda in units of its ceiling's scale: a lambda of 1e15 times a demand / flowScale of
  // 1e-15 would put coefficients below HiGHS's small-matrix-value cut. The LP objective is
  // lambda / lambdaScale (a cost of 1e15 on the column made HiGHS fail).
  const lambdaScale = objective === 'max-concurrent' ? nearPowerOfTwo(lambdaMax) : 1;
  // A buffer per step: eleven multi-megabyte allocations in one call were a stretch of
  // allocations and the garbage collections they set off (issue 13).
  yield* reserveArcLp(lp, p, groups, objective, up !== undefined);
  if (stop()) return undefined;
  // No column or row names: a name at index 374,400 turns LinearModel's name array sparse,
  // and compile() then copied it in one 20+ ms stretch (issue 13); indexes say where anyway.
  for (let j = 0; j < groups.count; j++) {
    const w = routing ? groups.weight[j]! : 0;
    // The group's 2m columns in one bulk append, then their costs (no spec object per column).
    const first = lp.addVariables(2 * m);
    for (let e = 0; e < m; e++) {
      const c = w * p.cost[e]! * flowScale;
      if (c !== 0) {
        lp.setObjective(first + 2 * e, c);
        lp.setObjective(first + 2 * e + 1, c);
      }
      if ((e & (BUILD_CHUNK_EDGES - 1)) === BUILD_CHUNK_EDGES - 1 && (yield, stop())) return undefined;
    }
    yield;
    if (stop()) return undefined;
  }
  const upgradeCol = up ? upgradeColumns(lp, up, m, module, flowScale) : -1;
  const lambdaCol = objective === 'max-concurrent' ? lp.addVariable({ obj: 1 }) : -1;
  if (!(yield* conservationRows(lp, p, groups, lambdaCol, flowScale, lambdaScale, stop))) return undefined;
  if (!(yield* capacityRows(lp, p, groups, upgradeCol, module, flowScale, capCeiling, stop))) return undefined;
  return { lp, lambdaCol, upgradeCol, flowScale, lambdaScale };
}

/**
 * The arc LP's exact size, allocated once (issue 13: the doubling buffers of a 25 MB model
 * were long copies): 2m flow columns per group (+ m added capacities, + lambda); n
 * conservation rows per group and m capacity rows; each flow column sits in two
 * conservation rows and one capacity row, plus lambda in the conservation rows and the
 * added capacity in its row. As steps, a buffer per step (LinearModel.reserveSteps).
 */
function reserveArcLp(lp: LinearModel, p: McfProblem, groups: CommodityGroups, objective: McfObjective, upgrade: boolean): Steps<void> {
  const { m, n } = p.graph;
  const flowCols = groups.count * 2 * m;
  const concurrent = objective === 'max-concurrent';
  return lp.reserveSteps({
    variables: flowCols + (upgrade ? m : 0) + (concurrent ? 1 : 0),
    constraints: groups.count * n + m,
    nonzeros: 3 * flowCols + (concurrent ? groups.count * n : 0) + (upgrade ? m : 0),
  });
}

/** One added-capacity column per edge (integer module counts, or continuous capacity in units of flowScale); the first one's index. */
function upgradeColumns(lp: LinearModel, up: CapacityColumns, m: number, module: number, flowScale: number): number {
  const first = lp.numVariables;
  for (let e = 0; e < m; e++) {
    const ub = up.maxAddition ? up.maxAddition[e]! : Infinity;
    lp.addVariable({
      obj: up.unitCost[e]! * (module || flowScale),
      ub: module ? Math.floor(ub / module) : ub / flowScale,
      type: module ? 'integer' : 'continuous',
    });
  }
  return first;
}

/**
 * Conservation rows, n per group: out minus in equals the group's supply (in units of
 * flowScale), or lambda times it (lambda in units of lambdaScale) for max-concurrent; false
 * when `stop` says so at a checkpoint.
 */
function* conservationRows(lp: LinearModel, p: McfProblem, groups: CommodityGroups, lambdaCol: number, flowScale: number, lambdaScale: number, stop: () => boolean): Steps<boolean> {
  const g = p.graph;
  const m = g.m;
  const n = g.n;
  const supply = new Float64Array(n);
  const idx: number[] = [];
  const val: number[] = [];
  for (let j = 0; j < groups.count; j++) {
    supply.fill(0);
    for (let q = groups.start[j]!; q < groups.start[j + 1]!; q++) {
      const k = groups.members[q]!;
      supply[p.source[k]!]! += p.demand[k]! / flowScale;
      supply[p.sink[k]!]! -= p.demand[k]! / flowScale;
    }
    const base = j * 2 * m;
    for (let v = 0; v < n; v++) {
      idx.length = 0;
      val.length = 0;
      for (let s = g.offsets[v]!; s < g.offsets[v + 1]!; s++) {
        const e = g.adjEdge[s]!;
        const out = g.edgeU[e] === v ? 2 * e : 2 * e + 1;
        idx.push(base + out, base + (out ^ 1));
        val.push(1, -1);
      }
      if (lambdaCol >= 0) {
        if (supply[v] !== 0) {
          idx.push(lambdaCol);
          val.push(-supply[v]! * lambdaScale);
        }
        lp.addEq(idx, val, 0);
      } else {
        lp.addEq(idx, val, supply[v]!);
      }
      if ((v & (BUILD_CHUNK_ROWS - 1)) === BUILD_CHUNK_ROWS - 1 && (yield, stop())) return false;
    }
    yield;
    if (stop()) return false;
  }
  return true;
}

/** Capacity row of each edge: all groups' arcs (minus the added capacity); false when `stop` says so at a checkpoint. */
function* capacityRows(lp: LinearModel, p: McfProblem, groups: CommodityGroups, upgradeCol: number, module: number, flowScale: number, capCeiling: number, stop: () => boolean): Steps<boolean> {
  const m = p.graph.m;
  const idx: number[] = [];
  const val: number[] = [];
  for (let e = 0; e < m; e++) {
    idx.length = 0;
    val.length = 0;
    for (let j = 0; j < groups.count; j++) {
      idx.push(j * 2 * m + 2 * e, j * 2 * m + 2 * e + 1);
      val.push(1, 1);
    }
    if (upgradeCol >= 0) {
      idx.push(upgradeCol + e);
      val.push(module ? -module / flowScale : -1);
    }
    lp.addLe(idx, val, Math.min(capCeiling, p.capacity[e]!) / flowScale);
    if ((e & (BUILD_CHUNK_ROWS - 1)) === BUILD_CHUNK_ROWS - 1 && (yield, stop())) return false;
  }
  return true;
}

/** Row index of edge e's capacity row in a model built by buildMcfLp. */
export function capacityRow(p: McfProblem, groups: CommodityGroups, e: number): number {
  return groups.count * p.graph.n + e;
}

/**
 * Turns LP arc values into the solution: decomposes every group into per-commodity path
 * flows (dropping any flow cycles the LP left), and recomputes loads, cost and lambda from
 * those paths alone.
 */
export function mcfSolutionFromArcs(p: McfProblem, groups: CommodityGroups, x: ArrayLike<number>, objective: McfObjective, lambdaHint: number, flowScale = 1): McfSolution {
  return runSteps(mcfSolutionFromArcsSteps(p, groups, x, objective, lambdaHint, flowScale));
}

/** `mcfSolutionFromArcs` as steps: a checkpoint after each group's decomposition. */
export function* mcfSolutionFromArcsSteps(p: McfProblem, groups: CommodityGroups, x: ArrayLike<number>, objective: McfObjective, lambdaHint: number, flowScale = 1): Steps<McfSolution> {
  const g = p.graph;
  const m = g.m;
  const K = p.demand.length;
  const owed = new Float64Array(K);
  for (let k = 0; k < K; k++) owed[k] = p.demand[k]! * lambdaHint;
  const commodityFlow = edgeFlowRows(K, m);
  yield* touchFlowRows(commodityFlow);
  const paths: McfPath[][] = Array.from({ length: K }, () => []);
  // Flow below the LP's noise is not decomposed: 1e-9 of the largest flow owed (or of the
  // LP's flow unit), not of 1 (flows of 1e-12 against capacities of 1e-12 are real: issue 13 audit).
  let scale = flowScale;
  for (let k = 0; k < K; k++) scale = Math.max(scale, owed[k]!);
  const eps = 1e-9 * (scale > 0 && scale < Infinity ? scale : 1);
  const arcFlow = new Float64Array(2 * m);
  for (let j = 0; j < groups.count; j++) {
    for (let a = 0; a < 2 * m; a++) arcFlow[a] = Math.max(0, x[j * 2 * m + a]! * flowScale);
    decomposeGroup(p, groups, j, arcFlow, owed, commodityFlow, paths, eps);
    yield;
  }
  return summarize(p, objective, commodityFlow, paths);
}

/**
 * Loads, utilisation, cost and lambda recomputed from per-commodity edge flows, after
 * multiplying those flows in place by `scale` (in the same pass: a separate scaling pass
 * over commodities x edges doubled Garg-Koenemann's answer time after an abort, issue 13).
 */
export function summarize(p: McfProblem, objective: McfObjective, commodityFlow: Float64Array[], paths: McfPath[][], scale = 1): McfSolution {
  const g = p.graph;
  const m = g.m;
  const K = p.demand.length;
  const edgeLoad = new Float64Array(m);
  let cost = 0;
  for (let k = 0; k < K; k++) cost += p.weight[k]! * scaleRow(commodityFlow[k]!, scale, p.cost, edgeLoad);
  return summaryFromLoads(p, objective, commodityFlow, paths, edgeLoad, cost);
}

/** The solution from per-commodity flows whose edge loads (sum of |flow|) and cost are known: utilisation and lambda. */
export function summaryFromLoads(p: McfProblem, objective: McfObjective, commodityFlow: Float64Array[], paths: McfPath[][], edgeLoad: Float64Array, cost: number): McfSolution {
  const g = p.graph;
  const m = g.m;
  const K = p.demand.length;
  const utilization = new Float64Array(m);
  for (let e = 0; e < m; e++) utilization[e] = edgeLoad[e]! === 0 ? 0 : p.capacity[e]! > 0 ? edgeLoad[e]! / p.capacity[e]! : Infinity;
  // Delivered fraction per commodity: net inflow at its sink from its own flow.
  let lambda = Infinity;
  for (let k = 0; k < K; k++) {
    if (p.demand[k]! === 0) continue;
    const t = p.sink[k]!;
    const f = commodityFlow[k]!;
    let inflow = 0;
    for (let s = g.offsets[t]!; s < g.offsets[t + 1]!; s++) {
      const e = g.adjEdge[s]!;
      inflow += g.edgeV[e] === t ? f[e]! : -f[e]!;
    }
    lambda = Math.min(lambda, inflow / p.demand[k]!);
  }
  if (lambda === Infinity) lambda = objective === 'min-cost' ? 1 : Infinity;
  return { objectiveKind: objective, lambda, cost, edgeLoad, utilization, commodityFlow, paths };
}

/**
 * Multiplies one commodity's edge flows by `scale`, adds |flow| to edgeLoad and returns
 * sum cost x |flow|. Its own small function so that V8 optimises it after a few of the K
 * calls (one K x m loop ran unoptimised for most of its first call: 25 ms against 8 ms once
 * optimised, 1140 x 3120 flows); no zero test: a branch on sparse flows mispredicts.
 */
function scaleRow(f: Float64Array, scale: number, edgeCost: Float64Array, edgeLoad: Float64Array): number {
  let own = 0;
  for (let e = 0; e < f.length; e++) {
    const v = f[e]! * scale;
    f[e] = v;
    const a = Math.abs(v);
    edgeLoad[e]! += a;
    own += edgeCost[e]! * a;
  }
  return own;
}

/** Largest relative capacity excess of a solution (0 when every edge is within capacity). */
export function capacityExcess(s: McfSolution): number {
  let worst = 0;
  for (const u of s.utilization) worst = Math.max(worst, u - 1);
  return worst;
}

/** The LP backend's options for what is left of a run: backend, remaining time, signal. */
export function lpRunOptions(run: SolveRun, options: { backend?: BackendName | undefined; signal?: AbortSignal | undefined }): { backend?: BackendName; timeLimitMs?: number; signal?: AbortSignal } {
  return {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(run.deadline !== Infinity ? { timeLimitMs: run.remainingMs() } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/**
 * Exact multi-commodity flow by LP (family 'mcf', methods 'lp' / 'concurrent-lp'):
 * min-cost routes every demand at least weighted cost; max-concurrent maximises the
 * fraction lambda of every demand routed at once. The objective and lambda are
 * recomputed from the path decomposition of the LP flow; an infeasible min-cost problem
 * says how much of the traffic could be routed (the max-concurrent lambda < 1).
 */
export async function solveMcfLp(p: McfProblem, options: McfLpOptions = {}): Promise<Result<McfSolution>> {
  if (!p || p.kind !== 'mcf') throw new ModelError('model', 'must be an MCF problem (createMcfProblem)');
  const objective = options.objective ?? 'min-cost';
  if (objective !== 'min-cost' && objective !== 'max-concurrent') throw new ModelError('options.objective', `must be 'min-cost' or 'max-concurrent', got ${JSON.stringify(objective)}`);
  const run = new SolveRun(options, objective === 'min-cost' ? 'mcf:lp' : 'mcf:concurrent-lp', objective === 'min-cost' ? 'min' : 'max');
  const groups = groupCommodities(p, objective === 'max-concurrent');
  checkLpSize(p, groups, options.maxColumns);
  const guarantee = { kind: 'exact' } as const;
  const built = await runStepsAsync(buildMcfLpSteps(p, objective, groups, { stop: () => run.shouldStop() }), run);
  if (!built || run.shouldStop()) return run.unsolved({ status: 'no-solution', guarantee, stats: { commodities: p.demand.length, groups: groups.count, stoppedWhileBuilding: !built } });
  const { lp, lambdaCol, flowScale, lambdaScale } = built;
  const stats = { commodities: p.demand.length, groups: groups.count, columns: lp.numVariables, rows: lp.numConstraints };
  const r = await solveLp(lp, lpRunOptions(run, options));
  run.markStopped(r.stoppedBy);
  if (r.status === 'infeasible') {
    let reason = 'the demands cannot all be routed within the link capacities (LP infeasible)';
    if (objective === 'min-cost' && !run.shouldStop()) {
      // Within what is left of this run's limit (the caller's whole limit again overshot it by up to 2x).
      const conc = await solveMcfLp(p, { ...options, objective: 'max-concurrent', ...(run.deadline !== Infinity ? { timeLimitMs: Math.max(1, run.remainingMs()) } : {}) });
      if (conc.status === 'optimal') reason += `: at most ${conc.objective.toPrecision(6)} of every demand can be routed at once (max concurrent flow)`;
    }
    return run.unsolved({ status: 'infeasible', guarantee, certificate: { reason, fields: ['commodities', 'capacity'] }, stats });
  }
  if (r.status === 'unbounded') return run.unsolved({ status: 'unbounded', guarantee, stats });
  if (r.status !== 'optimal' && r.status !== 'feasible') return run.unsolved({ status: 'no-solution', guarantee, stats });
  const lambdaHint = lambdaCol >= 0 ? r.solution.x[lambdaCol]! * lambdaScale : 1;
  const sol = await runStepsAsync(mcfSolutionFromArcsSteps(p, groups, r.solution.x, objective, lambdaHint, flowScale), run);
  if (r.solution.duals && objective === 'min-cost') {
    const price = new Float64Array(p.graph.m);
    // The capacity rows are in units of flowScale: a unit of real capacity is worth dual / flowScale.
    for (let e = 0; e < p.graph.m; e++) price[e] = Math.max(0, -r.solution.duals[capacityRow(p, groups, e)]!) / flowScale;
    sol.linkPrice = price;
  }
  const warnings: string[] = [];
  const excess = capacityExcess(sol);
  if (excess > 1e-7) warnings.push(`the LP flow exceeds a capacity by ${(excess * 100).toPrecision(3)} %`);
  const value = objective === 'min-cost' ? sol.cost : sol.lambda / Math.max(1, 1 + excess);
  // Min-cost: a decomposed flow that does not route every demand proves nothing (it is said, not claimed optimal).
  const routesAll = objective !== 'min-cost' || (sol.lambda >= 1 - 1e-7 && excess <= 1e-7);
  if (!routesAll) warnings.push(`only ${sol.lambda} of some demand is routed by the LP flow (rounding?)`);
  return run.solved({
    solution: sol,
    objective: value,
    ...(r.bound !== undefined ? { bound: r.bound * lambdaScale } : {}),
    proven: r.status === 'optimal' && routesAll,
    guarantee,
    stats: { ...stats, lpObjective: r.objective * lambdaScale },
    warnings,
  });
}
