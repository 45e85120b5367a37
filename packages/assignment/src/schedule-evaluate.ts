import type { ScheduleModel } from './schedule-model.js';

/** A scheduling plan and its cost broken down by term. */
export interface ScheduleSolution {
  /** `assignment[j]` = site index of workload j. */
  readonly assignment: Int32Array;
  readonly assignmentIds: string[];
  /** Resource use per site and dimension, `nSites * nDims`. */
  readonly load: Float64Array;
  readonly serving: number;
  /** Unweighted network cost (traffic x network cost); the objective adds lambdaNetwork times it. */
  readonly network: number;
  /** Unweighted compliance penalty; the objective adds lambdaCompliance times it. */
  readonly compliance: number;
  readonly migration: number;
  /** Workloads whose site differs from their current one (new workloads not counted). */
  readonly moved: number;
}

export interface ScheduleCost {
  serving: number;
  network: number;
  compliance: number;
  migration: number;
  moved: number;
  total: number;
}

/** The objective of a plan, recomputed from the model term by term. */
export function scheduleCost(model: ScheduleModel, assignment: ArrayLike<number>): ScheduleCost {
  const p = model.placement;
  const n = p.nClients;
  const S = p.nSites;
  let serving = 0;
  let compliance = 0;
  let migration = 0;
  let moved = 0;
  for (let j = 0; j < n; j++) {
    const a = assignment[j]!;
    serving += p.cost[a * n + j]!;
    if (model.compliancePenalty) compliance += model.compliancePenalty[a * n + j]!;
    const c = model.current?.[j] ?? -1;
    if (c >= 0 && c !== a) {
      migration += model.migrationCost[j]!;
      moved++;
    }
  }
  let network = 0;
  const D = model.networkCost;
  if (D) {
    for (let k = 0; k < model.trafficA.length; k++) {
      const sa = assignment[model.trafficA[k]!]!;
      const sb = assignment[model.trafficB[k]!]!;
      if (sa !== sb) network += model.trafficVolume[k]! * D[sa * S + sb]!;
    }
  }
  const total = serving + model.lambdaNetwork * network + model.lambdaCompliance * compliance + migration;
  return { serving, network, compliance, migration, moved, total };
}

/** Domain value of each site for a label: sites without the label are each their own domain. */
export function domainIndex(model: ScheduleModel, label: string | undefined): { of: Int32Array; count: number } {
  const p = model.placement;
  const of = new Int32Array(p.nSites);
  if (label === undefined) {
    for (let i = 0; i < p.nSites; i++) of[i] = i;
    return { of, count: p.nSites };
  }
  const values = new Map<string, number>();
  for (let i = 0; i < p.nSites; i++) {
    const v = p.siteLabels[i]?.[label];
    const key = v === undefined ? `\u0000site:${i}` : `=${v}`;
    let d = values.get(key);
    if (d === undefined) {
      d = values.size;
      values.set(key, d);
    }
    of[i] = d;
  }
  return { of, count: values.size };
}

/**
 * Every hard constraint a plan breaks, as readable strings naming the constraint (empty
 * when the plan is feasible): sites out of range or forbidden, disallowed placements,
 * capacity per dimension, affinity, anti-affinity (sites or label domains), locality.
 */
export function scheduleViolations(model: ScheduleModel, assignment: ArrayLike<number>, tolerance = 1e-9): string[] {
  const p = model.placement;
  const n = p.nClients;
  const S = p.nSites;
  const D = p.dimensions.length;
  const out: string[] = [];
  if (assignment.length !== n) return [`assignment has ${assignment.length} entries, expected ${n}`];
  const load = new Float64Array(S * D);
  for (let j = 0; j < n; j++) {
    const a = assignment[j]!;
    if (!(Number.isInteger(a) && a >= 0 && a < S)) {
      out.push(`clients[${j}] has no valid site (${a})`);
      continue;
    }
    if (p.forbidden[a]) out.push(`clients[${j}] on forbidden site ${p.siteIds[a]}`);
    if (p.allowed && !p.allowed[a * n + j]) out.push(`clients[${j}] not allowed on ${p.siteIds[a]}`);
    for (let d = 0; d < D; d++) load[a * D + d]! += p.siteDemand ? p.siteDemand[(a * n + j) * D + d]! : p.demand[j * D + d]!;
  }
  if (out.length > 0) return out;
  for (let i = 0; i < S; i++) {
    for (let d = 0; d < D; d++) {
      const cap = p.capacity[i * D + d]!;
      if (load[i * D + d]! > cap + tolerance * Math.max(1, cap)) out.push(`capacity of ${p.siteIds[i]} in ${p.dimensions[d]}: ${load[i * D + d]} > ${cap}`);
    }
  }
  p.affinity.forEach((g, k) => {
    for (let t = 1; t < g.length; t++) if (assignment[g[t]!] !== assignment[g[0]!]) out.push(`affinity[${k}] split`);
  });
  p.antiAffinity.forEach((g, k) => {
    const dom = domainIndex(model, g.domain);
    const seen = new Set<number>();
    for (const c of g.clients) {
      const v = dom.of[assignment[c]!]!;
      if (seen.has(v)) out.push(`antiAffinity[${k}] shares ${g.domain ?? 'site'} between members`);
      seen.add(v);
    }
  });
  const L = model.latency;
  for (let k = 0; k < model.localityClient.length; k++) {
    const j = model.localityClient[k]!;
    const lat = L![assignment[j]! * S + model.localitySite[k]!]!;
    const ok = assignment[j] === model.localitySite[k] || lat <= model.localityMaxLatency[k]! + tolerance;
    if (!ok) out.push(`locality[${k}]: clients[${j}] at latency ${lat} > ${model.localityMaxLatency[k]}`);
  }
  return out;
}

export function scheduleSolution(model: ScheduleModel, assignment: Int32Array): ScheduleSolution {
  const p = model.placement;
  const n = p.nClients;
  const D = p.dimensions.length;
  const load = new Float64Array(p.nSites * D);
  for (let j = 0; j < n; j++) {
    const a = assignment[j]!;
    for (let d = 0; d < D; d++) load[a * D + d]! += p.siteDemand ? p.siteDemand[(a * n + j) * D + d]! : p.demand[j * D + d]!;
  }
  const c = scheduleCost(model, assignment);
  return {
    assignment: Int32Array.from(assignment),
    assignmentIds: Array.from(assignment, (i) => p.siteIds[i]!),
    load,
    serving: c.serving,
    network: c.network,
    compliance: c.compliance,
    migration: c.migration,
    moved: c.moved,
  };
}
