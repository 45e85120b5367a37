import { createGraph, type SolveOptions } from '@emplace/core';
import { addLinksForConnectivity, fiedler, type SpectralOptions } from '@emplace/spectral';
import type { BackboneView, ConnectivityView } from './result.js';

/**
 * Algebraic connectivity (the Fiedler value lambda2 of the Laplacian, unit link weights)
 * of the backbone mesh, the backbone link with the largest Fiedler-vector difference
 * (where the mesh is closest to splitting in two), and the links that raise lambda2 most
 * (greedy link addition, Ghosh & Boyd). A backbone of one region has no connectivity to
 * measure; returns undefined.
 */
export function connectivityPhase(backbone: BackboneView, reinforceLinks: number, solveOptions: SolveOptions): ConnectivityView | undefined {
  const { method: _method, ...rest } = solveOptions;
  const options: SpectralOptions = rest;
  const nodes = backbone.regions;
  if (nodes.length < 2) return undefined;
  const index = new Map(nodes.map((id, i) => [id, i]));
  const g = createGraph({ nodes, edges: backbone.links.map((l) => [index.get(l.from)!, index.get(l.to)!, 1] as const) });
  const f = fiedler(g, options);
  let weakest: { from: string; to: string } | undefined;
  let widest = -1;
  for (let e = 0; e < g.m; e++) {
    const d = Math.abs(f.vector[g.edgeU[e]!]! - f.vector[g.edgeV[e]!]!);
    if (d > widest) {
      widest = d;
      weakest = { from: nodes[g.edgeU[e]!]!, to: nodes[g.edgeV[e]!]! };
    }
  }
  const maxLinks = (nodes.length * (nodes.length - 1)) / 2 - g.m;
  const k = Math.min(reinforceLinks, maxLinks);
  const reinforce = k > 0 ? addLinksForConnectivity(g, k, options).links.map((l) => ({ from: l.ids[0], to: l.ids[1], lambda2After: l.lambda2After })) : [];
  return { lambda2: f.lambda2, ...(weakest ? { weakestLink: weakest } : {}), reinforce };
}
