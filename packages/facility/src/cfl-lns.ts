import { runStepsAsync, type SolveRun } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import type { Incumbent } from './branch-and-bound.js';
import { closeIdleSteps, type CflEvaluator } from './capacitated.js';
import type { FacilityProblem } from './problem.js';

/**
 * Large-neighbourhood search for split-demand CFL: every site outside a neighbourhood keeps its
 * status in the incumbent, and the neighbourhood's sites (a centre and its nearest movable sites)
 * are decided exactly by the strong MIP of that reduced problem, cut off at the incumbent. On
 * tight capacities (ratio 3-5) the improving changes the swap search misses move three or more
 * sites of one region at once (open two small sites for a large one, shift capacity along a
 * chain): a 10-16 site neighbourhood holds them, and the MIP over it (a few thousand columns
 * besides the fixed sites' flows) is solved in well under a second. The neighbourhood grows after
 * quick proofs and shrinks after time-outs, so it adapts to the machine and the instance.
 */
export interface NeighbourhoodOptions {
  /** -1 free, 0 closed, 1 open: reduced-cost fixing valid for every plan better than the incumbent (such sites never move). */
  fixed?: Int8Array | undefined;
  /** Stop once run.elapsedMs() passes this. */
  untilMs: number;
  backend?: BackendName | undefined;
  /** Receives each improved plan. */
  report?: ((inc: Incumbent) => void) | undefined;
}

export interface NeighbourhoodStats {
  mips: number;
  proved: number;
  improvements: number;
  finalSize: number;
}

/** Smallest and largest neighbourhood (free sites in one MIP). */
const MIN_FREE = 6;
const MAX_FREE = 30;

/**
 * Site proximity on the unit costs: dist(i, k) = min_j (u_ij + u_kj), the cheapest way one unit of
 * some client's demand links the two sites (on Euclidean costs, the site distance when a client
 * lies between them). Returns each site's other sites, nearest first (S x (S - 1), row-major).
 */
export function siteProximity(pr: FacilityProblem, unit: Float64Array): Int32Array {
  const { nSites: S, nClients: C } = pr;
  const dist = new Float64Array(S * S);
  for (let i = 0; i < S; i++) {
    const ri = i * C;
    for (let k = i + 1; k < S; k++) {
      const rk = k * C;
      let best = Infinity;
      for (let j = 0; j < C; j++) {
        const v = unit[ri + j]! + unit[rk + j]!;
        if (v < best) best = v;
      }
      dist[i * S + k] = best;
      dist[k * S + i] = best;
    }
  }
  const order = new Int32Array(S * Math.max(0, S - 1));
  const row: number[] = [];
  for (let i = 0; i < S; i++) {
    row.length = 0;
    for (let k = 0; k < S; k++) if (k !== i) row.push(k);
    row.sort((a, b) => dist[i * S + a]! - dist[i * S + b]! || a - b);
    order.set(row, i * (S - 1));
  }
  return order;
}

/**
 * The LNS loop: centres taken in a seeded random order over the movable sites (open ones of the
 * incumbent first, where improvements concentrate), each neighbourhood solved once per incumbent;
 * an improvement restarts the round. Returns the best plan found (never worse than `start`).
 */
export async function cflNeighbourhoodSearch(
  pr: FacilityProblem,
  run: SolveRun,
  evaluator: CflEvaluator,
  start: Incumbent,
  proximity: Int32Array,
  opts: NeighbourhoodOptions,
): Promise<{ incumbent: Incumbent; stats: NeighbourhoodStats }> {
  const S = pr.nSites;
  const movable = (i: number): boolean => !pr.mustOpen[i] && !pr.forbidden[i] && (opts.fixed === undefined || opts.fixed[i] === -1);
  let nMovable = 0;
  for (let i = 0; i < S; i++) if (movable(i)) nMovable++;
  const stats: NeighbourhoodStats = { mips: 0, proved: 0, improvements: 0, finalSize: 0 };
  let inc = start;
  if (nMovable < 2) return { incumbent: inc, stats };
  let size = Math.min(nMovable, 12);
  const stop = (): boolean => run.shouldStop() || run.elapsedMs() >= opts.untilMs;
  let centres = centreOrder(pr, inc.solution.open, movable, run);
  let next = 0;
  while (!stop()) {
    if (next >= centres.length) {
      // A whole round without an improvement: the next round looks at larger neighbourhoods.
      if (size >= Math.min(MAX_FREE, nMovable)) break;
      size = Math.min(MAX_FREE, nMovable, size + 4);
      centres = centreOrder(pr, inc.solution.open, movable, run);
      next = 0;
    }
    const centre = centres[next++]!;
    // Every other neighbourhood joins two regions, the second around a random movable site, with
    // every client and pair in the MIP: tight capacity couples distant regions (closing a large site
    // here pays for an opening there only through the flows shifted in between).
    const twin = stats.mips % 2 === 1 && nMovable > size;
    const free = twin ? twinNeighbourhood(pr, proximity, centre, randomMovable(pr, movable, run), size, movable) : neighbourhood(pr, proximity, centre, size, movable);
    const budget = opts.untilMs - run.elapsedMs();
    if (budget < 50) break;
    const t0 = run.elapsedMs();
    const out = await neighbourhoodMip(pr, run, inc, free, Math.min(budget, 4000), opts.backend, twin ? S : NEAREST_PAIRS);
    stats.mips++;
    const took = run.elapsedMs() - t0;
    if (out.proved) stats.proved++;
    // Adapt: a quick proof affords a larger neighbourhood, a time-out asks for a smaller one.
    if (out.proved && took < 800) size = Math.min(MAX_FREE, nMovable, size + 2);
    else if (!out.proved) size = Math.max(MIN_FREE, size - 2);
    if (out.open === null || run.shouldStop()) continue;
    const cand = await runStepsAsync(evaluator.evaluateSteps(out.open), run);
    if (!cand || !(cand.value < inc.value - 1e-9 * Math.abs(inc.value))) continue;
    inc = await runStepsAsync(closeIdleSteps(pr, cand, evaluator), run);
    stats.improvements++;
    opts.report?.(inc);
    centres = centreOrder(pr, inc.solution.open, movable, run);
    next = 0;
  }
  stats.finalSize = size;
  return { incumbent: inc, stats };
}

/** Movable sites as LNS centres: the incumbent's open ones first, each group in seeded random order. */
function centreOrder(pr: FacilityProblem, open: Uint8Array, movable: (i: number) => boolean, run: SolveRun): number[] {
  const opened: number[] = [];
  const closed: number[] = [];
  for (let i = 0; i < pr.nSites; i++) if (movable(i)) (open[i] ? opened : closed).push(i);
  run.rng.shuffle(opened);
  run.rng.shuffle(closed);
  return opened.concat(closed);
}

/** A movable site drawn uniformly (seeded). */
function randomMovable(pr: FacilityProblem, movable: (i: number) => boolean, run: SolveRun): number {
  for (;;) {
    const i = run.rng.int(pr.nSites);
    if (movable(i)) return i;
  }
}

/** Two half-size neighbourhoods (see neighbourhood) joined: about `size` sites around `a` and `b`. */
function twinNeighbourhood(pr: FacilityProblem, proximity: Int32Array, a: number, b: number, size: number, movable: (i: number) => boolean): Int32Array {
  const half = Math.max(1, Math.floor(size / 2));
  const set = new Set<number>(neighbourhood(pr, proximity, a, size - half, movable));
  for (const i of neighbourhood(pr, proximity, b, half, movable)) set.add(i);
  return Int32Array.from(set);
}

/** The centre and its `size - 1` nearest movable sites. */
export function neighbourhood(pr: FacilityProblem, proximity: Int32Array, centre: number, size: number, movable: (i: number) => boolean): Int32Array {
  const S = pr.nSites;
  const out = [centre];
  const row = centre * (S - 1);
  for (let t = 0; t < S - 1 && out.length < size; t++) {
    const k = proximity[row + t]!;
    if (movable(k)) out.push(k);
  }
  return Int32Array.from(out);
}

/** Each region client's nearest sites in a neighbourhood MIP (besides the pairs the incumbent uses). */
const NEAREST_PAIRS = 8;

/**
 * The clients and pairs of a neighbourhood MIP. A client is in the region when one of its
 * NEAREST_PAIRS cheapest usable sites (open in the incumbent or free) is free, or a free site serves
 * it now; every other client keeps its incumbent flows, which stay charged to their sites'
 * capacity. Region clients get a flow variable to their NEAREST_PAIRS cheapest usable sites and
 * to the sites serving them now, so the incumbent stays feasible and HiGHS starts from it. A tight
 * plan reroutes a client only a few sites away; the plan found is re-evaluated exactly over all
 * clients and pairs (the transportation), which can only lower its cost.
 */
interface Region {
  /** Pair (site i, client j) at i * C + j: 1 when it gets a flow variable. */
  keep: Uint8Array;
  inRegion: Uint8Array;
  /** Capacity each site has left after the non-region clients' incumbent flows. */
  residual: Float64Array;
  /** The sites with at least one kept pair, or free. */
  sites: number[];
  demand: number;
}

function regionOf(pr: FacilityProblem, inc: Incumbent, isFree: Uint8Array, nearest: number): Region {
  const { nSites: S, nClients: C, c, d } = pr;
  const open = inc.solution.open;
  const usable: number[] = [];
  for (let i = 0; i < S; i++) if (isFree[i] || open[i]) usable.push(i);
  const keep = new Uint8Array(S * C);
  const inRegion = new Uint8Array(C);
  const flows = inc.solution.flows ?? [];
  for (const sh of flows) if (isFree[sh.site]) inRegion[sh.client] = 1;
  const order = usable.slice();
  const n = Math.min(nearest, usable.length);
  for (let j = 0; j < C; j++) {
    order.sort((x, y) => c[x * C + j]! - c[y * C + j]! || x - y);
    for (let t = 0; t < n && !inRegion[j]; t++) if (isFree[order[t]!]) inRegion[j] = 1;
    if (!inRegion[j]) continue;
    for (let t = 0; t < n; t++) if (c[order[t]! * C + j]! < Infinity) keep[order[t]! * C + j] = 1;
  }
  const residual = Float64Array.from(pr.cap);
  let demand = 0;
  for (let j = 0; j < C; j++) if (inRegion[j]) demand += d[j]!;
  for (const sh of flows) {
    if (inRegion[sh.client]) keep[sh.site * C + sh.client] = 1;
    else residual[sh.site]! -= sh.fraction * d[sh.client]!;
  }
  const sites: number[] = [];
  for (let i = 0; i < S; i++) {
    let any = isFree[i] === 1;
    for (let j = 0; j < C && !any; j++) if (keep[i * C + j]) any = true;
    if (any) sites.push(i);
  }
  return { keep, inRegion, residual, sites, demand };
}

/**
 * The strong MIP of the neighbourhood: every site outside `free` at its incumbent status, the
 * clients outside the region at their incumbent flows (see Region):
 *   min sum_{i in free} f_i y_i + sum c_ij x_ij   over the kept pairs,
 *   sum_i x_ij = 1 (region j), sum_j d_j x_ij <= residual_i (y_i for free i), x_ij <= y_i (free i),
 *   sum_{i in free} C_i y_i >= region demand - residual capacity of the fixed open sites,
 * warm-started from the incumbent. `open` is the best set HiGHS found when it differs from the
 * incumbent's (null otherwise), `proved` whether HiGHS finished.
 */
export async function neighbourhoodMip(
  pr: FacilityProblem,
  run: SolveRun,
  inc: Incumbent,
  free: Int32Array,
  timeLimitMs: number,
  backend: BackendName | undefined,
  nearest = NEAREST_PAIRS,
): Promise<{ open: Uint8Array | null; proved: boolean }> {
  const S = pr.nSites;
  const isFree = new Uint8Array(S);
  for (const i of free) isFree[i] = 1;
  const open = inc.solution.open;
  const { lm, yCol, warm } = regionModel(pr, inc, free, isFree, regionOf(pr, inc, isFree, nearest));
  if (await run.tick()) return { open: null, proved: false };
  const lp = await solveLp(lm, {
    backend: backend ?? 'highs',
    timeLimitMs: Math.max(1, timeLimitMs),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    mipRelGap: 1e-6,
    warmStart: Float64Array.from(warm),
  });
  const proved = lp.status === 'optimal' || lp.status === 'infeasible';
  if (lp.status !== 'optimal' && lp.status !== 'feasible') return { open: null, proved };
  const x = lp.solution.x;
  const result = new Uint8Array(S);
  let changed = false;
  for (let i = 0; i < S; i++) {
    result[i] = isFree[i] ? (x[yCol[i]!]! > 0.5 ? 1 : 0) : open[i]!;
    if (result[i] !== open[i]) changed = true;
  }
  return { open: changed ? result : null, proved };
}

/** The MIP of neighbourhoodMip (see there) and its warm start, the incumbent's plan. */
function regionModel(pr: FacilityProblem, inc: Incumbent, free: Int32Array, isFree: Uint8Array, region: Region): { lm: LinearModel; yCol: Int32Array; warm: number[] } {
  const { nSites: S, nClients: C, c, d } = pr;
  const open = inc.solution.open;
  const { keep, inRegion, residual } = region;
  const lm = new LinearModel('min');
  const yCol = new Int32Array(S).fill(-1);
  const warm: number[] = [];
  for (const i of free) {
    yCol[i] = lm.addVariable({ type: 'binary', lb: 0, ub: 1, obj: pr.f[i]! });
    warm[yCol[i]!] = open[i]!;
  }
  const xCol = new Int32Array(S * C).fill(-1);
  const perClient: number[][] = Array.from({ length: C }, () => []);
  for (const i of region.sites) {
    for (let j = 0; j < C; j++) {
      if (!keep[i * C + j]) continue;
      const col = lm.addVariable({ type: 'continuous', lb: 0, ub: 1, obj: c[i * C + j]! });
      xCol[i * C + j] = col;
      perClient[j]!.push(col);
      warm[col] = 0;
    }
  }
  for (const sh of inc.solution.flows ?? []) {
    const col = xCol[sh.site * C + sh.client]!;
    if (col >= 0) warm[col] = sh.fraction;
  }
  for (let j = 0; j < C; j++) {
    if (!inRegion[j]) continue;
    const idx = perClient[j]!;
    lm.addEq(idx, new Float64Array(idx.length).fill(1), 1);
  }
  let fixedRoom = 0;
  for (const i of region.sites) {
    const idx: number[] = [];
    const coef: number[] = [];
    for (let j = 0; j < C; j++) {
      const col = xCol[i * C + j]!;
      if (col < 0) continue;
      if (isFree[i]) lm.addLe([col, yCol[i]!], [1, -1], 0);
      if (d[j]! > 0) {
        idx.push(col);
        coef.push(d[j]!);
      }
    }
    if (!isFree[i]) fixedRoom += Math.max(0, residual[i]!);
    if (idx.length === 0) continue;
    if (isFree[i]) {
      idx.push(yCol[i]!);
      coef.push(-pr.cap[i]!);
      lm.addLe(idx, coef, 0);
    } else lm.addLe(idx, coef, Math.max(0, residual[i]!));
  }
  const capIdx: number[] = [];
  const capCoef: number[] = [];
  for (const i of free) {
    capIdx.push(yCol[i]!);
    capCoef.push(pr.cap[i]!);
  }
  lm.addGe(capIdx, capCoef, region.demand * (1 - 1e-12) - fixedRoom);
  return { lm, yCol, warm };
}
