import { createGraph, hasSolution, type Graph, type SolveOptions } from '@emplace/core';
import { minimumSpanningTree } from '@emplace/graph';
import { createSteinerProblem, solveSteiner } from '@emplace/steiner';
import type { PlanInstance } from './instance.js';
import type { BackboneLink, BackboneView } from './result.js';

/**
 * The region network: the given links, or each region linked to its `nearestLinks`
 * nearest regions (by latency) plus a minimum spanning tree of the full latency matrix
 * so it is connected. Weights are round-trip latencies in ms.
 */
export function regionNetwork(inst: PlanInstance): Graph {
  const { world, nRegions: n, regionLatency } = inst;
  const ids = world.regions.map((r) => r.id);
  const given = world.network?.links;
  if (given) {
    const index = new Map(ids.map((id, i) => [id, i]));
    return createGraph({
      nodes: ids,
      edges: given.map((l) => {
        const a = index.get(l[0])!;
        const b = index.get(l[1])!;
        return [a, b, l.length > 2 ? l[2]! : regionLatency[a * n + b]!] as const;
      }),
      duplicates: 'min',
    });
  }
  const k = Math.min(n - 1, world.network?.nearestLinks ?? 4);
  const edges: [number, number, number][] = [];
  const order = new Int32Array(n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) order[b] = b;
    const sorted = Array.from(order).filter((b) => b !== a).sort((x, y) => regionLatency[a * n + x]! - regionLatency[a * n + y]!);
    for (let t = 0; t < k; t++) edges.push([a, sorted[t]!, regionLatency[a * n + sorted[t]!]!]);
  }
  const complete: [number, number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) complete.push([a, b, regionLatency[a * n + b]!]);
  const full = createGraph({ n, edges: complete });
  const mst = minimumSpanningTree(full);
  for (const e of mst.edges) edges.push([full.edgeU[e]!, full.edgeV[e]!, full.edgeW[e]!]);
  return createGraph({ nodes: ids, edges: edges.map(([a, b, w]) => [Math.min(a, b), Math.max(a, b), w] as const), duplicates: 'min' });
}

/** The cheapest (total latency) tree of the region network connecting the chosen regions: a Steiner tree. */
export async function backbonePhase(inst: PlanInstance, chosenOpen: readonly number[], options: SolveOptions): Promise<BackboneView> {
  const g = regionNetwork(inst);
  const link = (e: number): BackboneLink => ({ from: g.ids[g.edgeU[e]!]!, to: g.ids[g.edgeV[e]!]!, latencyMs: g.edgeW[e]! });
  const network = Array.from({ length: g.m }, (_, e) => link(e));
  const r = await solveSteiner(createSteinerProblem(g, chosenOpen), { ...options, method: 'auto' });
  if (!hasSolution(r)) {
    return { links: [], regions: [], relays: [], totalLatencyMs: Infinity, status: r.status, network, ...(r.bound !== undefined ? { bound: r.bound } : {}) };
  }
  const chosen = new Set(chosenOpen);
  const nodes = Array.from(r.solution.nodes);
  return {
    links: Array.from(r.solution.edges, link),
    regions: nodes.map((v) => g.ids[v]!),
    relays: nodes.filter((v) => !chosen.has(v)).map((v) => g.ids[v]!),
    totalLatencyMs: r.objective,
    ...(r.bound !== undefined ? { bound: r.bound } : {}),
    status: r.status,
    network,
  };
}
