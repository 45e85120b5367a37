import type { Rng } from '@emplace/core';

/** One commodity of the gravity traffic (the shape flows' createMcfProblem takes). */
export interface GravityCommodity {
  source: number;
  sink: number;
  demand: number;
  class: 'control' | 'mesh' | 'data';
  weight: number;
}

/**
 * Gravity traffic between `k` distinct random nodes of an `n`-node graph, as the flows
 * benchmarks use it: every ordered pair carries mass(a) x mass(b), split into three
 * classes (control 5 %, mesh 25 %, data 70 %, weights 10 / 3 / 1). Draws from `rng` in a
 * fixed order (nodes, then masses), so a caller's instance is the same for the same state.
 */
export function gravityCommodities(n: number, k: number, rng: Rng): GravityCommodity[] {
  const nodes = new Set<number>();
  while (nodes.size < Math.min(k, n)) nodes.add(rng.int(n));
  const list = [...nodes];
  const mass = list.map(() => 1 + rng.next() * 9);
  const commodities: GravityCommodity[] = [];
  for (let a = 0; a < list.length; a++) {
    for (let b = 0; b < list.length; b++) {
      if (a === b) continue;
      const d = mass[a]! * mass[b]!;
      commodities.push({ source: list[a]!, sink: list[b]!, demand: 0.05 * d, class: 'control', weight: 10 });
      commodities.push({ source: list[a]!, sink: list[b]!, demand: 0.25 * d, class: 'mesh', weight: 3 });
      commodities.push({ source: list[a]!, sink: list[b]!, demand: 0.7 * d, class: 'data', weight: 1 });
    }
  }
  return commodities;
}
