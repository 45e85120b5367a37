// The capacitated Lagrangian's per-site continuous knapsacks (packages/facility/src/lagrangian.ts:
// collectItems, finishKnapsack, weightedThreshold, subtractKnapsack) as WebAssembly, compiled by
// AssemblyScript (scripts/build-kernels.mjs). Why: in a fresh process these loops run in the
// interpreter and baseline code for most of a small solve, boxing every double they touch;
// Liftoff compiles this module at once with unboxed doubles. The arithmetic is that of the
// TypeScript kernels in the same order, so both give the same values bit for bit.
//
// Memory: the caller (src/kernels/knapsack-kernels.ts) lays the arrays out and writes their byte
// offsets into the header (relaxation-memory.ts); every kernel reads them there. No allocation here.

import { H_C, H_CAP, H_COST, H_D, H_END, H_F, H_FIXED, H_FORBIDDEN, H_G, H_KS, H_LOAD, H_ORDER, H_OUT, H_PJ, H_PK, H_PW, H_RHO, H_ROOM, H_S, H_SC, H_SEL, H_SUM, H_THR, H_V, H_WS, H_ZERO, H_ZVAL, f64At, hp, i32At, setF64, setI32 } from './relaxation-memory';

/** The threshold key of the last weightedThreshold. */
let threshold: f64 = 0;

/** Every site's items with c_ij < v_j into its plan segment, in client order (lagrangian.ts collectItems). */
function collectItems(): void {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const d = hp(H_D);
  const order = hp(H_ORDER);
  const sc = hp(H_SC);
  const v = hp(H_V);
  const pj = hp(H_PJ);
  const pw = hp(H_PW);
  const pk = hp(H_PK);
  const end = hp(H_END);
  const zero = hp(H_ZERO);
  const zeroValue = hp(H_ZVAL);
  const sum = hp(H_SUM);
  const ld = hp(H_LOAD);
  for (let i = 0; i < S; i++) {
    setI32(end, i, i * C);
    setI32(zero, i, (i + 1) * C);
    setF64(zeroValue, i, 0);
    setF64(sum, i, 0);
    setF64(ld, i, 0);
  }
  for (let j = 0; j < C; j++) {
    const vj = f64At(v, j);
    const dj = f64At(d, j);
    const base = j * S;
    for (let t = 0; t < S; t++) {
      const w = f64At(sc, base + t) - vj;
      if (!(w < 0)) break;
      const i = i32At(order, base + t);
      if (dj == 0) {
        setF64(zeroValue, i, f64At(zeroValue, i) + w);
        const z = i32At(zero, i) - 1;
        setI32(zero, i, z);
        setI32(pj, z, j);
      } else {
        const k = i32At(end, i);
        setI32(pj, k, j);
        setF64(pw, k, w);
        setF64(pk, k, w / dj);
        setI32(end, i, k + 1);
        setF64(sum, i, f64At(sum, i) + w);
        setF64(ld, i, f64At(ld, i) + dj);
      }
    }
  }
}

/**
 * Weighted selection over the plan items [base, end) (key, weight d_j), whose total weight
 * exceeds cap: sets `threshold` to the smallest key t such that the items with key <= t weigh
 * at least cap, and returns the weight of the items with key < t (lagrangian.ts weightedThreshold).
 */
function weightedThreshold(base: i32, end: i32, cap: f64): f64 {
  const d = hp(H_D);
  const idx = hp(H_PJ);
  const key = hp(H_PK);
  const ks = hp(H_KS);
  const ws = hp(H_WS);
  const n = end - base;
  for (let k = 0; k < n; k++) {
    setF64(ks, k, f64At(key, base + k));
    setF64(ws, k, f64At(d, i32At(idx, base + k)));
  }
  let lo = 0;
  let hi = n;
  let acc: f64 = 0;
  for (;;) {
    const a = f64At(ks, lo);
    const b = f64At(ks, (lo + hi) >> 1);
    const c = f64At(ks, hi - 1);
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let gt = hi;
    let k = lo;
    let wLess: f64 = 0;
    let wEq: f64 = 0;
    while (k < gt) {
      const x = f64At(ks, k);
      if (x < pivot) {
        const w = f64At(ws, k);
        wLess += w;
        setF64(ks, k, f64At(ks, lt));
        setF64(ws, k, f64At(ws, lt));
        setF64(ks, lt, x);
        setF64(ws, lt, w);
        lt++;
        k++;
      } else if (x > pivot) {
        gt--;
        const w = f64At(ws, k);
        setF64(ks, k, f64At(ks, gt));
        setF64(ws, k, f64At(ws, gt));
        setF64(ks, gt, x);
        setF64(ws, gt, w);
      } else {
        wEq += f64At(ws, k);
        k++;
      }
    }
    if (acc + wLess >= cap && lt > lo) {
      hi = lt;
    } else if (acc + wLess + wEq >= cap || gt >= hi) {
      threshold = pivot;
      return acc + wLess;
    } else {
      acc += wLess + wEq;
      lo = gt;
    }
  }
  return unreachable();
}

/** Site i's knapsack value from its collected items; stores its threshold and room (lagrangian.ts finishKnapsack). */
function finishKnapsack(i: i32): f64 {
  const C = load<i32>(H_C);
  const d = hp(H_D);
  const pj = hp(H_PJ);
  const pw = hp(H_PW);
  const pk = hp(H_PK);
  const base = i * C;
  const n = i32At(hp(H_END), i);
  let value = f64At(hp(H_ZVAL), i);
  const capI = f64At(hp(H_CAP), i);
  if (f64At(hp(H_LOAD), i) <= capI) {
    setF64(hp(H_THR), i, Infinity);
    if (i32At(hp(H_ZERO), i) == base + C) return f64At(hp(H_SUM), i);
    for (let t = base; t < n; t++) value += f64At(pw, t);
    return value;
  }
  const below = weightedThreshold(base, n, capI);
  const thr = threshold;
  setF64(hp(H_THR), i, thr);
  setF64(hp(H_ROOM), i, capI - below);
  let room = capI - below;
  for (let k = base; k < n; k++) {
    const kk = f64At(pk, k);
    if (kk < thr) value += f64At(pw, k);
    else if (kk == thr && room > 0) {
      const dj = f64At(d, i32At(pj, k));
      const take = dj <= room ? 1 : room / dj;
      room -= take * dj;
      value += f64At(pw, k) * take;
    }
  }
  return value;
}

/** Subtracts site i's optimal x_ij from g_j (lagrangian.ts subtractKnapsack). */
function subtractKnapsack(i: i32, g: usize): void {
  const C = load<i32>(H_C);
  const d = hp(H_D);
  const pj = hp(H_PJ);
  const pk = hp(H_PK);
  const base = i * C;
  const n = i32At(hp(H_END), i);
  for (let k = i32At(hp(H_ZERO), i); k < base + C; k++) {
    const j = i32At(pj, k);
    setF64(g, j, f64At(g, j) - 1);
  }
  const thr = f64At(hp(H_THR), i);
  let room = f64At(hp(H_ROOM), i);
  for (let k = base; k < n; k++) {
    const kk = f64At(pk, k);
    if (kk < thr) {
      const j = i32At(pj, k);
      setF64(g, j, f64At(g, j) - 1);
    } else if (kk == thr && room > 0) {
      const j = i32At(pj, k);
      const dj = f64At(d, j);
      const take = dj <= room ? 1 : room / dj;
      room -= take * dj;
      setF64(g, j, f64At(g, j) - take);
    }
  }
}

/**
 * Collects the plans at the multipliers v and writes every site's value f_i + its knapsack:
 * with `evaluate`, into rho, Infinity for a site closed by the node's fixing or forbidden;
 * otherwise into out, Infinity for a forbidden site. Returns sum_j v_j (in index order).
 */
export function siteValues(evaluate: i32): f64 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const v = hp(H_V);
  let L: f64 = 0;
  for (let j = 0; j < C; j++) L += f64At(v, j);
  collectItems();
  const f = hp(H_F);
  const fixed = hp(H_FIXED);
  const forbidden = hp(H_FORBIDDEN);
  const out = evaluate ? hp(H_RHO) : hp(H_OUT);
  for (let i = 0; i < S; i++) {
    const closed = load<u8>(forbidden + <usize>i) != 0 || (evaluate != 0 && load<i8>(fixed + <usize>i) == 0);
    setF64(out, i, closed ? Infinity : f64At(f, i) + finishKnapsack(i));
  }
  return L;
}

/** g_j = 1 - sum over the selected sites of their optimal x_ij (the plans of the last siteValues). */
export function subgradient(): void {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const g = hp(H_G);
  const sel = hp(H_SEL);
  for (let j = 0; j < C; j++) setF64(g, j, 1);
  for (let i = 0; i < S; i++) if (load<u8>(sel + <usize>i) != 0) subtractKnapsack(i, g);
}

/**
 * Clients [from, to)'s sites by increasing cost into order / sortedCost at j * S, by insertion
 * (stable: ties in site order), from the costs at H_COST (lagrangian.ts insertionSortSites).
 */
export function sortClients(from: i32, to: i32): void {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const c = hp(H_COST);
  const order = hp(H_ORDER);
  const sc = hp(H_SC);
  for (let j = from; j < to; j++) {
    const base = j * S;
    for (let i = 0; i < S; i++) {
      const x = f64At(c, i * C + j);
      let u = base + i - 1;
      while (u >= base && f64At(sc, u) > x) {
        setF64(sc, u + 1, f64At(sc, u));
        setI32(order, u + 1, i32At(order, u));
        u--;
      }
      setF64(sc, u + 1, x);
      setI32(order, u + 1, i);
    }
  }
}
