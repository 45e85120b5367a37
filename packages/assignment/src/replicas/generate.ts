import { Rng } from '@emplace/core';
import type { ReplicaInput, ReplicaWorkloadInput } from './model.js';

/**
 * A seeded random replica-placement instance (tests, benchmarks): clusters spread over
 * providers, regions and zones with free cpu / memory / pods and per-unit prices that vary by
 * provider and region; workloads with a few to a few dozen replicas. Every feature can be
 * switched on with a probability per workload, so that benchmarks and property tests draw
 * from the same family. `utilisation` is total requested cpu over total free cpu.
 */
export interface ReplicaGeneratorOptions {
  clusters: number;
  workloads: number;
  seed?: number;
  /** Default 0.6. */
  utilisation?: number;
  /** Free cpu per cluster drawn uniformly from [min, max] instead of from `utilisation`. */
  freeCpu?: [number, number];
  regions?: number;
  zonesPerRegion?: number;
  /** Replicas per workload, [min, max] (default [2, 12]). */
  replicas?: [number, number];
  /** Probability of each feature per workload (default 0). */
  spread?: number;
  survivability?: number;
  rehost?: number;
  allowed?: number;
  tiers?: number;
  minMax?: number;
  weights?: number;
  current?: number;
  /** maxMoves given to workloads with a current assignment (default none). */
  maxMoves?: number;
  priorities?: boolean;
  modes?: boolean;
}

export function generateReplicas(o: ReplicaGeneratorOptions): ReplicaInput {
  // The steps draw from one generator in a fixed order: a seed always gives the same instance.
  const rng = new Rng(o.seed ?? 1);
  const draw: Draw = { rng, pick: (p) => p !== undefined && p > 0 && rng.next() < p };
  const { clusters, cpuShare } = drawClusters(draw, o);
  const workloads: ReplicaWorkloadInput[] = [];
  let cpuTotal = 0;
  for (let w = 0; w < o.workloads; w++) {
    const { workload, cpuRequested } = drawWorkload(draw, o, w, clusters);
    cpuTotal += cpuRequested;
    workloads.push(workload);
  }
  setFreeCapacity(o, clusters, cpuShare, cpuTotal);
  // Current assignments after the capacity is known.
  for (const wl of workloads) if (draw.pick(o.current)) drawCurrent(draw, o, wl, clusters);
  return { dimensions: ['cpu', 'memory', 'pods'], clusters, workloads };
}

interface Draw {
  rng: Rng;
  /** True with probability p (never when p is absent or 0, and then no number is drawn). */
  pick(p: number | undefined): boolean;
}

/** Clusters over regions, zones and providers with per-unit prices by region; free capacity is set later. */
function drawClusters({ rng }: Draw, o: ReplicaGeneratorOptions): { clusters: ReplicaInput['clusters']; cpuShare: number[] } {
  const C = o.clusters;
  const regions = o.regions ?? Math.max(2, Math.round(Math.sqrt(C) / 2));
  const zonesPerRegion = o.zonesPerRegion ?? 3;
  const providers = ['aws', 'gcp', 'azure'];
  const regionPrice = Array.from({ length: regions }, () => 0.8 + 0.5 * rng.next());
  const clusters: ReplicaInput['clusters'] = [];
  const cpuShare = Array.from({ length: C }, () => 0.5 + rng.next());
  for (let c = 0; c < C; c++) {
    const r = c % regions;
    const z = Math.floor(c / regions) % zonesPerRegion;
    const provider = providers[r % providers.length]!;
    const f = regionPrice[r]! * (0.9 + 0.2 * rng.next());
    clusters.push({
      id: `c${c}`,
      labels: { region: `r${r}`, zone: `r${r}-${String.fromCharCode(97 + z)}`, provider },
      free: { cpu: 0, memory: 0, pods: 0 },
      price: { cpu: round(0.03 * f), memory: round(0.004 * f), pods: 0 },
    });
  }
  return { clusters, cpuShare };
}

/**
 * One workload: size, then each feature switched on with its probability. `cpuRequested` is
 * drawn replicas x cpu, counted before a duplicated mode shrinks the replica count.
 */
function drawWorkload(draw: Draw, o: ReplicaGeneratorOptions, w: number, clusters: ReplicaInput['clusters']): { workload: ReplicaWorkloadInput; cpuRequested: number } {
  const { rng, pick } = draw;
  const [rMin, rMax] = o.replicas ?? [2, 12];
  const replicas = rMin + rng.int(rMax - rMin + 1);
  const cpu = 0.25 * (1 + rng.int(8));
  const memory = 0.5 * (1 + rng.int(16));
  const wl: ReplicaWorkloadInput = { id: `w${w}`, replicas, request: { cpu, memory, pods: 1 }, uid: `uid-${o.seed ?? 1}-${w}` };
  if (o.priorities) wl.priority = rng.int(3);
  if (o.modes) drawMode(rng, wl);
  if (pick(o.allowed)) {
    const keep = clusters.filter(() => rng.next() < 0.7).map((c) => c.id);
    if (keep.length > 0) wl.allowed = keep;
  }
  if (pick(o.tiers)) {
    const shuffled = clusters.map((c) => c.id).sort(() => rng.next() - 0.5);
    const cut = Math.max(1, Math.floor(shuffled.length / 3));
    wl.tiers = [shuffled.slice(0, cut), shuffled.slice(cut)];
  }
  if (pick(o.minMax)) {
    const c1 = clusters[rng.int(clusters.length)]!.id;
    const c2 = clusters[rng.int(clusters.length)]!.id;
    wl.minReplicas = { [c1]: 1 };
    if (c2 !== c1) wl.maxReplicas = { [c2]: Math.max(1, Math.floor(replicas / 3)) };
  }
  if (pick(o.weights)) {
    if (rng.next() < 0.5) wl.weights = { dynamic: 'AvailableReplicas' };
    else wl.weights = { static: Object.fromEntries(clusters.filter(() => rng.next() < 0.6).map((c) => [c.id, 1 + rng.int(3)])) };
  }
  if (pick(o.spread)) {
    const key = ['region', 'zone', 'provider', 'cluster'][rng.int(4)]!;
    wl.spread = [{ key, minGroups: 2, ...(rng.next() < 0.5 ? { maxGroups: 3 + rng.int(3) } : {}), ...(rng.next() < 0.3 ? { maxSkew: 2 } : {}) }];
  }
  if (pick(o.survivability)) {
    const domain = ['zone', 'region', 'cluster'][rng.int(3)]!;
    wl.survivability = { domain, minAvailable: Math.max(1, Math.floor(replicas / 2)), ...(pick(o.rehost) ? { rehost: true } : {}) };
  }
  return { workload: wl, cpuRequested: replicas * cpu };
}

/** A tenth aggregated, a twentieth duplicated (with a quarter of the replicas). */
function drawMode(rng: Rng, wl: ReplicaWorkloadInput): void {
  const u = rng.next();
  if (u < 0.1) wl.mode = 'aggregated';
  else if (u < 0.15) {
    wl.mode = 'duplicated';
    wl.replicas = Math.max(1, Math.ceil(wl.replicas / 4));
  }
}

/** Free capacity: the cpu at the requested utilisation split by share (or drawn from freeCpu), memory in proportion, pods generous. */
function setFreeCapacity(o: ReplicaGeneratorOptions, clusters: ReplicaInput['clusters'], cpuShare: number[], cpuTotal: number): void {
  const util = o.utilisation ?? 0.6;
  const shareSum = cpuShare.reduce((a, b) => a + b, 0);
  for (let c = 0; c < clusters.length; c++) {
    const cpu = o.freeCpu
      ? o.freeCpu[0] + Math.floor((cpuShare[c]! - 0.5) * (o.freeCpu[1] - o.freeCpu[0] + 1))
      : Math.max(1, Math.round(((cpuTotal / util) * cpuShare[c]!) / shareSum));
    clusters[c]!.free = { cpu, memory: cpu * 6, pods: Math.max(4, Math.round(cpu * 2)) };
  }
}

/** A previous split of the replicas over at most three clusters. */
function drawCurrent({ rng }: Draw, o: ReplicaGeneratorOptions, wl: ReplicaWorkloadInput, clusters: ReplicaInput['clusters']): void {
  const C = clusters.length;
  const k = 1 + rng.int(Math.min(3, C));
  const cur: Record<string, number> = {};
  for (let i = 0; i < wl.replicas; i++) {
    const id = clusters[rng.int(C) % Math.max(1, C)]!.id;
    if (Object.keys(cur).length >= k && cur[id] === undefined) continue;
    cur[id] = (cur[id] ?? 0) + 1;
  }
  wl.current = cur;
  if (o.maxMoves !== undefined) wl.maxMoves = o.maxMoves;
}

function round(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}
