import { runSteps, type Rng, type Steps } from '@emplace/core';
import { gapBranchAndBoundSteps } from './gap-branch-and-bound.js';
import type { GapInstance, GapPlan } from './gap-instance.js';
import { GapLagrangian, initialMultipliers } from './gap-lagrangian.js';

/**
 * Large-neighbourhood search for GAP that reuses the exact solver: pick a few agents,
 * free every job they hold, and re-solve that sub-GAP exactly (branch-and-bound on the
 * Lagrangian bound, with a small work cap) with all other jobs kept in place. An exact
 * re-optimisation of 3-4 agents reaches moves (long chains, multi-swaps) that shift/swap
 * tabu search does not see. With the full problem's multipliers the agents of a
 * sub-problem are drawn by affinity (see AgentAffinity): at 15 s of CPU on Chu-Beasley D
 * 20 x 100 and 20 x 200 (two fixed-seed and two held-out instances) gap:auto ended at or
 * below its uniform-draw result on all four (6198 vs 6229, 12451 vs 12451, 6247 vs 6259,
 * 12203 vs 12207).
 */
export interface GapLnsOptions {
  rng: Rng;
  stop: () => boolean;
  onImprove?: (cost: number, assignment: Int32Array) => void;
  /** Internal lower bound: stop when reached. */
  lowerBound?: number | undefined;
  /** Multipliers of the full problem's Lagrangian dual: their restriction warm-starts each sub-problem. */
  u?: Float64Array | undefined;
  /** Agents per sub-problem at first (default floor(log2 m), at least 2). */
  agents?: number | undefined;
  /**
   * Work cap of a sub-problem per freed job: Lagrangian evaluations of its branch-and-bound
   * (default 6, plus 100 for the root; a sub-problem of 80 jobs gets 580). A work bound,
   * not a clock, so that the same seed repeats the same walk on any machine load.
   */
  evaluationsPerJob?: number | undefined;
  /**
   * Draw the agents of a sub-problem by affinity (default true when `u` is given): after a
   * random first agent, each next one with probability growing with the jobs the
   * Lagrangian relaxation at `u` would move between it and the agents already drawn.
   */
  related?: boolean | undefined;
  /**
   * What a round frees: 'agents' (default, what gap:auto uses) every job of a few agents;
   * 'jobs' a random part of the jobs of up to 8 agents (all of them when there are few),
   * the part's size adapting like the agent count; 'mixed' both in turns. Measured at 10 s
   * CPU from the same root on Chu-Beasley D (held-out seeds): LNS alone, 'mixed' ended at
   * or below 'agents' on 5 x 200 (3 of 3: 12594 vs 12597, 13011 vs 13017, 12815 vs 12820)
   * and 5 x 100 (2 of 2), even on 10-20 x 200; inside gap:auto (with tabu and
   * branch-and-bound) it was not better (3 of 8 instances), so auto keeps 'agents'.
   */
  neighbourhood?: 'agents' | 'jobs' | 'mixed' | undefined;
}

export interface GapLnsResult extends GapPlan {
  rounds: number;
  /** Sub-problems solved to optimality (the others hit their work cap). */
  solved: number;
  /** Rounds whose agent set was already proven optimal for the current plan (not re-solved). */
  skipped: number;
}

export function gapLns(inst: GapInstance, start: Int32Array, opts: GapLnsOptions): GapLnsResult {
  return runSteps(gapLnsSteps(inst, start, opts));
}

/** The search as steps: the sub-problems' branch-and-bound checkpoints (see core's runSteps / runStepsAsync). */
export function* gapLnsSteps(inst: GapInstance, start: Int32Array, opts: GapLnsOptions): Steps<GapLnsResult> {
  const { m, n } = inst;
  const walk = new LnsWalk(inst, start, opts.rng);
  // Few agents, many sub-problems at first: on Chu-Beasley D 2 agents of 5, 3 of 10 and 4
  // of 20; the size then adapts (below).
  const k = Math.min(m, opts.agents ?? Math.max(2, Math.floor(Math.log2(m))));
  // The sub-problems stop short of the whole problem (which is the search's job).
  const lo = Math.min(m, 2);
  const hi = Math.max(k, m - 1);
  // After this many rounds without a better plan the walk is a local optimum for its
  // neighbourhood: it is kicked (iterated LNS) instead of re-solving the same sub-problems.
  const stall = 7 * m;
  const perJob = opts.evaluationsPerJob ?? 6;
  const agents = new Int32Array(m);
  const inSub = new Int32Array(m).fill(-1);
  const jobs = new Int32Array(n);
  let rounds = 0;
  let solved = 0;
  let sinceImprove = 0;
  let skipped = 0;
  const proven = new ProvenSubsets(m);
  // The sub-problem size (agents) adapts to what the work cap can solve: it grows while the
  // sub-problems are solved to optimality and shrinks when they hit the cap (about 5 in 6
  // solved at equilibrium). On 20 agents x 100 jobs nearly every 4-agent sub-problem was
  // solved at once; growing them took D 20 x 100 from 6267 to 6246 and from 6145 to 6126
  // at 4 s CPU (two held-out seeds), about even on 10-20 x 200.
  let size = k;
  // The affinity costs one Lagrangian evaluation (in steps), then a checkpoint before the first sub-problem.
  const affinity = opts.u && opts.related !== false ? new AgentAffinity(inst, yield* relaxedChoice(inst, opts.u)) : undefined;
  if (affinity) yield;
  const mode = opts.neighbourhood ?? 'agents';
  // Job-subset sub-problems: their size in freed jobs adapts like `size` does.
  let jobSize = 8 * Math.min(m, 8);
  while (!opts.stop() && walk.bestCost > (opts.lowerBound ?? -Infinity) + 1e-9) {
    rounds++;
    if (sinceImprove >= stall) {
      walk.kick(Math.max(2, Math.round(n / 25)));
      sinceImprove = 0;
    }
    const byJobs = mode === 'jobs' || (mode === 'mixed' && rounds % 2 === 0);
    // Whole agents, up to two more the longer nothing improves.
    const kk = byJobs ? Math.min(m, 8) : Math.min(hi, Math.floor(size) + Math.min(2, Math.floor(sinceImprove / (2 * m))));
    const nn = drawRound(walk.assign, { agents, inSub, jobs }, kk, byJobs ? Math.round(jobSize) : n, affinity, opts.rng);
    const key = byJobs ? -1 : proven.key(agents, kk);
    if (nn === 0 || (key >= 0 && proven.has(key, walk))) {
      // Nothing to free, or this agent set was re-solved to optimality and none of its agents changed since.
      // Counted as the solve it replaces (same walk, same size adaptation), minus the work.
      if (nn > 0) {
        sinceImprove++;
        skipped++;
        size = Math.min(hi, size + 0.05);
      }
      yield;
      continue;
    }
    const subJobs = jobs.subarray(0, nn);
    const { sub, sub0, subCost } = subProblem(inst, walk, agents, kk, subJobs, inSub);
    let evaluations = 0;
    const cap = 100 + perJob * nn;
    const res = yield* gapBranchAndBoundSteps(sub, {
      stop: () => opts.stop() || ++evaluations > cap,
      interrupted: opts.stop,
      incumbent: sub0,
      incumbentCost: subCost,
      rootU: opts.u ? Float64Array.from(subJobs, (j) => opts.u![j]!) : initialMultipliers(sub),
      rootIterations: opts.u ? 60 : 150,
    });
    if (res.complete) solved++;
    if (byJobs) jobSize = res.complete ? Math.min(n, jobSize * 1.02) : Math.max(4, jobSize * 0.9);
    else size = res.complete ? Math.min(hi, size + 0.05) : Math.max(lo, size - 0.25);
    if (res.assignment && res.cost < subCost - 1e-9) {
      for (let q = 0; q < nn; q++) walk.shift(subJobs[q]!, agents[res.assignment[q]!]!);
      sinceImprove = 0;
      if (walk.record()) opts.onImprove?.(walk.bestCost, walk.best);
    } else sinceImprove++;
    // A completed solve leaves the set's jobs optimally placed (improved or not).
    if (res.complete && key >= 0) proven.add(key, walk);
  }
  return { assignment: walk.best, cost: walk.bestCost, rounds, solved, skipped };
}

/**
 * The sub-problem of one round: `kk` agents (affinity-drawn when given) to the front of
 * `agents` and marked in `inSub`, and up to `maxJobs` of their jobs (drawn at random when
 * they hold more) to the front of `jobs`; returns the number of jobs.
 */
function drawRound(
  assign: Int32Array,
  buf: { agents: Int32Array; inSub: Int32Array; jobs: Int32Array },
  kk: number,
  maxJobs: number,
  affinity: AgentAffinity | undefined,
  rng: Rng,
): number {
  const { agents, inSub, jobs } = buf;
  const m = agents.length;
  for (let i = 0; i < m; i++) agents[i] = i;
  rng.shuffle(agents);
  if (affinity) affinity.draw(agents, kk, assign, rng);
  inSub.fill(-1);
  for (let t = 0; t < kk; t++) inSub[agents[t]!] = t;
  let nn = 0;
  for (let j = 0; j < assign.length; j++) if (inSub[assign[j]!]! >= 0) jobs[nn++] = j;
  return nn > maxJobs ? pickJobs(jobs, nn, maxJobs, rng) : nn;
}

/** Moves `count` jobs drawn at random from `jobs[0..nn)` to its front (partial Fisher-Yates); the number kept. */
function pickJobs(jobs: Int32Array, nn: number, count: number, rng: Rng): number {
  const q = Math.min(nn, count);
  for (let t = 0; t < q; t++) {
    const r = t + rng.int(nn - t);
    const tmp = jobs[t]!;
    jobs[t] = jobs[r]!;
    jobs[r] = tmp;
  }
  return q;
}

/**
 * Agent sets whose sub-problem was solved to optimality without improving, with the
 * versions of their agents then (see LnsWalk.version): while none of them has changed,
 * the set's jobs are already placed optimally and re-solving it would only re-prove that.
 * With few agents the walk draws the same sets again and again (5 agents have 10 pairs),
 * so this saves most of the rounds near a local optimum, which then ends in a kick sooner.
 * Keyed by the agents' bitmask, so used below 31 agents.
 */
class ProvenSubsets {
  private readonly seen = new Map<number, number>();

  private readonly enabled: boolean;

  constructor(m: number) {
    this.enabled = m <= 30;
  }

  key(agents: Int32Array, kk: number): number {
    if (!this.enabled) return -1;
    let k = 0;
    for (let t = 0; t < kk; t++) k |= 1 << agents[t]!;
    return k >>> 0;
  }

  private signature(key: number, walk: LnsWalk): number {
    let s = 0;
    for (let i = 0; key >>> i; i++) if ((key >>> i) & 1) s += walk.version[i]!;
    return s;
  }

  has(key: number, walk: LnsWalk): boolean {
    return this.seen.get(key) === this.signature(key, walk);
  }

  add(key: number, walk: LnsWalk): void {
    this.seen.set(key, this.signature(key, walk));
  }
}

/**
 * The current plan of the LNS with its loads, and the best plan seen. A kick starts from
 * the best plan (a kicked walk that found nothing better goes back) and makes random
 * feasible shifts and swaps, so the next sub-problems see a different neighbourhood.
 */
class LnsWalk {
  readonly assign: Int32Array;
  readonly best: Int32Array;
  bestCost: number;
  private cost = 0;
  readonly load: Float64Array;
  /** Per agent, how many times its job set changed (versions only grow). */
  readonly version: Float64Array;

  constructor(
    private readonly inst: GapInstance,
    start: Int32Array,
    private readonly rng: Rng,
  ) {
    const { m, n, cost, weight } = inst;
    this.assign = Int32Array.from(start);
    this.best = Int32Array.from(start);
    this.load = new Float64Array(m);
    this.version = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      const k = start[j]! * n + j;
      this.cost += cost[k]!;
      this.load[start[j]!]! += weight[k]!;
    }
    this.bestCost = this.cost;
  }

  shift(j: number, to: number): void {
    const { n, cost, weight } = this.inst;
    const from = this.assign[j]!;
    if (from === to) return;
    this.cost += cost[to * n + j]! - cost[from * n + j]!;
    this.load[from]! -= weight[from * n + j]!;
    this.load[to]! += weight[to * n + j]!;
    this.assign[j] = to;
    this.version[from]!++;
    this.version[to]!++;
  }

  /** True when the current plan is a new best (then kept). */
  record(): boolean {
    if (this.cost >= this.bestCost - 1e-9) return false;
    this.bestCost = this.cost;
    this.best.set(this.assign);
    return true;
  }

  /** Back to the best plan, then `moves` random feasible shifts (or swaps when the target agent is full). */
  kick(moves: number): void {
    const { m, n, capacity, weight, feasible } = this.inst;
    for (let j = 0; j < n; j++) this.shift(j, this.best[j]!);
    for (let t = 0, tries = 0; t < moves && tries < 20 * moves; tries++) {
      const j = this.rng.int(n);
      const a = this.assign[j]!;
      const b = this.rng.int(m);
      if (b === a || !feasible[b * n + j]) continue;
      if (this.load[b]! + weight[b * n + j]! <= capacity[b]! + 1e-9) {
        this.shift(j, b);
        t++;
        continue;
      }
      // Swap with a random job of agent b when both fit.
      const l = this.rng.int(n);
      if (this.assign[l] !== b || !feasible[a * n + l]) continue;
      if (this.load[a]! - weight[a * n + j]! + weight[a * n + l]! > capacity[a]! + 1e-9) continue;
      if (this.load[b]! - weight[b * n + l]! + weight[b * n + j]! > capacity[b]! + 1e-9) continue;
      this.shift(j, b);
      this.shift(l, a);
      t++;
    }
  }
}

/**
 * The sub-GAP of the first `kk` agents of `agents` and the `jobs` (held by them) that are
 * freed, with the current plan as its incumbent: each agent's capacity is what the jobs
 * it keeps leave.
 */
function subProblem(inst: GapInstance, walk: LnsWalk, agents: Int32Array, kk: number, jobs: Int32Array, inSub: Int32Array): { sub: GapInstance; sub0: Int32Array; subCost: number } {
  const { n, cost, weight, capacity, feasible } = inst;
  const { assign, load } = walk;
  const nn = jobs.length;
  const sc = new Float64Array(kk * nn);
  const sw = new Float64Array(kk * nn);
  const sf = new Uint8Array(kk * nn);
  const scap = new Float64Array(kk);
  const sub0 = new Int32Array(nn);
  let subCost = 0;
  for (let t = 0; t < kk; t++) {
    const i = agents[t]!;
    scap[t] = capacity[i]! - load[i]!;
    for (let q = 0; q < nn; q++) {
      const j = jobs[q]!;
      sc[t * nn + q] = cost[i * n + j]!;
      sw[t * nn + q] = weight[i * n + j]!;
      sf[t * nn + q] = feasible[i * n + j]!;
    }
  }
  for (let q = 0; q < nn; q++) {
    const j = jobs[q]!;
    const a = assign[j]!;
    sub0[q] = inSub[a]!;
    scap[inSub[a]!]! += weight[a * n + j]!;
    subCost += cost[a * n + j]!;
  }
  const sub: GapInstance = { m: kk, n: nn, sense: 'min', cost: sc, weight: sw, capacity: scap, feasible: sf, integral: inst.integral };
  return { sub, sub0, subCost };
}

/** want[i * n + j] = 1 when agent i's knapsack takes job j at u (one Lagrangian evaluation, with its checkpoints). */
function* relaxedChoice(inst: GapInstance, u: Float64Array): Steps<Uint8Array> {
  const lag = new GapLagrangian(inst);
  yield* lag.evaluateSteps(u, new Int32Array(inst.n).fill(-1));
  return Uint8Array.from(lag.x, (v) => (v > 0.5 ? 1 : 0));
}

/**
 * Which agents belong in one sub-problem: the relaxed solution at the multipliers u (each
 * agent's knapsack) says which jobs each agent wants; two agents are related by the jobs
 * one holds that the other wants. A sub-problem of related agents can make the exchanges
 * the relaxation points at, where random agents mostly re-prove their own plan.
 */
class AgentAffinity {
  /** want[i * n + j] = 1 when agent i's knapsack takes job j at u. */
  private readonly want: Uint8Array;
  private readonly score: Float64Array;

  constructor(
    private readonly inst: GapInstance,
    want: Uint8Array,
  ) {
    this.want = want;
    this.score = new Float64Array(inst.m);
  }

  /**
   * Reorders `agents` (a shuffled permutation) so that its first `kk` are a random first
   * agent and then agents drawn one by one with weight 1 + 2 x (jobs wanted across).
   */
  draw(agents: Int32Array, kk: number, assign: Int32Array, rng: Rng): void {
    const { m, n } = this.inst;
    const { want, score } = this;
    score.fill(1);
    for (let t = 0; t < kk; t++) {
      if (t > 0) {
        let total = 0;
        for (let q = t; q < m; q++) total += score[agents[q]!]!;
        let r = rng.next() * total;
        let pick = t;
        for (let q = t; q < m; q++) {
          r -= score[agents[q]!]!;
          if (r <= 0) {
            pick = q;
            break;
          }
        }
        const tmp = agents[t]!;
        agents[t] = agents[pick]!;
        agents[pick] = tmp;
      }
      const a = agents[t]!;
      score[a] = 0;
      for (let j = 0; j < n; j++) {
        const b = assign[j]!;
        if (b === a) {
          for (let i = 0; i < m; i++) if (want[i * n + j]) score[i]! += score[i]! > 0 ? 2 : 0;
        } else if (want[a * n + j] && score[b]! > 0) score[b]! += 2;
      }
    }
  }
}
