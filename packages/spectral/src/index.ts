/**
 * @emplace/spectral: graph Laplacians, the Fiedler pair (algebraic connectivity) at
 * scale, spectral embedding, spectral partitioning with conductance sweeps, consensus /
 * gossip convergence bounds and link addition for connectivity.
 */
export { SparseLaplacian, laplacian, validateSpectralGraph, type LaplacianKind } from './laplacian.js';
export { laplacianComponents, type LaplacianComponents } from './components.js';
export {
  smallestEigenpairs,
  largestEigenpair,
  estimateNorm,
  type SpectralOptions,
  type Eigenpairs,
  type EigenMethod,
  type PreconditionerKind,
} from './eigensolver.js';
export { fiedler, algebraicConnectivity, type FiedlerPair } from './fiedler.js';
export { spectralEmbedding } from './embedding.js';
export { lobpcg, type LobpcgInput, type LobpcgOutput, type LinearOperator } from './lobpcg.js';
export { MultilevelPreconditioner } from './multilevel.js';
export { symmetricEigen, type SymmetricEigen } from './dense.js';
export { sweepCut, cutQuality, conductanceOf, type CutQuality } from './sweep.js';
export {
  spectralBisection,
  recursivePartition,
  kWayQuality,
  type BisectionOptions,
  type Bisection,
  type CheegerInterval,
  type KWayOptions,
  type KWayPartition,
} from './partition.js';
export { inducedSubgraph, largestComponent } from './subgraph.js';
export { averagingBounds, type AveragingBounds } from './gossip.js';
export { addLinksForConnectivity, type LinkAdditionOptions, type LinkAddition, type AddedLink } from './links.js';
export { solveFiedler, solvePartition, type FiedlerSolution, type PartitionSolution } from './solvers.js';
import './register.js';
export { FIEDLER_TABLE, PARTITION_TABLE, methodTables } from './methods.js';
