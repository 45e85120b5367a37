import type { SparseLaplacian } from './laplacian.js';

export interface LaplacianComponents {
  count: number;
  /** component[v] in 0..count-1, numbered in order of their smallest node. */
  component: Int32Array;
  sizes: Int32Array;
}

/**
 * Connected components of the graph a Laplacian was built from, counting only edges of
 * positive weight (a zero-weight edge connects nothing spectrally). BFS, O(n + m).
 */
export function laplacianComponents(lap: SparseLaplacian): LaplacianComponents {
  const n = lap.n;
  const component = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sizes: number[] = [];
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (component[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    component[s] = count;
    while (head < tail) {
      const u = queue[head++]!;
      for (let k = lap.offsets[u]!, end = lap.offsets[u + 1]!; k < end; k++) {
        const v = lap.cols[k]!;
        if (component[v] === -1 && lap.values[k]! > 0) {
          component[v] = count;
          queue[tail++] = v;
        }
      }
    }
    sizes.push(tail);
    count++;
  }
  return { count, component, sizes: Int32Array.from(sizes) };
}
