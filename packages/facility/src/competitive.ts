import { hasSolution, ModelError, Rng, SolveRun, type PlacementModel } from '@emplace/core';
import { onlineFacilityLocation, onlineGuarantee } from './online-meyerson.js';
import { solveUfl, type FacilityOptions } from './solvers.js';

/** One replay of an arrival sequence. */
export interface CompetitiveRun {
  /** Seed of the algorithm's coins (and of the order, in the random-order model). */
  seed: number;
  cost: number;
  ratio: number;
}

/** Measured competitive ratios of an online method against the offline optimum. */
export interface CompetitiveReport {
  /** Offline optimum from emplace's exact solver (or its proven lower bound when not proven: ratios are then over-estimates). */
  offline: number;
  offlineProven: boolean;
  runs: CompetitiveRun[];
  meanRatio: number;
  /** Standard error of meanRatio over the runs. */
  stdError: number;
  maxRatio: number;
  minRatio: number;
  /** The ratio the method guarantees in expectation on this input, when one applies. */
  guarantee: number | undefined;
  order: 'random' | 'given' | 'explicit';
  /** Set when the time limit or the signal of `offline` cut the replays short: `runs` holds those measured. */
  cutShort?: true | undefined;
}

export interface MeasureOptions {
  /** Number of replays (seeds 1..runs, offset by `seed`); default 20, at most 10,000 (as the CLI). */
  runs?: number;
  seed?: number;
  /** Arrival order of each replay: random (default: the random-order model), the given order, or an explicit permutation. */
  order?: 'random' | 'given' | ArrayLike<number>;
  /** Options of the offline exact solve (e.g. a time limit). */
  offline?: FacilityOptions;
}

/**
 * Replays Meyerson's online facility location on `model` over several seeds and reports
 * cost / OPT for each, OPT being the optimum of the same UFL from emplace's exact solver
 * (Lagrangian branch-and-bound). The mean estimates the expected ratio the guarantee bounds.
 */
export async function measureOnlineFacility(model: PlacementModel, options: MeasureOptions = {}): Promise<CompetitiveReport> {
  const runs = options.runs ?? 20;
  if (!Number.isInteger(runs) || runs < 1) throw new ModelError('options.runs', `must be a positive integer, got ${String(options.runs)}`);
  if (runs > MAX_RUNS) throw new ModelError('options.runs', `must be at most ${MAX_RUNS}, got ${String(options.runs)}`);
  // The time limit and signal of the offline solve bound the replays too (fuzz F10: they ran unbounded).
  const run = new SolveRun({ ...(options.offline?.timeLimitMs !== undefined ? { timeLimitMs: options.offline.timeLimitMs } : {}), ...(options.offline?.signal ? { signal: options.offline.signal } : {}) }, 'online-ufl:replay', 'min');
  const offline = await solveUfl(model, { method: 'auto', ...(options.offline ?? {}) });
  if (!hasSolution(offline)) throw new ModelError('model', `the offline UFL has no solution (${offline.status}): nothing to compare with`);
  const proven = offline.status === 'optimal';
  const opt = proven ? offline.objective : (offline.bound ?? offline.objective);
  const base = options.seed ?? 1;
  const seeds = new Rng(base);
  const out: CompetitiveRun[] = [];
  let cutShort = false;
  for (let r = 0; r < runs; r++) {
    // At least one replay, so that a report always has a ratio.
    if (r > 0 && (await run.tick())) {
      cutShort = true;
      break;
    }
    const seed = seeds.nextUint32();
    const res = onlineFacilityLocation(model, { seed, order: options.order ?? 'random' });
    if (!hasSolution(res)) throw new ModelError('model', `online facility location found no solution (${res.status})`);
    out.push({ seed, cost: res.objective, ratio: ratioOf(res.objective, opt) });
  }
  const report = summarise(opt, proven, out, onlineGuarantee(model).ratio, orderKind(options.order));
  return cutShort ? { ...report, cutShort: true } : report;
}

/** Largest replay count accepted (the CLI's `--runs` limit). */
const MAX_RUNS = 10_000;

export function orderKind(order: MeasureOptions['order']): CompetitiveReport['order'] {
  return order === undefined || order === 'random' ? 'random' : order === 'given' ? 'given' : 'explicit';
}

export function ratioOf(cost: number, opt: number): number {
  if (opt === 0) return cost === 0 ? 1 : Infinity;
  return cost / opt;
}

/** Mean, standard error and range of the ratios. */
export function summarise(offline: number, offlineProven: boolean, runs: CompetitiveRun[], guarantee: number | undefined, order: CompetitiveReport['order']): CompetitiveReport {
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const r of runs) {
    sum += r.ratio;
    if (r.ratio > max) max = r.ratio;
    if (r.ratio < min) min = r.ratio;
  }
  const mean = sum / runs.length;
  let ss = 0;
  for (const r of runs) ss += (r.ratio - mean) ** 2;
  const stdError = runs.length > 1 ? Math.sqrt(ss / (runs.length - 1) / runs.length) : 0;
  return { offline, offlineProven, runs, meanRatio: mean, stdError, maxRatio: max, minRatio: min, guarantee, order };
}
