// The row fill of the GAP Lagrangian's kept knapsack tables (packages/assignment/src/gap-lagrangian.ts:
// GapLagrangian.incremental, TypeScript fallback in src/knapsack-rows.ts) as WebAssembly, compiled
// by AssemblyScript through packages/facility/scripts/build-kernels.mjs. Why: that fill was a
// third of the CPU of an E 20 x 200 proof (gap-proof.ts, node --cpu-prof), and over rows of 50
// cells this loop ran in 0.96 ns a cell where the TypeScript took 2.6. The arithmetic is the
// TypeScript's (one addition and one comparison a cell, same order), so the tables are the same
// bit for bit.
//
// Memory: one instance per GapLagrangian (src/knapsack-rows.ts lays it out); the caller passes
// byte addresses. No allocation here.

/**
 * Fills rows keep + 1..count of a table at `tab` (f64, `width` cells a row, row 0 the empty
 * prefix) from the items at `w` and `p` (f64 weights and profits, integral weights of at most
 * width - 1): row t + 1 from capacity cap - (weight of the items after t) up, that floor written
 * as i32 at lo + 4 (t + 1). `total` is the weight of the `count` items, `before` that of the
 * first `keep`. Returns the cells filled.
 */
export function fill(tab: usize, w: usize, p: usize, lo: usize, keep: i32, count: i32, width: i32, total: f64, before: f64): i32 {
  const cap = width - 1;
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
    for (let c = from > iw ? from : iw; c < width; c++) {
      const take = load<f64>(src + (<usize>(c - iw) << 3)) + pt;
      const kept = load<f64>(src + (<usize>c << 3));
      store<f64>(dst + (<usize>c << 3), take > kept ? take : kept);
    }
  }
  return cells;
}
