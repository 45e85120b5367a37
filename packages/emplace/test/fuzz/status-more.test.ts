import '@emplace/emplace';
import { createGraph, createPlacementModel, listSolvers, solve, type Result, type Sense } from '@emplace/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { envelopeProblems, isDeliberate } from './envelope.js';
import { seeded, type Rand } from './instances.js';
import { jacobiEigenvalues } from './jacobi.js';
import { expectNoFailures } from './known-defects.js';
import { recordFailures } from './tally.js';
import { better, forEachSubset, popcount, truthOf, truthProblems, type Truth } from './truth.js';

/**
 * Statuses against the truth for p-dispersion and survivable placement (enumeration of site
 * sets), Gomory-Hu trees (every pair's minimum cut enumerated) and the Fiedler value (lambda2 of
 * the Laplacian by Jacobi rotations written here).
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const INSTANCES = Number(process.env['FUZZ_STATUS_RUNS'] ?? 12);

interface Case {
  model: { kind: string };
  options: Record<string, unknown>;
  sense: Sense;
  truth: () => Truth;
  extra?: (result: Result<unknown>) => string[];
  describe: string;
}

type Edge = [number, number, number];

function connectedEdges(r: Rand, n: number): Edge[] {
  const edges: Edge[] = [];
  for (let v = 1; v < n; v++) edges.push([r.int(0, v - 1), v, r.int(1, 20)]);
  for (let e = r.int(0, n); e > 0; e--) {
    const u = r.int(0, n - 1);
    const v = r.int(0, n - 1);
    if (u !== v) edges.push([u, v, r.int(1, 20)]);
  }
  return edges;
}

function cutValue(edges: readonly Edge[], side: number): number {
  let cut = 0;
  for (const [u, v, w] of edges) if (((side >> u) & 1) !== ((side >> v) & 1)) cut += w;
  return cut;
}

function minCut(n: number, edges: readonly Edge[], s: number, t: number): number {
  let best = Infinity;
  forEachSubset(n, (side) => {
    if ((side >> s) & 1 && !((side >> t) & 1)) best = Math.min(best, cutValue(edges, side));
  });
  return best;
}

const BUILDERS: Record<string, (r: Rand) => Case> = {
  pdispersion: (r) => {
    const n = r.int(3, 7);
    // Points on a line with jitter: a metric, sites = clients.
    const xs = Array.from({ length: n }, () => r.int(0, 60));
    const d = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    const k = r.int(2, n);
    const truth = (): Truth => {
      let best: number | undefined;
      forEachSubset(n, (set) => {
        if (popcount(set) !== k) return;
        let spread = Infinity;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if ((set >> i) & 1 && (set >> j) & 1) spread = Math.min(spread, d[i]![j]!);
        if (better('max', spread, best)) best = spread;
      });
      return truthOf(best);
    };
    return { model: createPlacementModel({ sites: n, clients: n, cost: d }), options: { k }, sense: 'max', truth, describe: JSON.stringify({ xs, k }) };
  },
  survivable: (r) => {
    const m = r.int(2, 5);
    const n = r.int(1, 5);
    const cost = Array.from({ length: m }, () => Array.from({ length: n }, () => r.int(1, 40)));
    const openingCost = Array.from({ length: m }, () => r.int(0, 9));
    const radius = r.int(10, 35);
    const level = r.int(1, 2);
    const truth = (): Truth => {
      let best: number | undefined;
      forEachSubset(m, (set) => {
        for (let j = 0; j < n; j++) {
          let near = 0;
          for (let i = 0; i < m; i++) if ((set >> i) & 1 && cost[i]![j]! <= radius) near++;
          if (near < level) return;
        }
        let total = 0;
        for (let i = 0; i < m; i++) if ((set >> i) & 1) total += openingCost[i]!;
        if (better('min', total, best)) best = total;
      });
      return truthOf(best);
    };
    const model = createPlacementModel({ sites: openingCost.map((f, i) => ({ id: `s${i}`, openingCost: f })), clients: n, cost });
    return { model, options: { radius, level }, sense: 'min', truth, describe: JSON.stringify({ cost, openingCost, radius, level }) };
  },
  gomoryhu: (r) => {
    const n = r.int(2, 7);
    const edges = connectedEdges(r, n);
    const truth = (): Truth => {
      let best = Infinity;
      forEachSubset(n, (side) => {
        if (side !== 0 && side !== (1 << n) - 1) best = Math.min(best, cutValue(edges, side));
      });
      return truthOf(best);
    };
    const extra = (result: Result<unknown>): string[] => {
      const tree = (result.solution as { tree?: { u: string; v: string; weight: number }[] } | undefined)?.tree;
      if (tree === undefined) return [];
      // The minimum cut between s and t is the lightest edge on their tree path.
      const adj = new Map<number, [number, number][]>();
      for (const { u, v, weight } of tree) {
        adj.set(Number(u), [...(adj.get(Number(u)) ?? []), [Number(v), weight]]);
        adj.set(Number(v), [...(adj.get(Number(v)) ?? []), [Number(u), weight]]);
      }
      const lightest = (s: number, t: number): number => {
        const stack: [number, number, number][] = [[s, -1, Infinity]];
        while (stack.length > 0) {
          const [x, from, low] = stack.pop()!;
          if (x === t) return low;
          for (const [y, w] of adj.get(x) ?? []) if (y !== from) stack.push([y, x, Math.min(low, w)]);
        }
        return NaN;
      };
      const wrong: string[] = [];
      for (let s = 0; s < n; s++) for (let t = s + 1; t < n; t++) if (lightest(s, t) !== minCut(n, edges, s, t)) wrong.push(`pair ${s}-${t}: tree ${lightest(s, t)}, min cut ${minCut(n, edges, s, t)}`);
      return wrong;
    };
    return { model: createGraph({ n, edges }), options: {}, sense: 'min', truth, extra, describe: JSON.stringify({ n, edges }) };
  },
  fiedler: (r) => {
    const n = r.int(2, 7);
    const edges = connectedEdges(r, n);
    const lap = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const [u, v, w] of edges) {
      lap[u]![u]! += w;
      lap[v]![v]! += w;
      lap[u]![v]! -= w;
      lap[v]![u]! -= w;
    }
    const lambda2 = jacobiEigenvalues(lap)[1]!;
    const extra = (result: Result<unknown>): string[] => {
      if (result.status !== 'optimal' && result.status !== 'feasible') return [];
      return Math.abs(result.objective - lambda2) > 1e-6 * (1 + lambda2) ? [`lambda2 ${result.objective}, Jacobi says ${lambda2}`] : [];
    };
    // The eigensolver's answer is checked by `extra` (its status may be feasible: a residual, not a proof).
    return { model: createGraph({ n, edges }), options: {}, sense: 'min', truth: () => ({ feasible: true, value: lambda2 }), extra, describe: JSON.stringify({ n, edges }) };
  },
};

describe.each(Object.keys(BUILDERS).map((f) => [f] as const))('statuses against enumeration: %s', (family) => {
  const methods = listSolvers(family).map((e) => e.method);
  it.each(methods)(`${family}:%s`, async (method) => {
    const failures: string[] = [];
    const name = `${family}:${method}`;
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: INSTANCES })) {
      const c = BUILDERS[family]!(seeded(seed));
      let result: Result<unknown>;
      try {
        result = await solve(c.model, { ...c.options, method: name, timeLimitMs: 5000, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  instance ${c.describe}`);
        continue;
      }
      const problems = [...envelopeProblems(result), ...truthProblems(result, c.truth(), c.sense), ...(c.extra?.(result) ?? [])];
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}): ${problems.join('; ')}\n  instance ${c.describe}`);
    }
    recordFailures(`status ${name}`, failures);
    expectNoFailures(`status ${name}`, failures);
  });
});
