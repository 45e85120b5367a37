import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { createGraph, type Graph } from '@emplace/core';
import { kruskal } from '@emplace/graph';
import { createSteinerProblem, dreyfusWagner, type SteinerProblem, type WorkGraph } from '@emplace/steiner';

/** Random connected graph: a random spanning tree plus extra edges; integer weights 0..9 (some parallel edges). */
export const connectedInstance = (maxN = 8): fc.Arbitrary<SteinerProblem> =>
  fc
    .integer({ min: 2, max: maxN })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
        extra: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 2 * n }),
        weights: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4 * n, maxLength: 4 * n }),
        terminals: fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 5) }),
      }),
    )
    .map(({ n, parents, extra, weights, terminals }) => {
      const edges: [number, number, number][] = [];
      for (let v = 1; v < n; v++) edges.push([v, parents[v - 1]! % v, weights[edges.length]!]);
      for (const [u, v] of extra) if (u !== v) edges.push([u, v, weights[edges.length % weights.length]!]);
      return createSteinerProblem(createGraph({ n, edges }), terminals);
    });

/** Brute force: every set of Steiner nodes, MST of the induced subgraph on terminals + those nodes. */
export function bruteForce(p: SteinerProblem): number {
  const g = p.graph;
  const isT = terminalMask(p);
  const others = Array.from({ length: g.n }, (_, v) => v).filter((v) => !isT[v]);
  let best = Infinity;
  for (let mask = 0; mask < 1 << others.length; mask++) {
    const keep = new Uint8Array(g.n);
    for (const t of p.terminals) keep[t] = 1;
    others.forEach((v, i) => {
      if (mask & (1 << i)) keep[v] = 1;
    });
    const idx: number[] = [];
    const edges: [number, number, number][] = [];
    const map = new Int32Array(g.n).fill(-1);
    for (let v = 0; v < g.n; v++) if (keep[v]) map[v] = idx.push(v) - 1;
    for (let e = 0; e < g.m; e++) if (keep[g.edgeU[e]!] && keep[g.edgeV[e]!]) edges.push([map[g.edgeU[e]!]!, map[g.edgeV[e]!]!, g.edgeW[e]!]);
    const f = kruskal(createGraph({ n: idx.length, edges }));
    if (f.components === 1) best = Math.min(best, f.weight);
  }
  return best;
}

/** Independent evaluator: the sum of the edge weights. */
export function treeCost(g: Graph, edges: ArrayLike<number>): number {
  let c = 0;
  for (let k = 0; k < edges.length; k++) c += g.edgeW[edges[k]!]!;
  return c;
}

export function terminalMask(p: SteinerProblem): Uint8Array {
  const isT = new Uint8Array(p.graph.n);
  for (const t of p.terminals) isT[t] = 1;
  return isT;
}

/** A shared SteinLib instance file (`$EMPLACE_INSTANCES`, else ../shared/instances beside the repository). */
export function steinlibFile(set: string, name: string): string {
  const dir = process.env.EMPLACE_INSTANCES ?? resolve(import.meta.dirname, '../../../../shared/instances');
  return resolve(dir, 'steinlib', set, `${name}.stp`);
}

/** Reads a SteinLib STP file (graph section and terminals only) with its own parser, independent of @emplace/io. */
export function readStp(file: string): SteinerProblem {
  let n = 0;
  const edges: [number, number, number][] = [];
  const terminals: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'Nodes') n = Number(f[1]);
    else if (f[0] === 'E') edges.push([Number(f[1]) - 1, Number(f[2]) - 1, Number(f[3])]);
    else if (f[0] === 'T') terminals.push(Number(f[1]) - 1);
  }
  return createSteinerProblem(createGraph({ n, edges }), terminals);
}

export const hasFile = (file: string): boolean => existsSync(file);

/** The published optimum of a shared SteinLib instance (optima.json beside the sets), or undefined. */
export function steinlibOptimum(name: string): number | undefined {
  const file = resolve(steinlibFile('B', 'x'), '../../optima.json');
  if (!existsSync(file)) return undefined;
  const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { value: number }>;
  return table[name]?.value;
}

/** The optimum of the reduced problem in `wg` (Dreyfus-Wagner on its compact graph) plus its fixed cost: an exact reduction keeps the original optimum. */
export function reducedOptimum(wg: WorkGraph): number {
  const r = wg.compact();
  return dreyfusWagner(r.graph, r.terminals, r.isTerminal)!.cost + r.fixedCost;
}
