import { createPlacementModel, Rng } from '@emplace/core';
import { createScheduleModel, type ScheduleModel } from './schedule-model.js';

/**
 * A random multi-cluster scheduling instance with every feature of the model, for tests,
 * benchmarks and examples (fixed seed = same instance): clusters on a plane (network cost
 * and latency = distance), 3 resources (cpu, memory, gpu; GPUs on a third of the
 * clusters), about 80 % utilisation, prices per cluster, an EU jurisdiction restricting
 * a fifth of the workloads, compliance penalties for sensitive workloads on uncertified
 * clusters, traffic concentrated inside services of about 10 workloads, small affinity
 * pairs, anti-affinity triples over zones, and a few locality constraints.
 */
export interface ScheduleGeneratorOptions {
  workloads: number;
  clusters: number;
  /** Number of traffic pairs (default 2 x workloads). */
  pairs?: number;
  seed?: number;
  /** Target utilisation of the binding resource (default 0.8). */
  utilisation?: number;
  lambdaNetwork?: number;
  lambdaCompliance?: number;
}

export function generateSchedule(o: ScheduleGeneratorOptions): ScheduleModel {
  // The steps draw from one generator in a fixed order: a seed always gives the same instance.
  const rng = new Rng(o.seed ?? 1);
  const n = o.workloads;
  const S = o.clusters;
  const clusters = clusterLayout(rng, S);
  const w = workloadDemands(rng, n);
  const affinity = affinityPairs(w, n);
  const capacity = clusterCapacities(rng, clusters, w.demand, n, o.utilisation ?? 0.8);
  const { cost, penalty } = placementCosts(rng, clusters, w, n);
  const allowed = new Uint8Array(S * n);
  for (let i = 0; i < S; i++) for (let j = 0; j < n; j++) allowed[i * n + j] = !w.euOnly[j] || clusters.eu[i] ? 1 : 0;
  const antiAffinity = antiAffinityTriples(w, affinity, n);
  const traffic = servicesTraffic(rng, n, o.pairs ?? 2 * n);
  const locality = localityConstraints(rng, w, affinity, n, S);
  const zones = Math.max(3, Math.ceil(S / 4));
  const placement = createPlacementModel({
    sites: Array.from({ length: S }, (_, i) => ({
      id: `c${i}`,
      labels: { zone: `z${i % zones}`, jurisdiction: clusters.eu[i] ? 'EU' : 'US', ...(clusters.gpu[i] ? { gpu: 'yes' } : {}) },
    })),
    clients: n,
    dimensions: ['cpu', 'memory', 'gpu'],
    capacity,
    demand: w.demand,
    cost,
    allowed,
    affinity,
    antiAffinity,
  });
  return createScheduleModel({
    placement,
    traffic,
    networkCost: clusters.net,
    lambdaNetwork: o.lambdaNetwork ?? 0.05,
    lambdaCompliance: o.lambdaCompliance ?? 1,
    compliancePenalty: penalty,
    locality,
  });
}

interface ClusterLayout {
  /** Distances on the plane: network cost and latency. */
  net: Float64Array;
  eu: boolean[];
  gpu: boolean[];
  certified: boolean[];
  price: number[];
}

function clusterLayout(rng: Rng, S: number): ClusterLayout {
  const xy = Array.from({ length: S }, () => [rng.next() * 100, rng.next() * 100] as const);
  const net = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let k = 0; k < S; k++) net[i * S + k] = Math.hypot(xy[i]![0] - xy[k]![0], xy[i]![1] - xy[k]![1]);
  const eu = Array.from({ length: S }, (_, i) => i % 5 < 2 || S < 3);
  const gpu = Array.from({ length: S }, (_, i) => i % 3 === 0);
  const certified = Array.from({ length: S }, () => rng.next() < 0.5);
  const price = Array.from({ length: S }, () => 0.7 + 0.6 * rng.next());
  return { net, eu, gpu, certified, price };
}

interface Workloads {
  /** cpu, memory, gpu per workload. */
  demand: Float64Array;
  euOnly: Uint8Array;
  sensitive: Uint8Array;
}

function workloadDemands(rng: Rng, n: number): Workloads {
  const demand = new Float64Array(n * 3);
  const euOnly = new Uint8Array(n);
  const sensitive = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    demand[j * 3] = 1 + rng.int(8);
    demand[j * 3 + 1] = 1 + rng.int(16);
    demand[j * 3 + 2] = rng.next() < 0.1 ? 1 + rng.int(2) : 0;
    euOnly[j] = rng.next() < 0.2 ? 1 : 0;
    sensitive[j] = rng.next() < 0.3 ? 1 : 0;
  }
  return { demand, euOnly, sensitive };
}

/** Affinity pairs; the second member takes the first's EU restriction and GPU need so they stay satisfiable. */
function affinityPairs(w: Workloads, n: number): number[][] {
  const affinity: number[][] = [];
  for (let j = 0; j + 1 < n && affinity.length < Math.floor(n / 100); j += 97) {
    affinity.push([j, j + 1]);
    w.euOnly[j + 1] = w.euOnly[j]!;
    w.demand[(j + 1) * 3 + 2] = w.demand[j * 3 + 2]!;
  }
  return affinity;
}

/** Capacity shares drawn per cluster, sized so the binding resource runs at `util`; GPUs only where the cluster has them. */
function clusterCapacities(rng: Rng, clusters: ClusterLayout, demand: Float64Array, n: number, util: number): Float64Array {
  const S = clusters.gpu.length;
  const total = [0, 0, 0];
  for (let j = 0; j < n; j++) for (let d = 0; d < 3; d++) total[d]! += demand[j * 3 + d]!;
  const share = Array.from({ length: S }, () => 0.5 + rng.next());
  const shareSum = share.reduce((a, b) => a + b, 0);
  const gpuShare = share.map((s, i) => (clusters.gpu[i] ? s : 0));
  const gpuSum = gpuShare.reduce((a, b) => a + b, 0);
  const capacity = new Float64Array(S * 3);
  for (let i = 0; i < S; i++) {
    capacity[i * 3] = Math.ceil((total[0]! * share[i]!) / shareSum / util) + 8;
    capacity[i * 3 + 1] = Math.ceil((total[1]! * share[i]!) / shareSum / util) + 16;
    capacity[i * 3 + 2] = clusters.gpu[i] ? Math.ceil((total[2]! * gpuShare[i]!) / gpuSum / util) + 2 : 0;
  }
  return capacity;
}

/** Price x size with +-10 % noise, and a compliance penalty for sensitive workloads on uncertified clusters. */
function placementCosts(rng: Rng, clusters: ClusterLayout, w: Workloads, n: number): { cost: Float64Array; penalty: Float64Array } {
  const S = clusters.price.length;
  const cost = new Float64Array(S * n);
  const penalty = new Float64Array(S * n);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < n; j++) {
      const size = w.demand[j * 3]! + 0.5 * w.demand[j * 3 + 1]! + 4 * w.demand[j * 3 + 2]!;
      cost[i * n + j] = Math.round(100 * clusters.price[i]! * size * (0.9 + 0.2 * rng.next())) / 100;
      if (w.sensitive[j] && !clusters.certified[i]) penalty[i * n + j] = 5;
    }
  }
  return { cost, penalty };
}

/** Triples of unrestricted, GPU-free workloads kept apart, every other one by zone. */
function antiAffinityTriples(w: Workloads, affinity: number[][], n: number): { clients: number[]; domain?: string }[] {
  const antiAffinity: { clients: number[]; domain?: string }[] = [];
  for (let j = 50; j + 2 < n && antiAffinity.length < Math.floor(n / 50); j += 53) {
    const g = [j, j + 1, j + 2].filter((c) => !affinity.some((a) => a.includes(c)));
    if (g.length >= 2 && g.every((c) => !w.euOnly[c] && w.demand[c * 3 + 2] === 0)) antiAffinity.push({ clients: g, ...(antiAffinity.length % 2 === 0 ? { domain: 'zone' } : {}) });
  }
  return antiAffinity;
}

/** Traffic mostly inside services of ~10 consecutive workloads, some across. */
function servicesTraffic(rng: Rng, n: number, pairs: number): { a: number; b: number; volume: number }[] {
  const traffic: { a: number; b: number; volume: number }[] = [];
  if (n < 2) return traffic;
  for (let k = 0; k < pairs; k++) {
    const a = rng.int(n);
    let b: number;
    if (rng.next() < 0.8) {
      const base = a - (a % 10);
      b = Math.min(n - 1, base + rng.int(10));
    } else b = rng.int(n);
    if (b === a) b = (a + 1) % n;
    traffic.push({ a, b, volume: 1 + rng.int(10) });
  }
  return traffic;
}

function localityConstraints(rng: Rng, w: Workloads, affinity: number[][], n: number, S: number): { client: number; site: number; maxLatency: number }[] {
  const locality: { client: number; site: number; maxLatency: number }[] = [];
  for (let j = 7; j < n && locality.length < Math.floor(n / 100); j += 101) {
    if (w.euOnly[j] || w.demand[j * 3 + 2]! > 0 || affinity.some((a) => a.includes(j))) continue;
    locality.push({ client: j, site: rng.int(S), maxLatency: 40 });
  }
  return locality;
}
