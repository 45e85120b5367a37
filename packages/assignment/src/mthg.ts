import type { GapInstance } from './gap-instance.js';

/**
 * Martello-Toth MTHG (Martello & Toth 1981, "Knapsack Problems" ch. 7): repeatedly take
 * the unassigned job whose regret (desirability of its second-best agent minus its best,
 * among agents with room) is largest and give it its best agent; then the improvement
 * phase moves each job to a cheaper agent with room. Each desirability criterion gives a
 * different solution; `mthg` keeps the cheapest.
 */
export type MthgCriterion = 'cost' | 'weight' | 'relative-weight' | 'cost-per-weight';
export const MTHG_CRITERIA: readonly MthgCriterion[] = ['cost', 'weight', 'relative-weight', 'cost-per-weight'];

function desirability(inst: GapInstance, criterion: MthgCriterion, i: number, j: number): number {
  const k = i * inst.n + j;
  const c = inst.cost[k]!;
  const w = inst.weight[k]!;
  switch (criterion) {
    case 'cost':
      return c;
    case 'weight':
      return w;
    case 'relative-weight':
      return inst.capacity[i]! === Infinity ? 0 : w / Math.max(1e-12, inst.capacity[i]!);
    case 'cost-per-weight':
      // Lower is better: profit per unit (negative costs) or cost times size.
      return c < 0 ? c / Math.max(1e-12, w) : c * Math.max(1e-12, w);
  }
}

/**
 * One MTHG pass. `start` (optional) holds jobs already placed (-1 = to place) whose
 * loads are respected. Returns undefined when some job finds no agent with room.
 */
export function mthgPass(inst: GapInstance, criterion: MthgCriterion, start?: Int32Array, rank?: Float64Array): Int32Array | undefined {
  const { m, n, weight, capacity, feasible } = inst;
  const assign = start ? Int32Array.from(start) : new Int32Array(n).fill(-1);
  const load = new Float64Array(m);
  let left = 0;
  for (let j = 0; j < n; j++) {
    const a = assign[j]!;
    if (a >= 0) load[a]! += weight[a * n + j]!;
    else left++;
  }
  const f = rank ?? new Float64Array(m * n);
  if (!rank) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) f[i * n + j] = desirability(inst, criterion, i, j);
  const bestAgent = new Int32Array(n);
  const secondAgent = new Int32Array(n);
  const regret = new Float64Array(n);
  const dirty = new Uint8Array(n).fill(1);
  while (left > 0) {
    let pick = -1;
    let pickRegret = -Infinity;
    for (let j = 0; j < n; j++) {
      if (assign[j]! >= 0) continue;
      if (dirty[j]) {
        let b1 = Infinity;
        let b2 = Infinity;
        let a1 = -1;
        let a2 = -1;
        for (let i = 0; i < m; i++) {
          const k = i * n + j;
          if (!feasible[k] || load[i]! + weight[k]! > capacity[i]! + 1e-9) continue;
          const v = f[k]!;
          if (v < b1) {
            b2 = b1;
            a2 = a1;
            b1 = v;
            a1 = i;
          } else if (v < b2) {
            b2 = v;
            a2 = i;
          }
        }
        if (a1 < 0) return undefined;
        bestAgent[j] = a1;
        secondAgent[j] = a2;
        regret[j] = b2 === Infinity ? Infinity : b2 - b1;
        dirty[j] = 0;
      }
      if (regret[j]! > pickRegret) {
        pickRegret = regret[j]!;
        pick = j;
      }
    }
    const a = bestAgent[pick]!;
    assign[pick] = a;
    load[a]! += weight[a * n + pick]!;
    left--;
    // Only `a`'s load grew, so a job's best two agents (and its regret) change only when
    // one of them was `a` and the job no longer fits there; the rest keep their values
    // (recomputing every job each step made a pass O(n^2 m), 10-40 ms cold on 5 x 100).
    const la = load[a]!;
    const cap = capacity[a]! + 1e-9;
    for (let j = 0; j < n; j++) {
      if (assign[j]! >= 0 || dirty[j] || (bestAgent[j] !== a && secondAgent[j] !== a)) continue;
      if (la + weight[a * n + j]! > cap) dirty[j] = 1;
    }
  }
  improveShift(inst, assign, load);
  return assign;
}

/** MTHG improvement phase: move each job to the cheapest agent with room while it lowers the cost. */
export function improveShift(inst: GapInstance, assign: Int32Array, load: Float64Array): void {
  const { m, n, cost, weight, capacity, feasible } = inst;
  let improved = true;
  while (improved) {
    improved = false;
    for (let j = 0; j < n; j++) {
      const a = assign[j]!;
      let best = cost[a * n + j]!;
      let to = -1;
      for (let i = 0; i < m; i++) {
        const k = i * n + j;
        if (i === a || !feasible[k] || cost[k]! >= best - 1e-12) continue;
        if (load[i]! + weight[k]! > capacity[i]! + 1e-9) continue;
        best = cost[k]!;
        to = i;
      }
      if (to >= 0) {
        load[a]! -= weight[a * n + j]!;
        load[to]! += weight[to * n + j]!;
        assign[j] = to;
        improved = true;
      }
    }
  }
}

/** Runs MTHG with every criterion; the cheapest assignment, or undefined when all fail. */
export function mthg(inst: GapInstance): Int32Array | undefined {
  let best: Int32Array | undefined;
  let bestCost = Infinity;
  for (const c of MTHG_CRITERIA) {
    const a = mthgPass(inst, c);
    if (!a) continue;
    let s = 0;
    for (let j = 0; j < inst.n; j++) s += inst.cost[a[j]! * inst.n + j]!;
    if (s < bestCost) {
      bestCost = s;
      best = a;
    }
  }
  return best;
}

/**
 * Lagrangian heuristic: keep each job on the agent its knapsack gave it (the cheapest one
 * when several took it), then place the others by MTHG regret on `rank` (the reduced
 * costs), then improve. `fixed` jobs stay where they are.
 */
export function lagrangianRepair(inst: GapInstance, x: Float64Array, fixed: Int32Array | undefined, rank: Float64Array): Int32Array | undefined {
  const { m, n, cost, weight, capacity } = inst;
  const start = fixed ? Int32Array.from(fixed) : new Int32Array(n).fill(-1);
  const load = new Float64Array(m);
  for (let j = 0; j < n; j++) if (start[j]! >= 0) load[start[j]!]! += weight[start[j]! * n + j]!;
  for (let j = 0; j < n; j++) {
    if (start[j]! >= 0) continue;
    let a = -1;
    let c = Infinity;
    for (let i = 0; i < m; i++) {
      const k = i * n + j;
      if (x[k]! > 0.999 && cost[k]! < c && load[i]! + weight[k]! <= capacity[i]! + 1e-9) {
        c = cost[k]!;
        a = i;
      }
    }
    if (a >= 0) {
      start[j] = a;
      load[a]! += weight[a * n + j]!;
    }
  }
  return mthgPass(inst, 'cost', start, rank);
}
