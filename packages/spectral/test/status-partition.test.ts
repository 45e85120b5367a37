import { createGraph, listSolvers, solve, type Result } from '@emplace/core';
import '@emplace/spectral';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded, type Rand } from '../../emplace/test/fuzz/instances.js';

/**
 * Statuses of every partition method (through the registry's `solve`) against the brute force
 * over every k-way partition (all k^n labelings with k non-empty parts, n <= 7): the partition
 * must have exactly k non-empty parts, its objective must be its largest part conductance
 * recomputed here (cut / min(vol, vol of the rest), 0 for a part with no volume and no cut), a
 * heuristic answer must not beat the optimum, `optimal` must equal it and a bound must not exceed
 * it. Degenerate graphs: one node, k = n, no edges, isolated nodes, zero weights, ties, weights of
 * 1e-300 and 1e300 and mixes of 1 and 1e308.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 40);

type Edge = [number, number, number];

function randomGraph(r: Rand): { n: number; edges: Edge[]; k: number } {
  const n = r.int(1, 7);
  const weight = r.pick(['int', 'int', 'int', 'ties', 'zero', 'tiny', 'huge', 'mixed']);
  const w = (): number => {
    switch (weight) {
      case 'ties':
        return 3;
      case 'zero':
        return r.pick([0, 0, 1]);
      case 'tiny':
        return r.int(1, 9) * 1e-300;
      case 'huge':
        return r.int(1, 9) * 1e300;
      case 'mixed':
        return r.pick([1, 1e308]);
      default:
        return r.int(1, 20);
    }
  };
  const edges: Edge[] = [];
  const connected = r.chance(0.7);
  for (let v = 1; v < n; v++) if (connected || r.chance(0.5)) edges.push([r.int(0, v - 1), v, w()]);
  for (let e = r.int(0, n); e > 0; e--) {
    const u = r.int(0, n - 1);
    const v = r.int(0, n - 1);
    if (u !== v) edges.push([u, v, w()]);
  }
  return { n, edges, k: Math.min(n, r.pick([1, 2, 2, 2, 3, 3, n])) };
}

/** Largest part conductance of a labeling (the complement's volume summed, as a sum of degrees). */
function maxConductance(edges: readonly Edge[], part: ArrayLike<number>, k: number): number {
  const vol = new Array<number>(k).fill(0);
  const cut = new Array<number>(k).fill(0);
  // Conductance does not change when every weight is scaled: divide by the largest, so sums of 1e308 stay finite.
  const largest = Math.max(0, ...edges.map((e) => e[2])) || 1;
  for (const [u, v, raw] of edges) {
    const w = raw / largest;
    vol[part[u]!]! += w;
    vol[part[v]!]! += w;
    if (part[u] !== part[v]) {
      cut[part[u]!]! += w;
      cut[part[v]!]! += w;
    }
  }
  let worst = 0;
  for (let p = 0; p < k; p++) {
    const rest = vol.reduce((a, x, q) => (q === p ? a : a + x), 0);
    const d = Math.min(vol[p]!, rest);
    worst = Math.max(worst, d > 0 ? cut[p]! / d : cut[p]! > 0 ? Infinity : 0);
  }
  return worst;
}

function bestConductance(n: number, edges: readonly Edge[], k: number): number {
  let best = Infinity;
  const part = new Array<number>(n).fill(0);
  for (;;) {
    if (new Set(part).size === k) best = Math.min(best, maxConductance(edges, part, k));
    let i = 0;
    while (i < n && part[i] === k - 1) part[i++] = 0;
    if (i === n) break;
    part[i]!++;
  }
  return best;
}

describe('partition statuses against brute force', () => {
  it.each(listSolvers('partition').map((e) => e.method))('partition:%s', async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      const { n, edges, k } = randomGraph(seeded(seed));
      let result: Result<unknown>;
      try {
        result = await solve(createGraph({ n, edges }), { method: `partition:${method}`, k, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  ${JSON.stringify({ n, edges, k })}`);
        continue;
      }
      const problems = envelopeProblems(result);
      const optimum = bestConductance(n, edges, k);
      const tol = 1e-9 * Math.max(1, optimum);
      if (result.status === 'infeasible' || result.status === 'unbounded') problems.push(`${result.status}, but every graph has a ${k}-way partition`);
      if (result.status === 'no-solution') problems.push(`no-solution (${result.stoppedBy}) without a limit`);
      if (result.status === 'optimal' || result.status === 'feasible') {
        const part = (result.solution as { part: Int32Array }).part;
        const labels = new Set(Array.from(part));
        if (part.length !== n || labels.size !== k || [...labels].some((p) => p < 0 || p >= k)) problems.push(`part ${Array.from(part)} is not a ${k}-way partition`);
        else {
          const value = maxConductance(edges, part, k);
          if (Math.abs(value - result.objective) > 1e-9 * Math.max(1, value)) problems.push(`objective ${result.objective}, but its partition has conductance ${value}`);
        }
        if (result.objective < optimum - tol) problems.push(`objective ${result.objective} beats the optimum ${optimum}`);
        if (result.status === 'optimal' && Math.abs(result.objective - optimum) > tol) problems.push(`optimal ${result.objective}, the optimum is ${optimum}`);
      }
      if (result.bound !== undefined && result.bound > optimum + tol) problems.push(`bound ${result.bound} above the optimum ${optimum}`);
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} (${result.stoppedBy}): ${problems.join('; ')}\n  ${JSON.stringify({ n, edges, k })}`);
    }
    expect(failures).toEqual([]);
  });
});
