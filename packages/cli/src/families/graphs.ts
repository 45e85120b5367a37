import { GOMORYHU_TABLE, type GomoryHuSolution } from '@emplace/flows';
import { MAXFLOW_TABLE, MST_TABLE, type MaxFlowResult, type SpanningForest } from '@emplace/graph';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { describeGraph, GRAPH_FORMATS, graphsOf, readGraphFile } from './graph-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/** The graphs of a file, whole. */
async function loadGraphs(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readGraphFile(path, args);
  return graphsOf(data).map(({ name, graph }) => ({ instance: name, model: graph }));
}

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
];
