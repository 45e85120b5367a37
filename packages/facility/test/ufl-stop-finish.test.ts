import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution, Rng, SolveRun } from '@emplace/core';
import { checkSolution } from '../src/solution.js';
import { prepareProblem, prepareProblemSteps } from '../src/problem.js';
import { closestValueSteps, solveCfl, solveUfl } from '../src/solvers.js';
import { build, expectValid, specArb } from './helpers.js';

/** Counts the Lagrangian relaxations built (the search's setup: O(S C) tables). */
let relaxations = 0;
vi.mock('../src/lagrangian.js', async (original) => {
  const m = await original<typeof import('../src/lagrangian.js')>();
  class Counted extends m.LagrangianRelaxation {
    constructor(...args: ConstructorParameters<typeof m.LagrangianRelaxation>) {
      super(...args);
      relaxations++;
    }
  }
  return { ...m, LagrangianRelaxation: Counted };
});

/** Counts the unit-cost tables built (the CFL evaluator's first O(S C) pass). */
let unitTables = 0;
vi.mock('../src/problem.js', async (original) => {
  const m = await original<typeof import('../src/problem.js')>();
  return {
    ...m,
    unitCostsSteps: (...args: Parameters<typeof m.unitCostsSteps>) => {
      unitTables++;
      return m.unitCostsSteps(...args);
    },
  };
});

function euclidean(nS: number, nC: number, seed: number, openingCost: number) {
  const r = new Rng(seed);
  const pts = (n: number) => Array.from({ length: n }, () => [r.next() * 1000, r.next() * 1000] as const);
  const s = pts(nS);
  const c = pts(nC);
  const cost = new Float64Array(nS * nC);
  for (let i = 0; i < nS; i++) for (let j = 0; j < nC; j++) cost[i * nC + j] = Math.round(Math.hypot(s[i]![0] - c[j]![0], s[i]![1] - c[j]![1]));
  return createPlacementModel({ sites: nS, clients: nC, cost, openingCost: new Float64Array(nS).fill(openingCost) });
}

const originalShouldStop = SolveRun.prototype.shouldStop;
afterEach(() => {
  SolveRun.prototype.shouldStop = originalShouldStop;
});

/** Aborts `ctl` at the k-th stop test of any run (every checkpoint passes through one). */
function abortAtCheck(k: number, ctl: AbortController): void {
  let calls = 0;
  SolveRun.prototype.shouldStop = function (this: SolveRun): boolean {
    if (++calls === k) ctl.abort();
    return originalShouldStop.call(this);
  };
}

describe('UFL after a stop (issue 13: post-stop stretches at 51 x 100,000)', () => {
  const model = euclidean(30, 300, 3, 3000);

  for (const method of ['auto', 'lagrangian', 'branch-and-bound'] as const) {
    it(`${method}, aborted after the local search, returns its plan without building the Lagrangian search`, async () => {
      const ctl = new AbortController();
      relaxations = 0;
      const r = await solveUfl(model, { method, signal: ctl.signal, onProgress: (e) => e.phase === 'local-search' && ctl.abort() });
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      if (!hasSolution(r)) throw new Error('a plan was expected');
      const check = checkSolution(model, 'ufl', r.solution);
      expect(check.violations).toEqual([]);
      expect(r.objective).toBeCloseTo(check.objective, 6);
      expect(relaxations).toBe(0);
    });
  }

  it('auto aborted at any of its first stop tests returns a valid plan or no-solution', async () => {
    let total = 0;
    SolveRun.prototype.shouldStop = function (this: SolveRun): boolean {
      total++;
      return originalShouldStop.call(this);
    };
    await solveUfl(model, { method: 'auto' });
    expect(total).toBeGreaterThan(10);
    for (let k = 1; k <= total; k = k < 40 ? k + 1 : Math.ceil(k * 1.3)) {
      const ctl = new AbortController();
      abortAtCheck(k, ctl);
      const r = await solveUfl(model, { method: 'auto', signal: ctl.signal });
      SolveRun.prototype.shouldStop = originalShouldStop;
      if (!ctl.signal.aborted) continue;
      expect(r.stoppedBy).toBe('aborted');
      if (hasSolution(r)) expect(checkSolution(model, 'ufl', r.solution).violations).toEqual([]);
      else expect(r.status).toBe('no-solution');
    }
  });

  it('the greedy plan keeps open only mustOpen sites and sites some client uses (pruned, priced once)', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(6, 10, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const r = await solveUfl(m, { method: 'greedy' });
        expectValid(m, 'ufl', r);
        if (!hasSolution(r)) return;
        const used = new Set(r.solution.assignment);
        for (const i of r.solution.openSites) expect(used.has(i) || m.mustOpen[i] === 1).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('prepareProblemSteps checkpoints by work, not by rows (issue 13)', () => {
  it('a few sites x 70,000 clients: a checkpoint per site row in each row pass, the same problem', () => {
    const nS = 4;
    const nC = 70_000;
    const model = createPlacementModel({ sites: nS, clients: nC, cost: new Float64Array(nS * nC).fill(1), openingCost: new Float64Array(nS).fill(1) });
    const it = prepareProblemSteps(model, 'cfl');
    let yields = 0;
    let step = it.next();
    while (!step.done) {
      yields++;
      step = it.next();
    }
    // The cost copy, the reachability pass and the capacity pass: each row is over 2^16 entries.
    expect(yields).toBeGreaterThanOrEqual(3 * nS);
    expect(step.value).toEqual(prepareProblem(model, 'cfl'));
  });
});

describe('closestValueSteps (the greedy plan after a stop, issue 13)', () => {
  it('checkpoints per open row of 2^16+ clients and gives each client its first closest open site', () => {
    const nS = 5;
    const nC = 70_000;
    const r = new Rng(4);
    const cost = Float64Array.from({ length: nS * nC }, () => Math.floor(r.next() * 50));
    const model = createPlacementModel({ sites: nS, clients: nC, cost, openingCost: [3, 1, 4, 1, 5] });
    const prep = prepareProblem(model, 'ufl');
    if (prep.kind !== 'ok') throw new Error('feasible by construction');
    const open = Uint8Array.from([1, 0, 1, 1, 0]);
    const it = closestValueSteps(prep.problem, open);
    let yields = 0;
    let step = it.next();
    for (; !step.done; step = it.next()) yields++;
    expect(yields).toBe(3);
    const inc = step.value;
    if (!inc) throw new Error('a plan was expected');
    let want = 3 + 4 + 1;
    for (let j = 0; j < nC; j++) {
      let b = -1;
      for (const i of [0, 2, 3]) if (b < 0 || cost[i * nC + j]! < cost[b * nC + j]!) b = i;
      expect(inc.solution.assign[j]).toBe(b);
      want += cost[b * nC + j]!;
    }
    expect(inc.value).toBe(want);
  });
});

describe('CFL after a stop before its search', () => {
  const base = euclidean(30, 300, 8, 3000);
  const model = { ...base, capacity: new Float64Array(30).fill(40) };
  // auto on an instance this small is the exact small-CFL search, no greedy phase.
  for (const method of ['lagrangian', 'branch-and-bound'] as const) {
    it(`${method}, aborted at the greedy phase, returns a checked plan without building the Lagrangian search`, async () => {
      const ctl = new AbortController();
      relaxations = 0;
      const r = await solveCfl(model, { method, signal: ctl.signal, onProgress: (e) => e.phase === 'greedy' && ctl.abort() });
      expect(r.stoppedBy).toBe('aborted');
      if (!hasSolution(r)) throw new Error('the first-fit plan was expected');
      expect(checkSolution(model, 'cfl', r.solution).violations).toEqual([]);
      expect(relaxations).toBe(0);
    });
  }
});

describe('CFL stopped at its first-fit plan', () => {
  const model = { ...euclidean(30, 300, 8, 3000), capacity: new Float64Array(30).fill(40) };
  it('returns that plan without building the unit-cost tables', async () => {
    const ctl = new AbortController();
    unitTables = 0;
    const r = await solveCfl(model, { method: 'lagrangian', signal: ctl.signal, onIncumbent: () => ctl.abort() });
    expect(r.stoppedBy).toBe('aborted');
    if (!hasSolution(r)) throw new Error('the first-fit plan was expected');
    expect(checkSolution(model, 'cfl', r.solution).violations).toEqual([]);
    expect(unitTables).toBe(0);
  });

  it('aborted at any of its first stop tests, returns a checked plan or no-solution', async () => {
    for (let k = 1; k <= 60; k++) {
      const ctl = new AbortController();
      abortAtCheck(k, ctl);
      const r = await solveCfl(model, { method: 'branch-and-bound', signal: ctl.signal });
      SolveRun.prototype.shouldStop = originalShouldStop;
      expect(r.stoppedBy).toBe('aborted');
      if (hasSolution(r)) expect(checkSolution(model, 'cfl', r.solution).violations).toEqual([]);
      else expect(r.status).toBe('no-solution');
    }
  });
});
