import { BackendError, ModelError, SolveRun, maskMembers, type GameModel, type Result, type SolveOptions } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import { checkGame, coalitionName, maskEvaluator } from './evaluate.js';
import type { GameKind, PlayerValues } from './types.js';

export interface CoreReport {
  /** x(N) = v(N) within the tolerance. */
  efficient: boolean;
  /** Efficient and no coalition can do better on its own. */
  inCore: boolean;
  /** Largest excess v(S) - x(S) (profit) or x(S) - c(S) (cost) over proper coalitions S. */
  maxExcess: number;
  /** A coalition with the largest excess (sorted player indices), empty when n = 1. */
  blockingCoalition: number[];
  /** The same coalition as `{a, b}`. */
  blockingCoalitionName: string;
  /** x(N) - v(N). */
  efficiencyGap: number;
}

/**
 * Core membership of an allocation x: x(N) = v(N) and, for every coalition S,
 * x(S) >= v(S) in a profit game (x(S) <= c(S) in a cost game). Enumerates the 2^n
 * coalitions in Gray-code order, updating x(S) with one addition per step.
 */
export function coreCheck(game: GameModel, x: ArrayLike<number>, options: { gameKind?: GameKind; tolerance?: number; field?: string } = {}): CoreReport {
  checkGame(game);
  const n = game.n;
  // `field` names x in errors: 'allocation' for a user's input, e.g. 'shapley values' for a computed one.
  const field = options.field ?? 'allocation';
  if (x.length !== n) throw new ModelError(field, `has ${x.length} entries for ${n} players`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) throw new ModelError(`${field}[${i}] (${game.players[i]})`, `must be finite, got ${String(x[i])}`);
  }
  const sign = options.gameKind === 'cost' ? -1 : 1;
  const value = maskEvaluator(game);
  const full = (2 ** n - 1) | 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  const vN = value(full);
  const scale = Math.max(1, Math.abs(vN));
  const tol = (options.tolerance ?? 1e-9) * scale;
  let worst = -Infinity;
  let worstMask = 0;
  let mask = 0;
  let xs = 0;
  const count = 2 ** n;
  for (let g = 1; g < count; g++) {
    const bit = 31 - Math.clz32(g & -g);
    mask ^= 1 << bit;
    xs += (mask >>> bit) & 1 ? x[bit]! : -x[bit]!;
    if (mask === full) continue;
    const e = sign * (value(mask) - xs);
    if (e > worst) {
      worst = e;
      worstMask = mask;
    }
  }
  const efficiencyGap = total - vN;
  const efficient = Math.abs(efficiencyGap) <= tol;
  const members = maskMembers(worstMask, n);
  return {
    efficient,
    inCore: efficient && (n === 1 || worst <= tol),
    maxExcess: n === 1 ? 0 : worst,
    blockingCoalition: n === 1 ? [] : members,
    blockingCoalitionName: n === 1 ? '{}' : coalitionName(game, members),
    efficiencyGap,
  };
}

export interface NucleolusOptions extends SolveOptions {
  gameKind?: GameKind;
  /** Restrict to imputations (x_i >= v({i}), default true); false gives the prenucleolus. */
  imputations?: boolean;
  backend?: BackendName;
}

export interface NucleolusSolution extends PlayerValues {
  readonly concept: 'nucleolus' | 'least-core';
  /** Largest excess level fixed at each LP stage (profit form: v(S) - x(S)); the first is the least-core value. */
  readonly excessLevels: readonly number[];
  /** LPs solved. */
  readonly stages: number;
}

/** Largest n the LP-based core concepts take: one row per coalition. */
export const MAX_LP_PLAYERS = 16;

/**
 * The least core: min eps s.t. x(S) + eps >= v(S) for every proper coalition S and
 * x(N) = v(N) (Maschler, Peleg, Shapley 1979), solved as one LP through @emplace/lp.
 * eps <= 0 exactly when the core is non-empty. Cost games are handled as the profit game
 * -c with the allocation negated back.
 */
export async function leastCore(game: GameModel, options: NucleolusOptions = {}): Promise<Result<NucleolusSolution>> {
  return lexicographicCenter(game, options, 'least-core');
}

/**
 * The nucleolus (Schmeidler 1969) by the sequence of LPs of Maschler, Peleg and Shapley:
 * minimise the largest excess, fix the coalitions that are tight in every optimal
 * solution (those with a positive dual, by complementary slackness) at that level,
 * drop the coalitions whose excess the fixed ones determine (characteristic vector in
 * their span), and repeat until the fixed coalitions span R^n: at most n LPs with
 * one row per coalition, so n <= 16.
 */
export async function nucleolus(game: GameModel, options: NucleolusOptions = {}): Promise<Result<NucleolusSolution>> {
  return lexicographicCenter(game, options, 'nucleolus');
}

async function lexicographicCenter(game: GameModel, options: NucleolusOptions, concept: 'nucleolus' | 'least-core'): Promise<Result<NucleolusSolution>> {
  const run = new SolveRun(options, `${concept}:lp`, 'min');
  checkGame(game);
  const n = game.n;
  if (n > MAX_LP_PLAYERS) throw new ModelError('game.players', `${concept} writes one LP row per coalition and takes at most ${MAX_LP_PLAYERS} players, got ${n}`);
  const sign = options.gameKind === 'cost' ? -1 : 1;
  const imputations = concept === 'nucleolus' && options.imputations !== false;
  const raw = maskEvaluator(game);
  const count = 2 ** n;
  const full = count - 1;
  const v = new Float64Array(count);
  for (let m = 1; m < count; m++) v[m] = sign * raw(m);
  const guarantee = { kind: 'exact' as const };
  if (imputations) {
    let single = 0;
    for (let i = 0; i < n; i++) single += v[1 << i]!;
    if (single > v[full]! + 1e-9 * Math.max(1, Math.abs(v[full]!))) {
      return run.unsolved({
        status: 'infeasible',
        guarantee,
        certificate: { reason: `no imputation: the players' stand-alone values sum to ${sign * single}, beyond v(N) = ${sign * v[full]!}`, fields: ['value(N)'] },
      });
    }
  }
  if (n === 1) {
    // One player: no proper coalition has an excess; the whole value goes to the player.
    return run.solved({
      solution: { concept, players: game.players, values: Float64Array.of(sign * v[full]!), excessLevels: [], stages: 0 },
      objective: 0,
      proven: true,
      guarantee,
      stats: { players: 1, coalitions: 2, stages: 0 },
    });
  }
  const basis = new SpanBasis(n);
  basis.add(full, n);
  const active = new Uint8Array(count); // 1: coalition still free
  for (let m = 1; m < full; m++) active[m] = 1;
  const fixedLevel = new Float64Array(count).fill(NaN);
  const levels: number[] = [];
  const idx = new Int32Array(n);
  const ones = new Float64Array(n + 1).fill(1);
  let x: Float64Array | undefined;
  let stages = 0;
  const warnings: string[] = [];
  while (true) {
    if (run.shouldStop()) break;
    const lp = new LinearModel('min');
    for (let i = 0; i < n; i++) lp.addVariable({ lb: imputations ? v[1 << i]! : -Infinity, ub: Infinity });
    const eps = lp.addVariable({ lb: -Infinity, ub: Infinity, obj: 1 });
    const rowMask: number[] = [];
    const members = (m: number): number => {
      let k = 0;
      for (let r = m; r !== 0; r &= r - 1) idx[k++] = 31 - Math.clz32(r & -r);
      return k;
    };
    let k = members(full);
    lp.addEq(idx.subarray(0, k), ones.subarray(0, k), v[full]!);
    for (let m = 1; m < full; m++) {
      if (!Number.isNaN(fixedLevel[m]!)) {
        k = members(m);
        lp.addEq(idx.subarray(0, k), ones.subarray(0, k), v[m]! - fixedLevel[m]!);
      } else if (active[m]) {
        k = members(m);
        idx[k] = eps;
        rowMask[lp.numConstraints] = m;
        lp.addGe(idx.subarray(0, k + 1), ones.subarray(0, k + 1), v[m]!);
      }
    }
    stages++;
    const sol = await solveLp(lp, { backend: options.backend, timeLimitMs: run.remainingMs() === Infinity ? undefined : run.remainingMs(), signal: options.signal });
    if (sol.status !== 'optimal') {
      if (sol.stoppedBy !== 'converged') {
        run.markStopped(sol.stoppedBy);
        break;
      }
      throw new BackendError(sol.stats.backend, `${concept} stage ${stages} LP ended ${sol.status}`);
    }
    x = sol.solution.x.slice(0, n);
    const level = sol.solution.x[eps]!;
    levels.push(level);
    run.progress({ phase: 'lp-stage', iterations: stages, incumbent: level });
    if (concept === 'least-core' || n === 1) break;
    if (!sol.solution.duals) throw new BackendError(sol.stats.backend, 'the nucleolus needs row duals, which this backend does not return');
    let fixedAny = false;
    for (let r = 0; r < rowMask.length; r++) {
      const m = rowMask[r];
      if (m === undefined) continue;
      if (Math.abs(sol.solution.duals[r]!) > 1e-9) {
        fixedLevel[m] = level;
        active[m] = 0;
        basis.add(m, n);
        fixedAny = true;
      }
    }
    if (!fixedAny) {
      warnings.push(`stage ${stages}: no positive dual; fixing the coalitions tight at the optimum`);
      for (let r = 0; r < rowMask.length; r++) {
        const m = rowMask[r];
        if (m === undefined) continue;
        let xs = 0;
        for (let t = m; t !== 0; t &= t - 1) xs += x[31 - Math.clz32(t & -t)]!;
        if (Math.abs(v[m]! - xs - level) <= 1e-9 * Math.max(1, Math.abs(level))) {
          fixedLevel[m] = level;
          active[m] = 0;
          basis.add(m, n);
        }
      }
    }
    if (basis.rank >= n) break;
    // Coalitions whose characteristic vector lies in the span of the fixed ones have a
    // determined excess from now on: they leave the LP.
    for (let m = 1; m < full; m++) if (active[m] && basis.contains(m, n)) active[m] = 0;
  }
  if (!x) return run.unsolved({ status: 'no-solution', guarantee, iterations: stages });
  const values = Float64Array.from(x, (t) => sign * t);
  const firstLevel = levels[0]!;
  return run.solved({
    solution: { concept, players: game.players, values, excessLevels: levels, stages },
    objective: firstLevel,
    proven: run.stoppedBy() === 'converged',
    guarantee,
    iterations: stages,
    stats: { players: n, coalitions: count, stages },
    warnings,
  });
}

/** Orthonormal basis (modified Gram-Schmidt) of the span of coalitions' characteristic vectors. */
class SpanBasis {
  rank = 0;
  private readonly vectors: Float64Array[] = [];
  private readonly work: Float64Array;
  constructor(n: number) {
    this.work = new Float64Array(n);
  }
  private residual(mask: number, n: number): number {
    const w = this.work;
    for (let i = 0; i < n; i++) w[i] = (mask >>> i) & 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of this.vectors) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i]! * w[i]!;
        for (let i = 0; i < n; i++) w[i]! -= d * q[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += w[i]! * w[i]!;
    return Math.sqrt(norm);
  }
  contains(mask: number, n: number): boolean {
    return this.residual(mask, n) < 1e-9;
  }
  add(mask: number, n: number): void {
    const r = this.residual(mask, n);
    if (r < 1e-9) return;
    this.vectors.push(Float64Array.from(this.work, (t) => t / r));
    this.rank++;
  }
}
