/** Notebook: replica placement with @emplace/assignment. Run: pnpm example replicas */
// %% [markdown]
// # Replica placement: how many replicas go to each cluster
//
// Multi-cluster schedulers (Karmada, Open Cluster Management, Kueue MultiKueue) decide how
// many replicas of a workload each cluster runs. They filter and score clusters with plugins
// and divide by weights; none of them optimises. Here a global service of **60 replicas**
// is placed over clusters in the embedded AWS regions (two availability zones each), with
// real inter-region latency, regional price factors, a spread over zones and regions, and
// **N-1 survivability**: after the loss of any one region at least 45 replicas keep running
// and the survivors have room to re-host the lost ones. Then a region fills up and the
// service is rebalanced with as few moves as possible.
//
// A replicated workload is a workload of the shared scheduling model: `replicas: 60` and a
// per-replica request in several dimensions (cpu, memory, pods); clusters are its sites.

// %%
import { assignment, data, hasSolution } from '@emplace/emplace';

const { awsRegions, awsLatencyMs, REGION_PRICE_FACTOR } = data;
const R = awsRegions.length;
// Two clusters (availability zones) per region; free capacity varies by cluster (a fixed
// pattern, so the example is reproducible), prices follow the regional factor.
const clusters = awsRegions.flatMap((r, i) =>
  ['a', 'b'].map((az, k) => {
    const cpu = 8 + ((i * 7 + k * 5) % 17);
    const f = REGION_PRICE_FACTOR[r.code] ?? 1.2;
    return {
      id: `${r.code}${az}`,
      labels: { region: r.code, zone: `${r.code}${az}`, geo: r.code.split('-')[0]!, provider: 'aws' },
      free: { cpu, memory: cpu * 4, pods: cpu * 2 },
      price: { cpu: +(0.034 * f).toFixed(4), memory: +(0.0045 * f).toFixed(5) },
      // Latency to each user population (the metro of every region), from the measured p50 RTT.
      latency: Object.fromEntries(awsRegions.map((p, j) => [p.code, awsLatencyMs[i * R + j]!])),
    };
  }),
);
const populations = awsRegions.map((r) => ({ id: r.code, weight: r.metroPopulationM }));
const service: assignment.ReplicaWorkloadInput = {
  id: 'checkout',
  replicas: 60,
  request: { cpu: 1, memory: 2, pods: 1 },
  spread: [
    { key: 'zone', minGroups: 6 },
    { key: 'geo', minGroups: 3 },
  ],
  survivability: { domain: 'region', minAvailable: 45, rehost: true },
  // Karmada's usual setting, used by the `karmada` method (and as imbalance targets).
  weights: { dynamic: 'AvailableReplicas' },
  uid: '3f1c2a9e-checkout',
};
const input: assignment.ReplicaInput = {
  dimensions: ['cpu', 'memory', 'pods'],
  clusters,
  populations,
  workloads: [service],
  // Cost per hour plus 0.0005 per replica-ms of mean RTT to the users (so 60 replicas 10 ms
  // closer to the users are worth 0.3/h).
  objective: { cost: 1, latency: 0.0005 },
  failureDomain: 'region',
};
const model = assignment.createReplicaModel(input);
console.log(`${model.placement.nSites} clusters in ${R} regions; ${service.replicas} replicas of ${JSON.stringify(service.request)}`);

// %% [markdown]
// ## Three methods on the same input
//
// `karmada` divides exactly as Karmada does (dynamic weights by available replicas, its
// rounding and uid-dependent tie-breaking); it knows nothing of the spread counts or the
// survivability rule, so the evaluator checks its plan. `greedy` is the fast constructive
// method, `exact` the MIP (warm-started from the greedy, proven optimal).

// %%
const rows: string[] = [];
const plans: Record<string, Int32Array> = {};
for (const method of ['karmada', 'greedy', 'exact'] as const) {
  const r = await assignment.solveReplicas(model, { method, timeLimitMs: 20_000 });
  if (!hasSolution(r)) {
    rows.push(`${method.padEnd(8)} ${r.status}`);
    continue;
  }
  plans[method] = r.solution.counts;
  const ev = assignment.evaluateReplicaPlacement(model, r.solution.counts);
  rows.push(
    `${method.padEnd(8)} ${r.status.padEnd(9)} cost/h ${ev.cost.toFixed(3)}  mean RTT ${(ev.latency / 60).toFixed(1)} ms  ` +
      `clusters ${String(ev.clustersUsed).padStart(2)}  worst region loss ${String(r.solution.worstDomainLoss).padStart(2)}  ` +
      `broken constraints ${ev.violations.length}  objective ${r.objective.toFixed(3)}${r.bound !== undefined ? ` (bound ${r.bound.toFixed(3)})` : ''}`,
  );
}
console.log(rows.join('\n'));

// %% [markdown]
// Karmada spreads the replicas over every cluster in proportion to its free capacity: it
// survives a region loss easily but pays for replicas in the expensive regions. The
// optimiser concentrates where capacity is cheap, exactly as far as the spread and the
// survivability rule allow. Each cluster of the answer says why it got what it got:

// %%
const best = await assignment.solveReplicas(model, { method: 'exact', timeLimitMs: 20_000 });
if (!hasSolution(best)) throw new Error(best.status);
for (const c of best.solution.workloads[0]!.clusters) console.log(`${c.cluster.padEnd(16)} ${String(c.replicas).padStart(2)}  ${c.why}`);

// %% [markdown]
// ## Replicas per region, Karmada against the optimum

// %%
import { show } from '../lib/notebook.js';
function barChart(series: Record<string, Int32Array>, title: string): string {
  const perRegion = (counts: Int32Array) => awsRegions.map((_, i) => counts[2 * i]! + counts[2 * i + 1]!);
  const names = Object.keys(series);
  const values = names.map((n) => perRegion(series[n]!));
  const max = Math.max(1, ...values.flat());
  const W = 900;
  const H = 260;
  const bw = (W - 60) / R;
  const colours = ['#8da0cb', '#fc8d62', '#66c2a5'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`, `<text x="10" y="14" font-size="13">${title}</text>`];
  values.forEach((vals, s) => {
    vals.forEach((v, i) => {
      const h = (v / max) * (H - 90);
      const x = 40 + i * bw + (s * bw) / names.length;
      parts.push(`<rect x="${x.toFixed(1)}" y="${(H - 60 - h).toFixed(1)}" width="${(bw / names.length - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colours[s % colours.length]}"/>`);
    });
    parts.push(`<rect x="${60 + s * 120}" y="24" width="10" height="10" fill="${colours[s % colours.length]}"/><text x="${74 + s * 120}" y="33">${names[s]}</text>`);
  });
  awsRegions.forEach((r, i) => parts.push(`<text transform="translate(${(40 + i * bw + bw / 2).toFixed(1)},${H - 56}) rotate(60)">${r.code}</text>`));
  parts.push('</svg>');
  return parts.join('');
}
show(barChart({ karmada: plans['karmada']!, exact: plans['exact']! }, 'replicas per AWS region'), 'replicas per region: Karmada (dynamic weights) and the exact optimum');

// %% [markdown]
// ## A region fills up: rebalance with as few moves as possible
//
// Other tenants take the capacity of the region that holds most of the service: it now has
// room for only 2 of its replicas. The current assignment is the plan above. With the
// lexicographic objective (fewest moves, then cost), the optimiser moves only what must move
// and re-checks spread and N-1 on the way; `moves` is the diff to apply.

// %%
const current: Record<string, number> = {};
for (const c of best.solution.workloads[0]!.clusters) current[c.cluster] = c.replicas;
const perRegion = new Map<string, number>();
for (const c of clusters) perRegion.set(c.labels.region, (perRegion.get(c.labels.region) ?? 0) + (current[c.id] ?? 0));
const fullRegion = [...perRegion].sort((a, b) => b[1] - a[1])[0]![0];
const after = structuredClone(input);
for (const c of after.clusters) if (c.labels!['region'] === fullRegion) c.free = { cpu: 1, memory: 2, pods: 1 };
after.workloads[0]!.current = current;
after.objective = { lexicographic: ['moves', 'cost'] };
const rebalanced = assignment.createReplicaModel(after);
console.log(`${fullRegion} held ${perRegion.get(fullRegion)} replicas; now room for 2`);
for (const method of ['karmada', 'exact'] as const) {
  const r = await assignment.solveReplicas(rebalanced, { method, timeLimitMs: 20_000 });
  if (!hasSolution(r)) {
    console.log(method, r.status);
    continue;
  }
  const ev = assignment.evaluateReplicaPlacement(rebalanced, r.solution.counts);
  console.log(`${method.padEnd(8)} ${r.status.padEnd(9)} moved ${r.solution.moved}  cost/h ${ev.cost.toFixed(3)}  broken constraints ${ev.violations.length}${ev.violations.length ? ` (${ev.violations[0]})` : ''}`);
  if (method === 'exact') for (const mv of r.solution.workloads[0]!.moves ?? []) console.log(`  move ${mv.replicas} ${mv.from || '(new)'} -> ${mv.to || '(removed)'}`);
}

// %% [markdown]
// Karmada keeps its previous assignment when the replica count does not change (it reschedules
// only on a trigger), so its plan now overcommits the full region. The optimiser moves the
// replicas that no longer fit, to the cheapest clusters that keep the spread and the N-1
// guarantee, and nothing else.
