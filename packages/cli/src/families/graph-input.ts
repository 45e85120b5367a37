import { FormatError, type Graph } from '@emplace/core';
import type { InstanceData } from '@emplace/io';

/** Formats that hold a graph: the ones the graph families (mst, maxflow, fiedler, partition) read. */
export const GRAPH_FORMATS = ['edge-list', 'matrix-market', 'graphml', 'steinlib', 'emplace-json'] as const;

/** The graphs of an instance file (one per graph in an emplace JSON document). */
export function graphsOf(data: InstanceData): { name: string; graph: Graph }[] {
  switch (data.format) {
    case 'edge-list':
    case 'matrix-market':
    case 'graphml':
    case 'steinlib':
      return [{ name: data.name, graph: data.data.graph }];
    case 'emplace-json':
      return data.data.flatMap((item) => (item.kind === 'graph' ? [{ name: item.name, graph: item.graph }] : []));
    default:
      throw new FormatError(`format ${data.format} holds no graph (use one of: ${GRAPH_FORMATS.join(', ')})`, { source: data.name });
  }
}
