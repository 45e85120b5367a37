// The knapsack kernels of the GAP Lagrangian relaxation as WebAssembly, compiled by AssemblyScript
// through packages/facility/scripts/build-kernels.mjs: `fill`, the row fill of the kept tables
// (src/gap-lagrangian.ts GapLagrangian.incremental; TypeScript fallback in src/knapsack-rows.ts),
// `dp`, KnapsackSolver's DP (src/knapsack.ts; fallback there), and `tables`, the fixing tests'
// forward and backward tables (src/gap-fixing.ts; fallback there). Why: the fill was a third of
// the CPU of an E 20 x 200 proof (gap-proof.ts, node --cpu-prof), the DP 39 % and the fixing
// tables 10 % of the LNS on D 10 x 100 (gap-lns-speed.ts); over rows of 50 cells the fill ran
// in 0.96 ns a cell where the TypeScript took 2.6. The arithmetic is the TypeScript's (one
// addition and one comparison a cell, same order), so tables, values and solutions are the
// same bit for bit.
//
// Memory: the caller's instance (src/knapsack-rows.ts, src/knapsack-dp.ts, src/fixing-tables.ts
// lay it out); the caller passes byte addresses. No allocation here.

/**
 * Fills rows keep + 1..count of a table at `tab` (f64, `width` cells a row, row 0 the empty
 * prefix) from the items at `w` and `p` (f64 weights and profits, integral weights of at most
 * width - 1): row t + 1 from capacity cap - (weight of the items after t) up, that floor written
 * as i32 at lo + 4 (t + 1). `total` is the weight of the `count` items. Returns the cells filled.
 */
export function fill(tab: usize, w: usize, p: usize, lo: usize, keep: i32, count: i32, width: i32, total: f64): i32 {
  const cap = width - 1;
  let before: f64 = 0;
  for (let t = 0; t < keep; t++) before += load<f64>(w + (<usize>t << 3));
  let cells: i32 = 0;
  for (let t = keep; t < count; t++) {
    const wt = load<f64>(w + (<usize>t << 3));
    const pt = load<f64>(p + (<usize>t << 3));
    before += wt;
    const floor = <f64>cap - (total - before);
    const from: i32 = floor > 0 ? <i32>floor : 0;
    store<i32>(lo + (<usize>(t + 1) << 2), from);
    cells += width - from;
    const iw = <i32>wt;
    const src = tab + (<usize>(t * width) << 3);
    const dst = src + (<usize>width << 3);
    // Below w the row is the one before.
    for (let c = from; c < iw; c++) store<f64>(dst + (<usize>c << 3), load<f64>(src + (<usize>c << 3)));
    // Two cells at a time: f64x2.pmax(kept, take) is kept < take ? take : kept, the scalar's choice.
    const ps = f64x2.splat(pt);
    let c = from > iw ? from : iw;
    for (; c + 1 < width; c += 2) {
      const take = f64x2.add(v128.load(src + (<usize>(c - iw) << 3)), ps);
      const kept = v128.load(src + (<usize>c << 3));
      v128.store(dst + (<usize>c << 3), f64x2.pmax(kept, take));
    }
    if (c < width) {
      const take = load<f64>(src + (<usize>(c - iw) << 3)) + pt;
      const kept = load<f64>(src + (<usize>c << 3));
      store<f64>(dst + (<usize>c << 3), take > kept ? take : kept);
    }
  }
  return cells;
}

/**
 * The plan of a filled table (`count` items, jobs i32 at `job`, weights at `w`): from the
 * last item down, item t is taken where its row differs from the one before it at the
 * capacity left. Writes the jobs taken, in that order, as i32 at `out`; returns how many.
 */
export function plan(tab: usize, w: usize, job: usize, out: usize, count: i32, width: i32): i32 {
  let c = width - 1;
  let taken: i32 = 0;
  for (let t = count - 1; t >= 0; t--) {
    const a = load<f64>(tab + (<usize>((t + 1) * width + c) << 3));
    const b = load<f64>(tab + (<usize>(t * width + c) << 3));
    if (a != b) {
      store<i32>(out + (<usize>taken << 2), load<i32>(job + (<usize>t << 2)));
      taken++;
      c -= <i32>load<f64>(w + (<usize>t << 3));
    }
  }
  return taken;
}

/**
 * KnapsackSolver.dp: items 0..count-1 (f64 profits at `p`, integral weights at `w`) within the
 * integer capacity `cap`; writes x (f64, 0 or 1) and returns the optimum. `best` (f64, cap + 1)
 * and `keep` (u8, count (cap + 1)) are scratch. Rows stop at the reach of the items seen so far
 * and start at cap minus the weight of the items after (see the TypeScript).
 */
export function dp(p: usize, w: usize, x: usize, best: usize, keep: usize, count: i32, cap: i32): f64 {
  let after: f64 = 0;
  for (let k = 0; k < count; k++) after += load<f64>(w + (<usize>k << 3));
  const width = cap + 1;
  store<f64>(best, 0);
  let reach: i32 = 0;
  for (let k = 0; k < count; k++) {
    const wk = load<f64>(w + (<usize>k << 3));
    const pk = load<f64>(p + (<usize>k << 3));
    after -= wk;
    const fl = <f64>cap - after;
    const floor: i32 = fl > 0 ? <i32>fl : 0;
    const row = keep + <usize>(k * width);
    const iw = <i32>wk;
    const next = reach + iw < cap ? reach + iw : cap;
    const top = load<f64>(best + (<usize>reach << 3));
    for (let c = reach + 1; c <= next; c++) store<f64>(best + (<usize>c << 3), top);
    if (floor <= next) memory.fill(row + <usize>floor, 0, <usize>(next + 1 - floor));
    for (let c = next, low = iw > floor ? iw : floor; c >= low; c--) {
      const v = load<f64>(best + (<usize>(c - iw) << 3)) + pk;
      if (v > load<f64>(best + (<usize>c << 3))) {
        store<f64>(best + (<usize>c << 3), v);
        store<u8>(row + <usize>c, 1);
      }
    }
    reach = next;
  }
  // Item k was decided on capacities up to its reach; above it the decision is the one at the reach.
  let c = cap;
  let sumW: f64 = 0;
  for (let k = 0; k < count; k++) sumW += load<f64>(w + (<usize>k << 3));
  for (let k = count - 1; k >= 0; k--) {
    const wk = load<f64>(w + (<usize>k << 3));
    const reachK: i32 = sumW < <f64>cap ? <i32>sumW : cap;
    if (load<u8>(keep + <usize>(k * width) + <usize>(c < reachK ? c : reachK))) {
      store<f64>(x + (<usize>k << 3), 1);
      c -= <i32>wk;
    } else store<f64>(x + (<usize>k << 3), 0);
    sumW -= wk;
  }
  return load<f64>(best + (<usize>cap << 3));
}

/** dst[c] = max(src[c - w] + p, src[c]) from c = w up to width - 1, dst[c] = src[c] below w (a table row). */
// @ts-ignore: AssemblyScript decorator
@inline function row(src: usize, dst: usize, iw: i32, pt: f64, width: i32): void {
  for (let c = 0; c < iw; c++) store<f64>(dst + (<usize>c << 3), load<f64>(src + (<usize>c << 3)));
  for (let c = iw; c < width; c++) {
    const take = load<f64>(src + (<usize>(c - iw) << 3)) + pt;
    const kept = load<f64>(src + (<usize>c << 3));
    store<f64>(dst + (<usize>c << 3), take > kept ? take : kept);
  }
}

/** GapFixing.without: the best profit within capacity c without item t (forward row t joined with backward row t + 1). */
// @ts-ignore: AssemblyScript decorator
@inline function without(F: usize, G: usize, t: i32, c: i32, width: i32): f64 {
  const f = F + (<usize>(t * width) << 3);
  const g = G + (<usize>((t + 1) * width + c) << 3);
  let best: f64 = 0;
  for (let a = 0; a <= c; a++) {
    const v = load<f64>(f + (<usize>a << 3)) + load<f64>(g - (<usize>a << 3));
    if (v > best) best = v;
  }
  return best;
}

/**
 * GapFixing.fillTables and its item penalties: forward row t (at F, `width` cells a row) is the
 * best profit of items before t within each capacity, backward row t (at G) of items t and
 * after; items' f64 weights (integral, at most width - 1) at `w`, profits at `p`. Then per
 * item, with z the optimum: leaving it out costs pout[t] = z - (best without it) when the
 * optimum needs it (else 0), forcing it in costs pin[t] = z - (p + best without it within
 * cap - w) when it does not (else 0).
 */
export function tables(F: usize, G: usize, w: usize, p: usize, pin: usize, pout: usize, count: i32, width: i32): void {
  const stride = <usize>width << 3;
  memory.fill(F, 0, stride);
  for (let t = 0; t < count; t++) {
    const src = F + <usize>t * stride;
    row(src, src + stride, <i32>load<f64>(w + (<usize>t << 3)), load<f64>(p + (<usize>t << 3)), width);
  }
  memory.fill(G + <usize>count * stride, 0, stride);
  for (let t = count - 1; t >= 0; t--) {
    const dst = G + <usize>t * stride;
    row(dst + stride, dst, <i32>load<f64>(w + (<usize>t << 3)), load<f64>(p + (<usize>t << 3)), width);
  }
  const cap = width - 1;
  const z = load<f64>(F + (<usize>(count * width + cap) << 3));
  for (let t = 0; t < count; t++) {
    const zOut = without(F, G, t, cap, width);
    if (zOut < z - 1e-9) {
      store<f64>(pin + (<usize>t << 3), 0);
      store<f64>(pout + (<usize>t << 3), z - zOut);
    } else {
      store<f64>(pout + (<usize>t << 3), 0);
      const pt = load<f64>(p + (<usize>t << 3));
      store<f64>(pin + (<usize>t << 3), z - (pt + without(F, G, t, cap - <i32>load<f64>(w + (<usize>t << 3)), width)));
    }
  }
}
