import { defineMethods, type Graph } from '@emplace/core';
import type { EigenMethod, SpectralOptions } from './eigensolver.js';
import type { KWayOptions } from './partition.js';
import { solveFiedler, solvePartition, type FiedlerSolution, type PartitionSolution } from './solvers.js';

/*
 * The method tables of @emplace/spectral: the one place a method is declared. The registry
 * (register.ts), the CLI families, `emplace methods` and the README's methods table are
 * derived from them. solveFiedler yields to the event loop every 10 ms (in-thread abort).
 */

const RESIDUAL = 'residual ||Lv - lambda v|| <= tolerance x ||L|| (default 1e-10); exact 0 on disconnected graphs';
const fiedler = (method: EigenMethod) => (graph: Graph, options: SpectralOptions) => solveFiedler(graph, { ...options, method });

export const FIEDLER_TABLE = defineMethods<Graph, SpectralOptions, FiedlerSolution>()({
  family: 'fiedler',
  modelKind: 'graph',
  summary: 'algebraic connectivity lambda2 and the Fiedler vector',
  options: [
    { name: 'laplacian', type: 'string', choices: ['combinatorial', 'normalized'], default: 'combinatorial', description: 'L = D - W or I - D^-1/2 W D^-1/2' },
    { name: 'tolerance', type: 'number', min: 0, default: 1e-10, description: 'eigensolver residual tolerance relative to ||L||' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'components if disconnected, the dense oracle up to 48 nodes, a sparse Cholesky + shift-invert Lanczos when the factor is predicted sparse, else multilevel-preconditioned LOBPCG',
      guarantee: `${RESIDUAL} (exact to rounding on the dense path)`,
      solve: fiedler('auto'),
    },
    { method: 'lobpcg', description: 'LOBPCG with an aggregation-AMG preconditioner and deflation of the null vector', guarantee: RESIDUAL, solve: fiedler('lobpcg') },
    { method: 'dense', description: 'dense symmetric eigensolver (Householder + QL), O(n^3): the oracle', guarantee: 'exact (to rounding)', solve: fiedler('dense') },
  ],
});

const CHEEGER = 'sweep conductance <= sqrt(2 lambda2) (Cheeger) for each bisection';
const SPECTRAL = 'recursive spectral partitioning: least-conductance sweep of the normalized Fiedler vector';

export const PARTITION_TABLE = defineMethods<Graph, KWayOptions, PartitionSolution>()({
  family: 'partition',
  modelKind: 'graph',
  summary: 'graph partitioning into k parts of low conductance',
  options: [
    { name: 'k', type: 'integer', min: 1, default: 2, description: 'number of parts' },
    { name: 'laplacian', type: 'string', choices: ['combinatorial', 'normalized'], default: 'normalized', description: 'Laplacian whose Fiedler vector is swept' },
    { name: 'split', type: 'string', choices: ['conductance', 'median', 'zero'], default: 'conductance', description: 'where to split the sorted Fiedler vector' },
  ],
  methods: [
    { method: 'auto', description: 'the spectral method', guarantee: CHEEGER, solve: solvePartition },
    { method: 'spectral', description: SPECTRAL, guarantee: CHEEGER, solve: solvePartition },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [FIEDLER_TABLE, PARTITION_TABLE] as const;
