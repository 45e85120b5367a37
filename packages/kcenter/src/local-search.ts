import { ModelError, type Guarantee, type PlacementModel, type SolveRun } from '@emplace/core';
import { runKCenter, runKCenterAsync, type KCenterResult } from './common.js';
import { evaluateOpen } from './evaluate.js';
import { capacityError, gonzalezCore } from './gonzalez.js';
import type { KCenterInstance } from './instance.js';
import type { KCenterOptions } from './types.js';

/**
 * Swap local search for k-center: an improving move must bring some site closer to the
 * critical client, so only those sites are tried as entering sites; for each, the best
 * leaving site follows in O(nC + k) from the nearest / second-nearest open distances
 * (the fast-interchange bookkeeping of p-median, with max in place of sum). Moves that
 * strictly lower the radius are applied until none is left or time runs out.
 */
export function localSearchCore(inst: KCenterInstance, run: SolveRun, start: ArrayLike<number>, budgetMs = Infinity): { open: Int32Array; moves: number } {
  const stopAt = performance.now() + budgetMs;
  const search = new SwapSearch(inst, start);
  while (!run.shouldStop() && performance.now() <= stopAt && search.step()) run.progress({ phase: 'local-search', incumbent: search.radius, iterations: search.moves });
  return { open: Int32Array.from(search.open), moves: search.moves };
}

/** localSearchCore that yields to the event loop between moves (`await run.tick()`), so an abort is seen at once. */
export async function localSearchAsync(inst: KCenterInstance, run: SolveRun, start: ArrayLike<number>, budgetMs = Infinity): Promise<{ open: Int32Array; moves: number }> {
  const stopAt = performance.now() + budgetMs;
  const search = new SwapSearch(inst, start);
  while (!(await run.tick()) && performance.now() <= stopAt && search.step()) run.progress({ phase: 'local-search', incumbent: search.radius, iterations: search.moves });
  return { open: Int32Array.from(search.open), moves: search.moves };
}

/** The state of the swap search: the open sites and each client's nearest and second-nearest open distance. */
class SwapSearch {
  readonly fixed: Uint8Array;
  readonly isOpen: Uint8Array;
  open: number[] = [];
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly n1: Int32Array;
  /** Per open site: the largest distance of its clients to their best / second-best site with the entering site added. */
  readonly groupM1: Float64Array;
  readonly groupM2: Float64Array;
  moves = 0;
  /** Radius after the last move. */
  radius = Infinity;

  constructor(
    readonly inst: KCenterInstance,
    start: ArrayLike<number>,
  ) {
    const { nS, nC } = inst;
    this.fixed = new Uint8Array(nS);
    for (const s of inst.mustOpen) this.fixed[s] = 1;
    this.isOpen = new Uint8Array(nS);
    for (let a = 0; a < start.length; a++) this.add(start[a]!);
    for (const s of inst.mustOpen) this.add(s);
    this.d1 = new Float64Array(nC);
    this.d2 = new Float64Array(nC);
    this.n1 = new Int32Array(nC);
    this.groupM1 = new Float64Array(nS);
    this.groupM2 = new Float64Array(nS);
    this.recompute();
  }

  private add(s: number): void {
    if (!this.isOpen[s]) {
      this.isOpen[s] = 1;
      this.open.push(s);
    }
  }

  private recompute(): void {
    const { d1, d2, n1, open } = this;
    const { nC, d } = this.inst;
    d1.fill(Infinity);
    d2.fill(Infinity);
    n1.fill(-1);
    for (const s of open) {
      const row = s * nC;
      for (let j = 0; j < nC; j++) {
        const v = d[row + j]!;
        if (v < d1[j]!) {
          d2[j] = d1[j]!;
          d1[j] = v;
          n1[j] = s;
        } else if (v < d2[j]!) d2[j] = v;
      }
    }
  }

  /** Applies the best strictly improving move; false when there is none. */
  step(): boolean {
    const { nC, d, k, openable } = this.inst;
    const { d1, isOpen } = this;
    let radius = -1;
    let crit = 0;
    for (let j = 0; j < nC; j++) {
      if (d1[j]! > radius) {
        radius = d1[j]!;
        crit = j;
      }
    }
    if (radius <= 0) return false;
    const best = { r: radius, sIn: -1, sOut: -1 };
    for (let a = 0; a < openable.length; a++) {
      const sIn = openable[a]!;
      if (isOpen[sIn] || !(d[sIn * nC + crit]! < radius)) continue;
      if (this.open.length < k) this.tryAdd(sIn, best);
      else this.trySwaps(sIn, best);
    }
    if (best.sIn < 0) return false;
    if (best.sOut >= 0) {
      isOpen[best.sOut] = 0;
      this.open = this.open.filter((s) => s !== best.sOut);
    }
    isOpen[best.sIn] = 1;
    this.open.push(best.sIn);
    this.moves++;
    this.radius = best.r;
    this.recompute();
    return true;
  }

  /** A free slot: the radius with sIn simply added. */
  private tryAdd(sIn: number, best: { r: number; sIn: number; sOut: number }): void {
    const { nC, d } = this.inst;
    const { d1 } = this;
    const row = sIn * nC;
    let r = 0;
    for (let j = 0; j < nC; j++) {
      const v = d[row + j]!;
      const m = v < d1[j]! ? v : d1[j]!;
      if (m > r) r = m;
    }
    if (r < best.r) {
      best.r = r;
      best.sIn = sIn;
      best.sOut = -1;
    }
  }

  /** The best leaving site for entering site sIn, in O(nC + k). */
  private trySwaps(sIn: number, best: { r: number; sIn: number; sOut: number }): void {
    const { nC, d } = this.inst;
    const { d1, d2, n1, groupM1, groupM2, open, fixed } = this;
    const row = sIn * nC;
    for (const o of open) {
      groupM1[o] = 0;
      groupM2[o] = 0;
    }
    // Clients no open site may serve (allowed pairs) keep only sIn whatever leaves: skipping them
    // took a swap that left them unserved for an improvement and reported a radius below the
    // optimum (audit seed 6712, kcenter case 23: 0.022 against 0.028).
    let unserved = 0;
    for (let j = 0; j < nC; j++) {
      const v = d[row + j]!;
      const g = n1[j]!;
      if (g < 0) {
        if (v > unserved) unserved = v;
        continue;
      }
      const m1 = v < d1[j]! ? v : d1[j]!;
      const m2 = v < d2[j]! ? v : d2[j]!;
      if (m1 > groupM1[g]!) groupM1[g] = m1;
      if (m2 > groupM2[g]!) groupM2[g] = m2;
    }
    let top1 = -1;
    let top1v = 0;
    let top2v = 0;
    for (const o of open) {
      const v = groupM1[o]!;
      if (top1 === -1 || v > top1v) {
        top2v = top1 === -1 ? 0 : top1v;
        top1v = v;
        top1 = o;
      } else if (v > top2v) top2v = v;
    }
    for (const o of open) {
      if (fixed[o]) continue;
      const others = Math.max(o === top1 ? top2v : top1v, unserved);
      const r = others > groupM2[o]! ? others : groupM2[o]!;
      if (r < best.r) {
        best.r = r;
        best.sIn = sIn;
        best.sOut = o;
      }
    }
  }
}

/** kcenter:local: swap local search from `options.initial` or the Gonzalez solution. */
export function localSearch(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, options, 'local', { kind: 'heuristic' }, (inst, run) => {
    const from = localStart(inst, run, options);
    return localAnswer(inst, run, from, localSearchCore(inst, run, from.start));
  });
}

/**
 * `localSearch` yielding to the event loop between moves (the registry's `kcenter:local`): on
 * 2000 x 2000 the whole search was one stretch of 90-160 ms (issue 13, sweep --scale 4).
 */
export function localSearchMethodAsync(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, options, 'local', { kind: 'heuristic' }, async (inst, run) => {
    const from = localStart(inst, run, options);
    return localAnswer(inst, run, from, await localSearchAsync(inst, run, from.start));
  });
}

interface LocalStart {
  start: ArrayLike<number>;
  bound: number | undefined;
  warnings: string[];
}

/** The start of kcenter:local: `options.initial` (validated) or the Gonzalez centres and their packing bound. */
function localStart(inst: KCenterInstance, run: SolveRun, options: KCenterOptions | undefined): LocalStart {
  if (inst.capacitated) throw capacityError('local');
  const warnings: string[] = [];
  let start: ArrayLike<number>;
  let bound: number | undefined;
  if (options?.initial !== undefined) {
    const init = Array.from(options.initial);
    init.forEach((s, a) => {
      if (!Number.isInteger(s) || s < 0 || s >= inst.nS) throw new ModelError(`options.initial[${a}]`, `must be a site index in [0, ${inst.nS - 1}], got ${s}`);
      if (inst.model.forbidden[s] === 1) throw new ModelError(`options.initial[${a}]`, `is forbidden site ${s}`);
    });
    const distinct = new Set([...init, ...inst.mustOpen]);
    if (distinct.size > inst.k) throw new ModelError('options.initial', `opens ${distinct.size} sites (with mustOpen), more than k = ${inst.k}`);
    start = init;
  } else {
    const g = gonzalezCore(inst, run);
    start = g.open;
    bound = g.bound;
  }
  if (inst.z > 0) {
    warnings.push('local search ignores outliers while moving (the radius reported does ignore them)');
  }
  return { start, bound, warnings };
}

/** The envelope of kcenter:local from the searched centres. */
function localAnswer(inst: KCenterInstance, run: SolveRun, from: LocalStart, searched: { open: Int32Array; moves: number }): KCenterResult {
  const { start, bound, warnings } = from;
  let sol = evaluateOpen(inst, searched.open);
  if (inst.z > 0) {
    // Moves were judged without outliers: keep the start when it is better with them.
    const first = evaluateOpen(inst, start);
    if (first.radius < sol.radius) sol = first;
  }
  const guarantee: Guarantee = { kind: 'heuristic' };
  return run.solved({ solution: sol, objective: sol.radius, ...(bound !== undefined ? { bound } : {}), guarantee, warnings, stats: { moves: searched.moves } });
}
