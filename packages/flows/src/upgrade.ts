import { ModelError, runStepsAsync, SolveRun, type Result, type SolveOptions } from '@emplace/core';
import { solveLp, type BackendName } from '@emplace/lp';
import { buildMcfLpSteps, capacityExcess, checkLpSize, lpRunOptions, mcfSolutionFromArcsSteps, type McfSolution } from './mcf-lp.js';
import { createMcfProblem, groupCommodities, type McfProblem } from './traffic.js';

export interface LinkUpgradeOptions extends SolveOptions {
  /** Cost per unit of capacity added on each edge (length m). Required. A zero-capacity edge is a candidate new link. */
  unitCost: ArrayLike<number>;
  /** Largest addition per edge (default unbounded). */
  maxAddition?: ArrayLike<number>;
  /** Buy capacity in modules of this size (e.g. 10 for 10G ports): integer modules, a MIP. Default: continuous (an LP). */
  moduleSize?: number;
  /** Add the routing cost (weight x cost x flow) to the objective (default false: upgrade cost only). */
  includeRoutingCost?: boolean;
  backend?: BackendName;
  /** Refuse LPs with more columns than this (default 4e6). */
  maxColumns?: number;
}

export interface LinkUpgrade {
  edge: number;
  u: string;
  v: string;
  /** Capacity added. */
  added: number;
  cost: number;
}

export interface LinkUpgradeSolution {
  /** Capacity added per edge. */
  added: Float64Array;
  /** sum unitCost x added. */
  upgradeCost: number;
  /** The edges that get capacity, most expensive first. */
  upgrades: LinkUpgrade[];
  /** The routing of every demand on the upgraded network. */
  routing: McfSolution;
}

/**
 * Link upgrade planning (family 'mcf', method 'upgrade'): the cheapest capacity additions
 * (per-link unit cost, optional caps and module sizes) that let every demand route, the
 * flow analogue of spectral link addition. The MCF arc LP (see mcf-lp.ts) with one extra
 * column per edge in its capacity row; with `moduleSize` the columns are integer and the
 * model is a MIP (exact to HiGHS's gap, which the LP layer sets to 1e-9). `objective` is the
 * upgrade cost recomputed from the additions (plus routing cost when asked), and the
 * routing is re-derived on the upgraded capacities.
 */
export async function solveLinkUpgrade(p: McfProblem, options: LinkUpgradeOptions): Promise<Result<LinkUpgradeSolution>> {
  if (!p || p.kind !== 'mcf') throw new ModelError('model', 'must be an MCF problem (createMcfProblem)');
  const m = p.graph.m;
  if (!options || !options.unitCost) throw new ModelError('options.unitCost', 'is required: the cost per unit of added capacity on each edge');
  if (options.unitCost.length !== m) throw new ModelError('options.unitCost', `must have ${m} entries (one per edge), got ${options.unitCost.length}`);
  for (let e = 0; e < m; e++) {
    const c = options.unitCost[e]!;
    if (!(c >= 0) || !Number.isFinite(c)) throw new ModelError(`options.unitCost[${e}]`, `must be finite and >= 0, got ${c}`);
  }
  if (options.maxAddition) {
    if (options.maxAddition.length !== m) throw new ModelError('options.maxAddition', `must have ${m} entries, got ${options.maxAddition.length}`);
    for (let e = 0; e < m; e++) if (!(options.maxAddition[e]! >= 0)) throw new ModelError(`options.maxAddition[${e}]`, `must be >= 0, got ${options.maxAddition[e]}`);
  }
  const module = options.moduleSize ?? 0;
  if (!(module >= 0) || !Number.isFinite(module)) throw new ModelError('options.moduleSize', `must be a positive number, got ${String(module)}`);
  const run = new SolveRun(options, module > 0 ? 'mcf:upgrade-mip' : 'mcf:upgrade', 'min');
  const groups = groupCommodities(p);
  checkLpSize(p, groups, options.maxColumns);
  const built = buildMcfLpSteps(p, 'min-cost', groups, {
    routingCost: options.includeRoutingCost === true,
    upgrade: { unitCost: options.unitCost, ...(options.maxAddition ? { maxAddition: options.maxAddition } : {}), moduleSize: module },
    stop: () => run.shouldStop(),
  });
  const guarantee = { kind: 'exact' } as const;
  const model = await runStepsAsync(built, run);
  if (!model || run.shouldStop()) return run.unsolved({ status: 'no-solution', guarantee, stats: { commodities: p.demand.length, groups: groups.count, stoppedWhileBuilding: !model } });
  const { lp, upgradeCol, flowScale } = model;
  const stats = { commodities: p.demand.length, groups: groups.count, columns: lp.numVariables, rows: lp.numConstraints };
  const r = await solveLp(lp, lpRunOptions(run, options));
  run.markStopped(r.stoppedBy);
  if (r.status === 'infeasible') {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: { reason: 'no capacity additions within maxAddition let the demands route (a demand crosses a cut whose links cannot grow enough)', fields: ['options.maxAddition', 'commodities'] },
      stats,
    });
  }
  if (r.status !== 'optimal' && r.status !== 'feasible') return run.unsolved({ status: r.status === 'unbounded' ? 'unbounded' : 'no-solution', guarantee, stats });
  const added = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const y = Math.max(0, r.solution.x[upgradeCol + e]!);
    added[e] = module > 0 ? Math.round(y) * module : y * flowScale;
  }
  // Re-derive the routing on the upgraded capacities from the LP flow.
  const upgraded = createMcfProblem({
    graph: p.graph,
    capacity: p.capacity.map((c, e) => c + added[e]!),
    cost: p.cost,
    commodities: p.demand.length === 0 ? [] : Array.from(p.demand, (d, k) => ({ source: p.source[k]!, sink: p.sink[k]!, demand: d, weight: p.weight[k]!, ...(p.classes[k] ? { class: p.classes[k] } : {}), name: p.names[k]! })),
  });
  const routing = await runStepsAsync(mcfSolutionFromArcsSteps(upgraded, groups, r.solution.x, 'min-cost', 1, flowScale), run);
  let upgradeCost = 0;
  const upgrades: LinkUpgrade[] = [];
  for (let e = 0; e < m; e++) {
    const c = options.unitCost[e]! * added[e]!;
    upgradeCost += c;
    if (added[e]! > 1e-9) upgrades.push({ edge: e, u: p.graph.ids[p.graph.edgeU[e]!]!, v: p.graph.ids[p.graph.edgeV[e]!]!, added: added[e]!, cost: c });
  }
  upgrades.sort((a, b) => b.cost - a.cost || a.edge - b.edge);
  const warnings: string[] = [];
  const excess = capacityExcess(routing);
  if (excess > 1e-7) warnings.push(`the routing exceeds an upgraded capacity by ${(excess * 100).toPrecision(3)} %`);
  if (routing.lambda < 1 - 1e-7) warnings.push(`only ${routing.lambda} of some demand is routed (rounding?)`);
  const objective = upgradeCost + (options.includeRoutingCost ? routing.cost : 0);
  return run.solved({
    solution: { added, upgradeCost, upgrades, routing },
    objective,
    ...(r.bound !== undefined ? { bound: r.bound } : {}),
    // A routing that does not carry every demand within the upgraded capacities proves nothing.
    proven: r.status === 'optimal' && excess <= 1e-7 && routing.lambda >= 1 - 1e-7,
    guarantee,
    stats: { ...stats, upgradedLinks: upgrades.length },
    warnings,
  });
}
