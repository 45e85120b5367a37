import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, Rng, runSteps } from '@emplace/core';
import { isSteinerTree, kmb, mehlhorn, pruneLeaves, ShortestPathHeuristic, shortestPathHeuristic } from '@emplace/steiner';
import { mehlhornSteps } from '../src/heuristics.js';
import { bruteForce, connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('construction heuristics', () => {
  it('KMB, Mehlhorn and the shortest-path heuristic give trees within twice the optimum', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const isT = terminalMask(p);
        for (const edges of [kmb(p.graph, p.terminals, isT), mehlhorn(p.graph, p.terminals, isT), shortestPathHeuristic(p.graph, p.terminals, isT, p.terminals[0]!)]) {
          expect(isSteinerTree(p.graph, edges, p.terminals)).toBe(true);
          const c = treeCost(p.graph, edges);
          expect(c).toBeGreaterThanOrEqual(opt);
          expect(c).toBeLessThanOrEqual(2 * opt + 1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the steps version of the shortest-path heuristic grows the same tree', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const sph = new ShortestPathHeuristic(p.graph);
        const a = sph.run(p.terminals, p.terminals[0]!);
        const b = runSteps(sph.steps(p.terminals, p.terminals[0]!));
        expect(b).toEqual(a);
        expect(isSteinerTree(p.graph, pruneLeaves(p.graph, a, terminalMask(p)), p.terminals)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});

describe('mehlhornSteps is cut inside its Voronoi search (issue 13)', () => {
  /** A ring of n nodes with chords (average degree ~6) and every 50th node a terminal. */
  function ring(n: number) {
    const rng = new Rng(n);
    const edges: [number, number, number][] = [];
    for (let v = 0; v < n; v++) edges.push([v, (v + 1) % n, 1 + rng.int(9)]);
    for (let k = 0; k < 2 * n; k++) {
      const u = rng.int(n);
      const v = rng.int(n);
      if (u !== v) edges.push([u, v, 5 + rng.int(50)]);
    }
    const g = createGraph({ n, edges });
    const terminals = Int32Array.from({ length: Math.ceil(n / 50) }, (_, i) => i * 50);
    const isTerminal = new Uint8Array(n);
    for (const t of terminals) isTerminal[t] = 1;
    return { g, terminals, isTerminal };
  }
  function countSteps(n: number): { steps: number; same: boolean } {
    const { g, terminals, isTerminal } = ring(n);
    const gen = mehlhornSteps(g, terminals, isTerminal);
    let steps = 0;
    let r = gen.next();
    while (!r.done) {
      steps++;
      r = gen.next();
    }
    return { steps, same: JSON.stringify(r.value) === JSON.stringify(mehlhorn(g, terminals, isTerminal)) };
  }
  it('a graph 100 times larger takes more steps (the search itself yields), with the same tree as mehlhorn()', () => {
    const small = countSteps(300);
    const large = countSteps(30_000);
    expect(small.same).toBe(true);
    expect(large.same).toBe(true);
    expect(large.steps).toBeGreaterThan(small.steps);
  });
});
