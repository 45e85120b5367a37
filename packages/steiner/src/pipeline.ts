import { runSteps, runStepsAsync, type Graph, type SolveRun, type Steps } from '@emplace/core';
import { ascendAndPruneSteps } from './ascend-and-prune.js';
import { cutMip } from './cut-mip.js';
import { dualAscentEliminations, dualAscentSteps, type DualAscentResult } from './dual-ascent.js';
import { heuristicPhase, pickRoots, type HeuristicPhaseResult, type SubgraphSolver } from './heuristic-phase.js';
import { mehlhornSteps, ShortestPathHeuristic } from './heuristics.js';
import { SteinerLocalSearch } from './local-search.js';
import type { SteinerTree } from './problem.js';
import { fromOriginalEdges, toOriginalEdges, WorkGraph, type ReducedInstance } from './reduce.js';
import { edgeCost, isSteinerTree, mstOfEdges, pruneLeaves, resteinerizeSteps } from './tree.js';

export type PipelineStats = Record<string, string | number | boolean | undefined>;

/** What the pipeline hands back to solveSteiner: the best tree (original edges) and the proven bound. */
export interface PipelineOutcome {
  edges: number[];
  bound: number | undefined;
  /** The exact phase ran out of time without a proof (the run is marked 'time-limit'). */
  outOfTime: boolean;
}

export interface PipelineSettings {
  method: 'heuristic' | 'mip' | 'auto';
  roots?: number | undefined;
  perturbations?: number | undefined;
  merge: boolean;
  solveSub: SubgraphSolver;
  /** Builds the tree reported with each incumbent (the pool keeps it if the worker is killed). */
  buildTree: (edges: number[]) => SteinerTree;
}

/** Reduced graphs up to this many edges go to the cut MIP at once (larger ones get perturbed restarts first). */
const SMALL_FOR_MIP_EDGES = 1500;
/**
 * Share of the remaining time the long-edge test may take: one bounded search per node is
 * slow on dense graphs with few terminals (where the special-distance test is weak) and
 * dual ascent, which comes next, removes most of such graphs anyway.
 */
const LONG_EDGE_SHARE = 0.12;
/** Relative incumbent - bound gap under which the cut MIP starts early whatever the graph's size. */
const TIGHT_GAP = 0.01;
/** Shortest-path roots of the second heuristic phase (the first one used up to 100). */
const SECOND_PHASE_ROOTS = 10;
/** Dual-ascent roots in the bound phase. */
const DUAL_ASCENT_ROOTS = 8;

/**
 * The reduction-based pipeline of 'heuristic', 'mip' and 'auto' (after SCIP-Jack and
 * Polzin & Vahdati Daneshmand): reductions, a first heuristic upper bound, dual ascent
 * (lower bound and reduced-cost eliminations against the upper bound), reductions again,
 * heuristics on the reduced graph, a second round of bound-based eliminations with the
 * better upper bound, then the cut MIP warm-started with the best tree. Every step
 * yields to the event loop (run.tick()).
 */
export class SteinerPipeline {
  private best: { edges: number[]; cost: number } = { edges: [], cost: Infinity };
  private lowerBound = -Infinity;
  private readonly integral: boolean;
  readonly stats: PipelineStats;

  constructor(
    private readonly g: Graph,
    private readonly terminals: Int32Array,
    private readonly isTerminal: Uint8Array,
    private readonly run: SolveRun,
    private readonly settings: PipelineSettings,
  ) {
    this.integral = isIntegral(g);
    this.stats = { nodes: g.n, edges: g.m };
  }

  private readonly stopFn = (): boolean => this.run.shouldStop();

  /** A stop test for a step that may end early (a reduction test): the run's, or once `share` of the remaining time is spent. */
  private shareStop(share: number): () => boolean {
    const until = this.run.deadline === Infinity ? Infinity : performance.now() + share * this.run.remainingMs();
    return () => this.run.shouldStop() || performance.now() >= until;
  }

  async solve(): Promise<PipelineOutcome> {
    const wg = new WorkGraph(this.g, this.terminals, false);
    await this.firstTree();
    if (this.run.shouldStop()) return this.outcome(wg, false);
    // Loading, reductions and compaction stop with the run (the rest of a step is skipped,
    // not finished): the tree above is the answer then.
    if (!(await this.untilStop(wg.loadSteps(this.g)))) return this.outcome(wg, false);
    if (!(await this.untilStop(reductionSteps(wg, this.stopFn, true, this.shareStop(LONG_EDGE_SHARE))))) return this.outcome(wg, false);
    const compacted = await this.untilStop(wg.compactSteps());
    if (!compacted) return this.outcome(wg, false);
    const r1 = compacted.value;
    this.stats.reducedNodes1 = r1.graph.n;
    this.stats.reducedEdges1 = r1.graph.m;
    this.run.progress({ phase: 'reduce' });
    if (r1.terminals.length <= 1) return this.trivial(wg, r1);
    await this.run.tick();
    const h1 = await heuristicPhase(r1, this.run, { roots: this.settings.roots, localSearch: true, share: 0.35, report: this.reporter(r1) });
    this.offer(r1, h1.edges);
    this.run.progress({ phase: 'heuristic', incumbent: this.best.cost });
    // Stopped (time limit or abort): the incumbent goes back at once.
    if (this.run.shouldStop()) return this.outcome(wg, false);
    await this.dualAscentPhase(wg, r1);
    if (this.proven() || this.run.shouldStop()) return this.outcome(wg, false);
    if (!(await this.untilStop(reductionSteps(wg, this.stopFn, true, this.shareStop(LONG_EDGE_SHARE))))) return this.outcome(wg, false);
    const compacted2 = await this.untilStop(wg.compactSteps());
    if (!compacted2) return this.outcome(wg, false);
    const r2 = compacted2.value;
    this.stats.reducedNodes = r2.graph.n;
    this.stats.reducedEdges = r2.graph.m;
    if (r2.terminals.length <= 1) return this.trivial(wg, r2);
    if (this.run.shouldStop()) return this.outcome(wg, false);
    // Small reduced graphs, or a dual bound already close to the incumbent (the LP is then
    // nearly tight and its guided trees are good), go to the cut MIP early.
    const tight = this.best.cost - this.lowerBound <= TIGHT_GAP * this.best.cost;
    const smallForMip = this.settings.method !== 'heuristic' && (r2.graph.m <= SMALL_FOR_MIP_EDGES || tight);
    const h2 = await this.secondHeuristic(r2, smallForMip);
    this.stats.moves = h1.moves + h2.moves;
    if (this.settings.method === 'heuristic' || this.run.shouldStop() || this.proven()) return this.outcome(wg, false);
    const r3 = await this.boundReduction(wg, r2);
    if (r3.terminals.length <= 1) return this.trivial(wg, r3);
    if (this.run.shouldStop()) return this.outcome(wg, false);
    const deadline = await this.exactPhase(r3, smallForMip);
    if (!this.proven() && smallForMip && this.settings.method === 'auto' && !this.run.shouldStop()) {
      const h3 = await heuristicPhase(r3, this.run, this.heuristicOptions(r3, 1, true));
      this.offer(r3, h3.edges);
      this.recordHeuristic(h3);
    }
    return this.outcome(wg, !this.proven() && performance.now() >= deadline - 1);
  }

  /**
   * Mehlhorn's 2-approximation on the graph as given (one Voronoi search and an MST), in
   * steps, before anything else: the first incumbent, and the answer when the run stops
   * while the graph is loaded and reduced. (Computed only after such a stop, it kept an
   * abort waiting 15-40 ms on SteinLib e18, cold code the most.) Stopped inside these
   * steps, the rest of them runs at once: a stop always returns a tree.
   */
  private async firstTree(): Promise<void> {
    const steps = mehlhornSteps(this.g, this.terminals, this.isTerminal);
    let r = steps.next();
    while (!r.done && !(await this.run.tick())) r = steps.next();
    this.offerOriginal(r.done ? r.value : runSteps(steps));
  }

  /** Runs steps while the run goes on: their value when they ended, undefined when the run stopped first (the rest is skipped). */
  private async untilStop<T>(steps: Steps<T>): Promise<{ value: T } | undefined> {
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return { value: r.value };
      if (await this.run.tick()) return undefined;
    }
  }

  /** Keeps an improving tree (reduced edges mapped back, cleaned) and reports it as the incumbent. */
  private offer(r: ReducedInstance, edges: number[]): void {
    this.offerOriginal(pruneLeaves(this.g, mstOfEdges(this.g, toOriginalEdges(r, edges)), this.isTerminal));
  }

  private offerOriginal(edges: number[]): void {
    const c = edgeCost(this.g, edges);
    if (c < this.best.cost && isSteinerTree(this.g, edges, this.terminals)) {
      this.best = { edges, cost: c };
      // Strict improvements are few: each is reported (a pool returns it if the worker is killed).
      this.run.incumbent(c, () => this.settings.buildTree(edges), true);
    }
  }

  private reporter(r: ReducedInstance): ((edges: number[]) => void) | undefined {
    return this.run.options.onIncumbent ? (edges) => this.offer(r, edges) : undefined;
  }

  private proven(): boolean {
    return proves(this.lowerBound, this.best.cost, this.integral);
  }

  private trivial(wg: WorkGraph, r: ReducedInstance): PipelineOutcome {
    this.offer(r, []);
    Object.assign(this.stats, wg.stats);
    return { edges: this.best.edges, bound: this.best.cost, outOfTime: false };
  }

  private outcome(wg: WorkGraph, outOfTime: boolean): PipelineOutcome {
    Object.assign(this.stats, wg.stats);
    const lb = this.lowerBound;
    const bound = this.integral ? Math.min(this.best.cost, Math.ceil(lb - 1e-6)) : lb;
    return { edges: this.best.edges, bound: Number.isFinite(bound) ? bound : undefined, outOfTime };
  }

  /** Dual ascent from several roots on r1: the lower bound, and eliminations against the incumbent. */
  private async dualAscentPhase(wg: WorkGraph, r1: ReducedInstance): Promise<void> {
    const rng = this.run.rng.fork();
    const roots = pickRoots(r1.terminals, Math.min(r1.terminals.length, DUAL_ASCENT_ROOTS), rng);
    const daDeadline = this.run.deadline === Infinity ? Infinity : performance.now() + 0.25 * this.run.remainingMs();
    const daStop = (): boolean => this.run.shouldStop() || performance.now() >= daDeadline;
    let eliminated = 0;
    for (const root of roots) {
      if (this.lowerBound > -Infinity && ((await this.run.tick()) || daStop())) break;
      const da = await runStepsAsync(dualAscentSteps(r1.graph, r1.terminals, root, daStop), this.run);
      this.lowerBound = Math.max(this.lowerBound, da.lowerBound + r1.fixedCost);
      if (this.proven()) break;
      // A tree from the saturated arcs first: a better incumbent makes the eliminations stronger.
      await this.ascendAndPrune(r1, da);
      // Stopped: the eliminations (one uninterrupted pass over the reduced costs) serve no later phase.
      if (this.run.shouldStop()) break;
      eliminated += this.eliminate(wg, r1, da);
      if (this.proven()) break;
    }
    wg.stats.dualAscent += eliminated;
    this.stats.dualAscentBound = this.lowerBound;
    this.run.progress({ phase: 'dual-ascent', incumbent: this.best.cost, bound: this.lowerBound });
  }

  /** Ascend and prune on the reduced costs of `da` (on r), then local search: offered as the incumbent. */
  private async ascendAndPrune(r: ReducedInstance, da: DualAscentResult): Promise<void> {
    if (r.terminals.length <= 1 || this.run.shouldStop()) return;
    const edges = await runStepsAsync(ascendAndPruneSteps(r.graph, r.terminals, r.isTerminal, da, this.stopFn), this.run);
    if (!this.run.shouldStop()) {
      const ls = new SteinerLocalSearch(r.graph, r.isTerminal);
      ls.shouldStop = this.stopFn;
      this.offer(r, await runStepsAsync(ls.improveSteps(edges, r.terminals[0]!), this.run));
      this.stats.ascendAndPrune = (Number(this.stats.ascendAndPrune) || 0) + 1;
    } else if (isSteinerTree(r.graph, edges, r.terminals)) this.offer(r, edges);
  }

  /** Deletes what the reduced costs of `da` (on r, just compacted from wg) exclude from every tree no dearer than the incumbent. */
  private eliminate(wg: WorkGraph, r: ReducedInstance, da: DualAscentResult): number {
    const elim = dualAscentEliminations(r.graph, da, r.terminals, r.isTerminal, this.best.cost - r.fixedCost);
    for (let e = 0; e < r.graph.m; e++) if (elim.deadEdges[e]) wg.deleteEdge(r.edgeOf[e]!);
    for (let v = 0; v < r.graph.n; v++) if (elim.deadNodes[v]) wg.deleteNode(r.nodeOf[v]!);
    return elim.count;
  }

  private heuristicOptions(r: ReducedInstance, share: number, merge: boolean, perturbations = 60, roots = this.settings.roots, seed?: number[]) {
    return {
      roots,
      seed,
      localSearch: true,
      share,
      perturbations: this.settings.perturbations ?? perturbations,
      mergeWith: merge && this.settings.merge ? this.settings.solveSub : undefined,
      report: this.reporter(r),
    };
  }

  private recordHeuristic(h: HeuristicPhaseResult): void {
    this.stats.merged = h.merged;
    this.stats.perturbations = h.perturbations;
  }

  /**
   * The reduced graph keeps every tree no dearer than the incumbent: search it again.
   * Small reduced graphs go to the exact phase soon; larger ones first get perturbed restarts.
   */
  private async secondHeuristic(r2: ReducedInstance, smallForMip: boolean): Promise<HeuristicPhaseResult> {
    // The first phase already built trees from many roots: a few more here, with the incumbent
    // carried over as the seed, leave the time to perturbed restarts around it.
    const seed = this.startTree(r2).edges;
    const roots = this.settings.roots ?? SECOND_PHASE_ROOTS;
    const h2 = await heuristicPhase(r2, this.run, this.heuristicOptions(r2, smallForMip ? 0.5 : 0.85, !smallForMip, smallForMip ? 10 : 60, roots, seed));
    this.recordHeuristic(h2);
    this.offer(r2, h2.edges);
    return h2;
  }

  /**
   * With the better upper bound of the second heuristic: dual ascent on r2 (its cuts seed
   * the MIP's LP when nothing more is removed), eliminations, and the reductions again.
   */
  private async boundReduction(wg: WorkGraph, r2: ReducedInstance): Promise<ReducedInstance & { seedCuts?: Int32Array[] | undefined }> {
    await this.run.tick();
    const da = await runStepsAsync(dualAscentSteps(r2.graph, r2.terminals, r2.terminals[0]!, this.stopFn, true), this.run);
    this.lowerBound = Math.max(this.lowerBound, da.lowerBound + r2.fixedCost);
    await this.ascendAndPrune(r2, da);
    // Stopped: the caller returns the incumbent; eliminations and reductions would be wasted.
    if (this.run.shouldStop()) return r2;
    const eliminated = this.eliminate(wg, r2, da);
    wg.stats.dualAscent += eliminated;
    if (eliminated === 0) return { ...r2, seedCuts: da.cuts };
    await runStepsAsync(reductionSteps(wg, this.stopFn, false), this.run);
    const r3 = await runStepsAsync(wg.compactSteps(), this.run);
    this.stats.reducedNodes = r3.graph.n;
    this.stats.reducedEdges = r3.graph.m;
    if (r3.terminals.length <= 1) return r3;
    await this.run.tick();
    const seed = await runStepsAsync(dualAscentSteps(r3.graph, r3.terminals, r3.terminals[0]!, this.stopFn, true), this.run);
    this.lowerBound = Math.max(this.lowerBound, seed.lowerBound + r3.fixedCost);
    return { ...r3, seedCuts: seed.cuts };
  }

  /** The incumbent carried into r (or a shortest-path tree when a reduction removed one of its edges). */
  private startTree(r: ReducedInstance): { edges: number[]; cost: number } {
    const mask = new Uint8Array(this.g.m);
    for (const e of this.best.edges) mask[e] = 1;
    const carried = fromOriginalEdges(r, mask);
    if (isSteinerTree(r.graph, carried, r.terminals)) return { edges: carried, cost: edgeCost(r.graph, carried) };
    const edges = pruneLeaves(r.graph, new ShortestPathHeuristic(r.graph).run(r.terminals, r.terminals[0]!), r.isTerminal);
    return { edges, cost: edgeCost(r.graph, edges) };
  }

  /**
   * LP-guided shortest-path heuristic (as in SCIP-Jack): edges priced at c_e (1 - x_e) with x_e
   * the LP value of their arcs, so the tree follows the LP support; pruned, re-steinerized
   * and improved by local search on the true weights; offered as the incumbent.
   */
  private async lpGuided(r: ReducedInstance, x: Float64Array): Promise<{ edges: number[]; cost: number } | undefined> {
    const g = r.graph;
    if (r.terminals.length <= 1 || this.run.shouldStop()) return undefined;
    const w = new Float64Array(g.m);
    for (let e = 0; e < g.m; e++) w[e] = g.edgeW[e]! * Math.max(0, 1 - x[2 * e]! - x[2 * e + 1]!);
    const root = r.terminals[0]!;
    const grown = await runStepsAsync(new ShortestPathHeuristic(g).steps(r.terminals, root, w), this.run);
    let edges = await runStepsAsync(resteinerizeSteps(g, pruneLeaves(g, grown, r.isTerminal), r.isTerminal, root, undefined, this.stopFn), this.run);
    if (!this.run.shouldStop()) {
      const ls = new SteinerLocalSearch(g, r.isTerminal);
      ls.shouldStop = this.stopFn;
      edges = await runStepsAsync(ls.improveSteps(edges, root), this.run);
    }
    if (!isSteinerTree(g, edges, r.terminals)) return undefined;
    this.offer(r, edges);
    this.stats.lpGuided = (Number(this.stats.lpGuided) || 0) + 1;
    return { edges, cost: edgeCost(g, edges) };
  }

  /** The cut MIP on the reduced graph, warm-started from the incumbent; returns its deadline. */
  private async exactPhase(r: ReducedInstance & { seedCuts?: Int32Array[] | undefined }, smallForMip: boolean): Promise<number> {
    const run = this.run;
    const start = this.startTree(r);
    // 'auto' keeps part of the budget for perturbed restarts in case the MIP does not finish.
    // HiGHS checks its clock coarsely: stop the exact phase a little early to honour the limit.
    const margin = run.deadline === Infinity ? 0 : Math.min(500, 0.05 * (run.deadline - run.startedAt));
    const deadline = this.settings.method === 'auto' && smallForMip ? performance.now() + 0.6 * run.remainingMs() : run.deadline - margin;
    run.progress({ phase: 'cut-mip', incumbent: this.best.cost, bound: this.lowerBound });
    const mip = await cutMip(r.graph, r.terminals, r.isTerminal, start, {
      deadline,
      signal: run.options.signal,
      integral: this.integral,
      initialCuts: r.seedCuts,
      tick: () => run.tick(),
      guide: (x) => this.lpGuided(r, x),
    });
    if (mip.edges) this.offer(r, mip.edges);
    this.stats.lpRounds = mip.lpRounds;
    this.stats.mipRounds = mip.mipRounds;
    this.stats.cuts = mip.cuts;
    this.lowerBound = Math.max(this.lowerBound, mip.lowerBound + r.fixedCost);
    if (mip.proven) this.lowerBound = Math.max(this.lowerBound, Math.min(this.best.cost, r.fixedCost + (mip.cost ?? start.cost)));
    return deadline;
  }
}

/**
 * Degree tests, special-distance test, long-edge test and special-distance rounds while they
 * still delete a noticeable share of the edges. The special-distance test goes first: it is
 * near-linear and thins dense graphs before the long-edge test's bounded search per node.
 */
export function* reductionSteps(wg: WorkGraph, shouldStop: () => boolean, longEdge = true, longEdgeStop: () => boolean = shouldStop): Steps<void> {
  // Every test may be skipped (the graph stays valid): after a stop, none starts.
  yield* wg.degreeSteps();
  if (shouldStop()) return;
  yield* wg.specialDistanceSteps(shouldStop);
  yield* wg.degreeSteps();
  if (shouldStop()) return;
  if (longEdge) {
    yield* wg.longEdgeSteps(longEdgeStop);
    yield* wg.degreeSteps();
  }
  for (let round = 0; round < 6 && !shouldStop(); round++) {
    const before = wg.edgeCount();
    const deleted = yield* wg.specialDistanceSteps(shouldStop);
    yield* wg.degreeSteps();
    if (deleted === 0 || wg.edgeCount() > 0.98 * before) break;
  }
}

function proves(lb: number, ub: number, integral: boolean): boolean {
  return integral ? Math.ceil(lb - 1e-6) >= ub - 1e-9 : lb >= ub - 1e-9 * Math.max(1, ub);
}

function isIntegral(g: Graph): boolean {
  for (let e = 0; e < g.m; e++) if (!Number.isInteger(g.edgeW[e]!)) return false;
  return true;
}
