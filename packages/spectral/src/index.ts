export { SparseLaplacian, laplacian, validateSpectralGraph, type LaplacianKind } from './laplacian.js';
export { smallestEigenpairs, largestEigenpair, type SpectralOptions, type Eigenpairs } from './eigensolver.js';
