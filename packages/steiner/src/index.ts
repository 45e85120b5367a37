/**
 * @emplace/steiner: Steiner trees in undirected weighted graphs (SteinLib's problem):
 * 2-approximations, the shortest-path heuristic, reductions, dual ascent, local search and
 * an exact cut MIP.
 */
export { createSteinerProblem, type SteinerProblem, type SteinerTree } from './problem.js';
export { solveSteiner, STEINER_METHODS, type SteinerMethod, type SteinerOptions } from './solve.js';
export { kmb, mehlhorn, shortestPathHeuristic, ShortestPathHeuristic } from './heuristics.js';
export { SteinerLocalSearch } from './local-search.js';
export { dualAscent, dualAscentSteps, dualAscentEliminations, reducedDistances, type DualAscentResult } from './dual-ascent.js';
export { specialDistanceTest, nearestTerminals, type NearestTerminals } from './special-distance.js';
export { VertexInsertion } from './vertex-insertion.js';
export { dreyfusWagner, dreyfusWagnerFits } from './dreyfus-wagner.js';
export { WorkGraph, toOriginalEdges, fromOriginalEdges, type ReducedInstance } from './reduce.js';
export { cutMip, type CutMipResult } from './cut-mip.js';
export { pruneLeaves, resteinerize, isSteinerTree, edgeCost } from './tree.js';
import './register.js';
export { STEINER_TABLE, methodTables } from './methods.js';
