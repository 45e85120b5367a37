import { checkModelShape, ModelError, describe, type Graph } from '@emplace/core';

/**
 * A Steiner tree problem: an undirected graph with non-negative edge weights and the
 * terminals that must be connected. Model kind 'steiner' in the solver registry.
 */
export interface SteinerProblem {
  readonly kind: 'steiner';
  readonly graph: Graph;
  /** Distinct terminal node indices, in the order given. */
  readonly terminals: Int32Array;
  readonly name?: string;
}

/** A Steiner tree: edges of the original graph (indices into graph.edgeU/V/W). */
export interface SteinerTree {
  /** Edge indices of the tree, ascending. */
  edges: Int32Array;
  /** Nodes of the tree, ascending (a single terminal gives one node and no edges). */
  nodes: Int32Array;
  /** Sum of the tree's edge weights, recomputed from the graph. */
  cost: number;
  /** Number of terminals the tree connects (all of them). */
  terminalsCovered: number;
}

/**
 * Builds a Steiner problem. Terminals are node indices or node ids; repeated terminals are
 * kept once. Edge weights must be finite and >= 0 (a negative weight throws a ModelError
 * naming the edge). Self-loops are ignored and, among parallel edges, only the cheapest
 * is ever used.
 */
export function createSteinerProblem(graph: Graph, terminals: ArrayLike<number | string>, name?: string): SteinerProblem {
  if (!graph || graph.kind !== 'graph') throw new ModelError('graph', `must be a Graph (createGraph), got ${describe(graph)}`);
  if (!terminals || typeof terminals.length !== 'number') throw new ModelError('terminals', `must be an array of node indices or ids, got ${describe(terminals)}`);
  if (terminals.length === 0) throw new ModelError('terminals', 'is empty: a Steiner tree needs at least one terminal');
  for (let e = 0; e < graph.m; e++) {
    const w = graph.edgeW[e]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new ModelError(`graph.edges[${e}] weight`, `must be finite and >= 0, got ${w}`);
  }
  let idIndex: Map<string, number> | undefined;
  const seen = new Uint8Array(graph.n);
  const out: number[] = [];
  for (let k = 0; k < terminals.length; k++) {
    const t = terminals[k]!;
    let v: number;
    if (typeof t === 'string') {
      idIndex ??= new Map(graph.ids.map((id, i) => [id, i]));
      const at = idIndex.get(t);
      if (at === undefined) throw new ModelError(`terminals[${k}]`, `names unknown node ${JSON.stringify(t)}`);
      v = at;
    } else {
      if (!Number.isInteger(t) || t < 0 || t >= graph.n) throw new ModelError(`terminals[${k}]`, `must be a node index in [0, ${graph.n}), got ${describe(t)}`);
      v = t;
    }
    if (!seen[v]) {
      seen[v] = 1;
      out.push(v);
    }
  }
  const p: SteinerProblem = { kind: 'steiner', graph, terminals: Int32Array.from(out) };
  return name === undefined ? p : { ...p, name };
}

/** Validates a problem built by hand (not through createSteinerProblem). */
export function checkProblem(problem: SteinerProblem): SteinerProblem {
  if (!problem || problem.kind !== 'steiner') throw new ModelError('problem', `must be a SteinerProblem (createSteinerProblem), got ${describe(problem)}`);
  // The graph's fields as the method tables check them (solveSteiner called directly
  // bypasses that check): a ModelError naming the field, not a TypeError deep inside.
  checkModelShape(problem);
  return createSteinerProblem(problem.graph, problem.terminals, problem.name);
}
