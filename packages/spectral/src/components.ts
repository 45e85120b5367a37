import { csrComponents, type Components } from '@emplace/graph';
import type { SparseLaplacian } from './laplacian.js';

export type LaplacianComponents = Components;

/**
 * Connected components of the graph a Laplacian was built from, counting only edges of
 * positive weight (a zero-weight edge connects nothing spectrally). BFS, O(n + m).
 */
export function laplacianComponents(lap: SparseLaplacian): LaplacianComponents {
  return csrComponents(lap.n, lap.offsets, lap.cols, lap.values);
}
