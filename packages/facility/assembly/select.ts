// The capacitated Lagrangian's site selection with the capacity cover knapsack
// (packages/facility/src/lagrangian.ts: select, coverKnapsack, sortSites, coverLpBound,
// coverSearch, forcedBound; CFL and SSCFL) as WebAssembly, compiled by AssemblyScript
// (scripts/build-kernels.mjs): the same arithmetic in the same order, equal values bit for bit.
// A module of its own over knapsack.ts's memory (relaxation-memory.ts): each module stays under
// the 4 kB that browsers compile synchronously on the main thread.
import { H_C, H_CAP, H_FIXED, H_MUST, H_PICK, H_BEST_PICK, H_RHO, H_S, H_SAVED_SEL, H_SEL, H_SITE_IDX, H_SITE_KEY, H_TOTAL, f64At, hp, i32At, setF64, setI32 } from './relaxation-memory';

let approxCover: i32 = 0;
let coverBest: f64 = 0;
let coverNodes: i32 = 0;
let coverExhausted: i32 = 0;

/** Whether the last select bounded the cover knapsack by its LP relaxation. */
export function lastApproxCover(): i32 {
  return approxCover;
}

/** Sorts the candidate sites [0, n) by rho (perCapacity: rho / capacity), ties by index (lagrangian.ts sortSites). */
function sortSites(n: i32, perCapacity: bool): void {
  const rho = hp(H_RHO);
  const cap = hp(H_CAP);
  const ids = hp(H_SITE_IDX);
  const key = hp(H_SITE_KEY);
  for (let t = 0; t < n; t++) {
    const i = i32At(ids, t);
    setF64(key, t, perCapacity ? f64At(rho, i) / f64At(cap, i) : f64At(rho, i));
  }
  for (let t = 1; t < n; t++) {
    const id = i32At(ids, t);
    const k = f64At(key, t);
    let u = t - 1;
    while (u >= 0 && (f64At(key, u) > k || (f64At(key, u) == k && i32At(ids, u) > id))) {
      setI32(ids, u + 1, i32At(ids, u));
      setF64(key, u + 1, f64At(key, u));
      u--;
    }
    setI32(ids, u + 1, id);
    setF64(key, u + 1, k);
  }
}

/** LP bound of covering `remaining` with the candidates [from, n) in ratio order (lagrangian.ts coverLpBound). */
function coverLpBound(n: i32, from: i32, remaining: f64): f64 {
  const rho = hp(H_RHO);
  const cap = hp(H_CAP);
  const ids = hp(H_SITE_IDX);
  let s: f64 = 0;
  for (let t = from; t < n; t++) {
    const i = i32At(ids, t);
    const capT = f64At(cap, i);
    if (capT >= remaining) return s + (f64At(rho, i) * remaining) / capT;
    s += f64At(rho, i);
    remaining -= capT;
  }
  return Infinity;
}

/** The cover knapsack's depth-first search (lagrangian.ts coverSearch). */
function coverSearch(n: i32, t: i32, remaining: f64, cost: f64, tol: f64): void {
  if (remaining <= tol) {
    if (cost < coverBest) {
      coverBest = cost;
      memory.copy(hp(H_BEST_PICK), hp(H_PICK), <usize>n);
    }
    return;
  }
  if (t >= n || ++coverNodes > 20000) {
    if (coverNodes > 20000) coverExhausted = 1;
    return;
  }
  const best = coverBest;
  if (cost + coverLpBound(n, t, remaining) >= best - 1e-12 * Math.abs(best)) return;
  const i = i32At(hp(H_SITE_IDX), t);
  const pick = hp(H_PICK);
  store<u8>(pick + <usize>t, 1);
  coverSearch(n, t + 1, remaining - f64At(hp(H_CAP), i), cost + f64At(hp(H_RHO), i), tol);
  store<u8>(pick + <usize>t, 0);
  coverSearch(n, t + 1, remaining, cost, tol);
}

/** Min sum rho_i y_i with sum C_i y_i >= need over the candidates [0, n) (lagrangian.ts coverKnapsack). */
function coverKnapsack(n: i32, need: f64): f64 {
  const rho = hp(H_RHO);
  const cap = hp(H_CAP);
  const sel = hp(H_SEL);
  const ids = hp(H_SITE_IDX);
  const totalDemand = load<f64>(hp(H_TOTAL));
  let total: f64 = 0;
  let equal = true;
  const c0 = n > 0 ? f64At(cap, i32At(ids, 0)) : 0;
  for (let t = 0; t < n; t++) {
    total += f64At(cap, i32At(ids, t));
    if (f64At(cap, i32At(ids, t)) != c0) equal = false;
  }
  if (total < need * (1 - 1e-12)) return Infinity;
  const tol = 1e-9 * Math.max(1, totalDemand);
  if (equal) {
    const k = <i32>Math.min(<f64>n, Math.max(1, Math.ceil((need - tol) / c0)));
    sortSites(n, false);
    let s: f64 = 0;
    for (let t = 0; t < k; t++) {
      const i = i32At(ids, t);
      store<u8>(sel + <usize>i, 1);
      s += f64At(rho, i);
    }
    return s;
  }
  sortSites(n, true);
  const pick = hp(H_PICK);
  const bestPick = hp(H_BEST_PICK);
  memory.fill(pick, 0, <usize>n);
  memory.fill(bestPick, 0, <usize>n);
  let best: f64 = 0;
  let q: f64 = 0;
  for (let t = 0; t < n && q < need - tol; t++) {
    store<u8>(bestPick + <usize>t, 1);
    const i = i32At(ids, t);
    best += f64At(rho, i);
    q += f64At(cap, i);
  }
  coverBest = best;
  coverNodes = 0;
  coverExhausted = 0;
  coverSearch(n, 0, need, 0, tol);
  for (let t = 0; t < n; t++) if (load<u8>(bestPick + <usize>t) != 0) store<u8>(sel + <usize>i32At(ids, t), 1);
  if (coverExhausted) {
    approxCover = 1;
    return Math.min(coverBest, coverLpBound(n, 0, need));
  }
  return coverBest;
}

/**
 * The selection y minimising sum rho_i y_i under the fixing (H_FIXED) with the capacity cover:
 * fills sel and returns the sum, Infinity when none (lagrangian.ts select, CFL and SSCFL).
 */
export function select(): f64 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const rho = hp(H_RHO);
  const cap = hp(H_CAP);
  const sel = hp(H_SEL);
  const fixed = hp(H_FIXED);
  const must = hp(H_MUST);
  const ids = hp(H_SITE_IDX);
  const totalDemand = load<f64>(hp(H_TOTAL));
  memory.fill(sel, 0, <usize>S);
  approxCover = 0;
  let sum: f64 = 0;
  let count = 0;
  let capSel: f64 = 0;
  let nCand = 0;
  for (let i = 0; i < S; i++) {
    const r = f64At(rho, i);
    if (r == Infinity) continue;
    if (load<i8>(fixed + <usize>i) == 1 || load<u8>(must + <usize>i) != 0 || r <= 0) {
      store<u8>(sel + <usize>i, 1);
      sum += r;
      capSel += f64At(cap, i);
      count++;
    } else setI32(ids, nCand++, i);
  }
  const need = totalDemand - capSel;
  if (need <= 1e-9 * Math.max(1, totalDemand)) {
    if (count == 0 && C > 0) {
      if (nCand == 0) return Infinity;
      let bi = i32At(ids, 0);
      for (let t = 1; t < nCand; t++) if (f64At(rho, i32At(ids, t)) < f64At(rho, bi)) bi = i32At(ids, t);
      store<u8>(sel + <usize>bi, 1);
      sum += f64At(rho, bi);
    }
    return sum;
  }
  const extra = coverKnapsack(nCand, need);
  if (extra == Infinity) return Infinity;
  return sum + extra;
}

/**
 * Bound of the node with site i additionally forced to `value`, given the last evaluation's L
 * (lagrangian.ts forcedBound, CFL and SSCFL): re-selects with i forced, then restores the
 * fixing, rho and the selection.
 */
export function forcedBound(L: f64, i: i32, value: i32): f64 {
  const S = load<i32>(H_S);
  const rho = hp(H_RHO);
  const sel = hp(H_SEL);
  const fixed = hp(H_FIXED);
  const savedSel = hp(H_SAVED_SEL);
  const saved = load<i8>(fixed + <usize>i);
  memory.copy(savedSel, sel, <usize>S);
  const savedRho = f64At(rho, i);
  store<i8>(fixed + <usize>i, <i8>value);
  if (value == 0) setF64(rho, i, Infinity);
  let base = L;
  for (let k = 0; k < S; k++) {
    if (load<u8>(savedSel + <usize>k) == 0) continue;
    const r = f64At(rho, k);
    base -= r == Infinity ? savedRho : r;
  }
  const s = select();
  store<i8>(fixed + <usize>i, saved);
  setF64(rho, i, savedRho);
  memory.copy(sel, savedSel, <usize>S);
  return s == Infinity ? Infinity : base + s;
}
