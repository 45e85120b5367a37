import { runSteps, type SolveRun, type Steps } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import { runUntilStop } from './common.js';
import type { CoverProblem } from './cover.js';

/** Answer of one covering question "can K sites cover these clients at radius r?". */
export type CoverAnswer =
  | { answer: 'yes'; sites: number[] }
  | { answer: 'no'; lowerBound: number }
  | { answer: 'unknown'; lowerBound: number };

export interface MipSettings {
  backend: BackendName;
  deadline: number;
  signal: AbortSignal | undefined;
  /**
   * When given, minCoverMip builds its model in steps at this run's checkpoints and abandons
   * it at a stop (lscp:exact: the build was most of a 42 ms stretch at 2000 x 2000, issue 13).
   */
  run?: SolveRun | undefined;
}

/** Units of work (entries read, bitset words compared) between checkpoints of minCoverModelSteps. */
const BUILD_WORK_PER_STEP = 1 << 15;

const now = (): number => performance.now();

/**
 * Minimum set cover of the clients at positions `subset` of a reduced problem, as a MIP
 * through @emplace/lp: min sum y_s subject to sum over the sites of client c of y_s >= 1.
 * Returns the chosen site positions and a proven lower bound on the minimum.
 */
export async function minCoverMip(
  cp: CoverProblem,
  subset: readonly number[],
  settings: MipSettings,
  feasibilityLimit?: number,
): Promise<{ status: 'optimal' | 'stopped'; sites?: number[]; lowerBound: number; value?: number }> {
  const steps = minCoverModelSteps(cp, subset, feasibilityLimit);
  const built = settings.run ? await runUntilStop(steps, settings.run) : runSteps(steps);
  if (built === undefined) return { status: 'stopped', lowerBound: 0 };
  const { model, colSite } = built;
  const remaining = settings.deadline - now();
  if (remaining <= 0) return { status: 'stopped', lowerBound: 0 };
  const sol = await solveLp(model, {
    backend: settings.backend,
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
    // The optimum is an integer: a gap below 1 / (count + 1) already proves it.
    mipRelGap: 0.5 / (colSite.length + 1),
  });
  if (feasibilityLimit !== undefined) {
    if (sol.status === 'infeasible') return { status: 'optimal', lowerBound: feasibilityLimit + 1 };
    if (sol.status === 'optimal' || sol.status === 'feasible') {
      const sites: number[] = [];
      for (let v = 0; v < colSite.length; v++) if (sol.solution.x[v]! > 0.5) sites.push(colSite[v]!);
      return { status: 'optimal', sites, lowerBound: 0, value: sites.length };
    }
    return { status: 'stopped', lowerBound: 0 };
  }
  const lb = sol.bound !== undefined ? Math.ceil(sol.bound - 1e-6) : 0;
  if (sol.status === 'optimal' || sol.status === 'feasible') {
    const sites: number[] = [];
    for (let v = 0; v < colSite.length; v++) if (sol.solution.x[v]! > 0.5) sites.push(colSite[v]!);
    return { status: sol.status === 'optimal' ? 'optimal' : 'stopped', sites, lowerBound: sol.status === 'optimal' ? sites.length : lb, value: sites.length };
  }
  return { status: 'stopped', lowerBound: lb };
}

/**
 * The model of minCoverMip as steps: a checkpoint every BUILD_WORK_PER_STEP units of work
 * (the dominance test, the columns and the covering rows), the same model as built at once.
 */
export function* minCoverModelSteps(cp: CoverProblem, subset: readonly number[], feasibilityLimit?: number): Steps<{ model: LinearModel; colSite: number[] }> {
  const col = new Int32Array(cp.sites.length).fill(-1);
  const colSite: number[] = [];
  const model = new LinearModel('min');
  const keep = yield* undominatedForSubsetSteps(cp, subset);
  let work = 0;
  for (const c of subset) {
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) {
      const s = cp.adj[t]!;
      if (col[s] === -1 && keep[s] === 1) {
        col[s] = model.addVariable({ type: 'binary', obj: feasibilityLimit === undefined ? 1 : 0 });
        colSite.push(s);
      }
    }
    work += 1 + cp.start[c + 1]! - cp.start[c]!;
    if (work >= BUILD_WORK_PER_STEP) {
      work = 0;
      yield;
    }
  }
  const idx: number[] = [];
  for (const c of subset) {
    idx.length = 0;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) if (col[cp.adj[t]!]! >= 0) idx.push(col[cp.adj[t]!]!);
    model.addGe(idx, new Float64Array(idx.length).fill(1), 1);
    work += 1 + 2 * (cp.start[c + 1]! - cp.start[c]!);
    if (work >= BUILD_WORK_PER_STEP) {
      work = 0;
      yield;
    }
  }
  if (feasibilityLimit !== undefined) {
    // Decision form: any cover of the subset with at most K sites; the backend may stop
    // at its first solution instead of proving a minimum.
    model.addLe(Int32Array.from({ length: colSite.length }, (_, v) => v), new Float64Array(colSite.length).fill(1), feasibilityLimit);
  }
  return { model, colSite };
}

/**
 * Maximum coverage at radius r with K sites as a MIP (for k-center with outliers):
 * min sum mult_c u_c subject to sum y_s + u_c >= 1, sum y_s <= K, y binary, 0 <= u <= 1.
 * The answer is yes when lost + minimum <= z.
 */
export async function maxCoverMip(
  cp: CoverProblem,
  K: number,
  z: number,
  settings: MipSettings,
): Promise<CoverAnswer> {
  const budget = z - cp.lost;
  if (budget < 0) return { answer: 'no', lowerBound: Infinity };
  const m = cp.sites.length;
  const n = cp.clients.length;
  const model = new LinearModel('min');
  const y0 = model.addVariables(m, { type: 'binary' });
  const u0 = model.addVariables(n, { lb: 0, ub: 1 });
  for (let c = 0; c < n; c++) model.setObjective(u0 + c, cp.multiplicity[c]!);
  const idx: number[] = [];
  for (let c = 0; c < n; c++) {
    idx.length = 0;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) idx.push(y0 + cp.adj[t]!);
    idx.push(u0 + c);
    model.addGe(idx, new Float64Array(idx.length).fill(1), 1);
  }
  const all = Int32Array.from({ length: m }, (_, s) => y0 + s);
  model.addLe(all, new Float64Array(m).fill(1), K);
  const remaining = settings.deadline - now();
  if (remaining <= 0) return { answer: 'unknown', lowerBound: 0 };
  const sol = await solveLp(model, {
    backend: settings.backend,
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
    mipRelGap: 1e-9,
  });
  if ((sol.status === 'optimal' || sol.status === 'feasible') && sol.objective !== undefined && sol.objective <= budget + 1e-6) {
    const sites: number[] = [];
    for (let s = 0; s < m; s++) if (sol.solution.x[y0 + s]! > 0.5) sites.push(s);
    return { answer: 'yes', sites };
  }
  const bound = sol.status === 'optimal' ? sol.objective ?? Infinity : sol.status === 'infeasible' ? Infinity : sol.bound ?? 0;
  if (bound > budget + 1e-6) return { answer: 'no', lowerBound: bound };
  return { answer: 'unknown', lowerBound: bound };
}

/**
 * Sites worth a column when only `subset` must be covered: a site whose subset clients
 * are all served by another kept site is dropped (identical ones keep the first). The
 * minimum cover of the subset is unchanged, and the model loses most of its symmetry.
 * Bitsets over subset positions: O(sites^2 x subset / 32).
 */
function* undominatedForSubsetSteps(cp: CoverProblem, subset: readonly number[]): Steps<Uint8Array> {
  const m = cp.sites.length;
  const words = (subset.length + 31) >>> 5;
  const bits = new Uint32Array(m * words);
  const count = new Int32Array(m);
  const touched: number[] = [];
  let work = 0;
  for (let pos = 0; pos < subset.length; pos++) {
    const c = subset[pos]!;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) {
      const s = cp.adj[t]!;
      if (count[s] === 0) touched.push(s);
      bits[s * words + (pos >>> 5)]! |= 1 << (pos & 31);
      count[s]!++;
    }
    work += 1 + cp.start[c + 1]! - cp.start[c]!;
    if (work >= BUILD_WORK_PER_STEP) {
      work = 0;
      yield;
    }
  }
  touched.sort((a, b) => count[b]! - count[a]! || a - b);
  yield;
  const keep = new Uint8Array(m);
  const kept: number[] = [];
  for (const s of touched) {
    let dominated = false;
    for (const t of kept) {
      if (count[t]! < count[s]!) break;
      let subsetOf = true;
      let w = 0;
      for (; w < words; w++) {
        const a = bits[s * words + w]!;
        if ((a & bits[t * words + w]!) !== a) { subsetOf = false; break; }
      }
      work += 1 + w;
      if (subsetOf) { dominated = true; break; }
    }
    if (!dominated) {
      keep[s] = 1;
      kept.push(s);
    }
    if (work >= BUILD_WORK_PER_STEP) {
      work = 0;
      yield;
    }
  }
  return keep;
}
