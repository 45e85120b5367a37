import { ModelError, type Rng } from '@emplace/core';
import { crowdingDistance } from './crowding.js';
import type { EvolutionOptions } from './evolve.js';
import type { Variation } from './operators.js';
import { frontsOf } from './ranking.js';
import { dasDennis, divisionsFor } from './reference-directions.js';

/**
 * How a generation's 2N candidates are cut back to N (mu + lambda survival), as an object
 * (pymoo's Survival): the evolutionary loop (`evolve`) is the same for NSGA-II and
 * NSGA-III, only this differs.
 */
export interface Survival {
  /** Progress phase name, e.g. 'nsga2'. */
  readonly name: string;
  /** Population size when the caller gives none. */
  readonly defaultPopulationSize: number;
  /** Variation defaults of the algorithm (the caller's options override them). */
  readonly variationDefaults: Partial<Variation>;
  /** The binary tournament breaks rank ties by crowding distance (else at random). */
  readonly tournamentByCrowding: boolean;
  /**
   * The `size` survivors among the `n` candidates (objectives `objs`, row-major with `m`
   * columns; total violations `viol`); `dup` marks copies of an earlier decision vector,
   * which rank after every distinct one.
   */
  select(objs: Float64Array, viol: Float64Array, n: number, m: number, size: number, rng: Rng, dup?: Uint8Array): number[];
}

/** NSGA-II survival (Deb et al. 2002): whole fronts while they fit, then the last front by decreasing crowding distance. */
export class RankAndCrowdingSurvival implements Survival {
  readonly name = 'nsga2';
  readonly defaultPopulationSize = 100;
  readonly variationDefaults: Partial<Variation> = {};
  readonly tournamentByCrowding = true;

  select(objs: Float64Array, viol: Float64Array, n: number, m: number, size: number, _rng: Rng, dup?: Uint8Array): number[] {
    const chosen: number[] = [];
    const crowd = new Float64Array(n);
    for (const f of frontsOf(objs, viol, n, m, dup)) {
      if (chosen.length + f.length <= size) {
        chosen.push(...f);
        if (chosen.length === size) break;
        continue;
      }
      crowdingDistance(objs, m, f, crowd);
      f.sort((a, b) => crowd[b]! - crowd[a]! || a - b);
      chosen.push(...f.slice(0, size - chosen.length));
      break;
    }
    return chosen;
  }
}

/**
 * NSGA-III survival (Deb & Jain 2014): fronts while they fit; then normalise the
 * candidates (ideal point, extreme points by the achievement scalarising function,
 * hyperplane intercepts, falling back to the worst values when the hyperplane is
 * degenerate), associate each with its nearest reference line, and fill the remaining
 * slots niche by niche, least crowded reference first.
 */
export class ReferenceDirectionSurvival implements Survival {
  readonly name = 'nsga3';
  readonly variationDefaults: Partial<Variation> = { crossoverProbability: 1, crossoverEta: 30 };
  readonly tournamentByCrowding = false;
  readonly nDirections: number;
  /** Unit reference directions, row-major: the squared perpendicular distance of f is then |f|^2 - (f.u)^2. */
  readonly unit: Float64Array;

  /** `directions`: row-major, `m` per row (rows summing to 1). */
  constructor(
    readonly directions: Float64Array,
    readonly m: number,
  ) {
    this.nDirections = directions.length / m;
    this.unit = new Float64Array(directions.length);
    for (let j = 0; j < this.nDirections; j++) {
      let ww = 0;
      for (let k = 0; k < m; k++) ww += directions[j * m + k]! * directions[j * m + k]!;
      const norm = Math.sqrt(ww) || 1;
      for (let k = 0; k < m; k++) this.unit[j * m + k] = directions[j * m + k]! / norm;
    }
  }

  /** Population: the number of directions rounded up to a multiple of 4. */
  get defaultPopulationSize(): number {
    return Math.ceil((this.nDirections + 1) / 4) * 4;
  }

  /** Directions from `options.referenceDirections`, else Das-Dennis with `options.divisions` (default 12 for 3 objectives, 99 for 2, else about 210 directions). */
  static fromOptions(m: number, options: Pick<EvolutionOptions, 'referenceDirections' | 'divisions'>): ReferenceDirectionSurvival {
    if (options.referenceDirections) {
      const rows = options.referenceDirections;
      const directions = new Float64Array(rows.length * m);
      rows.forEach((r, i) => {
        if (r.length !== m) throw new ModelError(`options.referenceDirections[${i}]`, `has ${r.length} entries, the problem has ${m} objectives`);
        for (let k = 0; k < m; k++) directions[i * m + k] = r[k]!;
      });
      if (rows.length === 0) throw new ModelError('options.referenceDirections', 'must not be empty');
      return new ReferenceDirectionSurvival(directions, m);
    }
    const p = options.divisions ?? (m === 3 ? 12 : m === 2 ? 99 : divisionsFor(m, 210));
    return new ReferenceDirectionSurvival(dasDennis(m, p).values, m);
  }

  select(objs: Float64Array, viol: Float64Array, n: number, m: number, size: number, rng: Rng, dup?: Uint8Array): number[] {
    const fronts = frontsOf(objs, viol, n, m, dup);
    const chosen: number[] = [];
    let last: number[] = [];
    for (const f of fronts) {
      if (chosen.length + f.length <= size) {
        chosen.push(...f);
        if (chosen.length === size) return chosen;
        continue;
      }
      last = f;
      break;
    }
    // Infeasible last front: least violation first (its points share one violation value).
    if (viol[last[0]!]! > 0) {
      chosen.push(...last.slice(0, size - chosen.length));
      return chosen;
    }
    const candidates = [...chosen.filter((i) => viol[i] === 0), ...last];
    const ideal = new Float64Array(m).fill(Infinity);
    for (const i of candidates) for (let k = 0; k < m; k++) ideal[k] = Math.min(ideal[k]!, objs[i * m + k]!);
    const intercept = intercepts(objs, m, candidates, ideal, fronts[0]!.filter((i) => viol[i] === 0));
    const { assoc, dist } = this.associate(objs, n, m, candidates, ideal, intercept);
    this.fillByNiche(chosen, last, assoc, dist, size, rng);
    return chosen;
  }

  /** Each candidate's nearest reference line (after normalisation) and its perpendicular distance to it. */
  private associate(objs: Float64Array, n: number, m: number, candidates: readonly number[], ideal: Float64Array, intercept: Float64Array): { assoc: Int32Array; dist: Float64Array } {
    const { unit, nDirections } = this;
    const assoc = new Int32Array(n).fill(-1);
    const dist = new Float64Array(n);
    const fn = new Float64Array(m);
    for (const i of candidates) {
      let ff = 0;
      for (let k = 0; k < m; k++) {
        fn[k] = (objs[i * m + k]! - ideal[k]!) / intercept[k]!;
        ff += fn[k]! * fn[k]!;
      }
      let bestDot = -Infinity;
      let bestJ = 0;
      for (let j = 0; j < nDirections; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += fn[k]! * unit[j * m + k]!;
        if (dot > bestDot) {
          bestDot = dot;
          bestJ = j;
        }
      }
      // Largest projection = smallest perpendicular distance (f is in the positive orthant after normalisation).
      assoc[i] = bestJ;
      dist[i] = Math.sqrt(Math.max(0, ff - bestDot * bestDot));
    }
    return { assoc, dist };
  }

  /**
   * Fills the remaining slots from the last front in rounds: every active direction with
   * the least niche count, in random order, takes one member (the closest if its niche is
   * empty, else a random one); directions with no member left drop out. Same choices as
   * picking one least-crowded direction at a time.
   */
  private fillByNiche(chosen: number[], last: readonly number[], assoc: Int32Array, dist: Float64Array, size: number, rng: Rng): void {
    const nDirs = this.nDirections;
    const niche = new Int32Array(nDirs);
    for (const i of chosen) if (assoc[i]! >= 0) niche[assoc[i]!]!++;
    // Members of the last front per reference direction.
    const pool: number[][] = Array.from({ length: nDirs }, () => []);
    for (const i of last) pool[assoc[i]!]!.push(i);
    const active = new Uint8Array(nDirs).fill(1);
    let remaining = size - chosen.length;
    while (remaining > 0) {
      let minCount = Infinity;
      for (let j = 0; j < nDirs; j++) if (active[j] && niche[j]! < minCount) minCount = niche[j]!;
      if (minCount === Infinity) break;
      const ties: number[] = [];
      for (let j = 0; j < nDirs; j++) if (active[j] && niche[j] === minCount) ties.push(j);
      rng.shuffle(ties);
      for (const j of ties) {
        if (remaining === 0) break;
        const members = pool[j]!;
        if (members.length === 0) {
          active[j] = 0;
          continue;
        }
        let pick: number;
        if (niche[j] === 0) {
          pick = 0;
          for (let t = 1; t < members.length; t++) if (dist[members[t]!]! < dist[members[pick]!]!) pick = t;
        } else pick = rng.int(members.length);
        chosen.push(members[pick]!);
        members[pick] = members[members.length - 1]!;
        members.pop();
        niche[j]!++;
        remaining--;
      }
    }
  }
}

/** Hyperplane intercepts through the extreme points (per axis, the point minimising the ASF); fallback: worst value of the first front. */
function intercepts(objs: Float64Array, m: number, candidates: number[], ideal: Float64Array, firstFront: number[]): Float64Array {
  const extreme = new Float64Array(m * m);
  for (let axis = 0; axis < m; axis++) {
    let best = Infinity;
    let bestI = candidates[0]!;
    for (const i of candidates) {
      let asf = -Infinity;
      for (let k = 0; k < m; k++) {
        const w = k === axis ? 1 : 1e-6;
        asf = Math.max(asf, (objs[i * m + k]! - ideal[k]!) / w);
      }
      if (asf < best) {
        best = asf;
        bestI = i;
      }
    }
    for (let k = 0; k < m; k++) extreme[axis * m + k] = objs[bestI * m + k]! - ideal[k]!;
  }
  const b = solveLinear(extreme, m);
  const out = new Float64Array(m);
  let ok = b !== undefined;
  if (b) {
    for (let k = 0; k < m; k++) {
      const a = 1 / b[k]!;
      if (!Number.isFinite(a) || a <= 1e-6) ok = false;
      out[k] = a;
    }
  }
  if (!ok) {
    const from = firstFront.length > 0 ? firstFront : candidates;
    for (let k = 0; k < m; k++) {
      let worst = -Infinity;
      for (const i of from) worst = Math.max(worst, objs[i * m + k]! - ideal[k]!);
      out[k] = worst > 1e-12 ? worst : 1;
    }
  }
  return out;
}

/** Solves E b = 1 (rows of E are the extreme points) by Gaussian elimination with partial pivoting. */
function solveLinear(e: Float64Array, m: number): Float64Array | undefined {
  const a = e.slice();
  const rhs = new Float64Array(m).fill(1);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]!) > Math.abs(a[piv * m + c]!)) piv = r;
    if (Math.abs(a[piv * m + c]!) < 1e-12) return undefined;
    if (piv !== c) {
      for (let k = 0; k < m; k++) [a[c * m + k], a[piv * m + k]] = [a[piv * m + k]!, a[c * m + k]!];
      [rhs[c], rhs[piv]] = [rhs[piv]!, rhs[c]!];
    }
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c]! / a[c * m + c]!;
      for (let k = c; k < m; k++) a[r * m + k]! -= f * a[c * m + k]!;
      rhs[r]! -= f * rhs[c]!;
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = rhs[r]!;
    for (let k = r + 1; k < m; k++) s -= a[r * m + k]! * x[k]!;
    x[r] = s / a[r * m + r]!;
  }
  return x;
}
