import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SolveRun } from '@emplace/core';
import { CflEvaluator, coverDemand } from '../src/capacitated.js';
import { cflNeighbourhoodSearch, neighbourhood, neighbourhoodMip, siteProximity } from '../src/cfl-lns.js';
import { prepareProblem, unitCosts, type FacilityProblem } from '../src/problem.js';
import { checkSolution, toSolution } from '../src/solution.js';
import { build, euclideanScene, specArb, tol } from './helpers.js';

// The large-neighbourhood search of split-demand CFL (issue 17 item 3): neighbourhood MIPs
// against brute force, and the search loop's guarantees.

const problemOf = (spec: Parameters<typeof build>[0]): FacilityProblem | null => {
  const prep = prepareProblem(build(spec), 'cfl');
  return prep.kind === 'ok' ? prep.problem : null;
};

/** The exact optimum over every open set (transportation per set). */
function bruteForce(pr: FacilityProblem, evaluator: CflEvaluator): number {
  let best = Infinity;
  for (let mask = 1; mask < 1 << pr.nSites; mask++) {
    const open = new Uint8Array(pr.nSites);
    for (let i = 0; i < pr.nSites; i++) open[i] = (mask >> i) & 1;
    const v = evaluator.evaluate(open)?.value ?? Infinity;
    if (v < best) best = v;
  }
  return best;
}

describe('neighbourhoodMip', () => {
  it('with every site free on a small instance (all pairs kept) finds the exact optimum, and never a set worse than the incumbent', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(6, 8, { allowed: true, flags: false }), fc.integer({ min: 0, max: 63 }), async (spec, bits) => {
        const pr = problemOf(spec);
        if (!pr) return;
        const open = new Uint8Array(pr.nSites);
        for (let i = 0; i < pr.nSites; i++) open[i] = (bits >> i) & 1;
        if (!coverDemand(pr, open)) return;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const inc = evaluator.evaluate(open);
        if (!inc) return;
        const free = Int32Array.from({ length: pr.nSites }, (_, i) => i);
        const out = await neighbourhoodMip(pr, new SolveRun({}, 'test', 'min'), inc, free, 30_000, 'highs');
        expect(out.proved).toBe(true);
        const opt = bruteForce(pr, evaluator);
        const found = out.open ? (evaluator.evaluate(out.open)?.value ?? Infinity) : inc.value;
        expect(found).toBeLessThanOrEqual(inc.value + tol(inc.value));
        expect(found).toBeLessThanOrEqual(opt + tol(opt));
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

/** A random Euclidean instance with tight capacities (total capacity about 3x the demand). */
function tightProblem(seed: number, S: number, C: number): FacilityProblem {
  const { rand, demand, total, servingCost } = euclideanScene(seed, S, C);
  const capacity = Array.from({ length: S }, () => Math.round((3 * total * (0.3 + rand())) / S / 0.8));
  const cost: number[] = [];
  for (let i = 0; i < S; i++) for (let j = 0; j < C; j++) cost.push(servingCost(i, j));
  const f = capacity.map((cap) => Math.round(100 * Math.sqrt(cap) + 90 * rand()));
  const prep = prepareProblem(build({ nS: S, nC: C, cost, f, demand, capacity, mustOpen: new Array<boolean>(S).fill(false), forbidden: new Array<boolean>(S).fill(false) }), 'cfl');
  if (prep.kind !== 'ok') throw new Error('generated instance is infeasible');
  return prep.problem;
}

describe('cflNeighbourhoodSearch', () => {
  it('returns a feasible plan never worse than its start, keeps fixed sites, and is deterministic per seed', async () => {
    const pr = tightProblem(7, 10, 30);
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    // A poor start: the cheapest sites per unit of capacity until the demand is covered.
    const open = new Uint8Array(pr.nSites);
    coverDemand(pr, open);
    const start = evaluator.evaluate(open)!;
    const fixed = new Int8Array(pr.nSites).fill(-1);
    fixed[0] = open[0]!;
    fixed[5] = open[5]!;
    const prox = siteProximity(pr, evaluator.transport.u);
    const once = async (): Promise<number[]> => {
      const run = new SolveRun({ seed: 3 }, 'test', 'min');
      const out = await cflNeighbourhoodSearch(pr, run, evaluator, start, prox, { fixed, untilMs: 60_000, backend: 'highs' });
      expect(out.incumbent.value).toBeLessThanOrEqual(start.value + tol(start.value));
      expect(out.incumbent.solution.open[0]).toBe(open[0]);
      expect(out.incumbent.solution.open[5]).toBe(open[5]);
      const exact = new CflEvaluator(pr, unitCosts(pr)).evaluate(out.incumbent.solution.open)!;
      expect(exact.value).toBeCloseTo(out.incumbent.value, 6);
      return Array.from(out.incumbent.solution.open);
    };
    const a = await once();
    expect(await once()).toEqual(a);
  }, 120_000);

  it('a stopped run returns its start at once', async () => {
    const pr = tightProblem(11, 16, 40);
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    const open = new Uint8Array(pr.nSites);
    coverDemand(pr, open);
    const start = evaluator.evaluate(open)!;
    const ctl = new AbortController();
    ctl.abort();
    const run = new SolveRun({ signal: ctl.signal }, 'test', 'min');
    const out = await cflNeighbourhoodSearch(pr, run, evaluator, start, siteProximity(pr, evaluator.transport.u), { untilMs: 60_000 });
    expect(out.incumbent).toBe(start);
    expect(out.stats.mips).toBe(0);
  });

  it('neighbourhoods are the centre and its nearest movable sites', () => {
    const pr = tightProblem(5, 10, 30);
    const prox = siteProximity(pr, unitCosts(pr));
    const hood = neighbourhood(pr, prox, 3, 4, (i) => i !== 4);
    expect(hood[0]).toBe(3);
    expect(hood.length).toBe(4);
    expect(Array.from(hood)).not.toContain(4);
    expect(new Set(hood).size).toBe(4);
  });
});

describe('cflNeighbourhoodSearch on a small instance', () => {
  it('the searched plan passes the independent evaluator', async () => {
    const spec = { nS: 8, nC: 20, cost: Array.from({ length: 160 }, (_, k) => (k * 37) % 61), f: [40, 55, 30, 70, 45, 60, 35, 50], demand: Array.from({ length: 20 }, (_, j) => 3 + (j % 7)), capacity: [30, 25, 40, 20, 35, 30, 25, 45], mustOpen: new Array<boolean>(8).fill(false), forbidden: new Array<boolean>(8).fill(false) };
    const model = build(spec);
    const pr = problemOf(spec)!;
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    const open = new Uint8Array(pr.nSites).fill(1);
    const start = evaluator.evaluate(open)!;
    const out = await cflNeighbourhoodSearch(pr, new SolveRun({ seed: 1 }, 'test', 'min'), evaluator, start, siteProximity(pr, evaluator.transport.u), { untilMs: 60_000 });
    expect(checkSolution(model, 'cfl', toSolution(model, pr, out.incumbent.solution).solution).violations).toEqual([]);
    // Eight sites: the first neighbourhood frees them all (and keeps every pair): the exact optimum.
    const opt = bruteForce(pr, evaluator);
    expect(out.incumbent.value).toBeLessThanOrEqual(opt + tol(opt));
  }, 60_000);
});
