import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { evaluateReplicaPlacement, type ReplicaCriterion, type ReplicaInput, type ReplicaModel, type ReplicaWorkloadInput } from '@emplace/assignment';

/** Shared by replicas.test.ts and status-replicas.test.ts: tiny random replica inputs and the brute force over every plan. */
/** Tiny random instances with every feature, small enough for brute force. */
export const tiny = fc
  .record({
    C: fc.integer({ min: 2, max: 3 }),
    W: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer({ min: 0, max: 1e9 }),
    objective: fc.constantFrom('cost', 'weighted', 'lexicographic'),
  })
  .map(({ C, W, seed, objective }) => {
    const rng = new Rng(seed);
    const rnd = (k: number): number => rng.int(k);
    const coin = (p: number) => rnd(1000) < p * 1000;
    const clusters: ReplicaInput['clusters'] = Array.from({ length: C }, (_, c) => ({
      id: `k${c}`,
      labels: { region: `r${c % 2}`, zone: `z${c}` },
      free: { cpu: 1 + rnd(6), memory: 2 + rnd(10) },
      price: { cpu: 1 + rnd(5), memory: rnd(3) },
      latency: { p: rnd(50) },
    }));
    if (coin(0.2)) delete clusters[rnd(C)]!.labels!.region;
    const ids = clusters.map((c) => c.id);
    const workloads: ReplicaWorkloadInput[] = [];
    for (let w = 0; w < W; w++) {
      const N = 1 + rnd(4);
      const wl: ReplicaWorkloadInput = { id: `w${w}`, replicas: N, request: { cpu: 1 + rnd(2), memory: 1 + rnd(3) } };
      if (coin(0.3)) wl.priority = rnd(2);
      const mode = rnd(10);
      if (mode === 0) wl.mode = 'aggregated';
      else if (mode === 1) {
        wl.mode = 'duplicated';
        wl.replicas = 1 + rnd(2);
      }
      if (coin(0.2)) wl.allowed = ids.filter(() => coin(0.7));
      if (coin(0.15)) wl.tiers = [[ids[0]!], ids.slice(1)];
      if (coin(0.2)) wl.minReplicas = { [ids[rnd(C)]!]: 1 };
      if (coin(0.2)) wl.maxReplicas = { [ids[rnd(C)]!]: 1 + rnd(2) };
      if (coin(0.25)) {
        wl.weights = coin(0.5) ? { dynamic: 'AvailableReplicas' } : { static: Object.fromEntries(ids.map((id) => [id, rnd(3)])) };
        if (coin(0.3)) wl.weights.maxDeviation = rnd(2);
      }
      if (coin(0.35)) {
        const key = ['region', 'zone', 'cluster'][rnd(3)]!;
        const minGroups = rnd(3);
        wl.spread = [{ key, minGroups, ...(coin(0.4) ? { maxGroups: Math.max(1, minGroups) + rnd(2) } : {}), ...(coin(0.3) ? { maxSkew: rnd(2) } : {}) }];
      }
      if (coin(0.3)) wl.survivability = { domain: ['zone', 'region', 'cluster'][rnd(3)]!, minAvailable: rnd(N), ...(coin(0.5) ? { rehost: true } : {}) };
      if (coin(0.3)) {
        wl.current = { [ids[rnd(C)]!]: 1 + rnd(3) };
        if (coin(0.5)) wl.maxMoves = rnd(3);
        if (coin(0.5)) wl.moveCost = rnd(4);
      }
      workloads.push(wl);
    }
    const input: ReplicaInput = { dimensions: ['cpu', 'memory'], clusters, workloads, populations: [{ id: 'p', weight: 1 }] };
    if (objective === 'weighted') input.objective = { cost: 1, latency: rnd(2) * 0.01, imbalance: rnd(3), clusters: rnd(3), moves: rnd(3) };
    if (objective === 'lexicographic') {
      const all: ReplicaCriterion[] = ['moves', 'cost', 'clusters', 'imbalance', 'latency'];
      const first = all.splice(rnd(all.length), 1)[0]!;
      input.objective = { lexicographic: [first, all[rnd(all.length)]!] };
    }
    return input;
  });

/** Every count vector of one workload: compositions of N (divided) or 0/N per cluster (duplicated), plus "unplaced". */
function rows(wl: ReplicaWorkloadInput, C: number): number[][] {
  const out: number[][] = [];
  if (wl.mode === 'duplicated') {
    for (let mask = 0; mask < 1 << C; mask++) out.push(Array.from({ length: C }, (_, c) => ((mask >> c) & 1 ? wl.replicas : 0)));
    return out;
  }
  const rec = (c: number, left: number, acc: number[]) => {
    if (c === C - 1) {
      out.push([...acc, left]);
      return;
    }
    for (let k = 0; k <= left; k++) rec(c + 1, left - k, [...acc, k]);
  };
  rec(0, wl.replicas, []);
  out.push(new Array(C).fill(0));
  return out;
}

/** The ranking exact implements: placed per priority level, aggregated clusters, then the objective. */
export function rankKey(m: ReplicaModel, counts: Int32Array): number[] {
  const ev = evaluateReplicaPlacement(m, counts);
  const wls = m.input.workloads;
  const levels = [...new Set(wls.map((w) => w.priority ?? 0))].sort((a, b) => b - a);
  const key = levels.map((l) => -wls.filter((w, i) => (w.priority ?? 0) === l && ev.placed[i] && w.replicas > 0).length);
  let agg = 0;
  wls.forEach((w, i) => {
    if (w.mode === 'aggregated') for (let c = 0; c < m.placement.nSites; c++) if (counts[i * m.placement.nSites + c]! > 0) agg++;
  });
  key.push(agg);
  if (m.lexicographic) for (const k of m.lexicographic) key.push(ev.criteria[k]);
  else key.push(ev.weighted);
  return key;
}

export function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-6 * Math.max(1, Math.abs(a[i]!), Math.abs(b[i]!));
    if (a[i]! < b[i]! - tol) return -1;
    if (a[i]! > b[i]! + tol) return 1;
  }
  return 0;
}

export function bruteForce(m: ReplicaModel): { key: number[]; counts: Int32Array } | undefined {
  const { nSites: C } = m.placement;
  const options = m.input.workloads.map((w) => rows(w, C));
  let best: { key: number[]; counts: Int32Array } | undefined;
  const counts = new Int32Array(m.placement.nClients * C);
  const rec = (w: number) => {
    if (w === m.placement.nClients) {
      const ev = evaluateReplicaPlacement(m, counts);
      if (!ev.feasible) return;
      const key = rankKey(m, counts);
      if (!best || compareKeys(key, best.key) < 0) best = { key, counts: Int32Array.from(counts) };
      return;
    }
    for (const r of options[w]!) {
      counts.set(r, w * C);
      rec(w + 1);
    }
  };
  rec(0);
  return best;
}

