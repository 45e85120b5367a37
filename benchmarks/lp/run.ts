/**
 * Measurements for @emplace/lp (not a unit test: timings depend on the machine and its load).
 *
 *   pnpm bench lp [--quick]
 *
 * 1. Build time of a facility-location LP relaxation (F sites x C clients, 3*F*C nonzeros)
 *    and its HiGHS solve time.
 * 2. Time-limit overshoot on a hard market-split MIP (m = 5, n = 40) per backend.
 * 3. Memory: repeated HiGHS solves of the same model (models are disposed, so RSS stays flat).
 */
import { LinearModel, solveLp, BACKEND_NAMES } from '@emplace/lp';

const quick = process.argv.includes('--quick');

function facilityRelaxation(F: number, C: number): LinearModel {
  let s = 7;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const m = new LinearModel('min');
  const y = m.addVariables(F, { ub: 1 });
  const x = m.addVariables(F * C, { ub: 1 });
  for (let i = 0; i < F; i++) m.setObjective(y + i, 500 + 1000 * rnd());
  for (let k = 0; k < F * C; k++) m.setObjective(x + k, 100 * rnd());
  const idx = new Int32Array(F);
  const ones = new Float64Array(F).fill(1);
  for (let j = 0; j < C; j++) {
    for (let i = 0; i < F; i++) idx[i] = x + i * C + j;
    m.addEq(idx, ones, 1);
  }
  const pair = new Int32Array(2);
  const coef = new Float64Array([1, -1]);
  for (let i = 0; i < F; i++) {
    for (let j = 0; j < C; j++) {
      pair[0] = x + i * C + j;
      pair[1] = y + i;
      m.addLe(pair, coef, 0);
    }
  }
  return m;
}

function marketSplit(m: number, n: number, seed: number): LinearModel {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const model = new LinearModel('min');
  const x0 = model.addVariables(n, { type: 'binary' });
  const slack0 = model.addVariables(2 * m, { obj: 1 });
  const idx: number[] = [];
  for (let j = 0; j < n; j++) idx.push(x0 + j);
  for (let i = 0; i < m; i++) {
    const a = idx.map(() => Math.floor(rnd() * 100));
    const d = Math.floor(a.reduce((p, q) => p + q, 0) / 2);
    model.addEq([...idx, slack0 + 2 * i, slack0 + 2 * i + 1], [...a, 1, -1], d);
  }
  return model;
}

const rows: string[][] = [['measure', 'size', 'backend', 'status', 'objective', 'bound', 'ms']];
const fmt = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d));

// 1. build + solve
for (const [F, C] of quick ? [[30, 200]] : [[30, 200], [100, 1000]]) {
  const t0 = performance.now();
  const m = facilityRelaxation(F!, C!);
  const buildMs = performance.now() - t0;
  rows.push(['build FL relaxation', `${F}x${C}, ${m.numNonzeros} nz`, '-', '-', '-', '-', fmt(buildMs)]);
  for (const backend of F! * C! <= 6000 ? (['highs', 'glpk'] as const) : (['highs'] as const)) {
    const sol = await solveLp(m, { backend, timeLimitMs: 120_000 });
    rows.push(['solve FL relaxation', `${F}x${C}`, backend, sol.status, fmt(sol.objective, 3), fmt(sol.bound, 3), fmt(sol.stats.elapsedMs)]);
  }
}

// 2. time-limit overshoot
for (const backend of BACKEND_NAMES) {
  const model = marketSplit(5, 40, 1);
  const limit = 1000;
  const t0 = performance.now();
  const sol = await solveLp(model, { backend, timeLimitMs: limit });
  const wall = performance.now() - t0;
  rows.push([`market split, limit ${limit} ms`, '5x40', backend, `${sol.status}/${sol.stoppedBy}`, fmt(sol.objective, 0), fmt(sol.bound, 0), fmt(wall)]);
}

// 3. memory across repeated solves
{
  const m = facilityRelaxation(30, 200);
  await solveLp(m);
  const rss0 = process.memoryUsage().rss;
  const n = quick ? 10 : 40;
  for (let k = 0; k < n; k++) await solveLp(m);
  const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
  rows.push([`RSS growth over ${n} HiGHS solves`, '30x200', 'highs', '-', '-', '-', `${grew.toFixed(1)} MiB`]);
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
