import { requireInteger } from '@emplace/core';
import type { MultiObjectiveProblem } from './problem.js';

/**
 * Standard benchmark problems with analytically known Pareto fronts: ZDT1-4, ZDT6
 * (Zitzler, Deb, Thiele 2000) and DTLZ1-2 (Deb, Thiele, Laumanns, Zitzler 2002).
 * Each comes with `trueFront(count)`, a dense sampling of its Pareto front, and
 * `trueHypervolume(reference)` where a closed form is known.
 */
export interface TestProblem extends MultiObjectiveProblem {
  trueFront(count: number): number[][];
  /** Exact hypervolume of the whole (continuous) front for a reference point, when known in closed form. */
  trueHypervolume?(reference: readonly number[]): number;
}

function box(n: number, lo: (i: number) => number, hi: (i: number) => number): { kind: 'real'; lower: Float64Array; upper: Float64Array } {
  return { kind: 'real', lower: Float64Array.from({ length: n }, (_, i) => lo(i)), upper: Float64Array.from({ length: n }, (_, i) => hi(i)) };
}

function zdtG(x: Float64Array): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += x[i]!;
  return 1 + (9 * s) / (x.length - 1);
}

export function zdt1(n = 30): TestProblem {
  requireInteger('n', n, 2);
  return {
    kind: 'multi-objective', name: 'ZDT1', nObjectives: 2, space: box(n, () => 0, () => 1),
    evaluate(x) {
      const g = zdtG(x);
      return { objectives: [x[0]!, g * (1 - Math.sqrt(x[0]! / g))] };
    },
    trueFront: (c) => Array.from({ length: c }, (_, i) => { const f = i / (c - 1); return [f, 1 - Math.sqrt(f)]; }),
    // Integral of r2 - f2(f1) over f1 in [0, 1] plus the strip beyond f1 = 1.
    trueHypervolume: ([r1, r2]) => (r2! - 1) + 2 / 3 + (r1! - 1) * r2!,
  };
}

export function zdt2(n = 30): TestProblem {
  requireInteger('n', n, 2);
  return {
    kind: 'multi-objective', name: 'ZDT2', nObjectives: 2, space: box(n, () => 0, () => 1),
    evaluate(x) {
      const g = zdtG(x);
      return { objectives: [x[0]!, g * (1 - (x[0]! / g) ** 2)] };
    },
    trueFront: (c) => Array.from({ length: c }, (_, i) => { const f = i / (c - 1); return [f, 1 - f * f]; }),
    trueHypervolume: ([r1, r2]) => (r2! - 1) + 1 / 3 + (r1! - 1) * r2!,
  };
}

const ZDT3_SEGMENTS: readonly [number, number][] = [
  [0, 0.0830015349],
  [0.1822287280, 0.2577623634],
  [0.4093136748, 0.4538821041],
  [0.6183967944, 0.6525117038],
  [0.8233317983, 0.8518328654],
];

export function zdt3(n = 30): TestProblem {
  requireInteger('n', n, 2);
  const f2 = (f: number): number => 1 - Math.sqrt(f) - f * Math.sin(10 * Math.PI * f);
  return {
    kind: 'multi-objective', name: 'ZDT3', nObjectives: 2, space: box(n, () => 0, () => 1),
    evaluate(x) {
      const g = zdtG(x);
      const h = 1 - Math.sqrt(x[0]! / g) - (x[0]! / g) * Math.sin(10 * Math.PI * x[0]!);
      return { objectives: [x[0]!, g * h] };
    },
    // Disconnected: sample the five segments of f1 where 1 - sqrt(f) - f sin(10 pi f) is non-dominated.
    trueFront: (c) => {
      const total = ZDT3_SEGMENTS.reduce((s, [a, b]) => s + (b - a), 0);
      const out: number[][] = [];
      for (const [a, b] of ZDT3_SEGMENTS) {
        const k = Math.max(2, Math.round((c * (b - a)) / total));
        for (let i = 0; i < k; i++) { const f = a + ((b - a) * i) / (k - 1); out.push([f, f2(f)]); }
      }
      return out;
    },
  };
}

export function zdt4(n = 10): TestProblem {
  requireInteger('n', n, 2);
  return {
    kind: 'multi-objective', name: 'ZDT4', nObjectives: 2, space: box(n, (i) => (i === 0 ? 0 : -5), (i) => (i === 0 ? 1 : 5)),
    evaluate(x) {
      let g = 1 + 10 * (x.length - 1);
      for (let i = 1; i < x.length; i++) g += x[i]! * x[i]! - 10 * Math.cos(4 * Math.PI * x[i]!);
      return { objectives: [x[0]!, g * (1 - Math.sqrt(x[0]! / g))] };
    },
    trueFront: (c) => Array.from({ length: c }, (_, i) => { const f = i / (c - 1); return [f, 1 - Math.sqrt(f)]; }),
    trueHypervolume: ([r1, r2]) => (r2! - 1) + 2 / 3 + (r1! - 1) * r2!,
  };
}

/** ZDT6's f1 ranges over [0.2807753191, 1] on the front; f2 = 1 - f1^2. */
const ZDT6_MIN_F1 = 0.2807753191;

export function zdt6(n = 10): TestProblem {
  requireInteger('n', n, 2);
  return {
    kind: 'multi-objective', name: 'ZDT6', nObjectives: 2, space: box(n, () => 0, () => 1),
    evaluate(x) {
      const f1 = 1 - Math.exp(-4 * x[0]!) * Math.sin(6 * Math.PI * x[0]!) ** 6;
      let s = 0;
      for (let i = 1; i < x.length; i++) s += x[i]!;
      const g = 1 + 9 * Math.pow(s / (x.length - 1), 0.25);
      return { objectives: [f1, g * (1 - (f1 / g) ** 2)] };
    },
    trueFront: (c) => Array.from({ length: c }, (_, i) => { const f = ZDT6_MIN_F1 + ((1 - ZDT6_MIN_F1) * i) / (c - 1); return [f, 1 - f * f]; }),
    trueHypervolume: ([r1, r2]) => {
      const a = ZDT6_MIN_F1;
      // Integral over f1 in [a, 1] of (r2 - 1 + f1^2), plus the strip beyond f1 = 1.
      return (r2! - 1) * (1 - a) + (1 - a ** 3) / 3 + (r1! - 1) * r2!;
    },
  };
}

export function dtlz1(m = 3, k = 5): TestProblem {
  requireInteger('m', m, 2);
  const n = m + k - 1;
  return {
    kind: 'multi-objective', name: 'DTLZ1', nObjectives: m, space: box(n, () => 0, () => 1),
    evaluate(x) {
      let g = k;
      for (let i = m - 1; i < n; i++) g += (x[i]! - 0.5) ** 2 - Math.cos(20 * Math.PI * (x[i]! - 0.5));
      g *= 100;
      const f = new Float64Array(m);
      for (let o = 0; o < m; o++) {
        let v = 0.5 * (1 + g);
        for (let i = 0; i < m - 1 - o; i++) v *= x[i]!;
        if (o > 0) v *= 1 - x[m - 1 - o]!;
        f[o] = v;
      }
      return { objectives: f };
    },
    trueFront: (c) => simplexSample(m, c).map((p) => p.map((v) => v / 2)),
    // The front is the simplex sum f = 1/2; for r >= 1/2 per objective, volume of the box minus the simplex corner.
    trueHypervolume: (r) => {
      let prod = 1;
      for (const v of r) prod *= v;
      let fact = 1;
      for (let i = 2; i <= m; i++) fact *= i;
      // Dominated region = box [0, r] minus the open simplex {f >= 0, sum f < 1/2}.
      return prod - 0.5 ** m / fact;
    },
  };
}

export function dtlz2(m = 3, k = 10): TestProblem {
  requireInteger('m', m, 2);
  const n = m + k - 1;
  return {
    kind: 'multi-objective', name: 'DTLZ2', nObjectives: m, space: box(n, () => 0, () => 1),
    evaluate(x) {
      let g = 0;
      for (let i = m - 1; i < n; i++) g += (x[i]! - 0.5) ** 2;
      const f = new Float64Array(m);
      for (let o = 0; o < m; o++) {
        let v = 1 + g;
        for (let i = 0; i < m - 1 - o; i++) v *= Math.cos((x[i]! * Math.PI) / 2);
        if (o > 0) v *= Math.sin((x[m - 1 - o]! * Math.PI) / 2);
        f[o] = v;
      }
      return { objectives: f };
    },
    trueFront: (c) => simplexSample(m, c).map((p) => { const norm = Math.hypot(...p); return p.map((v) => v / norm); }),
    // The front is the unit sphere's positive orthant: box minus 1/2^m of the unit ball's volume (r >= 1 per objective).
    trueHypervolume: (r) => {
      let prod = 1;
      for (const v of r) prod *= v;
      const ball = Math.PI ** (m / 2) / gamma(m / 2 + 1);
      return prod - ball / 2 ** m;
    },
  };
}

function gamma(z: number): number {
  // Only half-integers and integers are needed here.
  if (Number.isInteger(z)) { let r = 1; for (let i = 2; i < z; i++) r *= i; return r; }
  let r = Math.sqrt(Math.PI);
  for (let v = 0.5; v < z; v++) r *= v;
  return r;
}

/** About `count` points spread on the unit simplex (Das-Dennis lattice). */
function simplexSample(m: number, count: number): number[][] {
  let p = 1;
  const size = (q: number): number => { let r = 1; for (let i = 1; i < m; i++) r = (r * (q + i)) / i; return r; };
  while (size(p + 1) <= count) p++;
  const out: number[][] = [];
  const cur = new Array<number>(m).fill(0);
  const rec = (k: number, left: number): void => {
    if (k === m - 1) { cur[k] = left; out.push(cur.map((v) => v / p)); return; }
    for (let v = left; v >= 0; v--) { cur[k] = v; rec(k + 1, left - v); }
  };
  rec(0, p);
  return out;
}
