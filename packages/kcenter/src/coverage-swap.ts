import type { SolveRun } from '@emplace/core';
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
 */
export function coverSwap(data: CoverageData, isOpen: Uint8Array, level: number, f: Float64Array, run: SolveRun): number {
  const { nC, cStart, cAdj, sStart, sAdj, isMust, openable } = data;
  const count = new Int32Array(nC);
  for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (isOpen[cAdj[t]!]) count[j]!++;
  // Coverage lost per client under the candidate closing (0, 1 or 2), reset after each try.
  const lost = new Int8Array(nC);
  const short: number[] = [];
  const covC = new Uint8Array(nC);
  const seen = new Uint8Array(nC);
  let moves = 0;
  const close = (s: number): void => {
    isOpen[s] = 0;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) count[sAdj[t]!]!--;
  };
  const open = (s: number): void => {
    isOpen[s] = 1;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) count[sAdj[t]!]!++;
  };
  let improved = true;
  while (improved) {
    improved = false;
    const opened: number[] = [];
    for (const s of openable) if (isOpen[s] && !isMust[s]) opened.push(s);
    // Single closings, most expensive first.
    opened.sort((a, b) => f[b]! - f[a]! || a - b);
    for (const s of opened) {
      let ok = true;
      for (let t = sStart[s]!; t < sStart[s + 1]! && ok; t++) if (count[sAdj[t]!]! <= level) ok = false;
      if (ok) {
        close(s);
        moves++;
        improved = true;
      }
    }
    if (improved) continue;
    for (let p = 0; p < opened.length && !improved; p++) {
      if (run.shouldStop()) return moves;
      const a = opened[p]!;
      for (let q = p + 1; q < opened.length && !improved; q++) {
        const b = opened[q]!;
        short.length = 0;
        let twice = false;
        for (const s of [a, b]) for (let t = sStart[s]!; t < sStart[s + 1]!; t++) lost[sAdj[t]!]!++;
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
        let pick = -1;
        if (!twice) {
          const budget = f[a]! + f[b]!;
          if (short.length === 0) {
            pick = -2; // both close with no replacement
          } else {
            const j0 = short[0]!;
            let bestCost = budget;
            for (let t = cStart[j0]!; t < cStart[j0 + 1]!; t++) {
              const c = cAdj[t]!;
              if (isOpen[c] || !(f[c]! < bestCost)) continue;
              for (let u = sStart[c]!; u < sStart[c + 1]!; u++) covC[sAdj[u]!] = 1;
              let all = true;
              for (const j of short) if (!covC[j]) { all = false; break; }
              for (let u = sStart[c]!; u < sStart[c + 1]!; u++) covC[sAdj[u]!] = 0;
              if (all) { pick = c; bestCost = f[c]!; }
            }
          }
        }
        for (const s of [a, b]) for (let t = sStart[s]!; t < sStart[s + 1]!; t++) lost[sAdj[t]!] = 0;
        if (pick !== -1) {
          close(a);
          close(b);
          if (pick >= 0) open(pick);
          moves++;
          improved = true;
        }
      }
    }
  }
  return moves;
}
