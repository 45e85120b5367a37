import { Rng, runSteps, solve } from '@emplace/core';
import '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import type { CoverProblem } from '../src/cover.js';
import { minCoverModelSteps } from '../src/covering-mip.js';
import { abortAfterTurns, drainSteps, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: lscp:exact built its covering MIP (column dominance, columns, one row per client)
 * in one piece after the greedy: most of a 42 ms stretch on CPU at 2000 x 2000. The build is
 * steps now, by work, and gives the same model.
 */

describe('the covering MIP of lscp:exact is built in steps', () => {
  it('pauses by work on 500 x 500 and builds a covering model: every client row, all kept columns at 1 satisfy it', () => {
    // A covering problem as the reductions leave it (built by hand: on small Euclidean inputs
    // they shrink it far below a checkpoint's work): 1500 clients, each within reach of 40 of
    // 800 sites.
    const rng = new Rng(3);
    const nC = 1500;
    const nS = 800;
    const start = new Int32Array(nC + 1);
    const adj = new Int32Array(nC * 40);
    for (let c = 0; c < nC; c++) {
      start[c + 1] = start[c]! + 40;
      const seen = new Set<number>();
      while (seen.size < 40) seen.add(rng.int(nS));
      adj.set([...seen].sort((a, b) => a - b), start[c]!);
    }
    const cp: CoverProblem = {
      r: 1, forced: [], sites: Int32Array.from({ length: nS }, (_, s) => s), clients: Int32Array.from({ length: nC }, (_, c) => c),
      multiplicity: new Int32Array(nC).fill(1), start, adj, openClients: nC, uncoverable: 0, lost: 0,
    };
    const subset = Array.from({ length: cp.clients.length }, (_, c) => c);
    let entries = 0;
    for (const c of subset) entries += cp.start[c + 1]! - cp.start[c]!;
    const r = drainSteps(minCoverModelSteps(cp, subset));
    // The adjacency is read at least three times (dominance bitsets, columns, rows): at least
    // that much work over checkpoints every 2^15 units.
    expect(entries).toBeGreaterThan(1 << 15);
    expect(r.pauses).toBeGreaterThanOrEqual(Math.floor((3 * entries) / (1 << 15)) - 1);
    const { model, colSite } = r.value;
    expect(model.numConstraints).toBe(subset.length);
    expect(model.numVariables).toBe(colSite.length);
    expect(model.violation(new Float64Array(colSite.length).fill(1)).max).toBe(0);
    // Driven at once: the same columns, and the decision form adds its cardinality row.
    const whole = runSteps(minCoverModelSteps(cp, subset, 7));
    expect(whole.colSite).toEqual(colSite);
    expect(whole.model.numConstraints).toBe(subset.length + 1);
  });

  it('lscp:exact aborted after a counted number of turns returns a cover (stoppedBy aborted) or the proven one', async () => {
    const model = euclideanModel(400, 5);
    for (const turns of [3, 6, 12, 24]) {
      const r = await abortAfterTurns(turns, (signal) => solve(model, { method: 'lscp:exact', radius: 150, signal }));
      if (r.status === 'optimal') continue;
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
    }
  });
});
