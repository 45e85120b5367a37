import { createGame, listSolvers, solve, type Result } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import '@emplace/mechanism';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { seeded, type Rand } from '../../emplace/test/fuzz/instances.js';
import { truthProblems, type Truth } from '../../emplace/test/fuzz/truth.js';

/**
 * Statuses of the nucleolus and least-core methods (through the registry's `solve`) against
 * references written here and solved by GLPK (the methods use HiGHS): the least-core value as
 * one LP (over imputations for the nucleolus), and the nucleolus checked by Kohlberg's
 * criterion (every set of coalitions at or above an excess level, with the players held at
 * their stand-alone value, is weakly balanced), an independent characterisation that needs no
 * sequence of LPs. Games: 1 to 4 players, ties, zero games, no imputation, 1e-6 / 1e9 values,
 * profit and cost games.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 30);

interface GameSpec {
  n: number;
  /** v(S) by bitmask, as given (cost or profit). */
  table: number[];
  kind: 'profit' | 'cost';
  imputations: boolean;
}

function randomGame(r: Rand): GameSpec {
  const n = r.int(1, 4);
  const unit = r.pick([1, 1, 1, 1e-6, 1e9]);
  const shape = r.pick(['random', 'random', 'zero', 'ties', 'additive']);
  const singles = Array.from({ length: n }, () => r.int(0, 10));
  const table = Array.from({ length: 1 << n }, (_, m) => {
    if (m === 0) return 0;
    if (shape === 'zero') return 0;
    if (shape === 'ties') return 5 * unit;
    if (shape === 'additive') return singles.reduce((a, s, i) => a + ((m >> i) & 1 ? s : 0), 0) * unit;
    return r.int(-5, 30) * unit;
  });
  return { n, table, kind: r.chance(0.3) ? 'cost' : 'profit', imputations: r.chance(0.8) };
}

/** v(S) in profit form (the methods treat a cost game as the profit game -c). */
const profit = (g: GameSpec, m: number): number => (g.kind === 'cost' ? -g.table[m]! : g.table[m]!);

function members(n: number, m: number): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => (m >> i) & 1);
}

/** min eps s.t. x(S) + eps >= v(S) (proper S), x(N) = v(N), [x_i >= v(i)]. */
async function leastCoreValue(g: GameSpec, imputations: boolean): Promise<Truth> {
  const full = (1 << g.n) - 1;
  if (imputations) {
    let single = 0;
    for (let i = 0; i < g.n; i++) single += profit(g, 1 << i);
    if (single > profit(g, full) + 1e-9 * Math.max(1, Math.abs(profit(g, full)))) return { feasible: false };
  }
  if (g.n === 1) return { feasible: true, value: 0 };
  const lm = new LinearModel('min');
  const x = Array.from({ length: g.n }, (_, i) => lm.addVariable({ lb: imputations ? profit(g, 1 << i) : -Infinity }));
  const eps = lm.addVariable({ lb: -Infinity, obj: 1 });
  lm.addEq(x, x.map(() => 1), profit(g, full));
  for (let m = 1; m < full; m++) {
    const idx = [...members(g.n, m).map((i) => x[i]!), eps];
    lm.addGe(idx, idx.map(() => 1), profit(g, m));
  }
  const res = await solveLp(lm, { backend: 'glpk' });
  if (res.status !== 'optimal' || res.objective === undefined) throw new Error(`reference LP ${res.status}`);
  return { feasible: true, value: res.objective };
}

/**
 * Kohlberg: x (an imputation) is the nucleolus iff for every excess level a, the coalitions
 * with excess >= a, together with the singletons of the players at their stand-alone value,
 * carry weights (>= 1 on the coalitions, >= 0 on those singletons) summing to c times the
 * all-ones vector. Returns the first level where that fails, or undefined.
 */
async function kohlbergViolation(g: GameSpec, values: ArrayLike<number>, imputations: boolean): Promise<string | undefined> {
  const full = (1 << g.n) - 1;
  const x = Array.from(values, (t) => (g.kind === 'cost' ? -t : t));
  let scale = 1;
  for (let m = 1; m <= full; m++) scale = Math.max(scale, Math.abs(profit(g, m)));
  const tol = 1e-7 * scale;
  const excess = (m: number): number => profit(g, m) - members(g.n, m).reduce((a, i) => a + x[i]!, 0);
  if (Math.abs(excess(full)) > tol) return `not efficient: x(N) - v(N) = ${-excess(full)}`;
  const atFloor = imputations ? members(g.n, full).filter((i) => x[i]! <= profit(g, 1 << i) + tol) : [];
  if (imputations && x.some((xi, i) => xi < profit(g, 1 << i) - tol)) return 'not an imputation';
  const coalitions = Array.from({ length: full - 1 }, (_, k) => k + 1);
  const levels = [...new Set(coalitions.map(excess))].sort((a, b) => b - a);
  for (const level of levels) {
    const top = coalitions.filter((m) => excess(m) >= level - tol);
    const lm = new LinearModel('min');
    const lambda = top.map(() => lm.addVariable({ lb: 1 }));
    const mu = atFloor.map(() => lm.addVariable({ lb: 0 }));
    const c = lm.addVariable({ lb: -Infinity });
    for (let i = 0; i < g.n; i++) {
      const idx: number[] = [c];
      const coef: number[] = [-1];
      top.forEach((m, k) => {
        if ((m >> i) & 1) idx.push(lambda[k]!), coef.push(1);
      });
      atFloor.forEach((p, k) => {
        if (p === i) idx.push(mu[k]!), coef.push(1);
      });
      lm.addEq(idx, coef, 0);
    }
    const res = await solveLp(lm, { backend: 'glpk' });
    if (res.status === 'infeasible') return `the coalitions at excess >= ${level} (${top.join(',')}) are not balanced: some allocation lowers them all`;
    if (res.status !== 'optimal') throw new Error(`balancedness LP ${res.status}`);
  }
  return undefined;
}

const FAMILIES = ['nucleolus', 'least-core'] as const;

describe.each(FAMILIES)('cooperative-game statuses against reference LPs: %s', (family) => {
  it.each(listSolvers(family).map((e) => e.method))(`${family}:%s`, async (method) => {
    const failures: string[] = [];
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: RUNS })) {
      const g = randomGame(seeded(seed));
      const imputations = family === 'nucleolus' && g.imputations;
      let result: Result<unknown>;
      try {
        const game = createGame({ players: g.n, value: { table: g.table } });
        result = await solve(game, { method: `${family}:${method}`, gameKind: g.kind, ...(family === 'nucleolus' ? { imputations: g.imputations } : {}) });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  ${JSON.stringify(g)}`);
        else failures.push(`seed ${seed}: refused ${String(err)}\n  ${JSON.stringify(g)}`);
        continue;
      }
      const truth = await leastCoreValue(g, imputations);
      const problems = [...envelopeProblems(result), ...truthProblems(result, truth, 'min')];
      if (truth.feasible && result.status === 'no-solution') problems.push('no-solution on a game with a solution');
      const values = (result.solution as { values?: ArrayLike<number> } | undefined)?.values;
      if (result.status === 'optimal' && values) {
        const violation = family === 'nucleolus' ? await kohlbergViolation(g, values, imputations) : undefined;
        if (violation) problems.push(`values ${Array.from(values).join(',')} are not the nucleolus: ${violation}`);
      }
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} truth ${JSON.stringify(truth)}: ${problems.join('; ')}\n  ${JSON.stringify(g)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('the Kohlberg reference itself', () => {
  const g: GameSpec = { n: 3, table: [0, 0, 0, 4, 0, 4, 4, 9], kind: 'profit', imputations: true };
  it('accepts the nucleolus of a symmetric game and rejects other core points', async () => {
    expect(await kohlbergViolation(g, [3, 3, 3], true)).toBeUndefined();
    expect(await kohlbergViolation(g, [4, 2.5, 2.5], true)).toMatch(/not balanced/);
    expect(await kohlbergViolation(g, [3, 3, 4], true)).toMatch(/not efficient/);
  });
});

describe('cooperative-game status regressions (issue 13)', () => {
  it('the nucleolus of a cost game with values near 1e10 is found (stage 2 was called infeasible by HiGHS: a BackendError)', async () => {
    const g: GameSpec = { n: 4, table: [0, 18, 16, 23, 7, 1, 16, 10, 29, 18, 3, 30, 24, -3, 6, 25].map((t) => t * 1e9), kind: 'cost', imputations: true };
    const result = await solve(createGame({ players: 4, value: { table: g.table } }), { method: 'nucleolus:auto', gameKind: 'cost' });
    const truth = await leastCoreValue(g, true);
    expect(truthProblems(result, truth, 'min')).toEqual([]);
    expect(result.status).toBe('optimal');
    const values = (result.solution as { values: Float64Array }).values;
    expect(await kohlbergViolation(g, values, true)).toBeUndefined();
  });
});
