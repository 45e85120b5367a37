import { argsortStableSteps, checkMetric, ModelError, requireInteger, runSteps, runStepsAsync, SolveRun, toFloat64, type Guarantee, type PlacementModel, type Result, type Steps } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import { featureWarnings } from './coverage-instance.js';
import { runUntilStop } from './common.js';
import type { DispersionSolution, PDispersionOptions } from './coverage-types.js';

export type PDispersionResult = Result<DispersionSolution>;

/**
 * p-dispersion (max-min dispersion): choose k openable sites, pre-opened ones included,
 * maximising the smallest pairwise distance, e.g. replicas placed for failure
 * independence. Distances are between sites: `options.siteDistance`, or the model's cost
 * when site i is client i (a pmed graph); an asymmetric matrix is read as
 * min(d(s, t), d(t, s)), with a warning.
 */
export interface Dispersion {
  model: PlacementModel;
  n: number;
  /** Symmetric site x site distances. */
  D: Float64Array;
  k: number;
  must: Int32Array;
  isMust: Uint8Array;
  openable: Int32Array;
  metric: boolean;
  warnings: string[];
}

type Prepared = Dispersion | { infeasible: string; fields: string[]; warnings: string[] };

/** Rows of an n x n pass between two checkpoints of the setup steps. */
const ROWS_PER_STEP = 64;

/**
 * The instance, as steps: a checkpoint every ROWS_PER_STEP rows of each n x n pass and
 * before the triangle-inequality sample (on 500 sites the setup was one 20-40 ms stretch).
 */
export function* prepareSteps(model: PlacementModel, options: PDispersionOptions): Steps<Prepared> {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (createPlacementModel)');
  if (options.k === undefined) throw new ModelError('options.k', 'is required: the number of sites to choose');
  const k = requireInteger('options.k', options.k, 2);
  const n = model.nSites;
  const warnings = featureWarnings(model, { capacities: false, family: 'pdispersion' });
  let raw: Float64Array;
  if (options.siteDistance !== undefined) {
    raw = toFloat64('options.siteDistance', options.siteDistance, n * n);
  } else {
    let square = model.nSites === model.nClients;
    let sameIds = square;
    for (let i = 0; sameIds && i < n; i++) if (model.siteIds[i] !== model.clientIds[i]) sameIds = false;
    let zeroDiag = square;
    for (let i = 0; zeroDiag && i < n; i++) if (model.cost[i * n + i] !== 0) zeroDiag = false;
    square = sameIds || zeroDiag;
    if (!square) throw new ModelError('options.siteDistance', 'is required: the model\'s cost is sites x clients and its sites are not its clients (no site-to-site distances)');
    raw = model.cost;
  }
  for (let t = 0; t < n * n; t++) {
    if (t % (ROWS_PER_STEP * n) === ROWS_PER_STEP * n - 1) yield;
    if (!(raw[t]! >= 0)) throw new ModelError(`siteDistance[${Math.floor(t / n)}][${t % n}]`, `must be a non-negative number, got ${raw[t]}`);
  }
  const D = new Float64Array(n * n);
  let asymmetric = false;
  for (let a = 0; a < n; a++) {
    if (a % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    for (let b = 0; b < n; b++) {
      const x = raw[a * n + b]!;
      const y = raw[b * n + a]!;
      if (x !== y) asymmetric = true;
      D[a * n + b] = a === b ? 0 : Math.min(x, y);
    }
  }
  if (asymmetric) warnings.push('site distances are not symmetric: min(d(s, t), d(t, s)) is used');
  const must: number[] = [];
  const openable: number[] = [];
  const isMust = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    if (model.mustOpen[s] === 1) { must.push(s); isMust[s] = 1; }
    if (model.forbidden[s] !== 1) openable.push(s);
    else if (model.mustOpen[s] === 1) throw new ModelError(`sites[${s}]`, 'is both mustOpen and forbidden');
  }
  if (must.length > k) return { infeasible: `${must.length} sites are pre-opened (mustOpen) but k = ${k}`, fields: must.map((s) => `sites[${s}].mustOpen`), warnings };
  if (openable.length < k) return { infeasible: `only ${openable.length} sites may be chosen but k = ${k}`, fields: ['options.k', 'sites[].forbidden'], warnings };
  // The 2-approximation and its upper bound need the triangle inequality (sampled on large inputs).
  yield;
  const m = Math.min(n, 150);
  const idx = Int32Array.from({ length: m }, (_, a) => Math.floor((a * n) / m));
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = D[idx[a]! * n + idx[b]!]!;
  let maxD = 0;
  for (let t = 0; t < sub.length; t++) if (sub[t]! > maxD && sub[t] !== Infinity) maxD = sub[t]!;
  const metric = checkMetric(sub, m, 1e-9 * Math.max(1, maxD), 1).isMetric;
  if (!metric) warnings.push('site distances violate the triangle inequality: no approximation ratio or upper bound from the greedy');
  yield;
  return { model, n, D, k, must: Int32Array.from(must), isMust, openable: Int32Array.from(openable), metric, warnings };
}

/** Smallest pairwise distance of a set and a pair attaining it. */
export function dispersionOf(D: Float64Array, n: number, set: ArrayLike<number>): { value: number; pair: [number, number] } {
  let value = Infinity;
  let pair: [number, number] = [-1, -1];
  for (let a = 0; a < set.length; a++) {
    for (let b = a + 1; b < set.length; b++) {
      const v = D[set[a]! * n + set[b]!]!;
      if (v < value) { value = v; pair = [set[a]!, set[b]!]; }
    }
  }
  return { value, pair };
}

/**
 * Farthest-point greedy: from the pre-opened sites (or the farthest pair when there are
 * none), add the site farthest from the chosen ones. On a metric this is a
 * 2-approximation (Ravi, Rosenkrantz & Tayi 1994), and 2 x (the distance of the last pick)
 * bounds the optimum: the first k - 1 picks are within that distance of every site, so
 * two of the optimum's k sites share a nearest pick.
 */
function farthestPoint(inst: Dispersion): { set: number[]; upper: number } {
  return runSteps(farthestPointSteps(inst));
}

/**
 * `farthestPoint` as steps: a checkpoint every ROWS_PER_STEP rows of the farthest-pair scan and
 * every few picks. A stop seen at a checkpoint of the pair scan (O(n^2): ~40 ms at 2000 sites)
 * with over STOPPED_WORK pairs left ends it with the farthest pair so far, which then bounds
 * nothing; the picks are O(k n).
 */
export function* farthestPointSteps(inst: Dispersion, stop: () => boolean = () => false): Steps<{ set: number[]; upper: number }> {
  const { n, D, k, must, openable } = inst;
  const set: number[] = [...must];
  const inSet = new Uint8Array(n);
  for (const s of must) inSet[s] = 1;
  let farthest = Infinity;
  if (set.length === 0) {
    let a = openable[0]!;
    let b = openable[1]!;
    let scanned = true;
    for (let p = 0; p < openable.length && scanned; p++) {
      if (p % ROWS_PER_STEP === ROWS_PER_STEP - 1) {
        yield;
        const rest = openable.length - p;
        if ((rest * rest) / 2 > STOPPED_WORK && stop()) scanned = false;
      }
      for (let q = p + 1; q < openable.length; q++) {
        if (D[openable[p]! * n + openable[q]!]! > D[a * n + b]!) { a = openable[p]!; b = openable[q]!; }
      }
    }
    if (scanned) farthest = D[a * n + b]!;
    set.push(a);
    inSet[a] = 1;
    if (k >= 2) { set.push(b); inSet[b] = 1; }
  }
  const near = new Float64Array(n).fill(Infinity);
  for (const s of set) for (const t of openable) near[t] = Math.min(near[t]!, D[s * n + t]!);
  let last = Infinity;
  while (set.length < k) {
    if (set.length % 16 === 15) yield;
    let best = -1;
    for (const t of openable) if (!inSet[t] && (best < 0 || near[t]! > near[best]!)) best = t;
    last = near[best]!;
    set.push(best);
    inSet[best] = 1;
    for (const t of openable) near[t] = Math.min(near[t]!, D[best * n + t]!);
  }
  // With fewer than k - 1 starting sites the pigeonhole argument applies to the last pick;
  // otherwise the pre-opened pairs themselves bound the optimum.
  const mustValue = dispersionOf(D, n, must).value;
  const upper = Math.min(inst.metric && Number.isFinite(last) ? 2 * last : Infinity, mustValue, farthest);
  return { set, upper };
}

/**
 * Swap search: replace a site of the closest pair (not a pre-opened one) by the unchosen
 * site farthest from the rest, when that raises the smallest distance or keeps it and
 * lowers the number of pairs at it.
 */
function swapSearch(inst: Dispersion, setIn: readonly number[], run: SolveRun): { set: number[]; swaps: number } {
  return runSteps(swapSearchSteps(inst, setIn, run));
}

/** `swapSearch` as steps: a checkpoint every 32 candidate sites tried (each costs O(k^2)). */
function* swapSearchSteps(inst: Dispersion, setIn: readonly number[], run: SolveRun): Steps<{ set: number[]; swaps: number }> {
  const { n, D, openable, isMust } = inst;
  const set = [...setIn];
  const inSet = new Uint8Array(n);
  for (const s of set) inSet[s] = 1;
  const score = (arr: readonly number[]): [number, number] => {
    let v = Infinity;
    let cnt = 0;
    for (let a = 0; a < arr.length; a++) for (let b = a + 1; b < arr.length; b++) {
      const d = D[arr[a]! * n + arr[b]!]!;
      if (d < v) { v = d; cnt = 1; } else if (d === v) cnt++;
    }
    return [v, cnt];
  };
  let [v, cnt] = score(set);
  let swaps = 0;
  for (let iter = 0; iter < 10 * n && !run.shouldStop(); iter++) {
    const { pair } = dispersionOf(D, n, set);
    let moved = false;
    for (const out of pair) {
      if (out < 0 || isMust[out]) continue;
      const pos = set.indexOf(out);
      for (let q = 0; q < openable.length; q++) {
        const t = openable[q]!;
        if ((q & 31) === 31) {
          yield;
          if (run.shouldStop()) return { set, swaps };
        }
        if (inSet[t]) continue;
        let far = Infinity;
        for (let a = 0; a < set.length && far > v; a++) if (a !== pos) far = Math.min(far, D[set[a]! * n + t]!);
        if (far < v) continue;
        set[pos] = t;
        const [v2, c2] = score(set);
        if (v2 > v || (v2 === v && c2 < cnt)) {
          inSet[out] = 0;
          inSet[t] = 1;
          v = v2;
          cnt = c2;
          swaps++;
          moved = true;
          break;
        }
        set[pos] = out;
      }
      if (moved) break;
    }
    if (!moved) break;
  }
  return { set, swaps };
}

function solution(inst: Dispersion, set: readonly number[]): DispersionSolution {
  const open = Int32Array.from(set).sort();
  const { value, pair } = dispersionOf(inst.D, inst.n, open);
  return { open, openIds: Array.from(open, (s) => inst.model.siteIds[s]!), minDistance: value, closestPair: pair };
}

function entry(model: PlacementModel, options: PDispersionOptions | undefined, method: string, guarantee: Guarantee): { run: SolveRun; inst: Dispersion } | PDispersionResult {
  const opts = options ?? {};
  const run = new SolveRun(opts, `pdispersion:${method}`, 'max');
  return entryOf(run, runSteps(prepareSteps(model, opts)), guarantee);
}

/** `entry` yielding to the event loop during the setup (the registry's async methods). */
async function entryAsync(model: PlacementModel, options: PDispersionOptions | undefined, method: string, guarantee: Guarantee): Promise<{ run: SolveRun; inst: Dispersion } | PDispersionResult> {
  const opts = options ?? {};
  const run = new SolveRun(opts, `pdispersion:${method}`, 'max');
  // A stop during the two O(n^2) passes of the setup (~60 ms at 2000 sites) ends the solve
  // with no set, unless little of them is left: then the greedy set after them is returned.
  const n = model?.nSites ?? 0;
  const steps = prepareSteps(model, opts);
  let left = Math.ceil((2 * n) / ROWS_PER_STEP) + 2;
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return entryOf(run, r.value, guarantee);
    left--;
    if ((await run.tick()) && left * ROWS_PER_STEP * n > STOPPED_WORK) return run.unsolved({ status: 'no-solution', guarantee });
  }
}

/** Work (matrix entries, pairs) that a stopped setup or farthest-pair scan still finishes: a few ms. */
const STOPPED_WORK = 1 << 20;

function entryOf(run: SolveRun, p: Prepared, guarantee: Guarantee): { run: SolveRun; inst: Dispersion } | PDispersionResult {
  if ('infeasible' in p) return run.unsolved({ status: 'infeasible', guarantee, certificate: { reason: p.infeasible, fields: p.fields }, warnings: p.warnings });
  return { run, inst: p };
}

/** Farthest-point greedy + swap search (2-approximation and upper bound on metric distances). */
export function pDispersionGreedy(model: PlacementModel, options?: PDispersionOptions): PDispersionResult {
  const e = entry(model, options, 'greedy', { kind: 'heuristic' });
  if ('status' in e) return e;
  const g = farthestPoint(e.inst);
  return greedyResult(e.run, e.inst, g, swapSearch(e.inst, g.set, e.run));
}

/** `pDispersionGreedy` yielding to the event loop during the swap search (the registry's `pdispersion:greedy`). */
export async function pDispersionGreedyAsync(model: PlacementModel, options?: PDispersionOptions): Promise<PDispersionResult> {
  const e = await entryAsync(model, options, 'greedy', { kind: 'heuristic' });
  if ('status' in e) return e;
  const g = await runStepsAsync(farthestPointSteps(e.inst, () => e.run.shouldStop()), e.run);
  const ls = await runStepsAsync(swapSearchSteps(e.inst, g.set, e.run), e.run);
  return greedyResult(e.run, e.inst, g, ls);
}

/** The greedy's envelope: the swap-search set, with the farthest-point upper bound. */
function greedyResult(run: SolveRun, inst: Dispersion, g: { upper: number }, ls: { set: number[]; swaps: number }): PDispersionResult {
  const sol = solution(inst, ls.set);
  const guarantee: Guarantee = inst.metric ? { kind: 'approximation', ratio: 2, assumes: 'metric' } : { kind: 'heuristic' };
  return run.solved({
    solution: sol,
    objective: sol.minDistance,
    ...(Number.isFinite(g.upper) ? { bound: g.upper } : {}),
    guarantee,
    stats: { swaps: ls.swaps },
    warnings: inst.warnings,
  });
}

/**
 * Exact p-dispersion: binary search over the sorted distinct site distances between the
 * greedy value and its upper bound. Radius r is feasible when the sites at distance >= r
 * from every pre-opened site hold an independent set of k - |mustOpen| sites in the
 * conflict graph (edges between sites closer than r); decided by a greedy independent
 * set (quick yes) and otherwise a feasibility MIP through @emplace/lp whose rows are the
 * cliques of a greedy edge clique cover (much tighter than one row per edge).
 */
export async function pDispersionExact(model: PlacementModel, options?: PDispersionOptions): Promise<PDispersionResult> {
  const e = await entryAsync(model, options, 'exact', { kind: 'exact' });
  if ('status' in e) return e;
  const { run, inst } = e;
  const backend: BackendName = options?.backend ?? 'highs';
  const g = await runStepsAsync(farthestPointSteps(inst, () => run.shouldStop()), run);
  let best = (await runStepsAsync(swapSearchSteps(inst, g.set, run), run)).set;
  let lower = dispersionOf(inst.D, inst.n, best).value;
  let upper = g.upper;
  // Each better set goes to options.onIncumbent (a pool returns it if the worker is killed).
  run.incumbent(lower, () => solution(inst, best), true);
  run.progress({ phase: 'greedy', incumbent: lower, bound: upper });
  const { n, D } = inst;
  // A stop while the radii are listed ends the search at the greedy set (no stretch after it).
  const radii = await runUntilStop(candidateRadiiSteps(inst, lower, upper), run);
  const { cand, uniq } = radii ?? { cand: new Float64Array(0), uniq: 0 };
  // Invariant: every radius in cand[lo..hi) is undecided; radii below lo are feasible, above refuted.
  let lo = 0;
  let hi = uniq;
  const stats = { radiiTested: 0, mipSolves: 0, greedyYes: 0 };
  let stopped = radii === undefined;
  while (lo < hi) {
    if (await run.tick()) { stopped = true; break; }
    const mid = (lo + hi) >>> 1;
    const r = cand[mid]!;
    stats.radiiTested++;
    const ans = await decide(inst, r, backend, run, stats);
    if (ans.answer === 'yes') {
      best = ans.set;
      lower = dispersionOf(D, n, best).value;
      const found = best;
      run.incumbent(lower, () => solution(inst, found), true);
      // The found set may beat r: skip every radius it already reaches.
      while (lo < hi && cand[lo]! <= lower) lo++;
      if (mid + 1 > lo) lo = mid + 1;
    } else if (ans.answer === 'no') {
      hi = mid;
      upper = mid > 0 ? Math.max(lower, cand[mid - 1]!) : lower;
    } else {
      stopped = true;
      break;
    }
    run.progress({ phase: 'radius-search', incumbent: lower, bound: upper, iterations: stats.radiiTested });
  }
  if (!stopped) upper = lower;
  else run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
  const sol = solution(inst, best);
  return run.solved({
    solution: sol,
    objective: sol.minDistance,
    ...(Number.isFinite(upper) ? { bound: upper } : {}),
    proven: !stopped,
    guarantee: { kind: 'exact' },
    stats,
    warnings: inst.warnings,
  });
}

/**
 * Candidate radii: the distinct pairwise distances among openable sites in (lower, upper],
 * sorted (cand[0..uniq)); a checkpoint every ROWS_PER_STEP rows and around the sort.
 */
export function* candidateRadiiSteps(inst: Dispersion, lower: number, upper: number): Steps<{ cand: Float64Array; uniq: number }> {
  const { n, D, openable } = inst;
  let values = new Float64Array(1024);
  let count = 0;
  for (let a = 0; a < openable.length; a++) {
    if (a % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    for (let b = a + 1; b < openable.length; b++) {
      const v = D[openable[a]! * n + openable[b]!]!;
      if (!(v > lower && v <= upper)) continue;
      if (count === values.length) {
        const grown = new Float64Array(2 * count);
        grown.set(values);
        values = grown;
      }
      values[count++] = v;
    }
  }
  yield;
  // Core's radix argsort in steps, not the native sort: sorting the 2M pairwise distances of
  // 2000 sites was one 142 ms stretch (issue 13, sweep --scale 4).
  const keys = values.subarray(0, count);
  const order = yield* argsortStableSteps(keys);
  const cand = new Float64Array(count);
  let uniq = 0;
  for (let t = 0; t < count; t++) {
    const v = keys[order[t]!]!;
    if (uniq === 0 || v !== cand[uniq - 1]) cand[uniq++] = v;
    if ((t & 0xffff) === 0xffff) yield;
  }
  return { cand, uniq };
}

type Decision = { answer: 'yes'; set: number[] } | { answer: 'no' } | { answer: 'unknown' };

async function decide(inst: Dispersion, r: number, backend: BackendName, run: SolveRun, stats: { mipSolves: number; greedyYes: number }): Promise<Decision> {
  const { n, D, must } = inst;
  if (dispersionOf(D, n, must).value < r) return { answer: 'no' };
  const need = inst.k - must.length;
  const free = freeCandidates(inst, r);
  if (free.length < need) return { answer: 'no' };
  const graph = await runUntilStop(conflictGraphSteps(inst, free, r), run);
  if (!graph) return { answer: 'unknown' };
  const { adj, deg } = graph;
  const picked = await runUntilStop(greedyIndependentSetSteps(adj, deg), run);
  if (!picked) return { answer: 'unknown' };
  if (picked.length >= need) {
    stats.greedyYes++;
    return { answer: 'yes', set: [...must, ...picked.slice(0, need).map((a) => free[a]!)] };
  }
  // Abandoned at a stop (no MIP is solved after it).
  const lp = await runUntilStop(independentSetMipSteps(inst, free, adj, deg, r, need), run);
  if (lp === undefined) return { answer: 'unknown' };
  stats.mipSolves++;
  const remaining = run.remainingMs();
  const res = await solveLp(lp, {
    backend,
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
  });
  if (res.status === 'infeasible') return { answer: 'no' };
  if (res.status === 'optimal' || res.status === 'feasible') {
    const set = [...must];
    for (let a = 0; a < free.length && set.length < inst.k; a++) if (res.solution.x[a]! > 0.5) set.push(free[a]!);
    if (set.length === inst.k && dispersionOf(D, n, set).value >= r) return { answer: 'yes', set };
  }
  return { answer: 'unknown' };
}

/** Openable sites, not pre-opened, at distance >= r from every pre-opened site. */
function freeCandidates(inst: Dispersion, r: number): number[] {
  const { n, D, must, openable, isMust } = inst;
  const free: number[] = [];
  for (const s of openable) {
    if (isMust[s]) continue;
    let ok = true;
    for (let a = 0; a < must.length && ok; a++) if (D[must[a]! * n + s]! < r) ok = false;
    if (ok) free.push(s);
  }
  return free;
}

/** Conflict graph over free positions: two candidates closer than r cannot both be chosen. A checkpoint every ROWS_PER_STEP rows. */
export function* conflictGraphSteps(inst: Dispersion, free: readonly number[], r: number): Steps<{ adj: number[][]; deg: Int32Array }> {
  const { n, D } = inst;
  const m = free.length;
  const deg = new Int32Array(m);
  const adj: number[][] = Array.from({ length: m }, () => []);
  for (let a = 0; a < m; a++) {
    if (a % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    for (let b = a + 1; b < m; b++) {
      if (D[free[a]! * n + free[b]!]! < r) {
        adj[a]!.push(b);
        adj[b]!.push(a);
        deg[a]!++;
        deg[b]!++;
      }
    }
  }
  return { adj, deg };
}

/** Min-degree greedy independent set (a quick "yes"); a checkpoint every 8 picks (each scans every candidate). */
export function* greedyIndependentSetSteps(adj: readonly number[][], deg: Int32Array): Steps<number[]> {
  const m = deg.length;
  const alive = new Uint8Array(m).fill(1);
  const curDeg = Int32Array.from(deg);
  const picked: number[] = [];
  // A checkpoint by work (candidates scanned + adjacency walked), not every 8 picks: on a
  // dense conflict graph one pick walks the neighbours' lists (a 30 ms stretch, issue 13).
  let work = 0;
  for (;;) {
    if (work >= 1 << 16) {
      work = 0;
      yield;
    }
    let v = -1;
    for (let a = 0; a < m; a++) if (alive[a] && (v < 0 || curDeg[a]! < curDeg[v]!)) v = a;
    work += m;
    if (v < 0) break;
    picked.push(v);
    alive[v] = 0;
    for (const u of adj[v]!) {
      if (!alive[u]) continue;
      alive[u] = 0;
      for (const w of adj[u]!) curDeg[w]!--;
      work += adj[u]!.length;
    }
  }
  return picked;
}

/** Units of work (pairs tested or marked, adjacency entries walked) between checkpoints of independentSetMipSteps. */
const MIP_WORK_PER_STEP = 1 << 15;

/**
 * The feasibility MIP: at least `need` free candidates, at most one per clique of an edge
 * clique cover (grown from each uncovered edge over common neighbours), as steps: a
 * checkpoint every MIP_WORK_PER_STEP units of work, inside a clique too. On a dense conflict
 * graph one clique holds hundreds of candidates, and growing it (candidates x members
 * distance tests, then members^2 / 2 pairs marked) was one 40-80 ms stretch on CPU at 2000
 * sites when the checkpoints were per row and per clique (issue 13, sweep --scale 4).
 */
export function* independentSetMipSteps(inst: Dispersion, free: readonly number[], adj: readonly number[][], deg: Int32Array, r: number, need: number): Steps<LinearModel> {
  const { n, D } = inst;
  const m = free.length;
  const lp = new LinearModel('max');
  const x0 = lp.addVariables(m, { type: 'binary', obj: 0 });
  lp.addGe(Int32Array.from({ length: m }, (_, a) => x0 + a), new Float64Array(m).fill(1), need);
  // Pairs already in a clique, one bit each (a Set of up to m^2 / 2 keys rehashed in long stretches).
  const covered = new Uint32Array(Math.ceil((m * m) / 32));
  const isCovered = (pair: number): boolean => (covered[pair >>> 5]! & (1 << (pair & 31))) !== 0;
  const isNb = new Uint8Array(m);
  let work = 0;
  for (let a = 0; a < m; a++) {
    // Rows whose edges are all covered cost O(degree) each.
    work += 1 + adj[a]!.length;
    if (work >= MIP_WORK_PER_STEP) {
      work = 0;
      yield;
    }
    for (const b of adj[a]!) {
      if (b < a || isCovered(a * m + b)) continue;
      const clique = [a, b];
      for (const u of adj[a]!) isNb[u] = 1;
      const cands = adj[b]!.filter((u) => isNb[u] && u !== a).sort((u, w) => deg[w]! - deg[u]!);
      for (const u of adj[a]!) isNb[u] = 0;
      work += adj[a]!.length + adj[b]!.length + cands.length;
      for (const u of cands) {
        let all = true;
        for (const c of clique) {
          if (!(D[free[u]! * n + free[c]!]! < r)) {
            all = false;
            break;
          }
        }
        if (all) clique.push(u);
        work += clique.length;
        if (work >= MIP_WORK_PER_STEP) {
          work = 0;
          yield;
        }
      }
      for (let p = 0; p < clique.length; p++) {
        for (let q = p + 1; q < clique.length; q++) {
          const pair = Math.min(clique[p]!, clique[q]!) * m + Math.max(clique[p]!, clique[q]!);
          covered[pair >>> 5]! |= 1 << (pair & 31);
        }
        work += clique.length - p;
        if (work >= MIP_WORK_PER_STEP) {
          work = 0;
          yield;
        }
      }
      lp.addLe(clique.map((c) => x0 + c), new Float64Array(clique.length).fill(1), 1);
    }
  }
  return lp;
}
