import { checkMemory, ModelError, runStepsAsync, SolveRun, type Graph, type Guarantee, type Result, type SolveOptions } from '@emplace/core';
import { connectedComponents } from '@emplace/graph';
import { dreyfusWagner, dreyfusWagnerFits } from './dreyfus-wagner.js';
import { heuristicPhase } from './heuristic-phase.js';
import { kmbSteps, mehlhorn, mehlhornSteps } from './heuristics.js';
import { reductionSteps, SteinerPipeline } from './pipeline.js';
import { checkProblem, type SteinerProblem, type SteinerTree } from './problem.js';
import { toOriginalEdges, WorkGraph, type ReducedInstance } from './reduce.js';
import { edgeCost, mstOfEdges, pruneLeaves } from './tree.js';

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

/** The phase each method reports once its input is checked (its first progress event). */
const FIRST_PHASE: Record<SteinerMethod, string> = {
  auto: 'load',
  heuristic: 'load',
  mip: 'load',
  kmb: 'distance-network',
  mehlhorn: 'voronoi',
  sph: 'shortest-paths',
  'local-search': 'shortest-paths',
  'dreyfus-wagner': 'dynamic-programme',
};

/**
 * Solves a Steiner tree problem with `options.method` (see STEINER_METHODS; default 'auto'). Behaviour on
 * special input: one terminal gives the empty tree (cost 0, optimal); terminals in
 * different components give status 'infeasible' with a certificate naming two of them;
 * parallel edges: the cheapest is used; self-loops are ignored.
 */
export async function solveSteiner(problem: SteinerProblem, options: SteinerOptions = {}): Promise<Result<SteinerTree>> {
  const method = options.method ?? 'auto';
  const p = checkInput(problem, options, method);
  const run = new SolveRun(withDefaultBudget(options, method, p), `steiner:${method}`, 'min');
  const g = p.graph;
  const terminals = p.terminals;
  const isTerminal = new Uint8Array(g.n);
  for (const t of terminals) isTerminal[t] = 1;
  const exact = method === 'auto' || method === 'mip' || method === 'dreyfus-wagner';
  const guarantee: Guarantee = exact ? { kind: 'exact' } : APPROX2;
  const finish = (edges: number[], bound: number | undefined, stats: Record<string, string | number | boolean | undefined>): Result<SteinerTree> => {
    const tree = buildTree(g, edges, terminals, isTerminal);
    return run.solved({ solution: tree, objective: tree.cost, bound, guarantee, stats });
  };

  if (terminals.length === 1) return finish([], 0, { terminals: 1 });
  const apart = separatedTerminals(g, terminals);
  if (apart) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: {
        reason: `terminals ${JSON.stringify(g.ids[terminals[0]!])} and ${JSON.stringify(g.ids[terminals[apart]!])} are in different connected components: no tree joins them`,
        fields: ['terminals[0]', `terminals[${apart}]`],
      },
    });
  }
  const shouldStop = (): boolean => run.shouldStop();
  // The checks above are linear passes; the event loop gets a turn before the method starts.
  await run.tick();
  run.progress({ phase: FIRST_PHASE[method] });

  if (method === 'kmb' || method === 'mehlhorn') {
    // Mehlhorn's tree (one Voronoi search, a few ms) comes first: it is also what an
    // interrupted KMB returns, at once (computed after the stop, it kept an abort waiting).
    const quick = await runStepsAsync(mehlhornSteps(g, terminals, isTerminal), run);
    if (method === 'mehlhorn') return finish(quick, undefined, {});
    run.incumbent(edgeCost(g, quick), () => buildTree(g, quick, terminals, isTerminal), true);
    const edges = await runStepsAsync(kmbSteps(g, terminals, isTerminal, shouldStop), run);
    return edges ? finish(edges, undefined, {}) : finish(quick, undefined, { fallback: 'mehlhorn' });
  }
  if (method === 'dreyfus-wagner') {
    if (!dreyfusWagnerFits(g.n, terminals.length)) {
      throw new ModelError('terminals', `has ${terminals.length} terminals on ${g.n} nodes: too many for Dreyfus-Wagner (2^(k-1) n table); use method 'mip' or 'auto'`);
    }
    const dw = dreyfusWagner(g, terminals, isTerminal, shouldStop);
    if (!dw) return finish(mehlhorn(g, terminals, isTerminal), undefined, { fallback: 'mehlhorn' });
    return finish(dw.edges, dw.cost, {});
  }
  if (method === 'sph' || method === 'local-search') {
    let work = identityInstance(g, terminals, isTerminal);
    if (options.reduce) {
      const wg = new WorkGraph(g, terminals);
      await runStepsAsync(reductionSteps(wg, shouldStop), run);
      work = wg.compact();
    }
    const h = await heuristicPhase(work, run, { roots: options.roots, localSearch: method === 'local-search', share: 1 });
    return finish(toOriginalEdges(work, h.edges), undefined, { roots: h.roots, moves: h.moves });
  }

  // Reduction-based pipeline: 'heuristic', 'mip', 'auto'.
  const pipeline = new SteinerPipeline(g, terminals, isTerminal, run, {
    method,
    roots: options.roots,
    perturbations: options.perturbations,
    merge: options.merge !== false,
    solveSub: (graph, terms, timeLimitMs, seed) =>
      solveSteiner({ kind: 'steiner', graph, terminals: terms }, { method: 'mip', timeLimitMs, signal: options.signal, perturbations: 0, merge: false, seed }),
    buildTree: (edges) => buildTree(g, edges, terminals, isTerminal),
  });
  const outcome = await pipeline.solve();
  // Out of time (the exact phase ends a margin before the deadline) without a proof: say so.
  if (outcome.outOfTime && run.stoppedBy() === 'converged') run.markStopped('time-limit');
  return finish(outcome.edges, outcome.bound, pipeline.stats);
}

/** Validates the method, the options and the problem, and checks the memory the method needs. */
function checkInput(problem: SteinerProblem, options: SteinerOptions, method: string): SteinerProblem {
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
  return p;
}

/** The reduction pipeline has a default budget when no time limit is given (see SteinerOptions.defaultTimeLimitMs). */
function withDefaultBudget(options: SteinerOptions, method: SteinerMethod, p: SteinerProblem): SteinerOptions {
  const budgeted = method === 'auto' || method === 'mip' || method === 'heuristic';
  if (!budgeted || options.timeLimitMs !== undefined) return options;
  return { ...options, timeLimitMs: options.defaultTimeLimitMs ?? (p.graph.n <= 600 && p.graph.m <= 20_000 ? 7_500 : 22_000) };
}

/** The index of a terminal in another connected component than the first terminal, or 0 when all are joined. */
function separatedTerminals(g: Graph, terminals: Int32Array): number {
  const comps = connectedComponents(g);
  const c0 = comps.component[terminals[0]!]!;
  for (let i = 1; i < terminals.length; i++) if (comps.component[terminals[i]!] !== c0) return i;
  return 0;
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
