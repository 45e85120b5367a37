// The memory layout shared by the relaxation's two WebAssembly modules (knapsack.ts and
// select.ts, instantiated over one memory by src/kernels/knapsack-kernels.ts): the byte offset of
// every array sits in a header of i32 slots at address 0, written by the TypeScript side.

// Header slots (i32 at byte 4 * slot); keep in step with HEADER in src/kernels/knapsack-kernels.ts.
export const H_S: i32 = 0;
export const H_C: i32 = 4;
export const H_D: i32 = 8; // f64[C] demands
export const H_CAP: i32 = 12; // f64[S] capacities
export const H_F: i32 = 16; // f64[S] opening costs
export const H_ORDER: i32 = 20; // i32[S * C] each client's sites by cost
export const H_SC: i32 = 24; // f64[S * C] those costs
export const H_V: i32 = 28; // f64[C] multipliers
export const H_G: i32 = 32; // f64[C] subgradient
export const H_RHO: i32 = 36; // f64[S] site values (evaluate)
export const H_OUT: i32 = 40; // f64[S] site values (siteCosts)
export const H_PJ: i32 = 44; // i32[S * C] plan clients
export const H_PW: i32 = 48; // f64[S * C] plan c_ij - v_j
export const H_PK: i32 = 52; // f64[S * C] plan ratios
export const H_END: i32 = 56; // i32[S]
export const H_ZERO: i32 = 60; // i32[S]
export const H_ZVAL: i32 = 64; // f64[S]
export const H_SUM: i32 = 68; // f64[S]
export const H_LOAD: i32 = 72; // f64[S]
export const H_THR: i32 = 76; // f64[S]
export const H_ROOM: i32 = 80; // f64[S]
export const H_KS: i32 = 84; // f64[C] selection scratch keys
export const H_WS: i32 = 88; // f64[C] selection scratch weights
export const H_FIXED: i32 = 92; // i8[S]
export const H_FORBIDDEN: i32 = 96; // u8[S]
export const H_SEL: i32 = 100; // u8[S]
export const H_MUST: i32 = 104; // u8[S] pre-opened sites
export const H_SITE_IDX: i32 = 108; // i32[S] the cover knapsack's candidate sites
export const H_SITE_KEY: i32 = 112; // f64[S] their sort keys
export const H_PICK: i32 = 116; // u8[S] the cover search's current picks
export const H_BEST_PICK: i32 = 120; // u8[S] and best ones
export const H_SAVED_SEL: i32 = 124; // u8[S] forcedBound's saved selection
export const H_TOTAL: i32 = 128; // f64[1] the total demand
export const H_COST: i32 = 132; // f64[S * C] costs, site-major (only where sortClients runs, else empty)
// The small search's ascent (ascent.ts):
export const H_CUR: i32 = 136; // f64[C] the ascent's current multipliers
export const H_BEST_V: i32 = 140; // f64[C] its best ones
export const H_LB0: i32 = 144; // f64[S] each free site's bound forced closed (the last fixing)
export const H_LB1: i32 = 148; // f64[S] and forced open
export const H_LAST_SEL: i32 = 152; // u8[S] the selection the heuristic screen last saw
export const H_OPEN: i32 = 156; // u8[S] the candidate set the screen passes to the caller
export const H_DUAL_RHO: i32 = 160; // f64[S] site values at the incumbent transportation's dual (priceSet)
export const H_NEAR: i32 = 164; // f64[C] each client's cheapest open cost (priceSet)
export const H_NEAR_SITE: i32 = 168; // i32[C] and site
export const H_SET_LOAD: i32 = 172; // f64[S] each site's load at those sites
export const H_MEMO_KEYS: i32 = 176; // i64[MEMO_SIZE] open sets already priced by a transportation (bit mask | 1 << 63; 0: empty)
export const H_MEMO_VALUES: i32 = 180; // f64[MEMO_SIZE] and the lower bound it proved
export const MEMO_SIZE: i32 = 2048;

// @ts-ignore: AssemblyScript decorator
@inline export function hp(slot: i32): usize {
  return <usize>load<i32>(<usize>slot);
}
// @ts-ignore: AssemblyScript decorator
@inline export function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}
// @ts-ignore: AssemblyScript decorator
@inline export function setF64(base: usize, k: i32, x: f64): void {
  store<f64>(base + (<usize>k << 3), x);
}
// @ts-ignore: AssemblyScript decorator
@inline export function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
// @ts-ignore: AssemblyScript decorator
@inline export function setI32(base: usize, k: i32, x: i32): void {
  store<i32>(base + (<usize>k << 2), x);
}
