import { createGraph, type Graph } from '@emplace/core';
import { laplacianComponents } from './components.js';
import { laplacian } from './laplacian.js';

/** The subgraph induced by `nodes` (node t of the result is nodes[t]; ids kept; parallel edges kept). */
export function inducedSubgraph(g: Graph, nodes: ArrayLike<number>): Graph {
  const index = new Int32Array(g.n).fill(-1);
  for (let t = 0; t < nodes.length; t++) index[nodes[t]!] = t;
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let e = 0; e < g.m; e++) {
    const a = index[g.edgeU[e]!]!;
    const b = index[g.edgeV[e]!]!;
    if (a >= 0 && b >= 0) {
      u.push(a);
      v.push(b);
      w.push(g.edgeW[e]!);
    }
  }
  const ids: string[] = [];
  for (let t = 0; t < nodes.length; t++) ids.push(g.ids[nodes[t]!]!);
  return createGraph({ nodes: ids, edges: { u, v, w } });
}

/**
 * The largest connected component (positive-weight edges; ties: the one with the
 * smallest node), as an induced subgraph, with the original index of each of its nodes.
 */
export function largestComponent(g: Graph): { graph: Graph; nodes: Int32Array; components: number } {
  const c = laplacianComponents(laplacian(g));
  let best = 0;
  for (let i = 1; i < c.count; i++) if (c.sizes[i]! > c.sizes[best]!) best = i;
  if (c.count <= 1) return { graph: g, nodes: Int32Array.from({ length: g.n }, (_, i) => i), components: c.count };
  const nodes = new Int32Array(c.sizes[best]!);
  let k = 0;
  for (let i = 0; i < g.n; i++) if (c.component[i] === best) nodes[k++] = i;
  return { graph: inducedSubgraph(g, nodes), nodes, components: c.count };
}
