import { ModelError, type Graph, type Result } from '@emplace/core';
import { GOMORYHU_TABLE, type GomoryHuSolution } from '@emplace/flows';
import { csrComponents, MAXFLOW_TABLE, MST_TABLE, type MaxFlowResult, type SpanningForest } from '@emplace/graph';
import { readInstanceFile } from '@emplace/io';
import { FIEDLER_TABLE, largestComponent, PARTITION_TABLE, type FiedlerSolution, type PartitionSolution } from '@emplace/spectral';
import { type CliArgs, type CliFamily, type CliOption, type CliProblem } from '../family.js';
import { GRAPH_FORMATS, graphsOf } from './graph-input.js';
import { methodsOf, tableFamily } from './table-family.js';

type Row = Record<string, string | number | boolean | null>;

/** A graph file in the given or detected format; the reader yields and stops on the signal. */
function readGraphFile(path: string, args: CliArgs) {
  return readInstanceFile(path, { ...(args.format !== undefined ? { format: args.format } : {}), signal: args.signal });
}

/** The graphs of a file, whole. */
async function loadGraphs(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readGraphFile(path, args);
  return graphsOf(data).map(({ name, graph }) => ({ instance: name, model: graph }));
}

const COMPONENT: CliOption = { name: 'component', type: 'string', choices: ['largest', 'all'], description: 'largest connected component (default) or the whole graph' };

/**
 * The graphs of a file for the spectral families. `--component largest` (the default, as the
 * published algebraic-connectivity references use) keeps the largest connected component;
 * `--component all` keeps the whole graph (lambda2 = 0 when it is disconnected).
 */
async function loadComponents(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readGraphFile(path, args);
  const which = String(args.extra['component'] ?? 'largest');
  if (which !== 'largest' && which !== 'all') throw new ModelError('--component', `must be "largest" or "all", got ${JSON.stringify(which)}`);
  return graphsOf(data).map(({ name, graph }) => {
    if (which === 'all' || graph.n < 2) return { instance: name, model: graph, params: { component: 'all', components: undefined, wholeNodes: graph.n } };
    // A connected graph (the usual case) is its own largest component: a BFS over the edges of
    // positive weight (those the Laplacian sees) tells so in tens of ms for a million edges,
    // without largestComponent's Laplacian build (over 100 ms, holding the event loop).
    const connected = csrComponents(graph.n, graph.offsets, graph.adjNode, graph.adjWeight).count <= 1;
    if (connected) return { instance: name, model: graph, params: { component: 'all', components: 1, wholeNodes: graph.n } };
    const lc = largestComponent(graph);
    return { instance: name, model: lc.graph, params: { component: lc.components > 1 ? 'largest' : 'all', components: lc.components, wholeNodes: graph.n } };
  });
}

/** Nodes and edges of the graph, then the fields of the solution `f` picks (when there is one). */
function describeGraph<S>(pick: (solution: S, problem: CliProblem, result: Result<unknown>) => Row) {
  return (problem: CliProblem, result: Result<unknown>): Row => {
    const g = problem.model as Graph;
    const out: Row = { nodes: g.n, edges: g.m };
    return result.solution ? { ...out, ...pick(result.solution as S, problem, result) } : out;
  };
}

const componentOf = (problem: CliProblem): Row => ({ component: String(problem.params?.['component'] ?? 'all') });

export const families: CliFamily[] = [
  tableFamily({
    name: 'mst',
    description: 'Minimum spanning tree (forest when disconnected) of a weighted graph: Kruskal or Prim',
    formats: GRAPH_FORMATS,
    methods: methodsOf(MST_TABLE),
    load: loadGraphs,
    describe: describeGraph<SpanningForest>((f) => ({ treeEdges: f.edges.length, components: f.components })),
  }),
  tableFamily({
    name: 'maxflow',
    description: 'Maximum s-t flow and minimum cut (Dinic); --source and --sink name the nodes (id or index), --directed reads edges as arcs',
    formats: GRAPH_FORMATS,
    methods: methodsOf(MAXFLOW_TABLE),
    load: loadGraphs,
    describe: describeGraph<MaxFlowResult>((f) => ({ cutEdges: f.cutEdges.length, sourceSide: f.cut.reduce((a, b) => a + b, 0) })),
  }),
  tableFamily({
    name: 'gomoryhu',
    description: 'All-pairs minimum cuts: Gomory-Hu tree (Gusfield) of a graph with capacities = edge weights; solution.tree lists the n-1 edges {u, v, weight}',
    formats: GRAPH_FORMATS,
    methods: methodsOf(GOMORYHU_TABLE),
    load: loadGraphs,
    describe: describeGraph<GomoryHuSolution>((s) => {
      const w = s.weakest[0];
      return w ? { weakestCut: `${w.u}|${w.v} (${w.side.length} nodes)` } : {};
    }),
  }),
  tableFamily({
    name: 'fiedler',
    description: 'Algebraic connectivity lambda2 and the Fiedler vector (largest component by default; --component all, --laplacian normalized, --tolerance)',
    formats: GRAPH_FORMATS,
    methods: methodsOf(FIEDLER_TABLE),
    inputOptions: [COMPONENT],
    load: loadComponents,
    describe(problem: CliProblem, result: Result<unknown>) {
      const head: Row = { ...componentOf(problem), componentsInFile: (problem.params?.['components'] as number | undefined) ?? null };
      const s = result.solution as FiedlerSolution | undefined;
      const g = problem.model as Graph;
      const out: Row = { nodes: g.n, edges: g.m, ...head };
      if (s) {
        const { lambda2, residual, relativeResidual, normL, laplacian, connected } = s;
        Object.assign(out, { lambda2, residual, relativeResidual, normL, laplacian, connected, eigenMethod: String(result.stats['eigenMethod'] ?? '') });
      }
      return out;
    },
  }),
  tableFamily({
    name: 'partition',
    description: 'Spectral partitioning into --k parts (default 2): least-conductance sweep cuts, Cheeger interval (largest component by default)',
    formats: GRAPH_FORMATS,
    methods: methodsOf(PARTITION_TABLE),
    inputOptions: [COMPONENT],
    load: loadComponents,
    describe: describeGraph<PartitionSolution>((s, problem) => ({
      ...componentOf(problem),
      parts: s.parts,
      sizes: Array.from(s.sizes).join('/'),
      cutWeight: s.cutWeight,
      conductance: s.maxConductance,
      balance: s.balance,
      cheegerLower: s.cheeger ? s.cheeger.lower : null,
      cheegerUpper: s.cheeger ? s.cheeger.upper : null,
    })),
  }),
];
