import { requireInteger, runSteps, runStepsAsync, SolveRun, type Guarantee, type PlacementModel, type Result, type Steps } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { runUntilStop } from './common.js';
import { prepareCoverageSteps, type CoverageData } from './coverage-instance.js';
import { greedyMulticoverSteps } from './coverage-greedy.js';
import { coverSwapSteps } from './coverage-swap.js';
import type { SurvivableOptions, SurvivableSolution } from './coverage-types.js';

export type SurvivableResult = Result<SurvivableSolution>;

/**
 * N-1 survivable placement: open sites so that every client has at least `level`
 * (default 2) distinct open sites within the latency bound L (`options.radius`); then any
 * single site failure leaves each client a site within L. Minimises the opening cost
 * (1 per site when every opening cost is 0, as in a pmed graph), plus the serving cost
 * to the nearest open site with `servingCost`.
 */
interface Survivable {
  data: CoverageData;
  level: number;
  /** Cost of opening each site (openingCost, or 1 when all are 0). */
  f: Float64Array;
  byCount: boolean;
  serving: boolean;
  /** Coverage still needed by each client beyond the pre-opened sites. */
  need: Int32Array;
}

type Entry = { run: SolveRun; inst: Survivable } | SurvivableResult;

function entry(model: PlacementModel, options: SurvivableOptions | undefined, method: string): Entry {
  const run = new SolveRun(options ?? {}, `survivable:${method}`, 'min');
  return runSteps(entrySteps(model, options, run));
}

/**
 * The entry, yielding to the event loop (the registry's methods): the covering relation is
 * built in steps (its scan of the matrix was one 67 ms stretch on 2000 x 2000, issue 13).
 */
async function entryAsync(model: PlacementModel, options: SurvivableOptions | undefined, method: string): Promise<Entry> {
  const run = new SolveRun(options ?? {}, `survivable:${method}`, 'min');
  return runStepsAsync(entrySteps(model, options, run), run);
}

function* entrySteps(model: PlacementModel, options: SurvivableOptions | undefined, run: SolveRun): Steps<Entry> {
  const opts = options ?? {};
  const method = run.method.slice('survivable:'.length);
  const data = yield* prepareCoverageSteps(model, opts.radius, { capacities: false, family: 'survivable' });
  const level = requireInteger('options.level', opts.level ?? 2, 1);
  const guarantee: Guarantee = method === 'exact' ? { kind: 'exact' } : { kind: 'heuristic' };
  const short: number[] = [];
  for (let j = 0; j < data.nC; j++) if (data.cStart[j + 1]! - data.cStart[j]! < level) short.push(j);
  if (short.length > 0) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: { reason: `${short.length} client(s) have fewer than ${level} allowed sites within ${data.radius} (e.g. client ${short[0]} has ${data.cStart[short[0]! + 1]! - data.cStart[short[0]!]!})`, fields: short.slice(0, 20).map((j) => `clients[${j}]`) },
      warnings: data.warnings,
    });
  }
  let byCount = true;
  for (const s of data.openable) if (model.openingCost[s]! > 0) byCount = false;
  const f = byCount ? new Float64Array(data.nS).fill(1) : Float64Array.from(model.openingCost);
  const need = new Int32Array(data.nC).fill(level);
  for (let j = 0; j < data.nC; j++) for (let t = data.cStart[j]!; t < data.cStart[j + 1]!; t++) if (data.isMust[data.cAdj[t]!]) need[j]!--;
  return { run, inst: { data, level, f, byCount, serving: opts.servingCost === true, need } };
}

/** Recomputes every figure of a set of open sites from the model. */
export function evaluateSurvivable(inst: Survivable, openIn: ArrayLike<number>): { solution: SurvivableSolution; objective: number; feasible: boolean } {
  const { data, f } = inst;
  const { model, nC, radius } = data;
  const open = Int32Array.from(new Set(Array.from(openIn))).sort();
  const primary = new Int32Array(nC).fill(-1);
  const backup = new Int32Array(nC).fill(-1);
  const d1 = new Float64Array(nC).fill(Infinity);
  const d2 = new Float64Array(nC).fill(Infinity);
  const within = new Int32Array(nC);
  let openingCost = 0;
  for (let a = 0; a < open.length; a++) {
    const s = open[a]!;
    openingCost += f[s]!;
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      if (model.allowed !== undefined && model.allowed[row + j] !== 1) continue;
      const v = model.cost[row + j]!;
      if (v <= radius) within[j]!++;
      if (v < d1[j]!) { d2[j] = d1[j]!; backup[j] = primary[j]!; d1[j] = v; primary[j] = s; }
      else if (v < d2[j]!) { d2[j] = v; backup[j] = s; }
    }
  }
  let servingCost = 0;
  let minCoverage = nC === 0 ? inst.level : Infinity;
  for (let j = 0; j < nC; j++) {
    servingCost += d1[j]!;
    minCoverage = Math.min(minCoverage, within[j]!);
    if (d2[j]! > radius) backup[j] = -1;
  }
  const solution: SurvivableSolution = {
    open,
    openIds: Array.from(open, (s) => model.siteIds[s]!),
    added: open.filter((s) => data.isMust[s] !== 1),
    primary,
    backup,
    openingCost,
    servingCost,
    minCoverage,
  };
  return { solution, objective: openingCost + (inst.serving ? servingCost : 0), feasible: minCoverage >= inst.level };
}

/**
 * Greedy multicover (scarce clients first, see greedyMulticover) until every client has
 * `level` open sites within L; then close sites (most expensive first) whose removal keeps
 * coverage and does not raise the objective, and try two-for-one swaps.
 */
function* greedyOpen(inst: Survivable, run: SolveRun): Steps<number[]> {
  const { data, f } = inst;
  const { sStart, sAdj, cStart, cAdj } = data;
  const need = Int32Array.from(inst.need);
  const isOpen = new Uint8Array(data.nS);
  for (const s of data.mustOpen) isOpen[s] = 1;
  yield* greedyMulticoverSteps(data, need, f, isOpen, run);
  // Redundancy removal: coverage counts per client over open sites.
  const count = new Int32Array(data.nC);
  for (let j = 0; j < data.nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (isOpen[cAdj[t]!]) count[j]!++;
  const order = Array.from(data.openable).filter((s) => isOpen[s] && !data.isMust[s]).sort((a, b) => f[b]! - f[a]! || b - a);
  for (const s of order) {
    yield;
    let ok = true;
    for (let t = sStart[s]!; t < sStart[s + 1]! && ok; t++) if (count[sAdj[t]!]! <= inst.level) ok = false;
    if (!ok) continue;
    if (inst.serving) {
      const before = evaluateSurvivable(inst, openList(isOpen, data)).objective;
      isOpen[s] = 0;
      if (evaluateSurvivable(inst, openList(isOpen, data)).objective > before) { isOpen[s] = 1; continue; }
    }
    isOpen[s] = 0;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) count[sAdj[t]!]!--;
  }
  // Opening cost only: close-one / two-for-one swaps (with serving cost the swap search below judges moves).
  if (!inst.serving) yield* coverSwapSteps(data, isOpen, inst.level, f, run);
  return openList(isOpen, data);
}

function openList(isOpen: Uint8Array, data: CoverageData): number[] {
  const out: number[] = [];
  for (let s = 0; s < data.nS; s++) if (isOpen[s]) out.push(s);
  return out;
}

/**
 * Swap search: replace one open site (not pre-opened) by one closed site when coverage
 * stays at `level` everywhere and the objective drops.
 */
/** Steps: a checkpoint every 32 candidate sites (each try evaluates the whole plan). */
function* swapSearch(inst: Survivable, openIn: number[], run: SolveRun): Steps<{ open: number[]; moves: number }> {
  const { data } = inst;
  const isOpen = new Uint8Array(data.nS);
  for (const s of openIn) isOpen[s] = 1;
  let current = evaluateSurvivable(inst, openIn).objective;
  let moves = 0;
  const nC = data.nC;
  const count = new Int32Array(nC);
  const recount = (): void => {
    count.fill(0);
    for (let j = 0; j < nC; j++) for (let t = data.cStart[j]!; t < data.cStart[j + 1]!; t++) if (isOpen[data.cAdj[t]!]) count[j]!++;
  };
  let improved = true;
  while (improved && !run.shouldStop()) {
    improved = false;
    recount();
    const opened = openList(isOpen, data).filter((s) => !data.isMust[s]);
    for (const out of opened) {
      // Clients that would fall below the level without `out`: the incoming site must cover all of them.
      const critical: number[] = [];
      for (let t = data.sStart[out]!; t < data.sStart[out + 1]!; t++) if (count[data.sAdj[t]!]! <= inst.level) critical.push(data.sAdj[t]!);
      let tried = 0;
      for (const inn of data.openable) {
        if ((++tried & 31) === 0 && (yield, run.shouldStop())) break;
        // Without serving cost only a cheaper site can lower the objective.
        if (isOpen[inn] || (!inst.serving && inst.f[inn]! >= inst.f[out]!)) continue;
        let ok = true;
        for (const j of critical) {
          const row = inn * nC + j;
          if (!(data.model.cost[row]! <= data.radius) || (data.model.allowed !== undefined && data.model.allowed[row] !== 1)) { ok = false; break; }
        }
        if (!ok) continue;
        isOpen[out] = 0;
        isOpen[inn] = 1;
        const v = evaluateSurvivable(inst, openList(isOpen, data));
        if (v.feasible && v.objective < current - 1e-9 * Math.max(1, current)) {
          current = v.objective;
          moves++;
          improved = true;
          break;
        }
        isOpen[out] = 1;
        isOpen[inn] = 0;
      }
      if (improved || run.shouldStop()) break;
    }
  }
  return { open: openList(isOpen, data), moves };
}

/** Greedy multicover + redundancy removal + swap search (no bound). */
export function survivableGreedy(model: PlacementModel, options?: SurvivableOptions): SurvivableResult {
  const e = entry(model, options, 'greedy');
  return 'status' in e ? e : runSteps(survivableGreedySteps(e.run, e.inst));
}

/** `survivableGreedy` yielding to the event loop inside its phases (the registry's `survivable:greedy`). */
export async function survivableGreedyAsync(model: PlacementModel, options?: SurvivableOptions): Promise<SurvivableResult> {
  const e = await entryAsync(model, options, 'greedy');
  return 'status' in e ? e : runStepsAsync(survivableGreedySteps(e.run, e.inst), e.run);
}

function* survivableGreedySteps(run: SolveRun, inst: Survivable): Steps<SurvivableResult> {
  const open = yield* greedyOpen(inst, run);
  const ls = yield* swapSearch(inst, open, run);
  const v = evaluateSurvivable(inst, ls.open);
  if (!v.feasible) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, warnings: [...inst.data.warnings, 'stopped before every client reached its coverage level'] });
  return run.solved({ solution: v.solution, objective: v.objective, guarantee: { kind: 'heuristic' }, stats: { moves: ls.moves, costModel: inst.byCount ? 'count' : 'opening-cost' }, warnings: inst.data.warnings });
}

/**
 * Exact survivable placement through @emplace/lp: min sum f_s y_s (+ sum c_sj x_sj)
 * subject to sum over the sites within L of j of y_s >= level, and with serving cost
 * sum_s x_sj = 1, x_sj <= y_s over those sites (the nearest open site is within L).
 * Reductions without serving cost: clients already at their level through pre-opened
 * sites are dropped, a client whose free sites number exactly its need fixes them open,
 * and a client whose free sites contain another's (with no larger need) is dropped.
 */
export async function survivableExact(model: PlacementModel, options?: SurvivableOptions): Promise<SurvivableResult> {
  const e = await entryAsync(model, options, 'exact');
  if ('status' in e) return e;
  const { run, inst } = e;
  const { data } = inst;
  const start = await runStepsAsync(greedyOpen(inst, run), run);
  const heuristic = (await runStepsAsync(swapSearch(inst, start, run), run)).open;
  const stats: Record<string, number | string> = { costModel: inst.byCount ? 'count' : 'opening-cost', forced: 0, droppedClients: 0 };
  const hv = evaluateSurvivable(inst, heuristic);
  // The rows, the dominance pass and the MIP build are steps (each a pass over the covering
  // relation, the dominance pass up to quadratic in 3000 rows): a stop there keeps the heuristic.
  const mip = await runUntilStop(reducedMipSteps(inst, stats), run);
  if (!mip) {
    if (!hv.feasible) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
    return run.solved({ solution: hv.solution, objective: hv.objective, guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
  }
  const remaining = run.remainingMs();
  const res = await solveLp(mip.lp, {
    backend: options?.backend ?? 'highs',
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    ...(hv.feasible ? { warmStart: warmStart(inst, mip, heuristic, hv.solution.primary) } : {}),
    mipRelGap: inst.byCount && !inst.serving ? 0.5 / (data.openable.length + 1) : 1e-9,
  });
  if (res.stoppedBy !== 'converged') run.markStopped(res.stoppedBy);
  let best = hv.feasible ? hv : undefined;
  if (res.status === 'optimal' || res.status === 'feasible') {
    const open: number[] = [];
    for (const s of data.openable) if (res.solution.x[mip.yCol[s]!]! > 0.5) open.push(s);
    const v = evaluateSurvivable(inst, open);
    if (v.feasible && (!best || v.objective < best.objective)) best = v;
  }
  if (res.status === 'infeasible') {
    return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: `the survivability MIP is infeasible at radius ${data.radius}`, fields: ['options.radius', 'options.level'] }, warnings: data.warnings });
  }
  let bound: number | undefined = res.status === 'optimal' ? res.objective : res.bound;
  if (bound !== undefined && inst.byCount && !inst.serving) bound = Math.ceil(bound - 1e-6);
  if (!best) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, ...(bound !== undefined ? { bound } : {}), stats, warnings: data.warnings });
  const proven = res.status === 'optimal' && bound !== undefined && best.objective <= bound + 1e-9 * Math.max(1, Math.abs(bound));
  return run.solved({ solution: best.solution, objective: best.objective, ...(bound !== undefined ? { bound } : {}), proven, guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
}

interface CoverageRow {
  j: number;
  /** Free (not pre-opened) sites within the radius of client j. */
  sites: number[];
  need: number;
}

/** Rows, client columns or dominance checks per step of the MIP preparation (a checkpoint after each). */
const ROW_STEP = 256;
/** Site comparisons per step of the dominance pass. */
const DOMINANCE_WORK = 1 << 15;

/** The multicover rows, the undominated ones (small uncosted cases) and the MIP over them, in steps. */
function* reducedMipSteps(inst: Survivable, stats: Record<string, number | string>): Steps<{ lp: LinearModel; yCol: Int32Array; xStart: number }> {
  const { rows, forcedOpen } = yield* coverageRows(inst);
  let kept = rows;
  if (!inst.serving && rows.length <= 3000) {
    kept = yield* undominatedRows(rows, inst.data.nS);
    stats['droppedClients'] = inst.data.nC - kept.length;
  }
  return yield* multicoverMip(inst, kept, forcedOpen, stats);
}

/** One multicover row per client still short of its level (every client with serving cost); a client whose free sites number exactly its need forces them open. */
function* coverageRows(inst: Survivable): Steps<{ rows: CoverageRow[]; forcedOpen: Uint8Array }> {
  const { data, need } = inst;
  const { nC, nS, cStart, cAdj } = data;
  const forcedOpen = new Uint8Array(nS);
  const rows: CoverageRow[] = [];
  for (let j = 0; j < nC; j++) {
    if ((j & (ROW_STEP - 1)) === ROW_STEP - 1) yield;
    if (need[j]! <= 0 && !inst.serving) continue;
    const sites: number[] = [];
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (!data.isMust[cAdj[t]!]) sites.push(cAdj[t]!);
    if (need[j]! > 0 && sites.length === need[j]) for (const s of sites) forcedOpen[s] = 1;
    rows.push({ j, sites, need: need[j]! });
  }
  return { rows, forcedOpen };
}

/** Client dominance: rows by ascending size; a row whose sites contain a kept row's sites, with no larger need, is dropped. */
function* undominatedRows(rows: CoverageRow[], nS: number): Steps<CoverageRow[]> {
  rows.sort((a, b) => a.sites.length - b.sites.length || b.need - a.need || a.j - b.j);
  yield;
  const mark = new Uint8Array(nS);
  const kept: CoverageRow[] = [];
  let work = 0;
  for (const r of rows) {
    for (const s of r.sites) mark[s] = 1;
    let dominated = false;
    for (const k of kept) {
      if (k.need < r.need) continue;
      if (k.sites.length > r.sites.length) break;
      work += k.sites.length;
      if (k.sites.every((s) => mark[s] === 1)) {
        dominated = true;
        break;
      }
    }
    for (const s of r.sites) mark[s] = 0;
    if (!dominated) kept.push(r);
    work += r.sites.length + 1;
    if (work >= DOMINANCE_WORK) {
      work = 0;
      yield;
    }
  }
  return kept;
}

/** min sum f_s y_s (+ serving cost) over the kept multicover rows; with serving cost, x_sj <= y_s and sum_s x_sj = 1. */
function* multicoverMip(inst: Survivable, kept: readonly CoverageRow[], forcedOpen: Uint8Array, stats: Record<string, number | string>): Steps<{ lp: LinearModel; yCol: Int32Array; xStart: number }> {
  const { data, f } = inst;
  const { nC, nS, cStart, cAdj } = data;
  const lp = new LinearModel('min');
  const yCol = new Int32Array(nS).fill(-1);
  for (const s of data.openable) {
    const lb = data.isMust[s] || forcedOpen[s] ? 1 : 0;
    if (forcedOpen[s]) stats['forced'] = (stats['forced'] as number) + 1;
    yCol[s] = lp.addVariable({ type: 'binary', obj: f[s]!, lb });
  }
  yield;
  for (let k = 0; k < kept.length; k++) {
    const r = kept[k]!;
    if (r.need > 0) lp.addGe(r.sites.map((s) => yCol[s]!), new Float64Array(r.sites.length).fill(1), r.need);
    if ((k & (ROW_STEP - 1)) === ROW_STEP - 1) yield;
  }
  const xStart = lp.numVariables;
  if (inst.serving) {
    for (let j = 0; j < nC; j++) {
      const idx: number[] = [];
      for (let t = cStart[j]!; t < cStart[j + 1]!; t++) {
        const s = cAdj[t]!;
        const x = lp.addVariable({ lb: 0, ub: 1, obj: data.model.cost[s * nC + j]! });
        idx.push(x);
        lp.addLe([x, yCol[s]!], [1, -1], 0);
      }
      lp.addEq(idx, new Float64Array(idx.length).fill(1), 1);
      if ((j & (ROW_STEP - 1)) === ROW_STEP - 1) yield;
    }
  }
  return { lp, yCol, xStart };
}

/** The heuristic solution as MIP values: its open sites and, with serving cost, each client at its primary site. */
function warmStart(inst: Survivable, mip: { lp: LinearModel; yCol: Int32Array; xStart: number }, heuristic: ArrayLike<number>, primary: ArrayLike<number>): Float64Array {
  const { data } = inst;
  const { nC, nS, cStart, cAdj } = data;
  const warm = new Float64Array(mip.lp.numVariables);
  const isH = new Uint8Array(nS);
  for (let a = 0; a < heuristic.length; a++) isH[heuristic[a]!] = 1;
  for (const s of data.openable) warm[mip.yCol[s]!] = isH[s]!;
  if (inst.serving) {
    let col = mip.xStart;
    for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) warm[col++] = cAdj[t] === primary[j] ? 1 : 0;
  }
  return warm;
}
