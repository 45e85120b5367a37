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

/** Every capacity the same finite positive number (relative weight is then weight, scaled). */
export function equalFiniteCapacities(capacity: Float64Array): boolean {
  const b = capacity[0]!;
  return Number.isFinite(b) && b > 1e-12 && capacity.every((c) => c === b);
}

/**
 * The desirability table f[i * n + j] of a criterion (lower is better), one loop per
 * criterion so that no call or switch runs per pair.
 */
function desirabilityTable(inst: GapInstance, criterion: MthgCriterion): Float64Array {
  const { m, n, cost, weight, capacity } = inst;
  const f = new Float64Array(m * n);
  if (criterion === 'cost') {
    f.set(cost);
    return f;
  }
  // With every capacity equal, relative weight r_ij / b ranks as weight does: the weight table
  // itself, so that regrets tied in weight stay tied (r_2 / b - r_1 / b rounds differently
  // for different pairs with the same r_2 - r_1, and broke such ties another way: a
  // fast-check counterexample to the equality gap.ts's root relies on, seed 806881612).
  if (criterion === 'weight' || (criterion === 'relative-weight' && equalFiniteCapacities(capacity))) {
    f.set(weight);
    return f;
  }
  for (let i = 0; i < m; i++) {
    const b = capacity[i]!;
    const row = i * n;
    for (let k = row; k < row + n; k++) {
      const c = cost[k]!;
      const w = weight[k]!;
      if (criterion === 'relative-weight') f[k] = b === Infinity ? 0 : w / Math.max(1e-12, b);
      // Lower is better: profit per unit (negative costs) or cost times size.
      else f[k] = c < 0 ? c / Math.max(1e-12, w) : c * Math.max(1e-12, w);
    }
  }
  return f;
}

/**
 * One MTHG pass. `start` (optional) holds jobs already placed (-1 = to place) whose
 * loads are respected. Returns undefined when some job finds no agent with room.
 */
export function mthgPass(inst: GapInstance, criterion: MthgCriterion, start?: Int32Array, rank?: Float64Array): Int32Array | undefined {
  const pass = new RegretPass(inst, rank ?? desirabilityTable(inst, criterion), start);
  for (let left = pass.left; left > 0; left--) {
    const pick = pass.pick();
    if (pick < 0) return undefined;
    pass.place(pick);
  }
  improveShift(inst, pass.assign, pass.load);
  return pass.assign;
}

/**
 * The state of one MTHG pass. Its steps are small methods rather than one long loop: in a
 * fresh process V8 optimises small hot functions cheaply, while one long function was
 * compiled on stack replacement (12-40 ms of compiler time on 5 x 100) and deoptimised
 * at its first unvisited call.
 */
class RegretPass {
  readonly assign: Int32Array;
  readonly load: Float64Array;
  /** Jobs to place. */
  readonly left: number;
  private readonly bestAgent: Int32Array;
  private readonly secondAgent: Int32Array;
  private readonly regret: Float64Array;
  private readonly dirty: Uint8Array;

  constructor(
    private readonly inst: GapInstance,
    private readonly f: Float64Array,
    start: Int32Array | undefined,
  ) {
    const { m, n, weight } = inst;
    this.assign = start ? Int32Array.from(start) : new Int32Array(n).fill(-1);
    this.load = new Float64Array(m);
    let left = 0;
    for (let j = 0; j < n; j++) {
      const a = this.assign[j]!;
      if (a >= 0) this.load[a]! += weight[a * n + j]!;
      else left++;
    }
    this.left = left;
    this.bestAgent = new Int32Array(n);
    this.secondAgent = new Int32Array(n);
    this.regret = new Float64Array(n);
    this.dirty = new Uint8Array(n).fill(1);
  }

  /** The unplaced job of largest regret (its two best agents recomputed where stale); -1 when a job fits nowhere. */
  pick(): number {
    const { assign, dirty, regret } = this;
    const n = this.inst.n;
    let pick = -1;
    let pickRegret = -Infinity;
    for (let j = 0; j < n; j++) {
      if (assign[j]! >= 0) continue;
      if (dirty[j] && !this.rank(j)) return -1;
      if (regret[j]! > pickRegret) {
        pickRegret = regret[j]!;
        pick = j;
      }
    }
    return pick;
  }

  /** Job j's best and second-best agents with room, and its regret; false when none has room. */
  private rank(j: number): boolean {
    const { m, n, weight, capacity, feasible } = this.inst;
    const { f, load } = this;
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
    if (a1 < 0) return false;
    this.bestAgent[j] = a1;
    this.secondAgent[j] = a2;
    this.regret[j] = b2 === Infinity ? Infinity : b2 - b1;
    this.dirty[j] = 0;
    return true;
  }

  /**
   * Gives job `pick` its best agent. Only that agent's load grew, so a job's best two
   * agents (and its regret) change only when one of them was that agent and the job no
   * longer fits there; the rest keep their values (recomputing every job each step made a
   * pass O(n^2 m), 10-40 ms cold on 5 x 100).
   */
  place(pick: number): void {
    const { n, weight, capacity } = this.inst;
    const { assign, dirty, bestAgent, secondAgent } = this;
    const a = bestAgent[pick]!;
    assign[pick] = a;
    this.load[a]! += weight[a * n + pick]!;
    const la = this.load[a]!;
    const cap = capacity[a]! + 1e-9;
    for (let j = 0; j < n; j++) {
      if (assign[j]! >= 0 || dirty[j] || (bestAgent[j] !== a && secondAgent[j] !== a)) continue;
      if (la + weight[a * n + j]! > cap) dirty[j] = 1;
    }
  }
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

/** Runs MTHG with each of `criteria` (default: all four); the cheapest assignment, or undefined when all fail. */
export function mthg(inst: GapInstance, criteria: readonly MthgCriterion[] = MTHG_CRITERIA): Int32Array | undefined {
  let best: Int32Array | undefined;
  let bestCost = Infinity;
  for (const c of criteria) {
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
