import { expect } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution, type PlacementModel, type Result } from '@emplace/core';
import { checkSolution, type FacilitySolution, type FacilityVariant } from '@emplace/facility';

/* Shared by the facility test files: random instances, brute-force optima, the independent check. */

// ------------------------------------------------------------------ instances

/**
 * Random Euclidean sites and clients drawn from a seeded LCG (sites' x, y, then clients' x, y,
 * then demands 5-34), with the generator left running for the caller's further draws.
 */
export function euclideanScene(seed: number, S: number, C: number) {
  let x = seed >>> 0;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  const sx = Array.from({ length: S }, rand);
  const sy = Array.from({ length: S }, rand);
  const cx = Array.from({ length: C }, rand);
  const cy = Array.from({ length: C }, rand);
  const demand = Array.from({ length: C }, () => 5 + Math.floor(30 * rand()));
  const total = demand.reduce((a, b) => a + b, 0);
  /** Demand-weighted Euclidean cost of serving client j from site i, rounded. */
  const servingCost = (i: number, j: number): number => Math.round(10 * demand[j]! * Math.hypot(sx[i]! - cx[j]!, sy[i]! - cy[j]!));
  return { rand, demand, total, servingCost };
}

/** A small capacitated instance as plain arrays (site-major costs). */
export interface BaseSpec {
  nS: number;
  nC: number;
  cost: number[];
  f: number[];
  demand: number[];
  capacity: number[];
}

export interface Spec extends BaseSpec {
  allowed?: number[] | undefined;
  mustOpen: boolean[];
  forbidden: boolean[];
}

export const specArb = (maxS: number, maxC: number, opts: { allowed?: boolean; flags?: boolean } = {}): fc.Arbitrary<Spec> =>
  fc.record({ nS: fc.integer({ min: 1, max: maxS }), nC: fc.integer({ min: 1, max: maxC }) }).chain(({ nS, nC }) =>
    fc.record({
      nS: fc.constant(nS),
      nC: fc.constant(nC),
      cost: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: nS * nC, maxLength: nS * nC }),
      f: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: nS, maxLength: nS }),
      demand: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: nC, maxLength: nC }),
      capacity: fc.array(fc.integer({ min: 10, max: 60 }), { minLength: nS, maxLength: nS }),
      allowed: opts.allowed ? fc.option(fc.array(fc.integer({ min: 0, max: 4 }).map((x) => (x === 0 ? 0 : 1)), { minLength: nS * nC, maxLength: nS * nC }), { nil: undefined }) : fc.constant(undefined),
      mustOpen: opts.flags ? fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x === 0), { minLength: nS, maxLength: nS }) : fc.constant(new Array<boolean>(nS).fill(false)),
      forbidden: opts.flags ? fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x === 0), { minLength: nS, maxLength: nS }) : fc.constant(new Array<boolean>(nS).fill(false)),
    }),
  );

export function build(s: Spec): PlacementModel {
  return createPlacementModel({
    sites: Array.from({ length: s.nS }, (_, i) => ({
      openingCost: s.f[i]!,
      capacity: s.capacity[i]!,
      mustOpen: s.mustOpen[i]! && !s.forbidden[i]!,
      forbidden: s.forbidden[i]!,
    })),
    clients: s.demand.map((d) => ({ demand: d })),
    cost: s.cost,
    ...(s.allowed ? { allowed: s.allowed } : {}),
  });
}

// ------------------------------------------------------------------ brute force

export function subsets(model: PlacementModel, accept: (open: Uint8Array) => boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let mask = 1; mask < 1 << model.nSites; mask++) {
    const open = new Uint8Array(model.nSites);
    let ok = true;
    for (let i = 0; i < model.nSites; i++) {
      open[i] = (mask >> i) & 1;
      if (open[i] && model.forbidden[i]) ok = false;
      if (!open[i] && model.mustOpen[i]) ok = false;
    }
    if (ok && accept(open)) out.push(open);
  }
  return out;
}

export function allowedPair(m: PlacementModel, i: number, j: number): boolean {
  return !m.allowed || m.allowed[i * m.nClients + j] === 1;
}

/** UFL (pmedian when p is given): best open set with every client at its cheapest allowed open site. */
export function bruteUncapacitated(m: PlacementModel, p?: number): number {
  let best = Infinity;
  for (const open of subsets(m, (o) => p === undefined || o.reduce((a, b) => a + b, 0) === p)) {
    let v = 0;
    for (let i = 0; i < m.nSites; i++) if (open[i] && p === undefined) v += m.openingCost[i]!;
    for (let j = 0; j < m.nClients && v < Infinity; j++) {
      let b = Infinity;
      for (let i = 0; i < m.nSites; i++) if (open[i] && allowedPair(m, i, j) && m.cost[i * m.nClients + j]! < b) b = m.cost[i * m.nClients + j]!;
      v += b;
    }
    if (v < best) best = v;
  }
  return best;
}

/** Single-source CFL by enumerating every assignment (tiny instances only). */
export function bruteSingleSource(m: PlacementModel): number {
  const { nSites: S, nClients: C } = m;
  let best = Infinity;
  const assign = new Int32Array(C);
  const rec = (j: number): void => {
    if (j === C) {
      const load = new Float64Array(S);
      const used = new Uint8Array(S);
      let v = 0;
      for (let k = 0; k < C; k++) {
        load[assign[k]!]! += m.demand[k]!;
        used[assign[k]!] = 1;
        v += m.cost[assign[k]! * C + k]!;
      }
      for (let i = 0; i < S; i++) {
        if (load[i]! > m.capacity[i]!) return;
        if (used[i] || m.mustOpen[i]) v += m.openingCost[i]!;
      }
      if (v < best) best = v;
      return;
    }
    for (let i = 0; i < S; i++) {
      if (m.forbidden[i] || !allowedPair(m, i, j)) continue;
      assign[j] = i;
      rec(j + 1);
    }
  };
  rec(0);
  return best;
}

export function snapshot(m: PlacementModel): string {
  return JSON.stringify([m.cost, m.openingCost, m.capacity, m.demand, m.allowed, m.mustOpen, m.forbidden].map((a) => (a ? Array.from(a) : null)));
}

export function expectValid(m: PlacementModel, variant: FacilityVariant, r: Result<FacilitySolution>, p?: number): void {
  if (!hasSolution(r)) return;
  const check = checkSolution(m, variant, r.solution, p);
  expect(check.violations).toEqual([]);
  expect(r.objective).toBeCloseTo(check.objective, 6);
}

export const tol = (x: number): number => 1e-6 * Math.max(1, Math.abs(x));

/** A fixed 12 x 40 instance for option and determinism tests. */
export const FIXED_SPEC: Spec = {
  nS: 12,
  nC: 40,
  cost: Array.from({ length: 480 }, (_, k) => (k * 7919) % 97),
  f: Array.from({ length: 12 }, (_, i) => 50 + ((i * 37) % 60)),
  demand: Array.from({ length: 40 }, (_, j) => 1 + ((j * 13) % 9)),
  capacity: new Array(12).fill(40),
  mustOpen: new Array(12).fill(false),
  forbidden: new Array(12).fill(false),
};
