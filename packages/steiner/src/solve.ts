import { checkMemory, createGraph, ModelError, SolveRun, type Graph, type Guarantee, type Result, type SolveOptions } from '@emplace/core';
import { connectedComponents } from '@emplace/graph';
import { cutMip } from './cut-mip.js';
import { dreyfusWagner, dreyfusWagnerFits } from './dreyfus-wagner.js';
import { dualAscent, dualAscentEliminations } from './dual-ascent.js';
import { kmb, mehlhorn, ShortestPathHeuristic } from './heuristics.js';
import { SteinerLocalSearch } from './local-search.js';
import { checkProblem, type SteinerProblem, type SteinerTree } from './problem.js';
import { fromOriginalEdges, toOriginalEdges, WorkGraph, type ReducedInstance } from './reduce.js';
import { edgeCost, isSteinerTree, MstWorkspace, mstOfEdges, pruneLeaves, resteinerize } from './tree.js';

export const STEINER_METHODS = ['auto', 'kmb', 'mehlhorn', 'sph', 'local-search', 'heuristic', 'mip', 'dreyfus-wagner'] as const;
export type SteinerMethod = (typeof STEINER_METHODS)[number];

export interface SteinerOptions extends SolveOptions {
  /** The method (see STEINER_METHODS); default 'auto'. */
  method?: SteinerMethod | undefined;
  /** Number of roots the shortest-path heuristic starts from (default: every terminal, up to 100). */
  roots?: number | undefined;
  /** Apply the reductions before the heuristics of 'sph' / 'local-search' (default false: they run on the graph as given). */
  reduce?: boolean | undefined;
  /** Perturbed restarts of the heuristic on the reduced graph in 'heuristic' / 'mip' / 'auto' (default 60; 0 turns them off). */
  perturbations?: number | undefined;
  /** Solution merging in 'heuristic' / 'mip' / 'auto': the exact pipeline on the union of the best trees found (default true). */
  merge?: boolean | undefined;
  /**
   * Time budget of 'auto', 'mip' and 'heuristic' when no timeLimitMs is given: 7.5 s for
   * graphs up to 600 nodes and 20,000 edges, 22 s for larger ones (the best tree and the
   * proven bound are returned when it ends).
   */
  defaultTimeLimitMs?: number | undefined;
}

const APPROX2: Guarantee = { kind: 'approximation', ratio: 2 };

/** Best tree found so far, in original edges. */
interface Incumbent {
  edges: number[];
  cost: number;
}

/**
 * Solves a Steiner tree problem with `options.method` (see STEINER_METHODS; default 'auto'). Behaviour on
 * special input: one terminal gives the empty tree (cost 0, optimal); terminals in
 * different components give status 'infeasible' with a certificate naming two of them;
 * parallel edges: the cheapest is used; self-loops are ignored.
 */
export async function solveSteiner(problem: SteinerProblem, options: SteinerOptions = {}): Promise<Result<SteinerTree>> {
  const method = options.method ?? 'auto';
  if (!(STEINER_METHODS as readonly string[]).includes(method)) {
    throw new ModelError('options.method', `must be one of ${STEINER_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  }
  if (options.roots !== undefined && !(Number.isInteger(options.roots) && options.roots >= 1)) {
    throw new ModelError('options.roots', `must be a positive integer, got ${String(options.roots)}`);
  }
  const p = checkProblem(problem);
  // Reductions keep several copies of the graph (CSR, reduced edge lists, dual-ascent
  // reduced costs, distance arrays per root): about 200 bytes per node and per edge; the
  // cut MIP adds a column pair and rows per edge.
  const perItem = method === 'mip' || method === 'auto' ? 600 : 200;
  checkMemory(`steiner:${method}`, `a graph of ${p.graph.n} nodes and ${p.graph.m} edges`, (p.graph.n + p.graph.m) * perItem, options);
  // The reduction pipeline has a default budget when no time limit is given (see SteinerOptions.defaultTimeLimitMs).
  const pipeline = method === 'auto' || method === 'mip' || method === 'heuristic';
  const budgeted: SteinerOptions =
    pipeline && options.timeLimitMs === undefined
      ? { ...options, timeLimitMs: options.defaultTimeLimitMs ?? (p.graph.n <= 600 && p.graph.m <= 20_000 ? 7_500 : 22_000) }
      : options;
  const run = new SolveRun(budgeted, `steiner:${method}`, 'min');
  const g = p.graph;
  const terminals = p.terminals;
  const isTerminal = new Uint8Array(g.n);
  for (const t of terminals) isTerminal[t] = 1;
  const exact = method === 'auto' || method === 'mip' || method === 'dreyfus-wagner';
  const guarantee: Guarantee = exact ? { kind: 'exact' } : APPROX2;

  const finish = (edges: number[], bound: number | undefined, stats: Record<string, string | number | boolean | undefined>, warnings?: string[]): Result<SteinerTree> => {
    const tree = buildTree(g, edges, terminals, isTerminal);
    return run.solved({ solution: tree, objective: tree.cost, bound, guarantee, stats, warnings });
  };

  if (terminals.length === 1) return finish([], 0, { terminals: 1 });
  const comps = connectedComponents(g);
  const c0 = comps.component[terminals[0]!]!;
  for (let i = 1; i < terminals.length; i++) {
    if (comps.component[terminals[i]!] !== c0) {
      return run.unsolved({
        status: 'infeasible',
        guarantee,
        certificate: {
          reason: `terminals ${JSON.stringify(g.ids[terminals[0]!])} and ${JSON.stringify(g.ids[terminals[i]!])} are in different connected components: no tree joins them`,
          fields: ['terminals[0]', `terminals[${i}]`],
        },
      });
    }
  }
  const shouldStop = (): boolean => run.shouldStop();

  if (method === 'kmb' || method === 'mehlhorn') {
    const edges = method === 'kmb' ? kmb(g, terminals, isTerminal) : mehlhorn(g, terminals, isTerminal);
    return finish(edges, undefined, {});
  }
  if (method === 'dreyfus-wagner') {
    if (!dreyfusWagnerFits(g.n, terminals.length)) {
      throw new ModelError('terminals', `has ${terminals.length} terminals on ${g.n} nodes: too many for Dreyfus-Wagner (2^(k-1) n table); use method 'mip' or 'auto'`);
    }
    const dw = dreyfusWagner(g, terminals, isTerminal, shouldStop);
    if (!dw) {
      const fallback = mehlhorn(g, terminals, isTerminal);
      return finish(fallback, undefined, { fallback: 'mehlhorn' });
    }
    return finish(dw.edges, dw.cost, {}, undefined);
  }
  if (method === 'sph' || method === 'local-search') {
    const work = options.reduce ? reduceInstance(g, terminals, shouldStop).compact() : identityInstance(g, terminals, isTerminal);
    const h = await heuristicPhase(work, run, options.roots, method === 'local-search', 1);
    return finish(toOriginalEdges(work, h.edges), undefined, { roots: h.roots, moves: h.moves });
  }

  // Reduction-based pipeline: 'heuristic', 'mip', 'auto'.
  const integral = isIntegral(g);
  const wg = reduceInstance(g, terminals, shouldStop);
  const r1 = wg.compact();
  const stats: Record<string, string | number | boolean | undefined> = {
    nodes: g.n,
    edges: g.m,
    reducedNodes1: r1.graph.n,
    reducedEdges1: r1.graph.m,
  };
  let best: Incumbent = { edges: [], cost: Infinity };
  const offer = (r: ReducedInstance, edges: number[]): void => {
    const orig = cleanOriginal(g, toOriginalEdges(r, edges), isTerminal);
    const c = edgeCost(g, orig);
    if (c < best.cost && isSteinerTree(g, orig, terminals)) {
      best = { edges: orig, cost: c };
      // Strict improvements are few: each is reported (a pool returns it if the worker is killed).
      run.incumbent(c, () => buildTree(g, orig, terminals, isTerminal), true);
    }
  };
  if (r1.terminals.length <= 1) {
    offer(r1, []);
    Object.assign(stats, wg.stats);
    return finish(best.edges, best.cost, stats);
  }
  await run.tick();
  // Heuristic upper bound on the first reduction.
  const h1 = await heuristicPhase(r1, run, options.roots, true, 0.35, 0, false, run.options.onIncumbent ? (edges) => offer(r1, edges) : undefined);
  offer(r1, h1.edges);
  run.progress({ phase: 'heuristic', incumbent: best.cost });

  // Dual ascent: lower bound and reduced-cost eliminations.
  let lowerBound = -Infinity;
  const rng = run.rng.fork();
  const daRoots = pickRoots(r1.terminals, Math.min(r1.terminals.length, 8), rng);
  let eliminated = 0;
  const daDeadline = run.deadline === Infinity ? Infinity : performance.now() + 0.25 * run.remainingMs();
  const daStop = (): boolean => run.shouldStop() || performance.now() >= daDeadline;
  for (const root of daRoots) {
    if ((await run.tick()) && lowerBound > -Infinity) break;
    if (lowerBound > -Infinity && daStop()) break;
    const da = dualAscent(r1.graph, r1.terminals, root, daStop);
    lowerBound = Math.max(lowerBound, da.lowerBound + r1.fixedCost);
    const elim = dualAscentEliminations(r1.graph, da, r1.terminals, r1.isTerminal, best.cost - r1.fixedCost);
    for (let e = 0; e < r1.graph.m; e++) if (elim.deadEdges[e]) wg.deleteEdge(r1.edgeOf[e]!);
    for (let v = 0; v < r1.graph.n; v++) if (elim.deadNodes[v]) wg.deleteNode(r1.nodeOf[v]!);
    eliminated += elim.count;
    if (proves(lowerBound, best.cost, integral)) break;
  }
  wg.stats.dualAscent = eliminated;
  stats.dualAscentBound = lowerBound;
  run.progress({ phase: 'dual-ascent', incumbent: best.cost, bound: lowerBound });
  if (proves(lowerBound, best.cost, integral)) {
    Object.assign(stats, wg.stats);
    return finish(best.edges, lowerBound, stats);
  }
  await run.tick();
  wg.degreeTests();
  wg.longEdgeTest(shouldStop);
  await run.tick();
  wg.degreeTests();
  const r2 = wg.compact();
  stats.reducedNodes = r2.graph.n;
  stats.reducedEdges = r2.graph.m;
  Object.assign(stats, wg.stats);
  if (r2.terminals.length <= 1) {
    offer(r2, []);
    return finish(best.edges, best.cost, stats);
  }
  // The reduced graph keeps every tree no dearer than the incumbent: search it again.
  // Small reduced graphs go to the exact phase at once; larger ones first get perturbed restarts.
  const smallForMip = method !== 'heuristic' && r2.graph.m <= 1500;
  const h2 = await heuristicPhase(r2, run, options.roots, true, smallForMip ? 0.5 : 0.85, options.perturbations ?? (smallForMip ? 10 : 60), !smallForMip && options.merge !== false, run.options.onIncumbent ? (edges) => offer(r2, edges) : undefined);
  stats.merged = h2.merged;
  stats.perturbations = h2.perturbations;
  offer(r2, h2.edges);
  stats.moves = h1.moves + h2.moves;
  if (method === 'heuristic' || run.shouldStop() || proves(lowerBound, best.cost, integral)) {
    return finish(best.edges, integral ? Math.min(best.cost, Math.ceil(lowerBound - 1e-6)) : lowerBound, stats);
  }

  // Exact phase on the reduced graph, warm-started from the incumbent.
  let start = { edges: h2.edges, cost: edgeCost(r2.graph, h2.edges) };
  const mask = new Uint8Array(g.m);
  for (const e of best.edges) mask[e] = 1;
  const carried = fromOriginalEdges(r2, mask);
  if (isSteinerTree(r2.graph, carried, r2.terminals)) {
    const c = edgeCost(r2.graph, carried);
    if (c < start.cost) start = { edges: carried, cost: c };
  }
  // 'auto' keeps part of the budget for perturbed restarts in case the MIP does not finish.
  // HiGHS checks its clock coarsely: stop the exact phase a little early to honour the limit.
  const margin = run.deadline === Infinity ? 0 : Math.min(500, 0.05 * (run.deadline - run.startedAt));
  const deadline = method === 'auto' && smallForMip ? performance.now() + 0.6 * run.remainingMs() : run.deadline - margin;
  run.progress({ phase: 'cut-mip', incumbent: best.cost, bound: lowerBound });
  await run.tick();
  // Dual ascent on the reduced graph from the MIP's root seeds the LP with its cuts.
  const seed = dualAscent(r2.graph, r2.terminals, r2.terminals[0]!, () => run.shouldStop(), true);
  lowerBound = Math.max(lowerBound, seed.lowerBound + r2.fixedCost);
  const mip = await cutMip(r2.graph, r2.terminals, r2.isTerminal, start, { deadline, signal: options.signal, integral, initialCuts: seed.cuts });
  if (mip.edges) offer(r2, mip.edges);
  stats.lpRounds = mip.lpRounds;
  stats.mipRounds = mip.mipRounds;
  stats.cuts = mip.cuts;
  lowerBound = Math.max(lowerBound, mip.lowerBound + r2.fixedCost);
  if (mip.proven) lowerBound = Math.max(lowerBound, Math.min(best.cost, r2.fixedCost + (mip.cost ?? start.cost)));
  if (!proves(lowerBound, best.cost, integral) && smallForMip && method === 'auto' && !run.shouldStop()) {
    const h3 = await heuristicPhase(r2, run, options.roots, true, 1, options.perturbations ?? 60, options.merge !== false, run.options.onIncumbent ? (edges) => offer(r2, edges) : undefined);
    offer(r2, h3.edges);
    stats.perturbations = h3.perturbations;
    stats.merged = h3.merged;
  }
  // Out of time (the exact phase ends a margin before the deadline) without a proof: say so.
  if (!proves(lowerBound, best.cost, integral) && performance.now() >= deadline - 1 && run.stoppedBy() === 'converged') run.markStopped('time-limit');
  const bound = integral ? Math.min(best.cost, Math.ceil(lowerBound - 1e-6)) : lowerBound;
  return finish(best.edges, bound, stats);
}

function proves(lb: number, ub: number, integral: boolean): boolean {
  return integral ? Math.ceil(lb - 1e-6) >= ub - 1e-9 : lb >= ub - 1e-9 * Math.max(1, ub);
}

function isIntegral(g: Graph): boolean {
  for (let e = 0; e < g.m; e++) if (!Number.isInteger(g.edgeW[e]!)) return false;
  return true;
}

/** Degree tests, long-edge test, degree tests, then special-distance and degree tests in rounds. */
function reduceInstance(g: Graph, terminals: Int32Array, shouldStop: () => boolean): WorkGraph {
  const wg = new WorkGraph(g, terminals);
  wg.degreeTests();
  wg.longEdgeTest(shouldStop);
  wg.degreeTests();
  // Special-distance rounds while they still delete a noticeable share of the edges.
  for (let round = 0; round < 6 && !shouldStop(); round++) {
    const before = wg.edgeCount();
    const deleted = wg.specialDistanceTest(shouldStop);
    wg.degreeTests();
    if (deleted === 0 || wg.edgeCount() > 0.98 * before) break;
  }
  return wg;
}

/** The graph as its own "reduction" (no test applied), for the plain heuristics. */
function identityInstance(g: Graph, terminals: Int32Array, isTerminal: Uint8Array): ReducedInstance {
  return {
    graph: g,
    terminals,
    isTerminal,
    nodeOf: Int32Array.from({ length: g.n }, (_, i) => i),
    edgeOf: Int32Array.from({ length: g.m }, (_, i) => i),
    edgeOrig: Array.from({ length: g.m }, (_, e) => [e]),
    fixed: [],
    fixedCost: 0,
  };
}

function pickRoots(terminals: Int32Array, count: number, rng: { int(n: number): number }): number[] {
  const order = Array.from(terminals);
  // Deterministic first root (the first terminal), the others drawn by the seed.
  for (let i = order.length - 1; i > 1; i--) {
    const j = 1 + rng.int(i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, count);
}

/**
 * Shortest-path heuristic from several roots, each tree pruned and re-steinerized; the
 * best few go through local search. `share` is the fraction of the remaining time it may use;
 * `report` (when the caller wants incumbents) receives each tree that improves the phase's best.
 */
async function heuristicPhase(
  r: ReducedInstance,
  run: SolveRun,
  rootsOpt: number | undefined,
  localSearch: boolean,
  share: number,
  perturbations = 0,
  merge = false,
  report?: (edges: number[]) => void,
): Promise<{ edges: number[]; roots: number; moves: number; perturbations: number; merged: boolean }> {
  const g = r.graph;
  const terms = r.terminals;
  if (terms.length <= 1) return { edges: [], roots: 0, moves: 0, perturbations: 0, merged: false };
  const phaseDeadline = performance.now() + (run.deadline === Infinity ? Infinity : share * run.remainingMs());
  const stop = (): boolean => run.shouldStop() || performance.now() >= phaseDeadline;
  const sph = new ShortestPathHeuristic(g);
  const ws = new MstWorkspace(g.n);
  const roots = pickRoots(terms, Math.min(terms.length, rootsOpt ?? 100), run.rng.fork());
  const pool: { edges: number[]; cost: number }[] = [];
  let tried = 0;
  for (const root of roots) {
    // run.tick() yields to the event loop (an abort fired by a timer is seen) every 10 ms.
    if ((await run.tick()) && tried > 0) break;
    if (tried > 0 && stop()) break;
    tried++;
    let edges = pruneLeaves(g, sph.run(terms, root), r.isTerminal);
    edges = resteinerize(g, edges, r.isTerminal, terms[0]!, ws);
    const cost = edgeCost(g, edges);
    if (report && (pool.length === 0 || cost < pool[0]!.cost - 1e-9)) report(edges);
    if (!pool.some((t) => Math.abs(t.cost - cost) < 1e-9)) pool.push({ edges, cost });
    pool.sort((a, b) => a.cost - b.cost);
    if (pool.length > 4) pool.length = 4;
  }
  let best = pool[0]!;
  let moves = 0;
  if (localSearch) {
    const ls = new SteinerLocalSearch(g, r.isTerminal);
    ls.shouldStop = () => run.shouldStop();
    const elite: { edges: number[]; cost: number }[] = [];
    const addElite = (edges: number[], cost: number): void => {
      if (elite.some((t) => t.cost === cost && t.edges.length === edges.length)) return;
      elite.push({ edges, cost });
      elite.sort((a, b) => a.cost - b.cost);
      if (elite.length > 12) elite.length = 12;
    };
    for (const cand of pool) {
      const improved = ls.improve(cand.edges, terms[0]!);
      const c = edgeCost(g, improved);
      addElite(improved, c);
      if (c < best.cost) {
        best = { edges: improved, cost: c };
        report?.(improved);
      }
      if ((await run.tick()) || stop()) break;
    }
    // Perturbation multistart (after Ribeiro, Uchoa & Werneck's HGP): the shortest-path
    // heuristic on randomly inflated weights, the incumbent's edges inflated more so the
    // next tree explores elsewhere, then local search on the true weights.
    const rng = run.rng.fork();
    const w = new Float64Array(g.m);
    let done = 0;
    let merged = false;
    // Rounds of perturbed restarts, each closed by solution merging: the exact pipeline on
    // the union of the elite trees (a sparse graph); a better merged tree starts a new round.
    const noise = [0.2, 0.4, 0.3, 0.5, 0.25, 0.6];
    for (let round = 0; round < noise.length; round++) {
      const level = noise[round]!;
      let sinceBest = 0;
      for (let i = 0; i < perturbations && sinceBest < Math.max(8, perturbations / 3); i++, done++) {
        if ((await run.tick()) || stop()) break;
        const inBest = new Uint8Array(g.m);
        for (const e of best.edges) inBest[e] = 1;
        for (let e = 0; e < g.m; e++) w[e] = g.edgeW[e]! * (1 + level * rng.next()) * (inBest[e] ? 1 + level * rng.next() : 1);
        const root = terms[rng.int(terms.length)]!;
        let edges = pruneLeaves(g, sph.run(terms, root, w), r.isTerminal);
        edges = resteinerize(g, edges, r.isTerminal, terms[0]!, ws);
        edges = ls.improve(edges, terms[0]!);
        const c = edgeCost(g, edges);
        addElite(edges, c);
        if (c < best.cost - 1e-9 * Math.max(1, best.cost)) {
          best = { edges, cost: c };
          report?.(edges);
          sinceBest = 0;
        } else sinceBest++;
      }
      if (!merge || elite.length < 2 || run.shouldStop() || stop()) break;
      const union = new Uint8Array(g.m);
      for (const t of elite) for (const e of t.edges) union[e] = 1;
      const subEdges: number[] = [];
      for (let e = 0; e < g.m; e++) if (union[e]) subEdges.push(e);
      const sub = createGraph({ n: g.n, edges: { u: subEdges.map((e) => g.edgeU[e]!), v: subEdges.map((e) => g.edgeV[e]!), w: subEdges.map((e) => g.edgeW[e]!) } });
      const budget = run.deadline === Infinity ? 5000 : 0.6 * Math.max(0, phaseDeadline - performance.now());
      const res = await solveSteiner({ kind: 'steiner', graph: sub, terminals: terms }, { method: 'mip', timeLimitMs: budget, signal: run.options.signal, perturbations: 0, merge: false, seed: run.rng.nextUint32() });
      if (!res.solution || res.objective >= best.cost - 1e-9 * Math.max(1, best.cost)) continue;
      let edges = Array.from(res.solution.edges, (i) => subEdges[i]!);
      edges = ls.improve(edges, terms[0]!);
      best = { edges, cost: edgeCost(g, edges) };
      report?.(edges);
      addElite(best.edges, best.cost);
      merged = true;
    }
    moves = ls.moves;
    return { edges: best.edges, roots: tried, moves, perturbations: done, merged };
  }
  return { edges: best.edges, roots: tried, moves, perturbations: 0, merged: false };
}

/** Makes a union of original edges a clean tree: cycle-free and without non-terminal leaves. */
function cleanOriginal(g: Graph, edges: number[], isTerminal: Uint8Array): number[] {
  return pruneLeaves(g, mstOfEdges(g, edges), isTerminal);
}

function buildTree(g: Graph, edges: number[], terminals: Int32Array, isTerminal: Uint8Array): SteinerTree {
  const clean = cleanOriginal(g, edges, isTerminal).sort((a, b) => a - b);
  const nodes = new Set<number>([terminals[0]!]);
  for (const e of clean) {
    nodes.add(g.edgeU[e]!);
    nodes.add(g.edgeV[e]!);
  }
  return {
    edges: Int32Array.from(clean),
    nodes: Int32Array.from([...nodes].sort((a, b) => a - b)),
    cost: edgeCost(g, clean),
    terminalsCovered: terminals.length,
  };
}
