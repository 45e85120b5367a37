import { FormatError, type Graph, type Result } from '@emplace/core';
import { readInstanceFile, type InstanceData } from '@emplace/io';
import type { CliArgs, CliProblem } from '../family.js';

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

/** A graph file in the given or detected format; the reader yields and stops on the signal. */
export function readGraphFile(path: string, args: CliArgs): Promise<InstanceData> {
  return readInstanceFile(path, { ...(args.format !== undefined ? { format: args.format } : {}), signal: args.signal });
}

export type Row = Record<string, string | number | boolean | null>;

/** Nodes and edges of the graph, then the fields of the solution `f` picks (when there is one). */
export function describeGraph<S>(pick: (solution: S, problem: CliProblem, result: Result<unknown>) => Row) {
  return (problem: CliProblem, result: Result<unknown>): Row => {
    const g = problem.model as Graph;
    const out: Row = { nodes: g.n, edges: g.m };
    return result.solution ? { ...out, ...pick(result.solution as S, problem, result) } : out;
  };
}

