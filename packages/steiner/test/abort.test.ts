import { describe, expect, it } from 'vitest';
import { createGraph, hasSolution, Rng, solve } from '@emplace/core';
import { createSteinerProblem, STEINER_METHODS, type SteinerProblem } from '@emplace/steiner';
import { hasFile, readStp, steinlibFile, treeCost } from './helpers.js';

/**
 * Issue 13: an abort at the earliest moment a caller can react to (the method's first
 * progress event, not a timer) comes back with a tree that joins every terminal, or with a
 * plain no-solution status; never a broken tree or another status.
 */

/** Independent check: edge indices in range, no cycle, every terminal in one component; the cost is their weight. */
function joinsTerminals(p: SteinerProblem, edges: ArrayLike<number>): boolean {
  const g = p.graph;
  const parent = Int32Array.from({ length: g.n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!;
    if (!(e >= 0 && e < g.m)) return false;
    const a = find(g.edgeU[e]!);
    const b = find(g.edgeV[e]!);
    if (a === b) return false;
    parent[a] = b;
  }
  const root = find(p.terminals[0]!);
  return Array.from(p.terminals).every((t) => find(t) === root);
}

/** A random connected graph of n nodes (a spanning path plus random edges), k terminals. */
function randomProblem(n: number, m: number, k: number, seed: number): SteinerProblem {
  const rng = new Rng(seed);
  const edges: [number, number, number][] = [];
  for (let v = 1; v < n; v++) edges.push([v - 1, v, 1 + rng.int(20)]);
  while (edges.length < m) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u !== v) edges.push([u, v, 1 + rng.int(20)]);
  }
  const terminals = new Set<number>();
  while (terminals.size < k) terminals.add(rng.int(n));
  return createSteinerProblem(createGraph({ n, edges }), [...terminals]);
}

async function abortAtFirstProgress(p: SteinerProblem, method: string): Promise<{ aborted: boolean; events: number; result: Awaited<ReturnType<typeof solve>> }> {
  const ctrl = new AbortController();
  let events = 0;
  const result = await solve(p, {
    method: `steiner:${method}`,
    signal: ctrl.signal,
    timeLimitMs: 60_000,
    onProgress: () => {
      events++;
      ctrl.abort();
    },
  });
  return { aborted: ctrl.signal.aborted, events, result };
}

function expectTreeOrNoSolution(p: SteinerProblem, r: Awaited<ReturnType<typeof solve>>): void {
  if (hasSolution(r)) {
    const tree = r.solution as { edges: Int32Array; cost: number };
    expect(joinsTerminals(p, tree.edges)).toBe(true);
    expect(r.objective).toBeCloseTo(treeCost(p.graph, tree.edges), 9);
    if (r.status !== 'optimal') expect(r.stoppedBy).toBe('aborted');
  } else {
    expect(r.status).toBe('no-solution');
  }
}

describe('abort on the first progress event', () => {
  const small = randomProblem(40, 120, 6, 3);
  const medium = randomProblem(400, 4000, 60, 5);
  for (const method of STEINER_METHODS) {
    it(`steiner:${method} on a 40-node graph returns a tree or no-solution`, async () => {
      const { aborted, events, result } = await abortAtFirstProgress(small, method);
      expect(events).toBeGreaterThan(0);
      expect(aborted).toBe(true);
      expectTreeOrNoSolution(small, result);
    });
    if (method === 'dreyfus-wagner') continue; // 60 terminals: refused (too many for its table)
    it(`steiner:${method} on a 400-node, 60-terminal graph returns a tree or no-solution`, async () => {
      const { aborted, result } = await abortAtFirstProgress(medium, method);
      expect(aborted).toBe(true);
      expectTreeOrNoSolution(medium, result);
    });
  }

  const c18 = steinlibFile('C', 'c18');
  it.skipIf(!hasFile(c18))('steiner:auto on SteinLib c18, aborted at its first progress event, returns its first tree', async () => {
    const p = readStp(c18);
    const { result } = await abortAtFirstProgress(p, 'auto');
    expectTreeOrNoSolution(p, result);
    expect(hasSolution(result)).toBe(true);
    expect(result.stoppedBy).toBe('aborted');
  });
});

describe('the reduction pipeline stops without finishing its setup (issue 13)', () => {
  const p = randomProblem(600, 9000, 80, 11);
  for (const method of ['heuristic', 'mip', 'auto']) {
    it(`steiner:${method}: the first incumbent comes before the graph is loaded, and an abort there returns it at once`, async () => {
      const ctrl = new AbortController();
      const phases: string[] = [];
      let firstIncumbent: number | undefined;
      let phasesAtIncumbent = -1;
      const r = await solve(p, {
        method: `steiner:${method}`,
        signal: ctrl.signal,
        timeLimitMs: 60_000,
        onProgress: (e) => phases.push(e.phase),
        onIncumbent: (_tree, objective) => {
          if (firstIncumbent !== undefined) return;
          firstIncumbent = objective;
          phasesAtIncumbent = phases.length;
          ctrl.abort();
        },
      });
      // Mehlhorn's tree on the graph as given, before the reductions reported anything.
      expect(firstIncumbent).toBeDefined();
      expect(phasesAtIncumbent).toBe(1);
      expect(phases).toEqual(['load']);
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      expect(r.objective).toBe(firstIncumbent);
      expectTreeOrNoSolution(p, r);
    });
  }
});

describe('steiner:kmb keeps Mehlhorn\'s tree from its start (issue 13)', () => {
  it('reports it as the first incumbent; aborted there, it returns that tree at once (fallback: mehlhorn)', async () => {
    const p = randomProblem(600, 9000, 80, 13);
    const ctrl = new AbortController();
    let first: number | undefined;
    const r = await solve(p, {
      method: 'steiner:kmb',
      signal: ctrl.signal,
      onIncumbent: (_tree, objective) => {
        first ??= objective;
        ctrl.abort();
      },
    });
    expect(first).toBeDefined();
    expect(r.stoppedBy).toBe('aborted');
    expect(r.objective).toBe(first);
    expect(r.stats['fallback']).toBe('mehlhorn');
    expectTreeOrNoSolution(p, r);
  });
});
