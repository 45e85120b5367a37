// The successive-shortest-path transportation of split-demand CFL (packages/facility/src/
// transportation.ts: SiteTransport's start, excess, augment, push, unlist, enlist) as
// WebAssembly, for the small exact search (src/cfl-small-transport.ts), compiled by AssemblyScript
// (scripts/build-kernels.mjs). The same arithmetic in the same order as the TypeScript: equal
// values bit for bit. Why: see assembly/knapsack.ts (a fresh process runs TypeScript loops
// interpreted, boxing every double).
//
// Memory: the caller (src/kernels/transport-kernel.ts) lays the arrays out and writes their byte
// offsets into the header below. No allocation here.

// Header slots (i32 at byte 4 * slot); keep in step with HEADER in src/kernels/transport-kernel.ts.
const H_S: i32 = 0;
const H_C: i32 = 4;
const H_UT: i32 = 8; // f64[S * C] unit costs, client-major
const H_COST: i32 = 12; // f64[S * C] costs, site-major
const H_D: i32 = 16; // f64[C]
const H_CAP: i32 = 20; // f64[S]
const H_A: i32 = 24; // f64[S * C] amounts, site-major (-1: a zero-demand client's site)
const H_CLIENTS: i32 = 28; // i32[S * C] each site's served clients, in client order
const H_SERVED: i32 = 32; // i32[S]
const H_LOAD: i32 = 36; // f64[S]
const H_PI: i32 = 40; // f64[S] potentials
const H_DIST: i32 = 44; // f64[S]
const H_DONE: i32 = 48; // u8[S]
const H_PRED_SITE: i32 = 52; // i32[S]
const H_PRED_CLIENT: i32 = 56; // i32[S]
const H_OPEN_LIST: i32 = 60; // i32[S]
const H_OPEN: i32 = 64; // u8[S] the open set of start

@inline function hp(slot: i32): usize {
  return <usize>load<i32>(<usize>slot);
}
@inline function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}
@inline function setF64(base: usize, k: i32, x: f64): void {
  store<f64>(base + (<usize>k << 3), x);
}
@inline function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
@inline function setI32(base: usize, k: i32, x: i32): void {
  store<i32>(base + (<usize>k << 2), x);
}

let eps: f64 = 0;
let nOpen: i32 = 0;
let pathCost: f64 = 0;
/** The state of solveRun: the serving cost and the excess so far, its outcome, and the paths and early exit of its last call. */
let runCost: f64 = 0;
let runExcess: f64 = 0;
let runResult: f64 = 0;
let runAugmentations: i32 = 0;
let runEarlyExit: i32 = 0;

/**
 * The unit costs u_ij = c_ij / d_j, client-major (transportation.ts unitCostsByClient without
 * `unit`): Infinity for a forbidden pair, 0 for a zero-demand client.
 */
export function unitCosts(): void {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const uT = hp(H_UT);
  const c = hp(H_COST);
  const d = hp(H_D);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < C; j++) {
      const v = f64At(c, i * C + j);
      const dj = f64At(d, j);
      setF64(uT, j * S + i, v == Infinity ? Infinity : dj > 0 ? v / dj : 0);
    }
  }
}

/** The number of open sites of the last start. */
export function openCount(): i32 {
  return nOpen;
}

/** The unit cost of the last augmenting path. */
export function lastPathCost(): f64 {
  return pathCost;
}

/**
 * Starts a solve for the open set (H_OPEN): every client at its cheapest open site. Returns that
 * serving cost, Infinity when the open capacity is short of the demand or a client has no open site.
 */
export function start(tolerance: f64): f64 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const uT = hp(H_UT);
  const c = hp(H_COST);
  const d = hp(H_D);
  const cap = hp(H_CAP);
  const a = hp(H_A);
  const ld = hp(H_LOAD);
  const openList = hp(H_OPEN_LIST);
  const open = hp(H_OPEN);
  const clients = hp(H_CLIENTS);
  const served = hp(H_SERVED);
  eps = tolerance;
  memory.fill(hp(H_PI), 0, <usize>S << 3);
  let capacity: f64 = 0;
  let demand: f64 = 0;
  let n = 0;
  for (let i = 0; i < S; i++) {
    if (load<u8>(open + <usize>i) == 0) continue;
    capacity += f64At(cap, i);
    setI32(openList, n++, i);
  }
  nOpen = n;
  for (let j = 0; j < C; j++) demand += f64At(d, j);
  if (capacity < demand - eps) return Infinity;
  memory.fill(a, 0, <usize>(S * C) << 3);
  memory.fill(ld, 0, <usize>S << 3);
  memory.fill(served, 0, <usize>S << 2);
  let cost: f64 = 0;
  for (let j = 0; j < C; j++) {
    let best = -1;
    let bv: f64 = Infinity;
    const col = j * S;
    const dj = f64At(d, j);
    for (let t = 0; t < n; t++) {
      const i = i32At(openList, t);
      const v = dj > 0 ? f64At(uT, col + i) : f64At(c, i * C + j);
      if (v < bv) {
        bv = v;
        best = i;
      }
    }
    if (best < 0) return Infinity;
    setF64(a, best * C + j, dj > 0 ? dj : -1);
    if (dj > 0) {
      const q = i32At(served, best);
      setI32(clients, best * C + q, j);
      setI32(served, best, q + 1);
    }
    setF64(ld, best, f64At(ld, best) + dj);
    cost += f64At(c, best * C + j);
  }
  runCost = cost;
  runExcess = excess();
  return cost;
}

/** The demand still above capacity at the open sites overloaded by more than eps. */
function excess(): f64 {
  const cap = hp(H_CAP);
  const ld = hp(H_LOAD);
  const openList = hp(H_OPEN_LIST);
  let ex: f64 = 0;
  for (let t = 0; t < nOpen; t++) {
    const i = i32At(openList, t);
    if (f64At(ld, i) > f64At(cap, i) + eps) ex += f64At(ld, i) - f64At(cap, i);
  }
  return ex;
}

/** Removes client j from site i's served list (kept in client order). */
function unlist(i: i32, j: i32): void {
  const clients = hp(H_CLIENTS);
  const served = hp(H_SERVED);
  const row = i * load<i32>(H_C);
  const n = i32At(served, i);
  let q = 0;
  while (q < n && i32At(clients, row + q) != j) q++;
  if (q == n) return;
  for (; q < n - 1; q++) setI32(clients, row + q, i32At(clients, row + q + 1));
  setI32(served, i, n - 1);
}

/** Inserts client j into site i's served list at its place in client order. */
function enlist(i: i32, j: i32): void {
  const clients = hp(H_CLIENTS);
  const served = hp(H_SERVED);
  const row = i * load<i32>(H_C);
  let q = i32At(served, i);
  while (q > 0 && i32At(clients, row + q - 1) > j) {
    setI32(clients, row + q, i32At(clients, row + q - 1));
    q--;
  }
  setI32(clients, row + q, j);
  setI32(served, i, i32At(served, i) + 1);
}

/** Pushes the bottleneck amount along the predecessor path ending at target; sets pathCost; returns the amount. */
function push(target: i32): f64 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const uT = hp(H_UT);
  const cap = hp(H_CAP);
  const a = hp(H_A);
  const ld = hp(H_LOAD);
  const predSite = hp(H_PRED_SITE);
  const predClient = hp(H_PRED_CLIENT);
  let delta = f64At(cap, target) - f64At(ld, target);
  let unit: f64 = 0;
  let k = target;
  while (i32At(predSite, k) >= 0) {
    const i = i32At(predSite, k);
    const j = i32At(predClient, k);
    const amt = f64At(a, i * C + j);
    if (amt < delta) delta = amt;
    unit += f64At(uT, j * S + k) - f64At(uT, j * S + i);
    k = i;
  }
  const source = k;
  const exc = f64At(ld, source) - f64At(cap, source);
  if (exc < delta) delta = exc;
  k = target;
  while (i32At(predSite, k) >= 0) {
    const i = i32At(predSite, k);
    const j = i32At(predClient, k);
    const ij = i * C + j;
    setF64(a, ij, f64At(a, ij) - delta);
    if (f64At(a, ij) < eps * 1e-3) setF64(a, ij, 0);
    if (!(f64At(a, ij) > 0)) unlist(i, j);
    const kj = k * C + j;
    const before = f64At(a, kj);
    setF64(a, kj, before + delta);
    if (!(before > 0) && f64At(a, kj) > 0) enlist(k, j);
    k = i;
  }
  setF64(ld, source, f64At(ld, source) - delta);
  setF64(ld, target, f64At(ld, target) + delta);
  pathCost = unit > 0 ? unit : 0;
  return delta;
}

/**
 * One shortest augmenting path (dense Dijkstra with potentials) from the overloaded sites to a
 * site with spare capacity; pushes the bottleneck amount and returns it (-1: no path).
 */
function augment(): f64 {
  const S = load<i32>(H_S);
  const C = load<i32>(H_C);
  const uT = hp(H_UT);
  const cap = hp(H_CAP);
  const ld = hp(H_LOAD);
  const pi = hp(H_PI);
  const dist = hp(H_DIST);
  const done = hp(H_DONE);
  const predSite = hp(H_PRED_SITE);
  const predClient = hp(H_PRED_CLIENT);
  const openList = hp(H_OPEN_LIST);
  const clients = hp(H_CLIENTS);
  const served = hp(H_SERVED);
  const n = nOpen;
  for (let t = 0; t < n; t++) {
    const k = i32At(openList, t);
    setF64(dist, k, f64At(ld, k) > f64At(cap, k) + eps ? 0 : Infinity);
    store<u8>(done + <usize>k, 0);
    setI32(predSite, k, -1);
  }
  let target = -1;
  for (;;) {
    let i = -1;
    let best: f64 = Infinity;
    for (let t = 0; t < n; t++) {
      const k = i32At(openList, t);
      if (load<u8>(done + <usize>k) == 0 && f64At(dist, k) < best) {
        best = f64At(dist, k);
        i = k;
      }
    }
    if (i < 0) break;
    store<u8>(done + <usize>i, 1);
    if (f64At(ld, i) < f64At(cap, i) - eps) {
      target = i;
      break;
    }
    const di = f64At(dist, i);
    const base = di + f64At(pi, i);
    const row = i * C;
    const nServed = i32At(served, i);
    for (let q = 0; q < nServed; q++) {
      const j = i32At(clients, row + q);
      const col = j * S;
      const uij = f64At(uT, col + i);
      for (let t = 0; t < n; t++) {
        const k = i32At(openList, t);
        if (load<u8>(done + <usize>k) != 0) continue;
        const ukj = f64At(uT, col + k);
        if (ukj == Infinity) continue;
        let nd = base + ukj - uij - f64At(pi, k);
        if (nd < di) nd = di;
        if (nd < f64At(dist, k)) {
          setF64(dist, k, nd);
          setI32(predSite, k, i);
          setI32(predClient, k, j);
        }
      }
    }
  }
  if (target < 0) return -1;
  const dt = f64At(dist, target);
  for (let t = 0; t < n; t++) {
    const k = i32At(openList, t);
    const dk = f64At(dist, k);
    setF64(pi, k, f64At(pi, k) + (dk < dt ? dk : dt));
  }
  return push(target);
}

/**
 * Continues the solve that start began (cfl-small-transport.ts SmallTransport.solve, with its
 * early exit against `threshold` + `margin`), for at most `budget` augmenting paths: 1 when one
 * more path is due (the caller checks for a stop, then calls again), else 0 with the outcome in
 * runOutcome (the serving cost; a bound at or above the threshold after an early exit; Infinity
 * when no path is left). A budget of 0 asks for the stop check before the first path.
 */
export function solveRun(threshold: f64, margin: f64, budget: i32): i32 {
  runAugmentations = 0;
  runEarlyExit = 0;
  while (runExcess > 0) {
    if (budget-- <= 0) return 1;
    const moved = augment();
    runAugmentations++;
    if (moved < 0) {
      runResult = Infinity;
      return 0;
    }
    runCost += moved * pathCost;
    runExcess = excess();
    const bound = runCost + runExcess * pathCost;
    if (bound >= threshold + margin) {
      runEarlyExit = 1;
      runResult = bound;
      return 0;
    }
  }
  runResult = runCost;
  return 0;
}

export function runOutcome(): f64 {
  return runResult;
}

/** Paths augmented by the last solveRun call, and 1 when it exited early. */
export function runPaths(): i32 {
  return runAugmentations;
}

export function runExitedEarly(): i32 {
  return runEarlyExit;
}
