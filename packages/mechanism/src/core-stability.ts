import { BackendError, ModelError, runStepsAsync, SolveRun, checkMemory, maskMembers, type GameModel, type Result, type SolveOptions, type Steps } from '@emplace/core';
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
  game = checkGame(game);
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

/** The state of the sequence of LPs: values in profit form, which coalitions are fixed or free. */
interface CenterState {
  readonly n: number;
  readonly count: number;
  readonly full: number;
  /** v(S) in profit form (sign x the game's value). */
  readonly v: Float64Array;
  readonly imputations: boolean;
  readonly basis: SpanBasis;
  /** 1: coalition still free. */
  readonly active: Uint8Array;
  /** Excess level a coalition was fixed at, NaN while free. */
  readonly fixedLevel: Float64Array;
  readonly idx: Int32Array;
  /**
   * idx and ones of each length 0..n+1 as views made once: a view per LP row was two
   * objects per coalition (2^17 on 16 players), garbage that brought collection pauses
   * into the stage build (issue 13, least-core stall 54 ms).
   */
  readonly idxOf: Int32Array[];
  readonly onesOf: Float64Array[];
}

async function lexicographicCenter(input: GameModel, options: NucleolusOptions, concept: 'nucleolus' | 'least-core'): Promise<Result<NucleolusSolution>> {
  const run = new SolveRun(options, `${concept}:lp`, 'min');
  const game = checkGame(input);
  const n = game.n;
  if (n > MAX_LP_PLAYERS) throw new ModelError('game.players', `${concept} writes one LP row per coalition and takes at most ${MAX_LP_PLAYERS} players, got ${n}`);
  const sign = options.gameKind === 'cost' ? -1 : 1;
  const imputations = concept === 'nucleolus' && options.imputations !== false;
  // One LP row of up to n + 1 nonzeros per coalition, plus the per-coalition state.
  checkMemory(`${concept}:lp`, `an LP with one row per coalition of ${n} players (2^${n} rows)`, 2 ** n * (4 * 40 * (n + 1) + 32), options);
  const values = await scaledValues(game, sign, run);
  if (!values) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  const { v, scale } = values;
  const state = centerState(n, v, imputations);
  if (await run.tick()) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' } });
  const guarantee = { kind: 'exact' as const };
  const noImputation = imputations ? imputationCertificate(state, sign * scale) : undefined;
  if (noImputation) return run.unsolved({ status: 'infeasible', guarantee, certificate: noImputation });
  if (n === 1) {
    // One player: no proper coalition has an excess; the whole value goes to the player.
    return run.solved({
      solution: { concept, players: game.players, values: Float64Array.of(sign * scale * v[state.full]!), excessLevels: [], stages: 0 },
      objective: 0,
      proven: true,
      guarantee,
      stats: { players: 1, coalitions: 2, stages: 0 },
    });
  }
  const levels: number[] = [];
  let x: Float64Array | undefined;
  let stages = 0;
  const warnings: string[] = [];
  while (true) {
    if (await run.tick()) break;
    const stage = await runStepsAsync(stageModel(state, () => run.shouldStop()), run);
    if (!stage) break;
    const { lp, rowMask, eps } = stage;
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
    levels.push(level * scale);
    // The objective is stage 1's level (levels[0]); later stages minimise smaller excesses, so
    // their level goes in the message, not in `incumbent` (read as the Result objective).
    run.progress({ phase: 'lp-stage', iterations: stages, incumbent: levels[0]!, message: `stage ${stages} excess level ${level * scale}` });
    if (concept === 'least-core') break;
    const duals = sol.solution.duals;
    if (!duals) throw new BackendError(sol.stats.backend, 'the nucleolus needs row duals, which this backend does not return');
    if (!fixTight(state, rowMask, duals, level)) {
      warnings.push(`stage ${stages}: no positive dual; fixing the coalitions tight at the optimum`);
      fixTightAtOptimum(state, rowMask, x, level);
    }
    if (state.basis.rank >= n) break;
    // Coalitions whose characteristic vector lies in the span of the fixed ones have a
    // determined excess from now on: they leave the LP.
    for (let m = 1; m < state.full; m++) {
      if (state.active[m] && state.basis.contains(m, n)) state.active[m] = 0;
      if ((m & 4095) === 0 && (await run.tick())) break;
    }
  }
  if (!x) return run.unsolved({ status: 'no-solution', guarantee, iterations: stages });
  return run.solved({
    solution: { concept, players: game.players, values: Float64Array.from(x, (t) => sign * scale * t), excessLevels: levels, stages },
    objective: levels[0]!,
    proven: run.stoppedBy() === 'converged',
    guarantee,
    iterations: stages,
    stats: { players: n, coalitions: state.count, stages },
    warnings,
  });
}

/**
 * v(S) in profit form for every coalition, divided by valueScale of the largest |v(S)|;
 * undefined when the run stops first. Checkpoints every 4096 coalitions in both passes and
 * between them (on 16 players the scaling was one 17-22 ms stretch on CPU; the largest
 * value is now taken in the first pass).
 */
async function scaledValues(game: GameModel, sign: number, run: SolveRun): Promise<{ v: Float64Array; scale: number } | undefined> {
  const v = new Float64Array(2 ** game.n);
  const raw = maskEvaluator(game);
  let largest = 0;
  for (let m = 1; m < v.length; m++) {
    v[m] = sign * raw(m);
    largest = Math.max(largest, Math.abs(v[m]!));
    if ((m & 4095) === 0 && (await run.tick())) return undefined;
  }
  if (await run.tick()) return undefined;
  const scale = valueScale(largest);
  for (let m = 1; m < v.length; m++) {
    v[m] = v[m]! / scale;
    if ((m & 4095) === 0 && (await run.tick())) return undefined;
  }
  if (await run.tick()) return undefined;
  return { v, scale };
}

/**
 * A power of two near the largest |v(S)| (dividing by it is exact; 1 for the zero game):
 * with values near 1e10, rounding in HiGHS made the coalitions fixed at stage 1
 * inconsistent at stage 2. Values, levels and certificates are scaled back.
 */
function valueScale(largest: number): number {
  return largest > 0 && largest < Infinity ? 2 ** Math.round(Math.log2(largest)) : 1;
}

function centerState(n: number, v: Float64Array, imputations: boolean): CenterState {
  const count = 2 ** n;
  const full = count - 1;
  const basis = new SpanBasis(n);
  basis.add(full, n);
  const active = new Uint8Array(count);
  for (let m = 1; m < full; m++) active[m] = 1;
  const idx = new Int32Array(n + 1);
  const ones = new Float64Array(n + 1).fill(1);
  const idxOf = Array.from({ length: n + 2 }, (_, k) => idx.subarray(0, k));
  const onesOf = Array.from({ length: n + 2 }, (_, k) => ones.subarray(0, k));
  return { n, count, full, v, imputations, basis, active, fixedLevel: new Float64Array(count).fill(NaN), idx, idxOf, onesOf };
}

/** A certificate that no imputation exists (the stand-alone values exceed v(N)), if so. */
function imputationCertificate(state: CenterState, sign: number): { reason: string; fields: string[] } | undefined {
  const { n, v, full } = state;
  let single = 0;
  for (let i = 0; i < n; i++) single += v[1 << i]!;
  if (single <= v[full]! + 1e-9 * Math.max(1, Math.abs(v[full]!))) return undefined;
  return { reason: `no imputation: the players' stand-alone values sum to ${sign * single}, beyond v(N) = ${sign * v[full]!}`, fields: ['value(N)'] };
}

/** Member indices of coalition m into state.idx; returns their number. */
function members(state: CenterState, m: number): number {
  let k = 0;
  for (let r = m; r !== 0; r &= r - 1) state.idx[k++] = 31 - Math.clz32(r & -r);
  return k;
}

/**
 * min eps s.t. x(N) = v(N), x(S) = v(S) - level(S) for fixed S, x(S) + eps >= v(S) for
 * free S. As steps (a checkpoint every 4096 coalitions: 2^16 rows are tens of ms);
 * undefined when `stop` says so at one.
 */
function* stageModel(state: CenterState, stop: () => boolean): Steps<{ lp: LinearModel; rowMask: Int32Array; eps: number } | undefined> {
  const { n, v, full, idx, idxOf, onesOf, fixedLevel, active } = state;
  const lp = new LinearModel('min');
  // At most every coalition's row, members (n 2^(n-1) in all) plus eps: one allocation (issue 13).
  // In steps: each multi-megabyte buffer can set off a collection (see reserveSteps).
  yield* lp.reserveSteps({ variables: n + 1, constraints: full, nonzeros: n * 2 ** (n - 1) + full });
  for (let i = 0; i < n; i++) lp.addVariable({ lb: state.imputations ? v[1 << i]! : -Infinity, ub: Infinity });
  const eps = lp.addVariable({ lb: -Infinity, ub: Infinity, obj: 1 });
  // The coalition of each LP row (-1 for the fixed ones and x(N)), one typed array: a growing
  // holey array was reallocated and promoted as it grew (collection pauses, issue 13).
  const rowMask = new Int32Array(full).fill(-1);
  let k = members(state, full);
  lp.addEq(idxOf[k]!, onesOf[k]!, v[full]!);
  for (let m = 1; m < full; m++) {
    if ((m & 4095) === 0 && (yield, stop())) return undefined;
    if (!Number.isNaN(fixedLevel[m]!)) {
      k = members(state, m);
      lp.addEq(idxOf[k]!, onesOf[k]!, v[m]! - fixedLevel[m]!);
    } else if (active[m]) {
      k = members(state, m);
      idx[k] = eps;
      rowMask[lp.numConstraints] = m;
      lp.addGe(idxOf[k + 1]!, onesOf[k + 1]!, v[m]!);
    }
  }
  return { lp, rowMask: rowMask.subarray(0, lp.numConstraints), eps };
}

function fixCoalition(state: CenterState, m: number, level: number): void {
  state.fixedLevel[m] = level;
  state.active[m] = 0;
  state.basis.add(m, state.n);
}

/** Fixes the coalitions tight in every optimal solution (positive dual); false when none has one. */
function fixTight(state: CenterState, rowMask: Int32Array, duals: Float64Array, level: number): boolean {
  let fixedAny = false;
  for (let r = 0; r < rowMask.length; r++) {
    const m = rowMask[r]!;
    if (m < 0 || !(Math.abs(duals[r]!) > 1e-9)) continue;
    fixCoalition(state, m, level);
    fixedAny = true;
  }
  return fixedAny;
}

/** Fallback without a positive dual: fixes the coalitions tight at this optimum. */
function fixTightAtOptimum(state: CenterState, rowMask: Int32Array, x: Float64Array, level: number): void {
  for (let r = 0; r < rowMask.length; r++) {
    const m = rowMask[r]!;
    if (m < 0) continue;
    let xs = 0;
    for (let t = m; t !== 0; t &= t - 1) xs += x[31 - Math.clz32(t & -t)]!;
    if (Math.abs(state.v[m]! - xs - level) <= 1e-9 * Math.max(1, Math.abs(level))) fixCoalition(state, m, level);
  }
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
