// The exact 0-1 knapsack search of the single-source relaxation (packages/facility/src/sscfl-knapsack.ts:
// RatioKnapsack.search and reduce) as WebAssembly, compiled by AssemblyScript. Why: in a 50 x 100
// single-source proof these two loops were some 44 % of the CPU, and over 60,000 recorded knapsacks
// this module searched in 225 ms where the TypeScript took 327 ms. The arithmetic is the
// TypeScript's, in the same order, so both give the same values, solutions and node counts bit for bit.
//
// Memory: one instance per kernel object (src/kernels/ratio-knapsack-kernel.ts lays it out): a
// header of i32 byte offsets at address 0 (slot order below; slots 0 and 1 are the loader's),
// then the arrays of at most M items. No allocation here.

const H_PROFIT: usize = 8; // f64[M] profits in ratio order (written by the caller)
const H_WEIGHT: usize = 12; // f64[M] weights
const H_CUMW: usize = 16; // f64[M + 1] prefix sums of the weights (cumW[0] = 0)
const H_CUMP: usize = 20; // f64[M + 1] and of the profits
const H_TAKE: usize = 24; // u8[M] the solution: the start on entry, the best on return
const H_RW: usize = 28; // f64[M] the reduced problem: weights,
const H_RP: usize = 32; // f64[M] profits,
const H_RR: usize = 36; // f64[M] ratios,
const H_RCUMW: usize = 40; // f64[M + 1] prefix sums (entry 0 stays 0)
const H_RCUMP: usize = 44; // f64[M + 1]
const H_ROOM_AT: usize = 48; // f64[M] the path's rooms,
const H_VALUE_AT: usize = 52; // f64[M] values
const H_MIN_W: usize = 56; // f64[M + 1] suffix minima of the reduced weights
const H_MAP: usize = 60; // i32[M] reduced item -> item
const H_PATH: usize = 64; // i32[M] the taken reduced items,
const H_BEST_PATH: usize = 68; // i32[M] those of the best solution,
const H_K_AT: usize = 72; // i32[M] the path's critical items
const H_FIX: usize = 76; // i8[M] the reduction's fixings (1 in, 0 out, -1 free)

/** Depth-first nodes of the last search. */
let lastNodes: i32 = 0;
/** Weight and profit of the items the last reduction fixed in. */
let inW: f64 = 0;
let inP: f64 = 0;

// @ts-ignore: AssemblyScript decorator
@inline function hp(slot: usize): usize {
  return <usize>load<i32>(slot);
}
// @ts-ignore: AssemblyScript decorator
@inline function f(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}
// @ts-ignore: AssemblyScript decorator
@inline function setF(base: usize, k: i32, x: f64): void {
  store<f64>(base + (<usize>k << 3), x);
}
// @ts-ignore: AssemblyScript decorator
@inline function i(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
// @ts-ignore: AssemblyScript decorator
@inline function setI(base: usize, k: i32, x: i32): void {
  store<i32>(base + (<usize>k << 2), x);
}

export function nodes(): i32 {
  return lastNodes;
}

/** The largest k in [t, n] whose items t..k-1 fit in `room` (t when none does), on prefix weights. */
function critical(cumW: usize, n: i32, t: i32, room: f64): i32 {
  const base = f(cumW, t);
  let lo = t;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (f(cumW, mid) - base <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The LP share of item k in the room left (0 past the last item). */
// @ts-ignore: AssemblyScript decorator
@inline function fraction(profit: usize, weight: usize, n: i32, k: i32, rem: f64): f64 {
  return k < n ? (f(profit, k) * rem) / f(weight, k) : 0;
}

/** RatioKnapsack.reduce: the Martello-Toth reduction against `cut`; returns the free items' count. */
function reduce(n: i32, room: f64, cut: f64): i32 {
  const profit = hp(H_PROFIT);
  const weight = hp(H_WEIGHT);
  const cumW = hp(H_CUMW);
  const cumP = hp(H_CUMP);
  const fix = hp(H_FIX);
  const map = hp(H_MAP);
  const rW = hp(H_RW);
  const rP = hp(H_RP);
  const rR = hp(H_RR);
  const rCumW = hp(H_RCUMW);
  const rCumP = hp(H_RCUMP);
  const s = critical(cumW, n, 0, room);
  let iw: f64 = 0;
  let ip: f64 = 0;
  let m = 0;
  for (let t = 0; t < n; t++) {
    let x: i32 = -1;
    const wt = f(weight, t);
    const pt = f(profit, t);
    if (t < s) {
      const wider = room + wt;
      let k = s;
      while (k < n && f(cumW, k + 1) <= wider) k++;
      if (f(cumP, k) - pt + fraction(profit, weight, n, k, wider - f(cumW, k)) <= cut) x = 1;
    } else if (wt > room) x = 0;
    else {
      const narrow = room - wt;
      let k = s;
      while (k > 0 && f(cumW, k) > narrow) k--;
      if (pt + f(cumP, k) + fraction(profit, weight, n, k, narrow - f(cumW, k)) <= cut) x = 0;
    }
    store<i8>(fix + <usize>t, <i8>x);
    if (x == 1) {
      iw += wt;
      ip += pt;
    } else if (x == -1) {
      setI(map, m, t);
      setF(rW, m, wt);
      setF(rP, m, pt);
      setF(rCumW, m + 1, f(rCumW, m) + wt);
      setF(rCumP, m + 1, f(rCumP, m) + pt);
      setF(rR, m, pt / wt);
      m++;
    }
  }
  inW = iw;
  inP = ip;
  const minW = hp(H_MIN_W);
  setF(minW, m, Infinity);
  for (let q = m - 1; q >= 0; q--) setF(minW, q, f(rW, q) < f(minW, q + 1) ? f(rW, q) : f(minW, q + 1));
  return m;
}

/**
 * RatioKnapsack.search over the n items in memory, from the start in take (profit `start`):
 * the best solution within `room` into take, its profit returned (`start` when none is
 * better); at most `budget` nodes (nodes() tells how many).
 */
export function search(n: i32, room: f64, start: f64, budget: f64): f64 {
  lastNodes = 0;
  let best = start;
  let cut = best + 1e-12 * Math.max(1, best);
  const m = reduce(n, room, cut);
  if (inW > room) return start;
  const rW = hp(H_RW);
  const rP = hp(H_RP);
  const rR = hp(H_RR);
  const rCumW = hp(H_RCUMW);
  const rCumP = hp(H_RCUMP);
  const roomAt = hp(H_ROOM_AT);
  const valueAt = hp(H_VALUE_AT);
  const minW = hp(H_MIN_W);
  const path = hp(H_PATH);
  const bestPath = hp(H_BEST_PATH);
  const kAt = hp(H_K_AT);
  let bestDepth = -1;
  let depth = 0;
  let t = 0;
  let k = 0;
  let left = room - inW;
  let value = inP;
  let bounded = false;
  let count: f64 = 0;
  if (value > best) {
    best = value;
    cut = best + 1e-12 * Math.max(1, best);
    bestDepth = 0;
  }
  for (;;) {
    let descend = t < m && f(minW, t) <= left && (count += 1) <= budget;
    if (descend && !bounded) {
      const base = f(rCumW, t);
      const lim = left + 1e-9 * (left > 1 ? left : 1);
      if (k < t) k = t;
      while (k < m && f(rCumW, k + 1) - base <= lim) k++;
      const sum = f(rCumP, k) - f(rCumP, t);
      let ub = sum;
      if (k < m) {
        const r = left - (f(rCumW, k) - base);
        if (k + 1 < m) ub += f(rR, k + 1) * r;
        if (k > t) {
          const inside = sum + f(rP, k) - (f(rW, k) - r) * f(rR, k - 1);
          if (inside > ub) ub = inside;
        }
      }
      descend = value + ub > cut;
    }
    if (descend) {
      const w = f(rW, t);
      if (w <= left) {
        setI(path, depth, t);
        setF(roomAt, depth, left);
        setF(valueAt, depth, value);
        setI(kAt, depth, k);
        depth++;
        left -= w;
        value += f(rP, t);
        if (value > best) {
          best = value;
          cut = best + 1e-12 * Math.max(1, best);
          for (let q = 0; q < depth; q++) setI(bestPath, q, i(path, q));
          bestDepth = depth;
        }
        bounded = true;
      } else bounded = false;
      t++;
      continue;
    }
    if (depth == 0 || count > budget) break;
    depth--;
    const p = i(path, depth);
    left = f(roomAt, depth);
    value = f(valueAt, depth);
    k = i(kAt, depth);
    t = p + 1;
    bounded = false;
  }
  lastNodes = <i32>count;
  if (bestDepth < 0) return start;
  return keepReduced(n, bestDepth);
}

/** The best reduced solution with the fixed-in items into take; its profit summed in item order (RatioKnapsack.takenProfit). */
function keepReduced(n: i32, depth: i32): f64 {
  const take = hp(H_TAKE);
  const fix = hp(H_FIX);
  const map = hp(H_MAP);
  const bestPath = hp(H_BEST_PATH);
  const profit = hp(H_PROFIT);
  for (let q = 0; q < n; q++) store<u8>(take + <usize>q, load<i8>(fix + <usize>q) == 1 ? 1 : 0);
  for (let q = 0; q < depth; q++) store<u8>(take + <usize>i(map, i(bestPath, q)), 1);
  let value: f64 = 0;
  for (let q = 0; q < n; q++) if (load<u8>(take + <usize>q)) value += f(profit, q);
  return value;
}
