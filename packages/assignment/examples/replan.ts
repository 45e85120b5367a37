/**
 * Re-planning after a cluster is lost.
 *
 *   pnpm exec tsx --conditions=source packages/assignment/examples/replan.ts
 *
 * Plans 2,000 workloads on 30 clusters, removes the busiest cluster, and re-plans with the
 * running plan as the current placement and a migration cost per workload. The re-plan
 * moves the stranded workloads (they must move) and only those others whose move pays
 * for its migration cost; with a prohibitive migration cost it moves the stranded only.
 */
import { generateSchedule, scheduleCost, scheduleLocalSearch, scheduleViolations, withoutSite } from '@emplace/assignment';

const model = generateSchedule({ workloads: 2000, clusters: 30, seed: 42, utilisation: 0.7 });
const plan = scheduleLocalSearch(model, { timeLimitMs: 2000, seed: 1 });
if (plan.status !== 'feasible' && plan.status !== 'optimal') throw new Error(`no plan: ${plan.status}`);
const running = plan.solution.assignment;

// The busiest cluster goes down.
const perSite = new Int32Array(model.placement.nSites);
for (const s of running) perSite[s]!++;
const lost = perSite.indexOf(Math.max(...perSite));
const stranded = perSite[lost]!;
console.log(`plan: objective ${plan.objective.toFixed(1)}; cluster ${model.placement.siteIds[lost]} fails with ${stranded} workloads`);

let strandedOnly: Int32Array | undefined;
for (const migration of [1e6, 30, 5]) {
  const next = withoutSite({ ...model, migrationCost: new Float64Array(model.placement.nClients).fill(migration) }, lost, running);
  const r = scheduleLocalSearch(next, { timeLimitMs: 2000, seed: 1 });
  if (r.status !== 'feasible' && r.status !== 'optimal') throw new Error(`no re-plan: ${r.status}`);
  const voluntary = r.solution.moved - stranded;
  // Reference: the plan that moves the stranded only (found under the prohibitive cost),
  // priced with this migration cost. The re-plan never costs more.
  strandedOnly ??= Int32Array.from(r.solution.assignment);
  const keepCost = scheduleCost(next, strandedOnly).total;
  console.log(
    `migration cost ${String(migration).padStart(7)}: moved ${r.solution.moved} = ${stranded} stranded + ${voluntary} voluntary; ` +
      `objective ${r.objective.toFixed(1)} (moving only the stranded: ${keepCost.toFixed(1)}), violations ${scheduleViolations(next, r.solution.assignment).length}`,
  );
}
