import { createGraph, runStepsAsync, type Graph, type Result, type SolveRun } from '@emplace/core';
import { ShortestPathHeuristic } from './heuristics.js';
import { SteinerLocalSearch } from './local-search.js';
import type { SteinerTree } from './problem.js';
import type { ReducedInstance } from './reduce.js';
import { edgeCost, isSteinerTree, MstWorkspace, pruneLeaves, resteinerizeSteps } from './tree.js';

/** A tree (edges of the phase's graph) and its cost. */
interface ScoredTree {
  edges: number[];
  cost: number;
}

/** The exact pipeline on a sparse subgraph, used by solution merging (passed in to avoid an import cycle). */
export type SubgraphSolver = (graph: Graph, terminals: Int32Array, timeLimitMs: number, seed: number) => Promise<Result<SteinerTree>>;

export interface HeuristicPhaseOptions {
  /** Roots of the shortest-path heuristic (default: every terminal, up to 100). */
  roots?: number | undefined;
  localSearch: boolean;
  /** Fraction of the remaining time the phase may use. */
  share: number;
  /** Perturbed restarts per round (0: none). */
  perturbations?: number | undefined;
  /** Solution merging after each round of restarts (needs `mergeWith`). */
  mergeWith?: SubgraphSolver | undefined;
  /** Receives each tree that improves the phase's best (when the caller wants incumbents). */
  report?: ((edges: number[]) => void) | undefined;
  /** A tree of the phase's graph to start from with the constructed ones (the incumbent carried over). */
  seed?: number[] | undefined;
}

export interface HeuristicPhaseResult {
  edges: number[];
  roots: number;
  moves: number;
  perturbations: number;
  merged: boolean;
}

/** Noise levels of the rounds of perturbed restarts. */
const NOISE = [0.2, 0.4, 0.3, 0.5, 0.25, 0.6];
const ELITE_SIZE = 12;

/**
 * Shortest-path heuristic from several roots, each tree pruned and re-steinerized; the
 * best few go through local search; then rounds of perturbed restarts, each closed by
 * solution merging. Every step yields to the event loop through run.tick().
 */
export async function heuristicPhase(r: ReducedInstance, run: SolveRun, opts: HeuristicPhaseOptions): Promise<HeuristicPhaseResult> {
  if (r.terminals.length <= 1) return { edges: [], roots: 0, moves: 0, perturbations: 0, merged: false };
  const phase = new HeuristicRun(r, run, opts);
  const pool = await phase.construct();
  phase.addSeed(pool);
  if (!opts.localSearch) return { edges: pool[0]!.edges, roots: phase.roots, moves: 0, perturbations: 0, merged: false };
  await phase.improvePool(pool);
  let merged = false;
  for (let round = 0; round < NOISE.length; round++) {
    await phase.perturbationRound(NOISE[round]!);
    if (!opts.mergeWith || phase.elite.length < 2 || phase.stop()) break;
    if (await phase.mergeElite(opts.mergeWith)) merged = true;
  }
  return { edges: phase.best.edges, roots: phase.roots, moves: phase.ls.moves, perturbations: phase.perturbations, merged };
}

/** State shared by the steps of one heuristic phase. */
class HeuristicRun {
  readonly g: Graph;
  readonly sph: ShortestPathHeuristic;
  readonly ws: MstWorkspace;
  readonly ls: SteinerLocalSearch;
  readonly elite: ScoredTree[] = [];
  best: ScoredTree = { edges: [], cost: Infinity };
  roots = 0;
  perturbations = 0;
  private readonly phaseDeadline: number;

  constructor(
    readonly r: ReducedInstance,
    readonly run: SolveRun,
    readonly opts: HeuristicPhaseOptions,
  ) {
    this.g = r.graph;
    this.phaseDeadline = performance.now() + (run.deadline === Infinity ? Infinity : opts.share * run.remainingMs());
    this.sph = new ShortestPathHeuristic(this.g);
    this.ws = new MstWorkspace(this.g.n);
    this.ls = new SteinerLocalSearch(this.g, r.isTerminal);
    this.ls.shouldStop = () => this.run.shouldStop();
  }

  stop(): boolean {
    return this.run.shouldStop() || performance.now() >= this.phaseDeadline;
  }

  private offer(edges: number[], cost: number): boolean {
    if (cost >= this.best.cost - 1e-9 * Math.max(1, this.best.cost)) return false;
    this.best = { edges, cost };
    this.opts.report?.(edges);
    return true;
  }

  private addElite(edges: number[], cost: number): void {
    if (this.elite.some((t) => t.cost === cost && t.edges.length === edges.length)) return;
    this.elite.push({ edges, cost });
    this.elite.sort((a, b) => a.cost - b.cost);
    if (this.elite.length > ELITE_SIZE) this.elite.length = ELITE_SIZE;
  }

  /** A shortest-path tree from `root` on weights `w`, pruned and re-steinerized. */
  private async sphTree(root: number, w?: ArrayLike<number>): Promise<number[]> {
    const terms = this.r.terminals;
    const grown = await runStepsAsync(this.sph.steps(terms, root, w), this.run);
    await this.run.tick();
    const edges = pruneLeaves(this.g, grown, this.r.isTerminal);
    // Stopped: the pruned tree is returned as it is (re-steinerization is up to ten MSTs).
    if (this.run.shouldStop()) return edges;
    return runStepsAsync(resteinerizeSteps(this.g, edges, this.r.isTerminal, terms[0]!, this.ws, () => this.run.shouldStop()), this.run);
  }

  /** The shortest-path heuristic from up to `roots` terminals: the four cheapest distinct trees. */
  async construct(): Promise<ScoredTree[]> {
    const terms = this.r.terminals;
    const roots = pickRoots(terms, Math.min(terms.length, this.opts.roots ?? 100), this.run.rng.fork());
    const pool: ScoredTree[] = [];
    for (const root of roots) {
      if (this.roots > 0 && ((await this.run.tick()) || this.stop())) break;
      this.roots++;
      const edges = await this.sphTree(root);
      const cost = edgeCost(this.g, edges);
      this.offer(edges, cost);
      if (!pool.some((t) => Math.abs(t.cost - cost) < 1e-9)) pool.push({ edges, cost });
      pool.sort((a, b) => a.cost - b.cost);
      if (pool.length > 4) pool.length = 4;
    }
    return pool;
  }

  /** The seed tree (when it spans the terminals) joins the pool first: it is usually the best start. */
  addSeed(pool: ScoredTree[]): void {
    const seed = this.opts.seed;
    if (!seed || !isSteinerTree(this.g, seed, this.r.terminals)) return;
    const cost = edgeCost(this.g, seed);
    this.offer(seed, cost);
    pool.unshift({ edges: seed, cost });
    pool.sort((a, b) => a.cost - b.cost);
    if (pool.length > 4) pool.length = 4;
  }

  private async localSearch(edges: number[]): Promise<number[]> {
    return runStepsAsync(this.ls.improveSteps(edges, this.r.terminals[0]!), this.run);
  }

  /** Local search on every tree of the pool. */
  async improvePool(pool: readonly ScoredTree[]): Promise<void> {
    for (const cand of pool) {
      const improved = await this.localSearch(cand.edges);
      const c = edgeCost(this.g, improved);
      this.addElite(improved, c);
      this.offer(improved, c);
      if ((await this.run.tick()) || this.stop()) break;
    }
  }

  /**
   * Perturbed restarts (after Ribeiro, Uchoa & Werneck's HGP): the shortest-path heuristic
   * on randomly inflated weights, the incumbent's edges inflated more so the next tree
   * explores elsewhere, then local search on the true weights. A round ends after a third
   * of its restarts (at least 8) without a better tree.
   */
  async perturbationRound(level: number): Promise<void> {
    const g = this.g;
    const terms = this.r.terminals;
    const count = this.opts.perturbations ?? 0;
    const rng = this.run.rng.fork();
    const w = new Float64Array(g.m);
    const inBest = new Uint8Array(g.m);
    let sinceBest = 0;
    for (let i = 0; i < count && sinceBest < Math.max(8, count / 3); i++) {
      if ((await this.run.tick()) || this.stop()) break;
      this.perturbations++;
      inBest.fill(0);
      for (const e of this.best.edges) inBest[e] = 1;
      for (let e = 0; e < g.m; e++) w[e] = g.edgeW[e]! * (1 + level * rng.next()) * (inBest[e] ? 1 + level * rng.next() : 1);
      const edges = await this.localSearch(await this.sphTree(terms[rng.int(terms.length)]!, w));
      const c = edgeCost(g, edges);
      this.addElite(edges, c);
      if (this.offer(edges, c)) sinceBest = 0;
      else sinceBest++;
    }
  }

  /**
   * Solution merging: the exact pipeline on the union of the elite trees (a sparse graph);
   * true when it gave a better tree (which joins the elite and starts another round).
   */
  async mergeElite(solveSub: SubgraphSolver): Promise<boolean> {
    const g = this.g;
    const union = new Uint8Array(g.m);
    for (const t of this.elite) for (const e of t.edges) union[e] = 1;
    const subEdges: number[] = [];
    for (let e = 0; e < g.m; e++) if (union[e]) subEdges.push(e);
    const sub = createGraph({ n: g.n, edges: { u: subEdges.map((e) => g.edgeU[e]!), v: subEdges.map((e) => g.edgeV[e]!), w: subEdges.map((e) => g.edgeW[e]!) } });
    const budget = this.run.deadline === Infinity ? 5000 : 0.6 * Math.max(0, this.phaseDeadline - performance.now());
    const res = await solveSub(sub, this.r.terminals, budget, this.run.rng.nextUint32());
    if (!res.solution || res.objective >= this.best.cost - 1e-9 * Math.max(1, this.best.cost)) return false;
    const edges = await this.localSearch(Array.from(res.solution.edges, (i) => subEdges[i]!));
    const c = edgeCost(g, edges);
    this.addElite(edges, c);
    return this.offer(edges, c);
  }
}

/** `count` terminals: the first one, then others drawn by the seed. */
export function pickRoots(terminals: Int32Array, count: number, rng: { int(n: number): number }): number[] {
  const order = Array.from(terminals);
  for (let i = order.length - 1; i > 1; i--) {
    const j = 1 + rng.int(i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, count);
}
