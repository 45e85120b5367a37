import { SolveRun, type Rng } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';
import { assignmentIncumbent } from './capacitated.js';
import type { FacilityProblem } from './problem.js';

/** Exact solver of a region's sub-problem from a start plan (the single-source branch-and-bound, injected to keep the modules acyclic); returns its best plan. */
export type RegionSolver = (sub: FacilityProblem, start: Incumbent, run: SolveRun) => Promise<{ incumbent: Incumbent | null; complete: boolean; work: number }>;

/** Open sites in a region (the seed and its nearest open ones), drawn in [MIN, MAX]. */
const REGION_OPEN_MIN = 3;
const REGION_OPEN_MAX = 6;
/** Closed sites in a region (the nearest to the seed's clients), drawn in [MIN, MAX]. */
const REGION_CLOSED_MIN = 3;
const REGION_CLOSED_MAX = 6;
/** Differing sites in a merge region (the nearest to its seed). */
const MERGE_DIFF_MAX = 8;
/** Regions remembered as solved to optimality; the memory is cleared beyond this many. */
const MEMO_LIMIT = 1 << 16;

/**
 * Large neighbourhood search with an exact sub-solver (the MIP-based LNS / kernel-search
 * idea of SSCFLP heuristics, with this package's own single-source branch-and-bound as the
 * "MIP"): a region = a random open seed site, its nearest open sites and its nearest
 * closed sites (nearness = the summed cost of serving the seed's clients there), and the
 * clients of the region's open sites. Everything outside stays fixed; inside, which sites
 * open and who serves whom is re-optimised exactly (or within a node budget), and an improvement
 * is spliced back. One region decides opening, closing and the reassignment of some 60-100
 * clients at once, which no site move plus client polish can; regions proved optimal for
 * the same clients are remembered and skipped.
 */
export class SingleSourceRegionSearch {
  private readonly score: Float64Array;
  private readonly order: Int32Array;
  private readonly inRegion: Int32Array;
  /** Hashes of regions (sites and their clients) proved optimal. */
  private readonly solved = new Set<string>();
  /** Regions searched, improved and skipped as already solved (statistics). */
  steps = 0;
  improvements = 0;
  skipped = 0;
  /** Regions whose exact search finished (the rest hit the node budget). */
  completed = 0;
  /** Work done, in the caller's cells (site x client entries looked at): choosing regions, building sub-problems, the sub-searches' own work. */
  work = 0;

  constructor(
    private readonly pr: FacilityProblem,
    private readonly rng: Rng,
    private readonly solve: RegionSolver,
  ) {
    this.score = new Float64Array(pr.nSites);
    this.order = new Int32Array(pr.nSites);
    this.inRegion = new Int32Array(pr.nSites);
  }

  /**
   * Re-optimises one random region of `best`; returns the whole plan when it improved, else
   * null. With a `guide` (the open sites of another good plan), the region is a merge: sites
   * where the two plans differ, nearest to a random one of them, and open sites of `best` around it.
   * `whole`: the region is every open site of `best` (its whole assignment re-optimised, sites may close).
   */
  async step(best: Incumbent, parent: SolveRun, guide: Uint8Array | null = null, whole = false): Promise<Incumbent | null> {
    const assign = best.solution.assign;
    if (!assign) return null;
    this.steps++;
    // Choosing the region scores every site for the seed's clients and sorts the sites.
    this.work += this.pr.nSites * this.pr.nClients;
    const sites = whole ? [...best.solution.open.keys()].filter((i) => best.solution.open[i]) : (guide && this.mergeRegion(best.solution.open, guide)) || this.region(best.solution.open, assign);
    if (sites.length < 2) return null;
    const { sub, clients } = this.subProblem(sites, assign);
    const key = regionKey(sites, clients);
    if (this.solved.has(key)) {
      this.skipped++;
      return null;
    }
    const subAssign = new Int32Array(clients.length);
    for (let t = 0; t < clients.length; t++) subAssign[t] = this.inRegion[assign[clients[t]!]!]!;
    const start = assignmentIncumbent(sub, new Uint8Array(sites.length).fill(1), subAssign);
    // The parent's deadline and signal; the sub-search's own budget is a node count (it replays).
    const remaining = parent.remainingMs();
    const run = new SolveRun({ ...(remaining === Infinity ? {} : { timeLimitMs: remaining }), signal: parent.options.signal, seed: this.rng.int(1 << 30) }, 'sscfl:region');
    const res = await this.solve(sub, start, run);
    this.work += res.work;
    const out = res.incumbent;
    if (res.complete) this.completed++;
    const eps = 1e-9 * Math.max(1, Math.abs(start.value));
    if (!out?.solution.assign || !(out.value < start.value - eps)) {
      if (res.complete) {
        if (this.solved.size > MEMO_LIMIT) this.solved.clear();
        this.solved.add(key);
      }
      return null;
    }
    const open = Uint8Array.from(best.solution.open);
    for (let t = 0; t < sites.length; t++) open[sites[t]!] = out.solution.open[t]!;
    const next = Int32Array.from(assign);
    for (let t = 0; t < clients.length; t++) next[clients[t]!] = sites[out.solution.assign[t]!]!;
    const inc = assignmentIncumbent(this.pr, open, next);
    if (!(inc.value < best.value - eps)) return null;
    this.improvements++;
    return inc;
  }

  /** The region's sites: a random open seed, its nearest open sites, its nearest closed sites (ascending index order is not kept: seed first). */
  private region(open: Uint8Array, assign: Int32Array): number[] {
    const { pr, rng, score, order } = this;
    const { nSites: S, nClients: C, c } = pr;
    let nOpen = 0;
    for (let i = 0; i < S; i++) if (open[i]) order[nOpen++] = i;
    if (nOpen === 0) return [];
    const seed = order[rng.int(nOpen)]!;
    score.fill(0);
    for (let j = 0; j < C; j++) {
      if (assign[j] !== seed) continue;
      for (let i = 0; i < S; i++) score[i]! += Math.min(c[i * C + j]!, 1e300);
    }
    score[seed] = -Infinity;
    const ids = Array.from({ length: S }, (_, i) => i).filter((i) => !pr.forbidden[i]);
    ids.sort((a, b) => score[a]! - score[b]! || a - b);
    const wantOpen = REGION_OPEN_MIN + rng.int(REGION_OPEN_MAX - REGION_OPEN_MIN + 1);
    const wantClosed = REGION_CLOSED_MIN + rng.int(REGION_CLOSED_MAX - REGION_CLOSED_MIN + 1);
    const sites: number[] = [];
    let o = 0;
    let k = 0;
    for (const i of ids) {
      if (open[i] && o < wantOpen) {
        sites.push(i);
        o++;
      } else if (!open[i] && k < wantClosed) {
        sites.push(i);
        k++;
      }
      if (o === wantOpen && k === wantClosed) break;
    }
    return sites;
  }

  /**
   * A merge region: a random site where `open` and `guide` differ, the other differing sites
   * nearest to it (at most MERGE_DIFF_MAX), and the open sites of `open` nearest to it (to
   * give the re-optimisation room); null when the plans agree everywhere.
   */
  private mergeRegion(open: Uint8Array, guide: Uint8Array): number[] | null {
    const { pr, rng, score } = this;
    const { nSites: S, nClients: C, c } = pr;
    const diff: number[] = [];
    for (let i = 0; i < S; i++) if (open[i] !== guide[i] && !pr.forbidden[i]) diff.push(i);
    if (diff.length === 0) return null;
    const seed = diff[rng.int(diff.length)]!;
    // Nearness of sites: the L1 distance of their cost rows (close sites serve the same clients alike).
    const rowSeed = seed * C;
    for (let i = 0; i < S; i++) {
      let s = 0;
      const row = i * C;
      for (let j = 0; j < C; j++) s += Math.abs(Math.min(c[row + j]!, 1e12) - Math.min(c[rowSeed + j]!, 1e12));
      score[i] = s;
    }
    diff.sort((a, b) => score[a]! - score[b]! || a - b);
    const sites = diff.slice(0, MERGE_DIFF_MAX);
    const inSites = new Set(sites);
    const ids = Array.from({ length: S }, (_, i) => i).filter((i) => open[i] && !inSites.has(i));
    ids.sort((a, b) => score[a]! - score[b]! || a - b);
    const extra = REGION_OPEN_MIN + rng.int(REGION_OPEN_MAX - REGION_OPEN_MIN + 1);
    let nOpen = 0;
    for (const i of sites) if (open[i]) nOpen++;
    for (const i of ids) {
      if (nOpen >= extra) break;
      sites.push(i);
      nOpen++;
    }
    return nOpen > 0 && sites.length >= 2 ? sites : null;
  }

  /** The sub-problem on `sites` and the clients of its open sites (full capacities: nobody outside uses them). */
  private subProblem(sites: number[], assign: Int32Array): { sub: FacilityProblem; clients: number[] } {
    const { pr, inRegion } = this;
    const C = pr.nClients;
    inRegion.fill(-1);
    sites.forEach((i, t) => (inRegion[i] = t));
    const clients: number[] = [];
    for (let j = 0; j < C; j++) if (inRegion[assign[j]!]! >= 0) clients.push(j);
    const nS = sites.length;
    const nC = clients.length;
    const c = new Float64Array(nS * nC);
    const d = new Float64Array(nC);
    let totalDemand = 0;
    for (let t = 0; t < nC; t++) {
      d[t] = pr.d[clients[t]!]!;
      totalDemand += d[t]!;
    }
    for (let s = 0; s < nS; s++) {
      const row = sites[s]! * C;
      for (let t = 0; t < nC; t++) c[s * nC + t] = pr.c[row + clients[t]!]!;
    }
    const sub: FacilityProblem = {
      variant: 'sscfl',
      nSites: nS,
      nClients: nC,
      f: Float64Array.from(sites, (i) => pr.f[i]!),
      c,
      d,
      cap: Float64Array.from(sites, (i) => pr.cap[i]!),
      mustOpen: Uint8Array.from(sites, (i) => pr.mustOpen[i]!),
      forbidden: new Uint8Array(nS),
      p: 0,
      totalDemand,
      capacitated: true,
    };
    return { sub, clients };
  }
}

/** A region's identity: its sites and clients (the same sets pose the same sub-problem). */
function regionKey(sites: number[], clients: number[]): string {
  return `${[...sites].sort((a, b) => a - b).join(',')}|${clients.join(',')}`;
}
