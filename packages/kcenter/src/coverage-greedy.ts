import type { SolveRun, Steps } from '@emplace/core';
import type { CoverageData } from './coverage-instance.js';

/**
 * Greedy multicover: client j still needs `need[j]` open sites within the radius; open,
 * one at a time, the closed site with the largest weighted need covered per unit of cost,
 * where a client weighs 1 / (closed sites of j - need[j] + 1). A client with no slack
 * (as many closed sites as it needs) weighs 1 and pulls its sites open early; a client
 * with many alternatives weighs little, so the greedy does not spend sites on it that
 * a scarce client's site would cover anyway. Mutates `isOpen` and `need`; returns false
 * when some need cannot be met (or the run stopped first).
 * As steps: a checkpoint after each site opened (each scans every closed site).
 */
export function* greedyMulticoverSteps(data: CoverageData, need: Int32Array, f: Float64Array, isOpen: Uint8Array, run: SolveRun): Steps<boolean> {
  const { nC, sStart, sAdj, cStart, cAdj, openable } = data;
  let deficit = 0;
  for (let j = 0; j < nC; j++) if (need[j]! > 0) deficit += need[j]!;
  const avail = new Int32Array(nC);
  for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (!isOpen[cAdj[t]!]) avail[j]!++;
  while (deficit > 0) {
    let best = -1;
    let bestRatio = -1;
    for (const s of openable) {
      if (isOpen[s]) continue;
      let g = 0;
      for (let t = sStart[s]!; t < sStart[s + 1]!; t++) {
        const j = sAdj[t]!;
        if (need[j]! > 0) g += 1 / (avail[j]! - need[j]! + 1);
      }
      if (g === 0) continue;
      const ratio = f[s]! === 0 ? Infinity : g / f[s]!;
      if (ratio > bestRatio) { bestRatio = ratio; best = s; }
    }
    if (best < 0) return false;
    isOpen[best] = 1;
    for (let t = sStart[best]!; t < sStart[best + 1]!; t++) {
      const j = sAdj[t]!;
      avail[j]!--;
      if (need[j]! > 0) { need[j]!--; deficit--; }
    }
    yield;
    if (run.shouldStop()) return deficit === 0;
  }
  return true;
}
