import type { SolveRun, Steps } from '@emplace/core';
import type { CoverageData } from './coverage-instance.js';

/**
 * Local search for covering plans (LSCP: level 1; survivable: level 2+): every client j
 * needs `level` open sites within the radius. Moves, applied while one lowers the cost:
 *
 * - close one site whose clients all keep their level (a pure saving);
 * - close two sites a, b and open one site c cheaper than both: only the clients of a and b
 *   can fall short, each by at most one when c covers them, so c must cover every client
 *   that falls short and none may fall short by two. The candidates for c are the sites
 *   of the first short client, so a move is checked in O(|clients of a| + |clients of b|).
 *
 * The 2-for-1 move is what a greedy cover most often misses: two sites picked early that
 * one later site could replace. Pre-opened sites never close. Mutates `isOpen`.
 * As steps: a checkpoint after each closing pass and each site's two-for-one tries.
 */
export function* coverSwapSteps(data: CoverageData, isOpen: Uint8Array, level: number, f: Float64Array, run: SolveRun): Steps<number> {
  const swap = new CoverSwap(data, isOpen, level, f);
  let improved = true;
  while (improved) {
    const opened: number[] = [];
    for (const s of data.openable) if (isOpen[s] && !data.isMust[s]) opened.push(s);
    // Single closings, most expensive first.
    opened.sort((a, b) => f[b]! - f[a]! || a - b);
    improved = swap.closeRedundant(opened);
    yield;
    if (run.shouldStop()) return swap.moves;
    if (improved) continue;
    for (let p = 0; p < opened.length && !improved; p++) {
      yield;
      if (run.shouldStop()) return swap.moves;
      for (let q = p + 1; q < opened.length && !improved; q++) improved = swap.tryTwoForOne(opened[p]!, opened[q]!);
    }
  }
  return swap.moves;
}

/** The coverage counts of the current plan and the scratch arrays of the moves. */
class CoverSwap {
  /** Open sites within the radius of each client. */
  readonly count: Int32Array;
  /** Coverage lost per client under the candidate closing (0, 1 or 2), reset after each try. */
  readonly lost: Int8Array;
  readonly short: number[] = [];
  readonly covC: Uint8Array;
  readonly seen: Uint8Array;
  moves = 0;

  constructor(
    readonly data: CoverageData,
    readonly isOpen: Uint8Array,
    readonly level: number,
    readonly f: Float64Array,
  ) {
    const { nC, cStart, cAdj } = data;
    this.count = new Int32Array(nC);
    for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (isOpen[cAdj[t]!]) this.count[j]!++;
    this.lost = new Int8Array(nC);
    this.covC = new Uint8Array(nC);
    this.seen = new Uint8Array(nC);
  }

  close(s: number): void {
    const { sStart, sAdj } = this.data;
    this.isOpen[s] = 0;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) this.count[sAdj[t]!]!--;
  }

  open(s: number): void {
    const { sStart, sAdj } = this.data;
    this.isOpen[s] = 1;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) this.count[sAdj[t]!]!++;
  }

  /** Closes, in the given order, every site whose clients all keep their level; true when one closed. */
  closeRedundant(opened: readonly number[]): boolean {
    const { sStart, sAdj } = this.data;
    let closed = false;
    for (const s of opened) {
      let ok = true;
      for (let t = sStart[s]!; t < sStart[s + 1]! && ok; t++) if (this.count[sAdj[t]!]! <= this.level) ok = false;
      if (ok) {
        this.close(s);
        this.moves++;
        closed = true;
      }
    }
    return closed;
  }

  /** Closes a and b, opening one cheaper site that keeps every client at its level when there is one; true when applied. */
  tryTwoForOne(a: number, b: number): boolean {
    const { sStart, sAdj } = this.data;
    const { lost } = this;
    for (const s of [a, b]) for (let t = sStart[s]!; t < sStart[s + 1]!; t++) lost[sAdj[t]!]!++;
    const twice = this.collectShort(a, b);
    const pick = twice ? -1 : this.replacement(this.f[a]! + this.f[b]!);
    for (const s of [a, b]) for (let t = sStart[s]!; t < sStart[s + 1]!; t++) lost[sAdj[t]!] = 0;
    if (pick === -1) return false;
    this.close(a);
    this.close(b);
    if (pick >= 0) this.open(pick);
    this.moves++;
    return true;
  }

  /** Clients of a and b that fall one short of their level into `short`; true when one falls short by two. */
  private collectShort(a: number, b: number): boolean {
    const { sStart, sAdj } = this.data;
    const { seen, short, count, lost, level } = this;
    short.length = 0;
    let twice = false;
    for (const s of [a, b]) {
      for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
        const j = sAdj[t]!;
        if (seen[j]) continue;
        seen[j] = 1;
        const rem = count[j]! - lost[j]!;
        if (rem < level - 1) twice = true;
        else if (rem < level) short.push(j);
      }
    }
    for (const s of [a, b]) for (let t = sStart[s]!; t < sStart[s + 1]!; t++) seen[sAdj[t]!] = 0;
    return twice;
  }

  /**
   * The cheapest closed site below `budget` covering every short client (among the sites of
   * the first one); -2 when nobody falls short (both close with no replacement), -1 when none.
   */
  private replacement(budget: number): number {
    const { cStart, cAdj, sStart, sAdj } = this.data;
    const { short, covC, isOpen, f } = this;
    if (short.length === 0) return -2;
    const j0 = short[0]!;
    let bestCost = budget;
    let pick = -1;
    for (let t = cStart[j0]!; t < cStart[j0 + 1]!; t++) {
      const c = cAdj[t]!;
      if (isOpen[c] || !(f[c]! < bestCost)) continue;
      for (let u = sStart[c]!; u < sStart[c + 1]!; u++) covC[sAdj[u]!] = 1;
      let all = true;
      for (const j of short) {
        if (!covC[j]) {
          all = false;
          break;
        }
      }
      for (let u = sStart[c]!; u < sStart[c + 1]!; u++) covC[sAdj[u]!] = 0;
      if (all) {
        pick = c;
        bestCost = f[c]!;
      }
    }
    return pick;
  }
}
