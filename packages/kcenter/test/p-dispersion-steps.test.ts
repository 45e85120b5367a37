import { solve } from '@emplace/core';
import '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { candidateRadiiSteps, conflictGraphSteps, prepareSteps } from '../src/p-dispersion.js';
import { abortAfterTurns, euclideanModel, drainSteps } from '../../core/test/support/steps.js';

function drain<T>(steps: Generator<void, T, void>): { value: T; steps: number } {
  let count = 0;
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return { value: r.value, steps: count };
    count++;
  }
}

/**
 * Issue 13: pdispersion's setup, candidate radii and conflict graph were single stretches of
 * 20-170 ms on 500 sites (an abort at such a moment waited for all of it). They are steps now.
 */
describe('p-dispersion works in steps', () => {
  const model = euclideanModel(400, 7);
  it('the setup, the candidate radii and the conflict graph each yield several times on 400 sites', () => {
    const prepared = drain(prepareSteps(model, { k: 8 }));
    expect(prepared.steps).toBeGreaterThanOrEqual(8);
    const inst = prepared.value;
    if ('infeasible' in inst) throw new Error('unexpected');
    const radii = drain(candidateRadiiSteps(inst, 0, Infinity));
    expect(radii.steps).toBeGreaterThanOrEqual(6);
    // Sorted, distinct.
    for (let t = 1; t < radii.value.uniq; t++) expect(radii.value.cand[t]!).toBeGreaterThan(radii.value.cand[t - 1]!);
    const free = Array.from(inst.openable);
    const graph = drain(conflictGraphSteps(inst, free, radii.value.cand[Math.floor(radii.value.uniq / 2)]!));
    expect(graph.steps).toBeGreaterThanOrEqual(6);
    expect(graph.value.deg.length).toBe(free.length);
  });

  it('pdispersion:exact reports the greedy set as its first incumbent; aborted there, it returns that set with stoppedBy aborted', async () => {
    const ctl = new AbortController();
    let first: number | undefined;
    const r = await solve(model, {
      method: 'pdispersion:exact',
      k: 8,
      signal: ctl.signal,
      onIncumbent: (_s, objective) => {
        first ??= objective;
        ctl.abort();
      },
    });
    expect(first).toBeDefined();
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    expect(r.objective).toBe(first);
    expect(new Set((r.solution as { open: Int32Array }).open).size).toBe(8);
  });
});

describe('greedy independent set by work (issue 13: 8 picks on a dense conflict graph were a 30 ms stretch)', () => {
  it('checkpoints at least once per 65536 units of work and picks as the min-degree greedy does', async () => {
    const { greedyIndependentSetSteps } = await import('../src/p-dispersion.js');
    // Cliques of 60 nodes chained by one edge: a dense graph where each pick walks long lists.
    const m = 1800;
    const adj: number[][] = Array.from({ length: m }, () => []);
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m && Math.floor(b / 60) === Math.floor(a / 60); b++) adj[a]!.push(b), adj[b]!.push(a);
    for (let c = 0; c + 60 < m; c += 60) adj[c + 59]!.push(c + 60), adj[c + 60]!.push(c + 59);
    const deg = Int32Array.from(adj, (l) => l.length);
    const steps = greedyIndependentSetSteps(adj, deg);
    const r = drainSteps(steps);
    const yields = r.pauses;
    // Each of the 30 picks scans 1800 candidates and walks ~60 lists of ~60: ~5000 units a pick.
    expect(yields).toBeGreaterThanOrEqual(2);
    // Reference: the same min-degree rule without steps.
    const alive = new Uint8Array(m).fill(1);
    const cur = Int32Array.from(deg);
    const ref: number[] = [];
    for (;;) {
      let v = -1;
      for (let a = 0; a < m; a++) if (alive[a] && (v < 0 || cur[a]! < cur[v]!)) v = a;
      if (v < 0) break;
      ref.push(v);
      alive[v] = 0;
      for (const u of adj[v]!) if (alive[u]) { alive[u] = 0; for (const w of adj[u]!) cur[w]!--; }
    }
    expect(r.value).toEqual(ref);
  });
});

describe('pdispersion:exact after a stop in the radius listing or a decision (issue 13)', () => {
  it('aborted after N event-loop turns: stoppedBy aborted with the best set so far', async () => {
    const model = euclideanModel(300, 6);
    for (const turns of [2, 5, 12, 30, 80]) {
      const r = await abortAfterTurns(turns, (signal) => solve(model, { method: 'pdispersion:exact', k: 12, signal }));
      if (r.stoppedBy === 'converged') continue;
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status === 'feasible' || r.status === 'optimal').toBe(true);
      expect((r.solution as { sites: ArrayLike<number> } | undefined) !== undefined).toBe(true);
    }
  });
});

describe('the feasibility MIP is built in steps by work (issue 13: one clique of a dense conflict graph was a 40-80 ms stretch)', () => {
  it('pauses inside one big clique and builds the same clique cover: a complete conflict graph gives one clique row', async () => {
    const { independentSetMipSteps } = await import('../src/p-dispersion.js');
    const model = euclideanModel(400, 11);
    const inst = drain(prepareSteps(model, { k: 8 })).value;
    if ('infeasible' in inst) throw new Error('unexpected');
    const free = Array.from(inst.openable);
    // A radius above every distance: every pair conflicts, one clique of 400 covers every edge.
    const graph = drain(conflictGraphSteps(inst, free, Infinity)).value;
    const built = drainSteps(independentSetMipSteps(inst, free, graph.adj, graph.deg, Infinity, 8));
    // Growing the clique tests ~400^2 / 2 pairs and marks as many: several checkpoints of 2^15
    // units although it is a single clique (the old checkpoints were per row and per clique).
    expect(built.pauses).toBeGreaterThanOrEqual(4);
    expect(built.value.numConstraints).toBe(2);
    expect(built.value.numVariables).toBe(free.length);
    // A sparser conflict graph (need 2): x = {a, b} violates a row exactly when a and b conflict,
    // so every conflicting pair is in some clique row and every row is a clique.
    const cand = drain(candidateRadiiSteps(inst, 0, Infinity)).value;
    const r = cand.cand[Math.floor(cand.uniq / 5)]!;
    const sparse = drain(conflictGraphSteps(inst, free, r)).value;
    const lp = drainSteps(independentSetMipSteps(inst, free, sparse.adj, sparse.deg, r, 2)).value;
    expect(lp.numConstraints).toBeGreaterThan(2);
    const x = new Float64Array(free.length);
    let conflicts = 0;
    for (let a = 0; a < free.length; a += 7) {
      for (let b = a + 1; b < free.length; b += 13) {
        x[a] = 1;
        x[b] = 1;
        const conflict = inst.D[free[a]! * inst.n + free[b]!]! < r;
        if (conflict) conflicts++;
        expect(lp.violation(x).max > 0).toBe(conflict);
        x[a] = 0;
        x[b] = 0;
      }
    }
    expect(conflicts).toBeGreaterThan(10);
  });
});
