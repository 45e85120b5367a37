/**
 * @emplace/graph: algorithms on the shared CSR Graph of @emplace/core: shortest paths,
 * spanning trees, components, max-flow / min-cut, and adapters from edge lists and
 * graphology graphs.
 */
export { IndexedMinHeap } from './heap.js';
export { dijkstra, DijkstraSearch, shortestPath, type DijkstraOptions, type ShortestPaths } from './dijkstra.js';
export { allPairsShortestPaths, ALL_PAIRS_MAX_NODES } from './all-pairs.js';
export { UnionFind } from './union-find.js';
export { connectedComponents, csrComponents, csrComponentsSteps, isConnected, type Components } from './components.js';
export { kruskal, prim, minimumSpanningTree, type SpanningForest, type MstOptions } from './mst.js';
// The radix argsort moved to core (facility's greedy sorts with it too); graph keeps exporting it.
export { argsortStable, argsortStableSteps } from '@emplace/core';
export { maxFlow, dinicState, dinicStateSteps, dinicAdvance, dinicResult, dinicResultSteps, type DinicState, type MaxFlowOptions, type MaxFlowResult } from './maxflow.js';
export { fromEdgeList, fromGraphology, type EdgeLike, type EdgeListOptions, type GraphologyLike, type GraphologyOptions } from './adapters.js';
export { solveMst, solveMaxFlow, type MstSolveOptions, type MaxFlowSolveOptions } from './solvers.js';
import './register.js';
export { MST_TABLE, MAXFLOW_TABLE, methodTables } from './methods.js';
