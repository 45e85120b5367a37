// The subgradient ascent of the small exact CFL search (packages/facility/src/cfl-small.ts:
// ascend, allDecided, fixByReducedCosts and the screen of heuristic) as WebAssembly, compiled by
// AssemblyScript (scripts/build-kernels.mjs). Why: the kernels it calls (knapsack.ts, select.ts)
// were already compiled, but the loop around them ran in the interpreter of a fresh process for
// most of a small solve, boxing every double of the multiplier update (a quarter of a 16 x 50
// solve was that loop and the garbage collector). The same arithmetic in the same order as the
// TypeScript: equal values bit for bit, and the same iterations.
//
// A module of its own over the relaxation's memory (relaxation-memory.ts), importing the other
// two modules' exports. The ascent runs until it needs the caller: a candidate set to price
// (HEURISTIC: the set is in H_OPEN), a stop check (CHECK_STOP: every `chunk` iterations), or the
// end (DONE: the bound in ascentBest). The caller then calls ascentRun again with the incumbent
// of that moment.
import { H_BEST_V, H_C, H_CAP, H_CUR, H_D, H_DUAL_RHO, H_F, H_FIXED, H_G, H_LAST_SEL, H_LB0, H_LB1, H_MEMO_KEYS, H_MEMO_VALUES, H_NEAR, H_NEAR_SITE, H_OPEN, H_ORDER, H_RHO, H_S, H_SC, H_SEL, H_SET_LOAD, H_TOTAL, H_V, MEMO_SIZE, f64At, hp, i32At, setF64, setI32 } from './relaxation-memory';

// @ts-ignore: AssemblyScript decorator
@external('knapsack', 'siteValues') declare function siteValues(evaluate: i32): f64;
// @ts-ignore: AssemblyScript decorator
@external('knapsack', 'subgradient') declare function subgradient(): void;
// @ts-ignore: AssemblyScript decorator
@external('select', 'select') declare function select(): f64;
// @ts-ignore: AssemblyScript decorator
@external('select', 'forcedBound') declare function forcedBound(L: f64, i: i32, value: i32): f64;

// Keep in step with cfl-small.ts (MIN_LAMBDA, HEURISTIC_STRIDE) and kernels/knapsack-kernels.ts (the codes).
const MIN_LAMBDA: f64 = 1e-4;
const STRIDE: i32 = 3;
const DONE: i32 = 0;
const HEURISTIC: i32 = 1;
const CHECK_STOP: i32 = 2;

let budget: i32 = 0;
let patience: i32 = 0;
let root: i32 = 0;
let it: i32 = 0;
let stale: i32 = 0;
let lambda: f64 = 0;
let best: f64 = 0;
let last: f64 = 0;
let improved: i32 = 0;
/** Where ascentRun resumes: 0 the top of an iteration, 1 the heuristic, 2 the multiplier step. */
let resumeAt: i32 = 0;
let result: f64 = 0;
let iterations: i32 = 0;
let rootFixes: i32 = 0;
let priceBound: f64 = 0;
let priceValue: f64 = 0;
let priced: i32 = 0;

/** L(v) for v at `from` under the fixing (lagrangian.ts evaluateByKernels): v is copied to H_V first. */
function evaluate(from: usize): f64 {
  memory.copy(hp(H_V), from, <usize>load<i32>(H_C) << 3);
  let L = siteValues(1);
  const sum = select();
  if (sum == Infinity) return Infinity;
  L += sum;
  subgradient();
  return L;
}

/** Reduced-cost fixing (cfl-small.ts fixByReducedCosts): the free sites left, -1 when some site can take neither status. */
export function fix(L: f64, limit: f64, isRoot: i32): i32 {
  const S = load<i32>(H_S);
  const fixed = hp(H_FIXED);
  const sel = hp(H_SEL);
  const lb0 = hp(H_LB0);
  const lb1 = hp(H_LB1);
  let free = 0;
  for (let i = 0; i < S; i++) {
    if (load<i8>(fixed + <usize>i) != -1) continue;
    const s = load<u8>(sel + <usize>i) != 0;
    const b0 = s ? forcedBound(L, i, 0) : L;
    const b1 = s ? L : forcedBound(L, i, 1);
    setF64(lb0, i, b0);
    setF64(lb1, i, b1);
    if (b0 >= limit && b1 >= limit) return -1;
    if (b0 >= limit) store<i8>(fixed + <usize>i, 1);
    else if (b1 >= limit) store<i8>(fixed + <usize>i, 0);
    else free++;
    if (isRoot != 0 && load<i8>(fixed + <usize>i) != -1) rootFixes++;
  }
  return free;
}

/** True when forcing any free site against the selection lifts the bound L to the limit (cfl-small.ts allDecided). */
function allDecided(L: f64, limit: f64): bool {
  const S = load<i32>(H_S);
  const fixed = hp(H_FIXED);
  const rho = hp(H_RHO);
  const sel = hp(H_SEL);
  let first = -1;
  for (let i = 0; i < S; i++) {
    if (load<i8>(fixed + <usize>i) == -1 && (first < 0 || Math.abs(f64At(rho, i)) < Math.abs(f64At(rho, first)))) first = i;
  }
  if (first >= 0 && forcedBound(L, first, load<u8>(sel + <usize>first) != 0 ? 0 : 1) < limit) return false;
  for (let i = 0; i < S; i++) {
    if (load<i8>(fixed + <usize>i) != -1) continue;
    if (forcedBound(L, i, load<u8>(sel + <usize>i) != 0 ? 0 : 1) < limit) return false;
  }
  return true;
}

/**
 * The heuristic's screen (cfl-small.ts heuristic, up to its evaluation): the selection of the
 * last evaluation, unless the same as last time, covered to the total demand by the cheapest
 * sites in rho, into H_OPEN; 1 when its Lagrangian set bound at the multipliers (H_BEST_V when
 * `atBest`, else H_CUR) can beat the limit, so that the caller prices it.
 */
export function heuristicScreen(atBest: i32, limit: f64): i32 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const sel = hp(H_SEL);
  const lastSel = hp(H_LAST_SEL);
  const open = hp(H_OPEN);
  const rho = hp(H_RHO);
  const cap = hp(H_CAP);
  let same = true;
  for (let i = 0; i < S; i++) {
    const s = load<u8>(sel + <usize>i);
    if (load<u8>(lastSel + <usize>i) != s) {
      same = false;
      store<u8>(lastSel + <usize>i, s);
    }
  }
  if (same) return 0;
  let capacity: f64 = 0;
  let selected: f64 = 0;
  for (let i = 0; i < S; i++) {
    const s = load<u8>(sel + <usize>i);
    store<u8>(open + <usize>i, s);
    if (s != 0) {
      capacity += f64At(cap, i);
      selected += f64At(rho, i);
    }
  }
  const demand = load<f64>(hp(H_TOTAL));
  while (capacity < demand * (1 - 1e-12)) {
    let pick = -1;
    for (let i = 0; i < S; i++) {
      const r = f64At(rho, i);
      if (load<u8>(open + <usize>i) == 0 && r < Infinity && (pick < 0 || r < f64At(rho, pick))) pick = i;
    }
    if (pick < 0) return 0;
    store<u8>(open + <usize>pick, 1);
    capacity += f64At(cap, pick);
    selected += f64At(rho, pick);
  }
  const v = hp(atBest != 0 ? H_BEST_V : H_CUR);
  let sumV: f64 = 0;
  for (let j = 0; j < C; j++) sumV += f64At(v, j);
  return selected + sumV >= limit ? 0 : 1;
}

/** Starts an ascent from the multipliers in H_CUR (cfl-small.ts ascend): also copies them to H_BEST_V. */
export function ascentStart(iterationBudget: i32, startLambda: f64, patienceBudget: i32, isRoot: i32): void {
  budget = iterationBudget;
  lambda = startLambda;
  patience = patienceBudget;
  root = isRoot;
  it = 0;
  stale = 0;
  best = -Infinity;
  resumeAt = 0;
  memory.copy(hp(H_BEST_V), hp(H_CUR), <usize>load<i32>(H_C) << 3);
}

/** The ascent's bound once ascentRun returned DONE (Infinity: no feasible selection), or so far at CHECK_STOP. */
export function ascentBest(): f64 {
  return result;
}

/** Iterations run by every ascent of this instance, and sites fixed at the root by fix. */
export function ascentIterations(): i32 {
  return iterations;
}

export function fixedAtRoot(): i32 {
  return rootFixes;
}

function done(bound: f64): i32 {
  result = bound;
  return DONE;
}

/**
 * Runs the ascent from where it stands under the incumbent value `ub` and the prune limit; see
 * the codes above. A candidate set is priced here first (priceSet against ub, `dualSum` as
 * there): HEURISTIC only when it may beat the incumbent (lastPriced: 1 or 2).
 */
export function ascentRun(ub: f64, limit: f64, chunk: i32, dualSum: f64): i32 {
  const C = load<i32>(H_C);
  const cur = hp(H_CUR);
  const bestV = hp(H_BEST_V);
  const g = hp(H_G);
  for (;;) {
    if (resumeAt == 0) {
      if (it >= budget) return done(best);
      iterations++;
      const L = evaluate(cur);
      if (L == Infinity) return done(Infinity);
      last = L;
      let fixNow = false;
      improved = L > best ? 1 : 0;
      if (improved != 0) {
        best = L;
        memory.copy(bestV, cur, <usize>C << 3);
        stale = 0;
        if (allDecided(L, limit)) return done(best);
      } else if (++stale >= patience) {
        lambda *= 0.5;
        stale = 0;
        if (lambda < MIN_LAMBDA) return done(best);
        fixNow = true;
      }
      if (fixNow) {
        const Lb = evaluate(bestV);
        if (Lb == Infinity) return done(Infinity);
        const free = fix(Lb, limit, root);
        if (free < 0) return done(limit);
        if (free == 0) return done(best);
        it++;
        continue;
      }
      if (best >= limit) return done(best);
      resumeAt = 1;
      if (--chunk <= 0) {
        result = best; // the bound so far, should the caller stop here
        return CHECK_STOP;
      }
    }
    if (resumeAt == 1) {
      resumeAt = 2;
      if (it % STRIDE == 0 && (improved != 0 || root != 0) && heuristicScreen(0, limit) != 0) {
        priced = priceSet(ub, dualSum);
        // A set whose transportation already proved it cannot beat ub: cfl-small.ts solveSet would stop at its memo.
        if (priced == 2 && !(memoBound() >= ub - 1e-12 * Math.max(1, Math.abs(ub)))) return HEURISTIC;
        if (priced == 1) return HEURISTIC;
      }
    }
    resumeAt = 0;
    let norm: f64 = 0;
    for (let j = 0; j < C; j++) norm += f64At(g, j) * f64At(g, j);
    if (norm == 0) return done(best);
    const step = (lambda * (ub - last)) / norm;
    for (let j = 0; j < C; j++) setF64(cur, j, f64At(cur, j) + step * f64At(g, j));
    it++;
  }
  return unreachable();
}

/** priceSet's answer for the set of the last HEURISTIC. */
export function lastPriced(): i32 {
  return priced;
}

/** The lower bound on the value of the set last priced by priceSet (its value when a direct plan), and that value. */
export function pricedBound(): f64 {
  return priceBound;
}

export function pricedValue(): f64 {
  return priceValue;
}

/**
 * cfl-small.ts evaluate up to its transportation, for the open set in H_OPEN: 0 when the set
 * cannot beat `threshold` (pricedBound: why), 1 when every client at its cheapest open site
 * (H_NEAR_SITE) fits the capacities and beats it (pricedValue: the plan's value), 2 when that
 * assignment beats it but overloads a site (the transportation decides). `dualSum`: NaN before
 * the first transportation, else the sum of its dual multipliers (site values in H_DUAL_RHO).
 */
export function priceSet(threshold: f64, dualSum: f64): i32 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const open = hp(H_OPEN);
  const f = hp(H_F);
  const d = hp(H_D);
  const cap = hp(H_CAP);
  const order = hp(H_ORDER);
  const sc = hp(H_SC);
  const near = hp(H_NEAR);
  const nearSite = hp(H_NEAR_SITE);
  const ld = hp(H_SET_LOAD);
  // dualBound: the set's Lagrangian bound at the dual, lowered by a rounding margin.
  let atDuals: f64 = -Infinity;
  if (!isNaN(dualSum)) {
    const dualRho = hp(H_DUAL_RHO);
    let b = dualSum;
    for (let i = 0; i < S; i++) if (load<u8>(open + <usize>i) != 0) b += f64At(dualRho, i);
    atDuals = b - 1e-9 * Math.max(1, Math.abs(b));
  }
  if (!(atDuals < threshold)) {
    priceBound = atDuals;
    return 0;
  }
  // nearestOpen: the opening cost, each client's first open site in cost order.
  let value: f64 = 0;
  for (let i = 0; i < S; i++) if (load<u8>(open + <usize>i) != 0) value += f64At(f, i);
  for (let j = 0; j < C; j++) {
    setF64(near, j, Infinity);
    const base = j * S;
    for (let t = 0; t < S; t++) {
      const i = i32At(order, base + t);
      if (load<u8>(open + <usize>i) == 0) continue;
      const x = f64At(sc, base + t);
      if (x < Infinity) {
        setF64(near, j, x);
        setI32(nearSite, j, i);
      }
      break;
    }
  }
  memory.fill(ld, 0, <usize>S << 3);
  for (let j = 0; j < C; j++) {
    const x = f64At(near, j);
    value += x;
    if (x < Infinity) {
      const i = i32At(nearSite, j);
      setF64(ld, i, f64At(ld, i) + f64At(d, j));
    }
  }
  priceBound = Math.max(value, atDuals);
  priceValue = value;
  if (!(value < threshold)) return 0;
  for (let i = 0; i < S; i++) if (f64At(ld, i) > f64At(cap, i)) return 2;
  return 1;
}

/** The open set in H_OPEN as a memo key (sites < 63; 0 for more: no memo). */
function openKey(): i64 {
  const S = load<i32>(H_S);
  if (S > 62) return 0;
  const open = hp(H_OPEN);
  let key: i64 = i64(1) << 63;
  for (let i = 0; i < S; i++) if (load<u8>(open + <usize>i) != 0) key |= i64(1) << i64(i);
  return key;
}

/** The memo slot of key (its own or the empty one where it would go), -1 when the table is full. */
function memoSlot(key: i64): i32 {
  const keys = hp(H_MEMO_KEYS);
  let h = <i32>((key ^ (key >>> 29)) * 0x9e3779b97f4a7c15 >>> 40) & (MEMO_SIZE - 1);
  for (let n = 0; n < MEMO_SIZE; n++) {
    const k = load<i64>(keys + (<usize>h << 3));
    if (k == key || k == 0) return h;
    h = (h + 1) & (MEMO_SIZE - 1);
  }
  return -1;
}

/** The bound remembered for the set in H_OPEN (NaN: none). */
function memoBound(): f64 {
  const key = openKey();
  if (key == 0) return NaN;
  const h = memoSlot(key);
  if (h < 0 || load<i64>(hp(H_MEMO_KEYS) + (<usize>h << 3)) != key) return NaN;
  return f64At(hp(H_MEMO_VALUES), h);
}

/** Remembers `bound` for the set in H_OPEN (cfl-small.ts solveSet's atLeast, mirrored). */
export function remember(bound: f64): void {
  const key = openKey();
  if (key == 0) return;
  const h = memoSlot(key);
  if (h < 0) return;
  store<i64>(hp(H_MEMO_KEYS) + (<usize>h << 3), key);
  setF64(hp(H_MEMO_VALUES), h, bound);
}
