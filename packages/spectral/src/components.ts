import { runSteps, type Steps } from '@emplace/core';
import type { Components } from '@emplace/graph';
import type { Checkpoints } from './chunks.js';
import type { SparseLaplacian } from './laplacian.js';

export type LaplacianComponents = Components;

/**
 * Connected components of the graph a Laplacian was built from, counting only edges of
 * positive weight (a zero-weight edge connects nothing spectrally). BFS, O(n + m).
 */
export function laplacianComponents(lap: SparseLaplacian): LaplacianComponents {
  return runSteps(laplacianComponentsSteps(lap))!;
}

/** `laplacianComponents` with a checkpoint every ~2^16 scanned entries; undefined when the run stops first. */
export function* laplacianComponentsSteps(lap: SparseLaplacian, cp?: Checkpoints): Steps<LaplacianComponents | undefined> {
  const n = lap.n;
  const s: Bfs = { component: new Int32Array(n).fill(-1), queue: new Int32Array(n), sizes: [], head: 0, tail: 0, start: 0, next: 0 };
  while (bfsChunk(lap, s, 1 << 16)) {
    if (cp) {
      if (cp.needsYield()) yield;
      if (cp.shouldStop()) return undefined;
    }
  }
  return { count: s.sizes.length, component: s.component, sizes: Int32Array.from(s.sizes) };
}

/** BFS state: the queue holds every node visited so far, component after component. */
interface Bfs {
  component: Int32Array;
  queue: Int32Array;
  sizes: number[];
  head: number;
  tail: number;
  /** Queue position where the current component starts. */
  start: number;
  /** Next candidate start node. */
  next: number;
}

/** Scans about `work` entries; false when every node is labelled. */
function bfsChunk(lap: SparseLaplacian, s: Bfs, work: number): boolean {
  const { offsets, cols, values, n } = lap;
  const { component, queue } = s;
  let { head, tail } = s;
  let done = 0;
  while (done < work) {
    if (head === tail) {
      if (tail > s.start) s.sizes.push(tail - s.start);
      s.start = tail;
      while (s.next < n && component[s.next] !== -1) s.next++;
      if (s.next === n) {
        s.head = head;
        s.tail = tail;
        return false;
      }
      component[s.next] = s.sizes.length;
      queue[tail++] = s.next;
    }
    const u = queue[head++]!;
    const c = component[u]!;
    const end = offsets[u + 1]!;
    for (let k = offsets[u]!; k < end; k++) {
      const v = cols[k]!;
      if (component[v] === -1 && values[k]! > 0) {
        component[v] = c;
        queue[tail++] = v;
      }
    }
    done += end - offsets[u]! + 1;
  }
  s.head = head;
  s.tail = tail;
  return true;
}
