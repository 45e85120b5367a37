import type { Graph } from '@emplace/core';
import { smallestEigenpairs, type SpectralOptions } from './eigensolver.js';

/**
 * Spectral embedding: node v gets coordinates (u_2[v], ..., u_{d+1}[v]) from the
 * eigenvectors of the d smallest non-zero Laplacian eigenvalues (Laplacian eigenmaps
 * use the normalized Laplacian, scaled by D^-1/2; pass `laplacian: 'normalized'`).
 * Returns row-major n x d coordinates and the eigenvalues used.
 */
export function spectralEmbedding(g: Graph, dimensions: number, options: SpectralOptions = {}): { coordinates: Float64Array; values: Float64Array; residuals: Float64Array } {
  const pairs = smallestEigenpairs(g, dimensions + 1, options);
  const n = g.n;
  const coordinates = new Float64Array(n * dimensions);
  for (let d = 0; d < dimensions; d++) {
    const v = pairs.vectors[d + 1]!;
    for (let i = 0; i < n; i++) coordinates[i * dimensions + d] = v[i]!;
  }
  return { coordinates, values: pairs.values.slice(1), residuals: pairs.residuals.slice(1) };
}
