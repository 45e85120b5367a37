import { hasSolution, ModelError, Rng, runSteps, runStepsAsync, SolveRun, type Guarantee, type PlacementModel, type Result, type Steps, type StoppedBy } from '@emplace/core';
import { evaluateOpen } from './evaluate.js';
import { exact } from './exact.js';
import { prepareInstanceSteps, type KCenterInstance } from './instance.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

export interface IncrementalOptions extends KCenterOptions {
  /** Arrival order of the clients: `given` (index order, default), `random` (from the seed) or a permutation. */
  order?: 'given' | 'random' | ArrayLike<number>;
}

export interface IncrementalSolution extends KCenterSolution {
  /** The arrival order used. */
  order: Int32Array;
  /** Final lower-bound parameter r of the doubling algorithm (r <= 2 OPT, radius <= 4r). */
  scale: number;
  /** Number of doubling (merge) phases. */
  doublings: number;
  /** Center each client was clustered with online (clusters merge, never split). */
  cluster: Int32Array;
}

const GUARANTEE: Guarantee = { kind: 'approximation', ratio: 8, assumes: 'metric costs, unit weights, a site at every client; holds after every arrival, for every order (deterministic)' };

/**
 * Incremental k-center by the doubling algorithm of Charikar, Chekuri, Feder & Motwani
 * (STOC 1997). Clients arrive one at a time; centres are opened at arriving clients (their
 * co-located site) and only ever closed by merging. Invariants, with r a scale parameter:
 * centres are pairwise more than 2r apart, every client seen is within 4r of its cluster's
 * centre, and r <= 2 OPT. An arrival farther than 2r from every centre becomes a centre;
 * when k + 1 centres exist (pairwise > 2r apart, so OPT > r) r doubles and centres within
 * 2r of an earlier kept centre merge into it (clusters stay within 2r + 4(r/2) = 4r).
 * Hence after every arrival the radius is <= 4r <= 8 OPT of the clients seen so far
 * (the first overflow sets r to the smallest distance among the k + 1 distinct first
 * clients, which is at most 2 OPT). Needs unit weights, every pair allowed and a site at
 * distance 0 from every client; capacities and outliers are not modelled.
 */
export function incrementalKCenter(model: PlacementModel, options: IncrementalOptions = {}): Result<IncrementalSolution> {
  return runSteps(incrementalSteps(model, options, new SolveRun(options, 'kcenter:incremental', 'min')));
}

/**
 * `incrementalKCenter` yielding to the event loop (the registry's `kcenter:incremental`): the
 * instance scans, the co-located site search and the arrivals run as steps (at 2000 x 2000
 * they were one 50 ms stretch on CPU, issue 13). Same arrivals, same answer.
 */
export function incrementalKCenterAsync(model: PlacementModel, options: IncrementalOptions = {}): Promise<Result<IncrementalSolution>> {
  const run = new SolveRun(options, 'kcenter:incremental', 'min');
  return runStepsAsync(incrementalSteps(model, options, run), run);
}

export function* incrementalSteps(model: PlacementModel, options: IncrementalOptions, run: SolveRun): Steps<Result<IncrementalSolution>> {
  if ((options.outliers ?? 0) > 0) throw new ModelError('options.outliers', 'is not supported by incremental k-center');
  const prepared = yield* prepareInstanceSteps(model, { ...options, capacitated: false });
  if (prepared.kind === 'infeasible') return run.unsolved({ status: 'infeasible', guarantee: GUARANTEE, certificate: prepared.certificate, warnings: prepared.warnings });
  const inst = prepared.problem;
  const warnings = [...inst.warnings, ...checkIncrementalInput(inst)];
  const { nC } = inst;
  const order = arrivalOrder(nC, options.order, run);
  const doubling = new Doubling(inst, yield* colocatedSitesSteps(inst));
  let step = 0;
  for (; step < nC; step++) {
    if ((step & 255) === 0) {
      if (step > 0) yield;
      if (run.shouldStop()) break;
    }
    doubling.arrive(order[step]!);
  }
  if (step < nC) warnings.push(`stopped after ${step} of ${nC} arrivals; clients that never arrived are assigned to their nearest centre in the solution`);
  const solution = doubling.solution(order, step);
  return run.solved({ solution, objective: solution.radius, guarantee: GUARANTEE, iterations: step, warnings, stats: { doublings: doubling.doublings, centres: doubling.centres.length } });
}

/** Refuses what the doubling argument cannot take (naming the field); warns that capacities are ignored. */
function checkIncrementalInput(inst: KCenterInstance): string[] {
  const { model } = inst;
  if (inst.weighted) throw new ModelError('model.weight', 'incremental k-center needs unit client weights (the doubling argument is for plain distances)');
  if (inst.hasInfinity) throw new ModelError('model.allowed', 'incremental k-center needs every site-client pair allowed and no forbidden site (distances must form a metric)');
  if (inst.mustOpen.length > 0) throw new ModelError('sites[].mustOpen', 'pre-opened sites are not supported by incremental k-center');
  if (!inst.colocated) throw new ModelError('cost', 'incremental k-center opens centres at arriving clients: every client needs a site at distance 0');
  const nDims = model.dimensions.length;
  for (let i = 0; i < model.nSites; i++) if (model.capacity[i * nDims] !== Infinity) return ['site capacities are ignored by incremental k-center'];
  return [];
}

/** The state of the doubling algorithm: centres (client indices), merges, scale r. */
class Doubling {
  /** The co-located site of each client (the first at distance 0). */
  readonly siteOf: Int32Array;
  readonly centres: number[] = [];
  /** Merges: a centre dropped in a merge points to its absorber. */
  readonly parent: Int32Array;
  /** Centre each client was clustered with on arrival. */
  readonly cluster: Int32Array;
  r = 0;
  doublings = 0;

  constructor(
    readonly inst: KCenterInstance,
    siteOf: Int32Array,
  ) {
    const { nC } = inst;
    this.siteOf = siteOf;
    this.parent = new Int32Array(nC).fill(-1);
    this.cluster = new Int32Array(nC).fill(-1);
  }

  dist(centre: number, j: number): number {
    return this.inst.d[this.siteOf[centre]! * this.inst.nC + j]!;
  }

  /** Client p arrives: it joins a centre within 2r, or becomes one (and k + 1 centres trigger doublings). */
  arrive(p: number): void {
    let near = -1;
    let nearD = Infinity;
    for (const c of this.centres) {
      const v = this.dist(c, p);
      if (v < nearD) {
        nearD = v;
        near = c;
      }
    }
    if (near >= 0 && nearD <= 2 * this.r) {
      this.cluster[p] = near;
      return;
    }
    this.centres.push(p);
    this.parent[p] = p;
    this.cluster[p] = p;
    while (this.centres.length > this.inst.k) this.double();
  }

  /** k + 1 centres pairwise more than 2r apart: r grows and centres within 2r of an earlier kept one merge into it. */
  private double(): void {
    const { centres } = this;
    if (this.r === 0) {
      // First overflow: k + 1 distinct clients, two share an optimal centre, OPT >= dmin / 2.
      let dmin = Infinity;
      for (let a = 0; a < centres.length; a++) for (let b = a + 1; b < centres.length; b++) dmin = Math.min(dmin, this.dist(centres[a]!, centres[b]!));
      this.r = dmin; // = 2 * (dmin / 2) <= 2 OPT
    } else this.r *= 2; // k + 1 centres pairwise > 2r apart: OPT > r, so 2r < 2 OPT
    this.doublings++;
    const kept: number[] = [];
    for (const c of centres) {
      let absorber = -1;
      for (const q of kept) {
        if (this.dist(q, c) <= 2 * this.r) {
          absorber = q;
          break;
        }
      }
      if (absorber < 0) kept.push(c);
      else this.parent[c] = absorber;
    }
    centres.length = 0;
    centres.push(...kept);
  }

  /**
   * The answer after `step` arrivals: clusters followed through merges; the objective is
   * the radius of the open set (each client at its nearest centre), recomputed from the
   * model over the clients that arrived.
   */
  solution(order: Int32Array, step: number): IncrementalSolution {
    const { inst, parent } = this;
    const { nC, d } = inst;
    const find = (c: number): number => {
      while (parent[c] !== c) c = parent[c]!;
      return c;
    };
    const finalCluster = new Int32Array(nC).fill(-1);
    for (let t = 0; t < step; t++) finalCluster[order[t]!] = find(this.cluster[order[t]!]!);
    const sol = evaluateOpen(inst, this.centres.map((c) => this.siteOf[c]!));
    let radius = 0;
    let critical = -1;
    const arrived = new Uint8Array(nC);
    for (let t = 0; t < step; t++) arrived[order[t]!] = 1;
    for (let j = 0; j < nC; j++) {
      if (!arrived[j]) continue;
      const s = sol.assignment[j]!;
      const v = s >= 0 ? d[s * nC + j]! : Infinity;
      if (v > radius) {
        radius = v;
        critical = j;
      }
    }
    return { ...sol, radius, criticalClient: critical, order, scale: this.r, doublings: this.doublings, cluster: finalCluster };
  }
}

/** The co-located site of each client (the first at distance 0), a checkpoint every 2^18 entries. */
function* colocatedSitesSteps(inst: KCenterInstance): Steps<Int32Array> {
  const { nS, nC, d } = inst;
  const siteOf = new Int32Array(nC).fill(-1);
  const rowsPerStep = Math.max(1, Math.floor((1 << 18) / Math.max(1, nC)));
  for (let s = 0; s < nS; s++) {
    if (s % rowsPerStep === rowsPerStep - 1) yield;
    for (let j = 0; j < nC; j++) if (siteOf[j]! < 0 && d[s * nC + j] === 0) siteOf[j] = s;
  }
  return siteOf;
}

function arrivalOrder(n: number, order: IncrementalOptions['order'], run: SolveRun): Int32Array {
  if (order === undefined || order === 'given') return Int32Array.from({ length: n }, (_, k) => k);
  if (order === 'random') return run.rng.permutation(n);
  if (typeof order !== 'object' || order === null || typeof order.length !== 'number') throw new ModelError('options.order', `must be 'given', 'random' or a permutation of the client indices`);
  if (order.length !== n) throw new ModelError('options.order', `must list each of the ${n} clients once, got ${order.length} entries`);
  const seen = new Uint8Array(n);
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const j = order[t]!;
    if (!Number.isInteger(j) || j < 0 || j >= n || seen[j]) throw new ModelError(`options.order[${t}]`, `is not a new client index in [0, ${n}): ${String(j)}`);
    seen[j] = 1;
    out[t] = j;
  }
  return out;
}

/** Measured ratios of incremental k-center against emplace's exact k-center. */
export interface IncrementalReport {
  /** Offline optimum radius (or proven lower bound when the exact search was stopped). */
  offline: number;
  offlineProven: boolean;
  runs: { seed: number; radius: number; ratio: number }[];
  meanRatio: number;
  maxRatio: number;
  minRatio: number;
  guarantee: 8;
  /** `converged` when every requested run was replayed; else the limit that cut the replays short (`runs` holds those done, at least one). */
  stoppedBy: StoppedBy;
}

/** Most arrival orders one call replays (as the CLI's --runs): each replay is a full incremental pass over the clients. */
export const MAX_REPLAY_RUNS = 10_000;

/**
 * Replays incremental k-center over `runs` arrival orders (random, from seeds derived from
 * `seed`; or the given order once) and reports radius / OPT, OPT from kcenter's exact
 * search on the same model and k.
 */
export async function measureIncrementalKCenter(
  model: PlacementModel,
  options: {
    k: number;
    runs?: number;
    seed?: number;
    order?: 'random' | 'given';
    offline?: KCenterOptions;
    /** Limit and abort signal of the replays (default: those of `offline`); the replays stop at them with what they measured. */
    timeLimitMs?: number | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<IncrementalReport> {
  const runs = options.order === 'given' ? 1 : (options.runs ?? 20);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_REPLAY_RUNS) {
    throw new ModelError('options.runs', `must be an integer in [1, ${MAX_REPLAY_RUNS}], got ${String(options.runs)}`);
  }
  const timeLimitMs = options.timeLimitMs ?? options.offline?.timeLimitMs;
  const signal = options.signal ?? options.offline?.signal;
  const run = new SolveRun({ ...(timeLimitMs !== undefined ? { timeLimitMs } : {}), ...(signal ? { signal } : {}) }, 'online-kcenter:replay', 'min');
  const off = await exact(model, { ...(options.offline ?? {}), k: options.k });
  if (!hasSolution(off)) throw new ModelError('model', `the offline k-center has no solution (${off.status})`);
  const proven = off.status === 'optimal';
  const opt = proven ? off.objective : (off.bound ?? off.objective);
  const seeds = new Rng(options.seed ?? 1);
  const out: IncrementalReport['runs'] = [];
  for (let t = 0; t < runs; t++) {
    // Yields between replays so the limit and the signal are seen; at least one replay is kept.
    if (t > 0 && (await run.tick())) break;
    const seed = seeds.nextUint32();
    const res = incrementalKCenter(model, { k: options.k, seed, order: options.order ?? 'random' });
    if (!hasSolution(res)) throw new ModelError('model', `incremental k-center found no solution (${res.status})`);
    const ratio = opt === 0 ? (res.objective === 0 ? 1 : Infinity) : res.objective / opt;
    out.push({ seed, radius: res.objective, ratio });
  }
  const ratios = out.map((x) => x.ratio);
  return {
    offline: opt,
    offlineProven: proven,
    runs: out,
    meanRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    maxRatio: ratios.reduce((a, b) => Math.max(a, b), -Infinity),
    minRatio: ratios.reduce((a, b) => Math.min(a, b), Infinity),
    guarantee: 8,
    stoppedBy: out.length < runs ? run.stoppedBy() : 'converged',
  };
}
