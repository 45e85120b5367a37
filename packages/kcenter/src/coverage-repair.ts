import type { SolveRun } from '@emplace/core';
import type { KCenterInstance } from './instance.js';

/**
 * Makes a set of open sites cover every client it can when `allowed` (or a forbidden site)
 * leaves some client with no open site at a finite distance: the farthest-first heuristics
 * open the site nearest to a client, which may be one that other clients may not use, and
 * then run out of centres. Best-improvement swaps (one non-fixed open site out, one closed
 * openable site in) that lower the number of uncovered clients, until none is uncovered,
 * no swap helps, or the run must stop. Each pass is O(|open| x nS x nC) with per-client
 * cover counts; it only runs when the heuristic's answer was infinite. Returns the new
 * open list (the input when nothing was uncovered).
 */
export function repairCoverage(inst: KCenterInstance, run: SolveRun, openIn: ArrayLike<number>): number[] {
  const { nS, nC, d, openable, mustOpen } = inst;
  const open = Array.from(new Set(Array.from(openIn)));
  const isOpen = new Uint8Array(nS);
  for (const s of open) isOpen[s] = 1;
  const fixed = new Uint8Array(nS);
  for (const s of mustOpen) fixed[s] = 1;
  const covers = new Int32Array(nC);
  const add = (s: number, delta: number): void => {
    const row = s * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < Infinity) covers[j] = covers[j]! + delta;
  };
  for (const s of open) add(s, 1);
  let uncovered = 0;
  for (let j = 0; j < nC; j++) if (covers[j] === 0) uncovered++;
  // Clients that may stay uncovered: those no site can serve (already outliers) count for nothing here.
  while (uncovered > 0 && !run.shouldStop()) {
    let bestGain = 0;
    let bestOut = -1;
    let bestIn = -1;
    for (let b = 0; b < openable.length; b++) {
      const sIn = openable[b]!;
      if (isOpen[sIn] === 1) continue;
      const rowIn = sIn * nC;
      let gained = 0;
      for (let j = 0; j < nC; j++) if (covers[j] === 0 && d[rowIn + j]! < Infinity) gained++;
      if (gained <= bestGain) continue;
      for (const sOut of open) {
        if (fixed[sOut] === 1) continue;
        const rowOut = sOut * nC;
        let lost = 0;
        for (let j = 0; j < nC; j++) if (covers[j] === 1 && d[rowOut + j]! < Infinity && !(d[rowIn + j]! < Infinity)) lost++;
        if (gained - lost > bestGain) {
          bestGain = gained - lost;
          bestOut = sOut;
          bestIn = sIn;
        }
      }
    }
    if (bestIn < 0) break;
    add(bestOut, -1);
    add(bestIn, 1);
    isOpen[bestOut] = 0;
    isOpen[bestIn] = 1;
    open[open.indexOf(bestOut)] = bestIn;
    uncovered -= bestGain;
  }
  return open;
}
