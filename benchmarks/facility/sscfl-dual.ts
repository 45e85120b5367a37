/**
 * Diagnostic: how far is the root bound of sscfl:auto's Lagrangian search from the optimum of
 * its Lagrangian dual? Runs the root relaxation (SingleSourceRelaxation, no fixings) with
 * long subgradient schedules (plain / deflected, slow theta decay), printing the best L.
 *
 *   npx tsx --conditions=source benchmarks/facility/sscfl-dual.ts NAME:UB [...] [--iters=30000]
 */
import { subgradient } from '@emplace/core';
import { prepareProblem } from '../../packages/facility/src/problem.js';
import { secondCheapestCosts } from '../../packages/facility/src/lagrangian.js';
import { SingleSourceRelaxation } from '../../packages/facility/src/single-source-relaxation.js';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const iters = Number(argv.find((a) => a.startsWith('--iters='))?.slice(8) ?? '30000');
for (const item of argv.filter((a) => !a.startsWith('--'))) {
  const [name, ub] = item.split(':');
  const m = /^sscfl-(\d+)x(\d+)-r([\d.]+)-s(\d+)$/.exec(name!)!;
  const [S, C, ratio, seed] = m.slice(1).map(Number) as [number, number, number, number];
  const prep = prepareProblem(generateCornuejols(S, C, ratio, seed), 'sscfl');
  if (prep.kind !== 'ok') throw new Error(prep.kind);
  const pr = prep.problem;
  const lr = new SingleSourceRelaxation(pr);
  const node = { siteFix: new Int8Array(S).fill(-1), assign: new Int32Array(C).fill(-1), banned: new Uint8Array(S * C) };
  for (const [label, deflection, patience, theta] of [
    ['plain p25', 0, 25, 2],
    ['plain p200', 0, 200, 2],
    ['defl0.7 p200', 0.7, 200, 2],
    ['defl0.5 p500', 0.5, 500, 1],
  ] as [string, number, number, number][]) {
    const u = secondCheapestCosts(pr);
    const dir = new Float64Array(C);
    const t0 = Date.now();
    const r = subgradient(u, {
      evaluate: (v) => lr.evaluate(v, node),
      g: lr.g,
      upper: () => Number(ub),
      maxIterations: iters,
      theta,
      patience,
      minTheta: 1e-7,
      improvement: 1e-13,
      onIterate: () => {
        if (deflection > 0) {
          const g = lr.g;
          let gd = 0;
          let dd = 0;
          for (let j = 0; j < C; j++) {
            gd += g[j]! * dir[j]!;
            dd += dir[j]! * dir[j]!;
          }
          const beta = dd > 0 && gd < 0 ? (-deflection * gd) / dd : 0;
          for (let j = 0; j < C; j++) dir[j] = g[j] = g[j]! + beta * dir[j]!;
        }
        return false;
      },
    });
    console.log(`${name} ${label}: best L ${r.bound.toFixed(3)} after ${r.iterations} evaluations (${r.stoppedBy}, ${Date.now() - t0} ms)`);
  }
}
