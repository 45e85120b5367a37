import { createReplicaModel, generateReplicas, solveReplicas, evaluateReplicaPlacement } from '@emplace/assignment';
for (const [W, C, lim] of [[100, 30, 3000], [1000, 100, 10000]] as const) {
  const input = generateReplicas({ clusters: C, workloads: W, seed: 1, utilisation: 0.5, spread: 0.3, survivability: 0.3, weights: 0.2, regions: C > 50 ? 8 : 4, zonesPerRegion: 3 });
  const m = createReplicaModel(input);
  const t = performance.now();
  const l = await solveReplicas(m, { method: 'exact', timeLimitMs: lim, maxMipPairs: 10 });
  console.log(W, C, (performance.now() - t).toFixed(0), l.status, l.objective, l.bound, l.gap, l.stats, evaluateReplicaPlacement(m, l.solution!.counts).violations.length);
}
