/** Notebook: assignment and scheduling with @emplace/assignment. Run: pnpm example assignment */
// %% [markdown]
// # Assignment and scheduling: put each workload on a cluster
//
// The **generalized assignment problem (GAP)** puts each job `j` on exactly one agent `i`
// (cluster), within each agent's capacity, at minimum cost:
//
//     min sum_ij c_ij x_ij  s.t.  sum_i x_ij = 1,  sum_j r_ij x_ij <= b_i,  x binary
//
// Real scheduling adds several resources (CPU, memory), traffic between workloads (keep
// chatty pairs close), compliance, affinity/anti-affinity and, when re-planning, the cost
// of moving what already runs.

// %%
import { assignment, hasSolution } from '@emplace/emplace';

// A Chu-Beasley type-D instance: 5 agents, 40 jobs (hard: costs and sizes anti-correlated).
// `auto` is bounded by work (at most 20,000 branch-and-bound nodes), not time, so it prints
// the same on a loaded machine; here it proves the optimum well within that budget.
const gap = assignment.generateGap('D', 5, 40, 7);
for (const method of ['mthg', 'lagrangian', 'auto'] as const) {
  const r = await (method === 'mthg' ? assignment.gapMthg(gap) : method === 'lagrangian' ? assignment.gapLagrangian(gap) : assignment.gapAuto(gap, { maxNodes: 20_000 }));
  console.log(`${method.padEnd(11)} ${r.status.padEnd(9)} cost ${r.objective?.toFixed(0).padStart(5)}${r.bound !== undefined ? `  bound ${r.bound.toFixed(1)}` : ''}`);
}

// %% [markdown]
// ## Scheduling 600 workloads on 12 clusters
//
// `generateSchedule` makes a realistic model: CPU and memory, traffic pairs, network cost
// between clusters, a compliance penalty. Local search (shift moves and ejection chains)
// plans it in a second or two. Its budget is work, not time (it stops after 30 rounds
// without improvement), so the same seed gives the same plan on any machine.

// %%
const model = assignment.generateSchedule({ workloads: 600, clusters: 12, seed: 3, utilisation: 0.65 });
const planA = assignment.scheduleLocalSearch(model, { seed: 1, maxRoundsWithoutImprovement: 30 });
if (planA.status !== 'optimal' && planA.status !== 'feasible') throw new Error(planA.status);
const cost = assignment.scheduleCost(model, planA.solution.assignment);
// The objective is serving + lambdaNetwork x network + lambdaCompliance x compliance: print the
// weighted terms, which add up to it.
const weighted = { network: model.lambdaNetwork * cost.network, compliance: model.lambdaCompliance * cost.compliance };
console.log(
  `objective ${planA.objective.toFixed(0)} = serving ${cost.serving.toFixed(0)} + network ${weighted.network.toFixed(0)} ` +
    `(${model.lambdaNetwork} x ${cost.network.toFixed(0)}) + compliance ${weighted.compliance.toFixed(0)} (${model.lambdaCompliance} x ${cost.compliance.toFixed(0)})`,
);
console.log('violations:', assignment.scheduleViolations(model, planA.solution.assignment).length);

// %% [markdown]
// ## A cluster goes away: re-plan
//
// `withoutSite(model, cluster, current)` forbids the cluster and records where everything
// runs now; with a migration cost per workload, the re-plan moves the stranded workloads and
// only as many others as pay for themselves (or must make room: with capacities binding, a
// prohibitive migration cost still moves a few so the stranded ones fit). The objective
// includes the migration cost.

// %%
const p = model.placement;
const nDims = p.dimensions.length;
const busiest = p.siteIds[Array.from(p.siteIds.keys()).sort((a, b) => planA.solution.load[b * nDims]! - planA.solution.load[a * nDims]!)[0]!]!;
const stranded = Array.from(planA.solution.assignment).filter((i) => p.siteIds[i] === busiest).length;
for (const migration of [1e6, 20, 0]) {
  const next = assignment.withoutSite({ ...model, migrationCost: new Float64Array(p.nClients).fill(migration) }, busiest, planA.solution.assignment);
  const planB = assignment.scheduleLocalSearch(next, { seed: 1, maxRoundsWithoutImprovement: 30 });
  if (hasSolution(planB)) {
    console.log(`migration cost ${String(migration).padStart(7)}: ${planB.solution.moved} moved (${stranded} stranded on ${busiest}), objective ${planB.objective.toFixed(0)}`);
  } else console.log(`migration cost ${migration}: ${planB.status}`, planB.certificate?.reason ?? '');
}
